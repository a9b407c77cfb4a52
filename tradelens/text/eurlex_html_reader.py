"""EUR-Lex HTML: the Official Journal's web edition, structure given by CSS classes.

EUR-Lex marks a text's parts with classes, in the current edition prefixed `oj-` and in
older ones without: `doc-ti` (the title), `ti-section-1` / `ti-section-2` (a division's
heading and its title), `ti-art` / `sti-art` (an article's number and title), `normal`
(a paragraph; points are two-cell table rows, `(a)` | text), `note` (a footnote, cited by
a link to its id). Reading it as generic HTML loses the articles whose number and title
are separate paragraphs and splits every point from its label; this reader writes the
structure as heading and paragraph lines for the segmenter, each footnote on the line
that cites it.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.html_reader import parse_html
from tradelens.text.metadata import default_agreement_id

_MARKERS = re.compile(rb'class="(?:oj-)?(?:ti-art|doc-ti)"|eli-container')
_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form")


def looks_like_eurlex(head: bytes) -> bool:
    return bool(_MARKERS.search(head))


def _kind(element: html.HtmlElement) -> str | None:
    for name in (element.get("class") or "").split():
        name = name.removeprefix("oj-")
        if name in ("doc-ti", "ti-section-1", "ti-section-2", "ti-art", "sti-art", "normal",
                    "note"):
            return name
    return None


def read_eurlex_html(path: Path) -> Document:
    root = parse_html(path, _DROP)
    notes = _footnotes(root)
    blocks: list[Block] = []
    title_parts: list[str] = []
    pending: tuple[str, int] | None = None  # a heading waiting for its title line

    def flush() -> None:
        nonlocal pending
        if pending:
            blocks.append(Block(kind="line", text=pending[0], heading_level=pending[1]))
            pending = None

    for element in root.iter("p", "tr"):
        if element.tag == "p" and element.getparent() is not None \
                and any(a.tag == "tr" for a in element.iterancestors()):
            continue  # read with its table row
        kind = "point" if element.tag == "tr" else _kind(element)
        if kind in (None, "note"):
            continue
        cited = [notes[ref] for ref in _references(element) if ref in notes]
        line = _clean(element)
        if not line:
            continue
        if kind == "doc-ti":
            title_parts.append(line)
        elif kind in ("ti-section-1", "ti-art"):
            flush()
            pending = (line, 1 if kind == "ti-section-1" else 2)
        elif kind in ("ti-section-2", "sti-art") and pending:
            joiner = " - " if pending[1] == 1 else ": "
            pending = (pending[0] + joiner + line, pending[1])
            flush()
        else:
            flush()
            blocks.append(Block(kind="line", text=line, footnotes=cited))
    flush()
    if not any(b.text.strip() for b in blocks):
        raise InputError(path, "EUR-Lex HTML without any article text")
    return Document(agreement_id=default_agreement_id(path), source=str(path),
                    format="eurlex-html", blocks=blocks,
                    title=" ".join(title_parts) or None)


def _clean(element: html.HtmlElement) -> str:
    """The element's text without note markers, cells joined ('(a)' + text)."""
    copy = html.fromstring(html.tostring(element))
    if copy.tag == "tr":  # a point's row: its nested points are rows of their own
        for table in list(copy.iter("table")):
            table.drop_tree()
    for link in copy.iter("a"):
        if (link.get("href") or "").startswith("#ntr"):
            link.drop_tree()
    if copy.tag == "tr":
        return " ".join(" ".join(cell.text_content() for cell in copy
                                 if cell.tag in ("td", "th")).split())
    return " ".join(copy.text_content().split())


def _references(element: html.HtmlElement) -> list[str]:
    return [_note_key(a.get("href", "")[1:]) for a in element.iter("a")
            if (a.get("href") or "").startswith("#ntr")]


def _note_key(anchor: str) -> str:
    """'ntr1-L_2020001EN.01000101-E0001' and 'ntc1-...' name the same note."""
    return anchor[3:]


def _footnotes(root: html.HtmlElement) -> dict[str, str]:
    notes = {}
    for element in root.iter("p"):
        if _kind(element) != "note":
            continue
        anchor = next((a for a in element.iter("a") if (a.get("id") or "").startswith("ntr")),
                      None)
        if anchor is None:
            continue
        number = " ".join(anchor.text_content().split()).strip("()")
        anchor.drop_tree()
        text = " ".join(element.text_content().split())
        notes[_note_key(anchor.get("id"))] = f"{number} {text}".strip()
    return notes
