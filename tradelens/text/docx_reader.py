"""Word (DOCX) drafts read directly as zipped XML with lxml.

Negotiating drafts live in Word: numbering comes from numbering.xml rather than the text,
headings from paragraph styles, and the text carries tracked insertions and deletions and
reviewers' comments. The reader returns the accepted text (insertions kept, deletions
dropped), with every change and comment attached to its paragraph, so nothing a
negotiator wrote is lost and nothing deleted is scored. The archive is untrusted: parts
are size-checked before they are inflated, and the XML parser never expands entities.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.metadata import apply_properties
from tradelens.text.text_reader import document_from_blocks
from tradelens.text.xml_reader import parse_xml_safely

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_MAX_PART_BYTES = 64 * 1024 * 1024
_MAX_RATIO = 200
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def read_docx(path: Path) -> Document:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"not a valid DOCX (damaged zip: {exc})") from exc
    with archive:
        parts = _Parts(path, archive)
        body = parts.xml("word/document.xml")
        if body is None:
            raise InputError(path, "DOCX without word/document.xml")
        reader = _BodyReader(parts)
        blocks = reader.read(body)
    if not any(block.text.strip() for block in blocks):
        raise InputError(path, "DOCX without any text")
    document = document_from_blocks(path, "docx", blocks)
    if reader.title:
        document.title = reader.title
    apply_properties(document, reader.keywords)
    return document


class _Parts:
    """Size-checked access to the XML parts of the archive."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path, self.archive = path, archive
        self.names = set(archive.namelist())
        total = sum(info.file_size for info in archive.infolist())
        packed = sum(info.compress_size for info in archive.infolist())
        if total > 4 * _MAX_PART_BYTES or (total > 1024 * 1024
                                           and total > _MAX_RATIO * max(1, packed)):
            raise InputError(path, f"DOCX expands to {total // (1024 * 1024)} MB from "
                                   f"{packed // 1024} KB; refused as a likely zip bomb")

    def xml(self, name: str) -> etree._Element | None:
        if name not in self.names:
            return None
        with self.archive.open(name) as handle:
            data = handle.read(_MAX_PART_BYTES + 1)
        if len(data) > _MAX_PART_BYTES:
            raise InputError(self.path, f"DOCX part {name} is larger than "
                                        f"{_MAX_PART_BYTES // (1024 * 1024)} MB; refused")
        return parse_xml_safely(self.path, data)


@dataclass
class _Level:
    start: int
    fmt: str
    text: str


@dataclass
class _Numbering:
    """numbering.xml: list levels and live counters, so '%1.' becomes '3.'."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: etree._Element | None) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = _Level(
                    start=int(_val(lvl.find(f"{W}start")) or 1),
                    fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
                    text=_val(lvl.find(f"{W}lvlText")) or "",
                )
            abstract[node.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            ref = _val(num.find(f"{W}abstractNumId"))
            numbering.levels[num.get(f"{W}numId", "")] = abstract.get(ref or "", {})
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(ilvl + 1):
            value = counters.get(k, levels.get(k, level).start)
            fmt = levels[k].fmt if k in levels else "decimal"
            text = text.replace(f"%{k + 1}", _format_number(value, fmt))
        return text


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for number, glyph in _ROMAN:
            while value >= number:
                roman, value = roman + glyph, value - number
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _table_column(p: etree._Element) -> int | None:
    """1 or 2 for a paragraph in the left or right cell of a two-cell table row (a parallel
    bilingual table, text/parallel.py), else None."""
    cell = next((a for a in p.iterancestors(f"{W}tc")), None)
    row = cell.getparent() if cell is not None else None
    if row is None or row.tag != f"{W}tr":
        return None
    cells = row.findall(f"{W}tc")
    return cells.index(cell) + 1 if len(cells) == 2 else None


def _val(node: etree._Element | None) -> str | None:
    return None if node is None else node.get(f"{W}val")


class _BodyReader:
    """Walks document.xml paragraphs in order (tables included) into line blocks."""

    def __init__(self, parts: _Parts) -> None:
        self.numbering = _Numbering.load(parts.xml("word/numbering.xml"))
        self.styles = _styles(parts.xml("word/styles.xml"))
        self.notes = _notes(parts.xml("word/footnotes.xml"), "footnote")
        self.notes.update(_notes(parts.xml("word/endnotes.xml"), "endnote"))
        self.comments = _notes(parts.xml("word/comments.xml"), "comment")
        core = parts.xml("docProps/core.xml")
        title = None if core is None else core.find("{http://purl.org/dc/elements/1.1/}title")
        self.title = (title.text or "").strip() or None if title is not None else None
        keywords = None if core is None else core.find(f"{{{_CORE_NS}}}keywords")
        self.keywords = (keywords.text or "") if keywords is not None else ""
        self.note_count = 0

    def read(self, body: etree._Element) -> list[Block]:
        blocks: list[Block] = []
        for paragraph in body.iter(f"{W}p"):
            block = self._paragraph(paragraph)
            if block is not None:
                block.column = _table_column(paragraph)
                blocks.append(block)
                blocks.append(Block(kind="line", text=""))
        return blocks

    def _paragraph(self, p: etree._Element) -> Block | None:
        style_id = _val(p.find(f"{W}pPr/{W}pStyle"))
        style = self.styles.get(style_id or "", _Style())
        num_id = _val(p.find(f"{W}pPr/{W}numPr/{W}numId")) or style.num_id
        ilvl = _val(p.find(f"{W}pPr/{W}numPr/{W}ilvl"))
        text_parts: list[str] = []
        changes: list[tuple[str, str]] = []
        footnotes: list[str] = []
        comments: list[str] = []
        for node in p.iter():
            tag = node.tag
            if tag == f"{W}t":  # deleted runs hold w:delText, or w:t inside w:del/moveFrom
                if not _inside(node, (f"{W}del", f"{W}moveFrom"), p):
                    text_parts.append(node.text or "")
            elif tag == f"{W}noBreakHyphen":  # Word's non-breaking hyphen is an element
                if not _inside(node, (f"{W}del", f"{W}moveFrom"), p):
                    text_parts.append("-")
            elif tag == f"{W}tab":
                text_parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                text_parts.append(" ")
            elif tag in (f"{W}ins", f"{W}moveTo", f"{W}del", f"{W}moveFrom"):
                kind = "inserted" if tag in (f"{W}ins", f"{W}moveTo") else "deleted"
                changed = "".join(x.text or "" for x in node.iter(f"{W}t", f"{W}delText"))
                if changed.strip():
                    author = node.get(f"{W}author")
                    changes.append((kind, changed + (f" [{author}]" if author else "")))
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
                note = self.notes.get(f"{kind}:{node.get(f'{W}id')}")
                if note:
                    self.note_count += 1
                    footnotes.append(f"{self.note_count} {note}")
            elif tag == f"{W}commentReference":
                comment = self.comments.get(f"comment:{node.get(f'{W}id')}")
                if comment:
                    comments.append(comment)
        text = "".join(text_parts).strip()
        if not text and not changes:
            return None
        label = self.numbering.label(num_id, int(ilvl or 0)) if num_id else ""
        if label:
            text = f"{label} {text}" if not label.endswith("\t") else label + text
        return Block(kind="line", text=text, heading_level=style.heading_level,
                     footnotes=footnotes, comments=comments, changes=changes)


@dataclass
class _Style:
    heading_level: int | None = None
    num_id: str | None = None


def _styles(root: etree._Element | None) -> dict[str, _Style]:
    """Style id -> heading level (Heading 1 = chapter, Heading 2 = article) and numbering."""
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for style in root.iter(f"{W}style"):
        name = (_val(style.find(f"{W}name")) or "").lower().replace(" ", "")
        outline = _val(style.find(f"{W}pPr/{W}outlineLvl"))
        level = None
        if name in ("heading1", "heading2"):
            level = int(name[-1])
        elif outline in ("0", "1"):
            level = int(outline) + 1
        styles[style.get(f"{W}styleId", "")] = _Style(
            heading_level=level, num_id=_val(style.find(f"{W}pPr/{W}numPr/{W}numId")))
    return styles


def _notes(root: etree._Element | None, kind: str) -> dict[str, str]:
    """footnotes.xml / endnotes.xml / comments.xml: id -> text (separators skipped)."""
    notes: dict[str, str] = {}
    if root is None:
        return notes
    for note in root.iter(f"{W}{kind}"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator"):
            continue
        text = " ".join("".join(x.text or "" for x in note.iter(f"{W}t")).split())
        if text:
            notes[f"{kind}:{note.get(f'{W}id')}"] = text
    return notes


def _inside(node: etree._Element, tags: tuple[str, ...], stop: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False
