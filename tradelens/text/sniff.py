"""Decide a file's format from its bytes, never from its name.

Negotiators rename files and corpora mislabel them; a reader chosen by extension fails
with a confusing parser error, while a sniffed format gives either the right reader or a
clear "this is not a trade agreement text" message.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from tradelens.errors import InputError
from tradelens.text.text_reader import utf16_encoding

#: Extensions considered when walking a directory; files named on the command line are
#: always sniffed, whatever their name.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".xml", ".txt", ".text", ".html", ".htm", ".docx"})

_HEAD_BYTES = 4096
_XML_START = re.compile(rb"^\s*(<\?xml|<!DOCTYPE\s+(?!html)|<[A-Za-z_][\w:.-]*[\s>/])", re.I)
_HTML_START = re.compile(rb"^\s*(<!DOCTYPE\s+html|<html[\s>])", re.I)
#: Formex 4 (the EU Official Journal's XML): the root is an act.
_FORMEX_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
                          rb"<(?:ACT|CONS\.ACT)[\s>]", re.S)
#: EUR-Lex pages carry long heads; their class names show within this many bytes.
_EURLEX_BYTES = 256 * 1024


def _eurlex(path: Path) -> bool:
    from tradelens.text.eurlex_html_reader import looks_like_eurlex

    with path.open("rb") as handle:
        return looks_like_eurlex(handle.read(_EURLEX_BYTES))


def sniff_format(path: Path) -> str:
    """Return one of 'pdf', 'docx', 'xml', 'formex', 'html', 'eurlex-html', 'text' or raise
    InputError."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not head.strip():
        raise InputError(path, "the file is empty")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    # Container formats have magic bytes; a '.docx' or '.pdf' without them is mislabelled
    # or truncated, and reading it as text would score garbage.
    suffix = path.suffix.lower()
    if suffix in (".docx", ".pdf"):
        raise InputError(path, f"named {suffix} but is not a "
                               f"{'Word (zip) document' if suffix == '.docx' else 'PDF'}")
    head = head.removeprefix(b"\xef\xbb\xbf")
    wide = utf16_encoding(head)
    if wide:  # judge the characters, not the zero bytes of UTF-16
        head = head[:len(head) // 2 * 2].decode(wide, "replace").lstrip("\ufeff").encode()
    if _HTML_START.match(head):
        return "eurlex-html" if _eurlex(path) else "html"
    if _XML_START.match(head):
        return "formex" if _FORMEX_ROOT.search(head) else "xml"
    if _looks_like_text(head):
        return "text"
    raise InputError(path, "binary content that is not PDF, DOCX, XML, HTML or text")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"damaged zip archive ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    raise InputError(path, "a zip archive that is not a Word (DOCX) document")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the buffer end is still text.
        try:
            decoded = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            decoded = head.decode("latin-1")
    # White space of any kind (no-break spaces too) and format characters (soft hyphens,
    # zero-width spaces) print nothing but are text.
    printable = sum(ch.isprintable() or ch.isspace() or unicodedata.category(ch) == "Cf"
                    for ch in decoded)
    return printable / max(1, len(decoded)) > 0.95
