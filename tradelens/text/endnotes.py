"""Endnotes: notes gathered under a "Notes" heading at the end of a chapter or document,
linked to the markers that cite them, the way footnotes are.

An endnote is as much part of a provision as a footnote ("For greater certainty, this
Article does not apply to ..."), but it is printed pages away from its marker; read as
text it would become a stray clause at the end of the chapter, and the article would lose
it. A section is an endnote section only if it opens with a heading line of its own
(`Notes`, `Endnotes`, `Notas`, `Notes de fin`), holds numbered entries (`1 ...`, `2. ...`)
and at least one of its entries is cited by a marker before it; it runs to the next
chapter or article heading, or to the end. A marker is linked to the first endnote section
after it (the notes of its own chapter).

Markers: in a PDF, the raised small digits the layout already lifts (`PageLine.markers`);
in text, `[7]` or superscript digits (`⁷`), which are taken out of the text once linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tradelens.models import Block
from tradelens.text.pdf_layout import PageLayout, PageLine, split_markers

_HEADING = re.compile(r"^\s*(?:end\s*-?\s*notes?|notes|notas(?: finales)?|notes de fin"
                      r"(?: de (?:document|chapitre))?)\s*:?\s*$", re.I)
_ENTRY = re.compile(r"^\s*(\d{1,3})[.)]?\s+(\S.*)$")
_ENDS = re.compile(r"^\s*(?:chapter|cap[íi]tulo|chapitre|part|partie|annex|anexo|annexe"
                   r"|article|art[íi]culo)\s+[\dIVXLC]", re.I)
_SENTENCE_END = re.compile(r"[.;:][\])”\"']?\s*$")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TEXT_MARKER = re.compile(r"\[(\d{1,3})\]|([" + _SUPERSCRIPTS + r"]{1,3})")


@dataclass
class _Section:
    start: tuple[int, int]
    end: tuple[int, int]
    notes: dict[str, str] = field(default_factory=dict)
    #: Pages whose small-type 'footnotes' are in fact this section's entries.
    pages: list[int] = field(default_factory=list)


def _find_sections(pages: list[list[str]]) -> list[_Section]:
    """Endnote sections in a document given as pages of line texts (positions inclusive
    start, exclusive end, as (page, line))."""
    sections: list[_Section] = []
    current: _Section | None = None
    last: str | None = None
    previous = ""
    for p, lines in enumerate(pages):
        for i, text in enumerate(lines):
            after, previous = previous, text.strip() or previous
            if current is None:
                if _HEADING.match(text):
                    current, last = _Section(start=(p, i), end=(p, i + 1)), None
                    sections.append(current)
                continue
            # A heading after a finished note closes the section; 'Article 13.11' inside
            # a note's sentence does not.
            if _ENDS.match(text) and (not last or _SENTENCE_END.search(after)):
                current = None
                continue
            entry = _ENTRY.match(text)
            if entry:
                last = entry.group(1)
                current.notes[last] = entry.group(2).strip()
            elif last is not None and text.strip():
                current.notes[last] += " " + text.strip()
            elif text.strip():
                current = None  # text that is no entry: this was no endnote section
                sections.pop()
                continue
            current.end = (p, i + 1)
        if current is not None:
            current.pages.append(p)
            current.end = max(current.end, (p, len(lines)))
    return sections


def _section_after(sections: list[_Section], position: tuple[int, int]) -> _Section | None:
    return next((s for s in sections if s.start > position), None)


# --- PDF -------------------------------------------------------------------------------


def link_pdf_endnotes(layouts: list[PageLayout], pages: list[list[PageLine]]) -> None:
    """Take endnote sections out of the PDF's lines and attach their entries to the lines
    whose markers cite them. Call before footnotes are resolved, so an endnote page's
    small-type entries are not taken for that page's footnotes."""
    sections = _find_sections([[line.text for line in lines] for lines in pages])
    for section in sections:
        for p in section.pages:  # small-type entries under the heading
            for marker, text in layouts[p].footnotes.items():
                section.notes.setdefault(marker, text)
    cited = [s for s in sections if _cited_pdf(s, sections, pages)]
    if not cited:
        return
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            section = _section_after(cited, (p, i))
            if section is None or not line.markers:
                continue
            for raw in line.markers:
                for marker in split_markers(raw, section.notes):
                    if marker in section.notes:
                        line.footnotes.append(f"{marker} {section.notes[marker]}")
            # These markers are settled; footnote resolution must not take them again.
            line.markers = [raw for raw in line.markers
                            if not all(m in section.notes
                                       for m in split_markers(raw, section.notes))]
    for section in cited:
        for p in section.pages:
            layouts[p].footnotes = {}
    for p in range(len(pages)):
        pages[p][:] = [line for i, line in enumerate(pages[p])
                       if not any(s.start <= (p, i) < s.end for s in cited)]


def _cited_pdf(section: _Section, sections: list[_Section],
               pages: list[list[PageLine]]) -> bool:
    return any(_section_after(sections, (p, i)) is section
               and any(m in section.notes for raw in line.markers
                       for m in split_markers(raw, section.notes))
               for p, lines in enumerate(pages) for i, line in enumerate(lines))


# --- text ------------------------------------------------------------------------------


def link_text_endnotes(blocks: list[Block]) -> list[Block]:
    """The text's blocks with endnote sections taken out, their entries on the blocks
    that cite them, and the linked markers removed from the text."""
    texts = [block.text for block in blocks]
    sections = _find_sections([texts])
    cited = []
    for section in sections:
        before = [i for i in range(len(blocks)) if _section_after(sections, (0, i)) is section]
        if any(_marker_numbers(texts[i]) & set(section.notes) for i in before):
            cited.append(section)
    if not cited:
        return blocks
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if any(s.start <= (0, i) < s.end for s in cited):
            continue
        section = _section_after(cited, (0, i))
        if section is not None:
            linked = [m for m in _marker_list(block.text) if m in section.notes]
            if linked:
                notes = section.notes
                block.footnotes.extend(f"{m} {notes[m]}" for m in linked)
                block.text = _TEXT_MARKER.sub(
                    lambda match, notes=notes: "" if _number(match) in notes
                    else match.group(0), block.text)
        out.append(block)
    return out


def _number(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return "".join(str(_SUPERSCRIPTS.index(ch)) for ch in match.group(2))


def _marker_list(text: str) -> list[str]:
    return [_number(match) for match in _TEXT_MARKER.finditer(text)]


def _marker_numbers(text: str) -> set[str]:
    return set(_marker_list(text))
