"""Ingestion: files in, `Document` out, one reader per format, format sniffed from content."""

from __future__ import annotations

import importlib
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from lxml import etree

from tradelens.errors import IS_DIRECTORY, NO_SUCH_FILE, InputError, unreadable
from tradelens.models import Document
from tradelens.text import limits
from tradelens.text.language import detect_language
from tradelens.text.manifest import MANIFEST_NAME, manifest_path, read_manifest
from tradelens.text.normal_form import normal_document
from tradelens.text.options import DEFAULT_OPTIONS, ReaderOptions
from tradelens.text.sniff import DOCUMENT_SUFFIXES, sniff_format

#: format -> (module, function) of its reader, imported on first use so that reading a
#: text file never loads the PDF or Word libraries.
_READERS = {
    "pdf": ("tradelens.text.pdf_reader", "read_pdf"),
    "xml": ("tradelens.text.xml_reader", "read_xml"),
    "docx": ("tradelens.text.docx_reader", "read_docx"),
    "html": ("tradelens.text.html_reader", "read_html"),
    "formex": ("tradelens.text.formex_reader", "read_formex"),
    "eurlex-html": ("tradelens.text.eurlex_html_reader", "read_eurlex_html"),
    "text": ("tradelens.text.text_reader", "read_text"),
}


def _reader(fmt: str, path: Path) -> Callable[[Path], Document]:
    if fmt not in _READERS:
        raise InputError(path, f"no reader for {fmt}")
    module, function = _READERS[fmt]
    return getattr(importlib.import_module(module), function)


def read_document(path: Path, options: ReaderOptions | None = None) -> Document:
    """Read one file (or a multi-file agreement's manifest) into a Document, or raise
    InputError naming the file and the reason. `options` (options.py) bound the costly
    readings, OCR above all. Its texts are in one normal form (NFC, without invisible marks
    or ligatures: `normal_form.py`), whatever the source wrote."""
    options = options or DEFAULT_OPTIONS
    if manifest_path(path) is not None:  # an agreement made of several files
        return normal_document(read_manifest(path, options))
    info = _regular_file(path)
    limits.check_file_size(path, info.st_size)
    fmt = sniff_format(path)
    try:
        if fmt == "pdf":
            limits.check_pdf_streams(path)
        reader = _reader(fmt, path)
        document = reader(path, options) if fmt == "pdf" else reader(path)  # type: ignore[call-arg]
    except InputError:
        raise
    except (OSError, ValueError, UnicodeError) as exc:
        raise InputError(path, f"cannot read {fmt} ({exc})") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(path, f"damaged {fmt.upper()} (compressed data: {exc})") from exc
    except etree.LxmlError as exc:
        raise InputError(path, f"malformed {fmt.upper()} ({exc})") from exc
    except RecursionError as exc:
        raise InputError(path, f"{fmt.upper()} nested too deeply to read") from exc
    limits.check_characters(path, sum(len(block.text) for block in document.blocks))
    normal_document(document)
    if not document.language:
        document.language = detect_language(
            "\n".join(block.text for block in document.blocks[:400])
        )
    return document


def _regular_file(path: Path) -> os.stat_result:
    """The file's status, or InputError: missing, a folder, or not a regular file (a named
    pipe would block the reader forever; a device never ends)."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise InputError(path, NO_SUCH_FILE) from exc
    except OSError as exc:
        raise InputError(path, unreadable(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, IS_DIRECTORY)
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise InputError(path, f"not a regular file ({kind}); refused")
    return info


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand directories (recursively, document extensions only), keep named files as given.
    A folder holding an `agreement.yaml` is one input (its manifest), however many files
    it has."""
    return discover_with_errors(paths)[0]


def discover_with_errors(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """`discover`, plus an InputError for each folder that cannot be read (or a subfolder)
    and each folder that holds no document, so nothing is skipped without a word."""
    found: list[Path] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            errors.append(InputError(path, unreadable(exc)))
            continue
        if not is_dir:
            found.append(path)
            continue
        if (path / MANIFEST_NAME).is_file():
            found.append(path / MANIFEST_NAME)
            continue
        mine = sorted(_walk(path, errors))
        if not mine and not any(e.path.startswith(str(path)) for e in errors):
            errors.append(InputError(path, "folder holds no agreement file ("
                                           + ", ".join(sorted(DOCUMENT_SUFFIXES)) + ")"))
        found.extend(mine)
    return found, errors


def _walk(folder: Path, errors: list[InputError]) -> Iterator[Path]:
    """Document files under `folder`, hidden names skipped; unreadable folders reported.
    A named pipe or a dangling link with a document's name is listed too, so that its
    reader refuses it on its own line rather than it being skipped without a word."""
    def report(exc: OSError) -> None:
        errors.append(InputError(exc.filename or folder, f"folder {unreadable(exc)}"))

    for root, dirs, files in os.walk(folder, onerror=report):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if MANIFEST_NAME in files:
            # a subfolder that is one agreement made of several files: its manifest only
            yield Path(root) / MANIFEST_NAME
            dirs[:] = []
            continue
        for name in files:
            candidate = Path(root) / name
            if not name.startswith(".") and candidate.suffix.lower() in DOCUMENT_SUFFIXES:
                yield candidate
