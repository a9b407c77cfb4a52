"""Ingestion: files in, `Document` out, one reader per format, format sniffed from content."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tradelens.errors import InputError
from tradelens.ingest.options import DEFAULT_OPTIONS, ReaderOptions
from tradelens.ingest.sniff import DOCUMENT_SUFFIXES, sniff_format
from tradelens.language import detect_language
from tradelens.models import Document


def _reader(fmt: str, path: Path) -> Callable[[Path], Document]:
    if fmt == "pdf":
        from tradelens.ingest.pdf_reader import read_pdf

        return read_pdf
    if fmt == "xml":
        from tradelens.ingest.xml_reader import read_xml

        return read_xml
    if fmt == "docx":
        from tradelens.ingest.docx_reader import read_docx

        return read_docx
    if fmt == "html":
        from tradelens.ingest.html_reader import read_html

        return read_html
    if fmt == "formex":
        from tradelens.ingest.formex_reader import read_formex

        return read_formex
    if fmt == "eurlex-html":
        from tradelens.ingest.eurlex_html_reader import read_eurlex_html

        return read_eurlex_html
    if fmt == "text":
        from tradelens.ingest.text_reader import read_text

        return read_text
    raise InputError(path, f"no reader for {fmt}")


def read_document(path: Path, options: ReaderOptions | None = None) -> Document:
    """Read one file into a Document, or raise InputError naming the file and the reason.

    `options` (ingest/options.py) bound the costly readings, OCR above all."""
    options = options or DEFAULT_OPTIONS
    if not path.exists():
        raise InputError(path, "no such file")
    from tradelens.ingest.manifest import manifest_path, read_manifest

    if manifest_path(path) is not None:  # an agreement made of several files
        return read_manifest(path, options)
    if path.is_dir():
        raise InputError(path, "is a directory")
    fmt = sniff_format(path)
    try:
        reader = _reader(fmt, path)
        document = reader(path, options) if fmt == "pdf" else reader(path)  # type: ignore[call-arg]
    except InputError:
        raise
    except (OSError, ValueError, UnicodeError) as exc:
        raise InputError(path, f"cannot read {fmt} ({exc})") from exc
    if not document.language:
        document.language = detect_language(
            "\n".join(block.text for block in document.blocks[:400])
        )
    return document


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories (recursively, document extensions only), keep named files as given.

    A folder holding an `agreement.yaml` is one input (its manifest), however many files
    it has."""
    from tradelens.ingest.manifest import MANIFEST_NAME

    found: list[Path] = []
    for path in paths:
        if path.is_dir() and (path / MANIFEST_NAME).is_file():
            found.append(path / MANIFEST_NAME)
        elif path.is_dir():
            agreements = {p.parent for p in path.rglob(MANIFEST_NAME) if p.is_file()}
            found.extend(sorted(
                p for p in path.rglob("*")
                if p.is_file() and (p.suffix.lower() in DOCUMENT_SUFFIXES
                                    or p.name == MANIFEST_NAME)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (p.name == MANIFEST_NAME or not any(a in p.parents for a in agreements))
            ))
        else:
            found.append(path)
    return found
