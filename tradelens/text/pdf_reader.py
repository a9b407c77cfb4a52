"""PDF agreements via pdfplumber: columns, running lines, page numbers and footnotes handled.

Page numbers are kept as provenance on every line, because negotiators cite page numbers;
the header and footer lines themselves would otherwise split clauses in two.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.endnotes import link_pdf_endnotes
from tradelens.text.headings import heading_number, successive_divisions
from tradelens.text.hyphenation import join_hyphenated
from tradelens.text.limits import check_pages
from tradelens.text.options import DEFAULT_OPTIONS, ReaderOptions
from tradelens.text.pdf_layout import (
    PAGE_NUMBER,
    PageLayout,
    PageLine,
    body_font_size,
    layout_page,
    split_markers,
)
from tradelens.text.pdf_noise import repeated_words, without_noise
from tradelens.text.text_reader import document_from_blocks

_EDGE_LINES = 2


def _shape(line: str) -> str:
    """A line with its digits folded, so 'Chapter 8 - page 3' repeats across pages."""
    return re.sub(r"\d+", "#", line.strip().lower())


def _strip_running_lines(pages: list[list[PageLine]]) -> list[list[PageLine]]:
    """Drop page numbers and lines that recur at the top or bottom of most pages.

    A running line repeats word for word, or varies only by the page's own number
    ('Chapter 8 - page 3'). Article headings also sit at page edges and share a shape
    ('Article #.#'), but their numbers are not page numbers, so they stay; and a shape
    whose lines open a different division on nearly every page ('Article 1' atop page 1,
    'Article 2' atop page 2) is the text's structure even where the numbers match.
    """
    seen: dict[str, set[int]] = {}
    texts: dict[str, Counter[str]] = {}
    for number, lines in enumerate(pages, start=1):
        for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]:
            if line.text.strip():
                shape = _shape(line.text)
                seen.setdefault(shape, set()).add(number)
                texts.setdefault(shape, Counter())[line.text.strip()] += 1
    # Three pages at least: in a short document, "Chapter 2" heading the top of page 2 and
    # "Chapter 3" the top of page 3 would otherwise look like a line carrying the page number.
    threshold = max(2 if len(pages) < 3 else 3, (len(pages) + 1) // 2)
    frequent = {shape for shape, numbers in seen.items() if len(numbers) >= threshold
                and not _successive_headings(texts[shape])}
    cleaned = []
    for number, lines in enumerate(pages, start=1):
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < _EDGE_LINES or i >= len(lines) - _EDGE_LINES
            if at_edge and (PAGE_NUMBER.match(line.text)
                            or _running(line.text, number, frequent, texts)):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _successive_headings(lines: Counter[str]) -> bool:
    """Whether the lines (text -> pages printed on) are headings of successive divisions."""
    return successive_divisions([heading_number(line) for line in lines.elements()])


def _running(text: str, page: int, frequent: set[str], texts: dict[str, Counter[str]]) -> bool:
    shape = _shape(text)
    if shape not in frequent:
        return False
    common, count = texts[shape].most_common(1)[0]
    if text.strip() == common and count >= 2:
        return True
    # A page number stands alone: '14' and '1' in 'Article 14.1' are not page numbers.
    return str(page) in re.findall(r"(?<![\d.])\d+(?![\d.])", text)


def _extract_pages(path: Path, options: ReaderOptions = DEFAULT_OPTIONS,
                   confidences: dict[int, float | None] | None = None) -> list[PageLayout]:
    """Each page laid out; pages without a text layer read through OCR (ingest/ocr.py),
    with their OCR confidence put in `confidences`."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(path) as pdf:
            check_pages(path, len(pdf.pages))
            words = [(without_noise(page).extract_words(extra_attrs=["size"]),
                      float(page.width)) for page in pdf.pages]
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many private types; pdfplumber wraps them
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) \
                or "password" in str(inner).lower():
            raise InputError(path, "encrypted PDF; decrypt it first") from exc
        detail = str(inner) if isinstance(inner, PDFSyntaxError) else \
            f"{type(inner).__name__}: {inner}".rstrip(": ")
        raise InputError(path, f"corrupt PDF ({detail})") from exc
    if not words:
        raise InputError(path, "PDF without pages")
    if options.ocr != "never":
        from tradelens.text.ocr import ocr_words

        read = ocr_words(path, words, options)
        words = read.words
        if confidences is not None:
            confidences.update(read.confidences)
    if not any(page_words for page_words, _ in words):
        raise InputError(path, "PDF has no text layer (scanned or image-only); OCR it first"
                         if options.ocr == "never" else
                         "PDF has no text layer and OCR found no text in it")
    kept = repeated_words([page_words for page_words, _ in words])
    words = [(page_words, width) for page_words, (_, width) in zip(kept, words, strict=True)]
    body_size = body_font_size([w for page_words, _ in words for w in page_words])
    layouts = [layout_page(page_words, width, body_size) for page_words, width in words]
    gutters = sorted(layout.gutter for layout in layouts if layout.gutter is not None)
    if gutters and len(gutters) < len(layouts):
        # Pages too short to show their own columns may still be set in the document's.
        hint = gutters[len(gutters) // 2]
        layouts = [layout if layout.gutter is not None
                   else layout_page(page_words, width, body_size, hint)
                   for layout, (page_words, width) in zip(layouts, words, strict=True)]
    return layouts


def _resolve_footnotes(layouts: list[PageLayout], pages: list[list[PageLine]]) -> None:
    """Attach each footnote to the line whose marker cites it.

    A footnote is looked for on the marker's page, then on the next page (typesetters
    carry a footnote over when the page is full). A footnote no marker cites (the marker
    was lost, or the PDF has none) goes to its page's last body line, so its text stays
    with the clause it was printed under.
    """
    cited: set[tuple[int, str]] = set()
    for number, lines in enumerate(pages):
        for line in lines:
            for raw in line.markers:
                for candidate in (number, number + 1):
                    if candidate >= len(layouts):
                        continue
                    notes = layouts[candidate].footnotes
                    found = [m for m in split_markers(raw, notes) if m in notes]
                    if found:
                        for marker in found:
                            if (candidate, marker) not in cited:
                                line.footnotes.append(f"{marker} {notes[marker]}")
                                cited.add((candidate, marker))
                        break
    for number, (layout, lines) in enumerate(zip(layouts, pages, strict=True)):
        orphans = [f"{m} {text}" for m, text in layout.footnotes.items()
                   if (number, m) not in cited]
        if orphans and lines:
            lines[-1].footnotes.extend(orphans)


def read_pdf(path: Path, options: ReaderOptions = DEFAULT_OPTIONS) -> Document:
    confidences: dict[int, float | None] = {}
    layouts = _extract_pages(path, options, confidences)
    pages = _strip_running_lines([layout.lines for layout in layouts])
    link_pdf_endnotes(layouts, pages)
    # Small type left between body lines is no agreement text (as before endnotes).
    pages = [[line for line in lines if not line.small] for lines in pages]
    _resolve_footnotes(layouts, pages)
    blocks = [Block(kind="line", text=line.text, page=number, footnotes=line.footnotes,
                    ocr_confidence=confidences.get(number), column=line.column)
              for number, lines in enumerate(pages, start=1) for line in lines]
    return document_from_blocks(path, "pdf", join_hyphenated(blocks), pages=len(layouts))
