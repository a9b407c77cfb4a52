"""PDF agreements via pdfplumber, with running headers, footers and page numbers removed.

Page numbers are kept as provenance on every line, because negotiators cite page numbers;
the header and footer lines themselves would otherwise split clauses in two.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tradelens.errors import InputError
from tradelens.ingest.text_reader import document_from_lines
from tradelens.models import Document

_PAGE_NUMBER = re.compile(
    r"^\s*(?:page|página|pagina)?\s*[-–—]?\s*\d{1,4}\s*(?:(?:of|de|sur|/)\s*\d{1,4})?\s*[-–—]?\s*$",
    re.I,
)
_EDGE_LINES = 2
_HYPHEN_END = re.compile(r"[a-zà-ÿ]-$")


def _shape(line: str) -> str:
    """A line with its digits folded, so 'Chapter 8 - page 3' repeats across pages."""
    return re.sub(r"\d+", "#", line.strip().lower())


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines that recur at the top or bottom of most pages."""
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_shape(x) for x in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:] if x.strip()}
        edge_counts.update(edges)
    threshold = max(2, (len(pages) + 1) // 2)
    running = {shape for shape, n in edge_counts.items() if n >= threshold}
    cleaned = []
    for lines in pages:
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < _EDGE_LINES or i >= len(lines) - _EDGE_LINES
            if at_edge and (_shape(line) in running or _PAGE_NUMBER.match(line)):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _join_hyphenated(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Repair words hyphenated across line ends ('locali-' + 'sation')."""
    out: list[tuple[str, int]] = []
    for text, page in lines:
        if out and _HYPHEN_END.search(out[-1][0]) and text[:1].islower():
            prev_text, prev_page = out.pop()
            out.append((prev_text[:-1] + text, prev_page))
        else:
            out.append((text, page))
    return out


def read_pdf(path: Path) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(path) as pdf:
            pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(path, "encrypted PDF; decrypt it first") from exc
    except PDFSyntaxError as exc:
        raise InputError(path, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pdfminer raises many private types for broken files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise InputError(path, "encrypted PDF; decrypt it first") from exc
        raise InputError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise InputError(path, "PDF without pages")
    if not any(line.strip() for lines in pages for line in lines):
        raise InputError(path, "PDF has no text layer (scanned or image-only); OCR it first")
    cleaned = _strip_running_lines(pages)
    numbered = [(line, number) for number, lines in enumerate(cleaned, start=1)
                for line in lines]
    return document_from_lines(path, "pdf", _join_hyphenated(numbered), pages=len(pages))
