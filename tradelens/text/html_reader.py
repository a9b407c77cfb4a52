"""HTML agreements (official journals, treaty databases) via lxml.html.

Navigation, scripts and styles are dropped; headings (h1-h4) become structure hints and
block elements become lines, so the segmenter sees the same shape as from a text file.
Footnotes marked up as <sup> references with a footnote list at the end are attached
where they are cited. No resource is ever fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree, html

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.text_reader import decode_text, document_from_blocks

_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form")
_BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd",
                     "blockquote", "pre", "caption", "div", "section", "article"})
_HEADING_LEVEL = {"h1": 1, "h2": 1, "h3": 2, "h4": 2}
_NOTE_ID = re.compile(r"(?:fn|footnote|note)[-_:]?(\w+)$", re.I)


def parse_html(path: Path, drop: tuple[str, ...]) -> etree._Element:
    """The page's element tree, never fetching anything, with comments, processing
    instructions and the `drop` elements (scripts, navigation...) removed."""
    text = decode_text(path, path.read_bytes())
    try:
        root = html.document_fromstring(text, parser=html.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"unreadable HTML ({exc})") from exc
    for element in root.iter(*drop):
        element.drop_tree()
    return root


def read_html(path: Path) -> Document:
    root = parse_html(path, _DROP)
    notes = _footnotes(root)
    blocks: list[Block] = []
    for element in list(root.iter()):  # a list: marker <sup>s are removed on the way
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in element.iterdescendants()):
            continue  # only the innermost blocks carry text, once
        cited = [notes[ref] for ref in _references(element) if ref in notes]
        for sup in element.iter("sup"):
            if sup.get("data-note") or sup.find("a") is not None:
                sup.drop_tree()
        line = " ".join(element.text_content().split())
        if line:
            # The tag is a hint; a heading's own text ('Article 9.4: ...') still decides
            # its number and kind in the segmenter.
            blocks.append(Block(kind="line", text=line, footnotes=cited,
                                heading_level=_HEADING_LEVEL.get(element.tag),
                                column=_table_column(element)))
            blocks.append(Block(kind="line", text=""))
    title = root.findtext(".//title")
    document = document_from_blocks(path, "html", blocks)
    if title and title.strip():
        document.title = " ".join(title.split())
    return document


def _table_column(element: html.HtmlElement) -> int | None:
    """1 or 2 for text in the left or right cell of a two-cell table row (a parallel
    bilingual table, text/parallel.py), else None."""
    cell = element if element.tag in ("td", "th") else next(
        (a for a in element.iterancestors() if a.tag in ("td", "th")), None)
    if cell is None:
        return None
    row = cell.getparent()
    cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")] \
        if row is not None else []
    return cells.index(cell) + 1 if len(cells) == 2 else None


def _footnotes(root: html.HtmlElement) -> dict[str, str]:
    """Elements with ids like 'fn7' / 'footnote-7' hold footnote text; they leave the body."""
    notes: dict[str, str] = {}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        match = _NOTE_ID.match(element.get("id") or "")
        if match and element.tag in ("li", "p", "div", "aside"):
            for backlink in element.iter("a"):
                if (backlink.get("href") or "").startswith("#"):
                    backlink.drop_tree()
            text = " ".join(element.text_content().split())
            if text:
                notes[element.get("id")] = f"{match.group(1)} {text}"
            element.drop_tree()
    return notes


def _references(element: html.HtmlElement) -> list[str]:
    refs = []
    for link in element.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            refs.append(href[1:])
    return refs
