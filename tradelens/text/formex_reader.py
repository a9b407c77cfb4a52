"""Formex 4 XML, the format the EU Publications Office publishes the Official Journal in.

An agreement is an `ACT`: `TITLE`, `PREAMBLE`, `ENACTING.TERMS` holding `DIVISION`s
(chapters, titles, sections: `TITLE/TI` and `TITLE/STI`) and `ARTICLE`s (`TI.ART`,
`STI.ART`, numbered `PARAG`s with `NO.PARAG` and `ALINEA`, points as `LIST/ITEM/NP` with
`NO.P` and `TXT`), `NOTE`s inline where they are cited, then `FINAL`. The reader writes
the structure as heading and paragraph lines (`CHAPTER I - General provisions`,
`Article 3: Definitions`, `1. ...`, `(a) ...`) for the segmenter, with each note on the
line that cites it, so clauses come out as article, paragraph and point like any text.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.metadata import default_agreement_id
from tradelens.text.xml_reader import parse_xml_safely

#: Elements whose text is a line of its own.
_SKIP = frozenset({"NOTE"})


def is_formex(root: etree._Element) -> bool:
    return root.tag in ("ACT", "CONS.ACT") and root.find(".//ENACTING.TERMS") is not None


def read_formex(path: Path) -> Document:
    root = parse_xml_safely(path, path.read_bytes())
    if not is_formex(root):
        raise InputError(path, "not a Formex act (no ACT/ENACTING.TERMS)")
    blocks: list[Block] = []
    preamble = root.find("PREAMBLE")
    if preamble is not None:
        blocks += _lines(preamble)
    _walk(root.find(".//ENACTING.TERMS"), blocks)
    if not any(b.text.strip() for b in blocks):
        raise InputError(path, "Formex act without any text")
    title = _text(root.find("TITLE"))
    return Document(agreement_id=default_agreement_id(path), source=str(path),
                    format="formex", blocks=blocks, title=title)


def _text(element: etree._Element | None) -> str | None:
    """Text without notes, spaces normalised."""
    if element is None:
        return None
    parts = []
    for piece in _itertext(element):
        parts.append(piece)
    value = " ".join("".join(parts).split())
    return value or None


def _itertext(element: etree._Element):  # noqa: ANN202 - a generator of strings
    if element.tag in _SKIP:
        return
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _itertext(child)
        if child.tail:
            yield child.tail


def _notes(element: etree._Element) -> list[str]:
    notes = []
    for n, note in enumerate(element.iter("NOTE"), 1):
        text = " ".join("".join(note.itertext()).split())
        if text:
            notes.append(f"{note.get('NUMBERING') or n} {text}")
    return notes


def _walk(element: etree._Element | None, blocks: list[Block]) -> None:
    if element is None:
        return
    for child in element:
        if child.tag == "DIVISION":
            heading = _text(child.find("TITLE/TI"))
            subtitle = _text(child.find("TITLE/STI"))
            line = " - ".join(x for x in (heading, subtitle) if x)
            if line:
                blocks.append(Block(kind="line", text=line, heading_level=1))
            _walk(child, blocks)
        elif child.tag == "ARTICLE":
            _article(child, blocks)


def _article(article: etree._Element, blocks: list[Block]) -> None:
    number = _text(article.find("TI.ART")) or "Article"
    title = _text(article.find("STI.ART"))
    blocks.append(Block(kind="line", text=f"{number}: {title}" if title else number,
                        heading_level=2))
    for child in article:
        if child.tag in ("TI.ART", "STI.ART"):
            continue
        if child.tag == "PARAG":
            label = _text(child.find("NO.PARAG"))
            body = [c for c in child if c.tag != "NO.PARAG"]
            first = True
            for part in body:
                for block in _lines(part):
                    if first and label:
                        block.text = f"{label} {block.text}"
                        first = False
                    blocks.append(block)
        else:
            blocks += _lines(child)
    blocks.append(Block(kind="line", text=""))


def _lines(element: etree._Element) -> list[Block]:
    """An ALINEA, P or LIST as lines: its own text, then one line per point."""
    out: list[Block] = []
    if element.tag == "LIST":
        for item in element.iter("NP"):
            label = _text(item.find("NO.P")) or ""
            text = _text(item.find("TXT")) or ""
            out.append(Block(kind="line", text=f"{label} {text}".strip(),
                             footnotes=_notes(item.find("TXT")) if item.find("TXT") is not None
                             else []))
            for nested in item.findall("P/LIST") + item.findall("LIST"):
                out += _lines(nested)
        return out
    own = etree.Element("X")  # the element without its lists: the lead-in text
    own.text = element.text
    lists = []
    for child in element:
        if child.tag == "LIST":
            lists.append(child)
        else:
            own.append(_copy(child))
    text = _text(own)
    if text:
        out.append(Block(kind="line", text=text, footnotes=_notes(own)))
    for child in lists:
        out += _lines(child)
    return out


def _copy(element: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(element)
