"""Plain-text agreements, with an optional `Key: value` metadata header."""

from __future__ import annotations

from pathlib import Path

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.hyphenation import join_hyphenated
from tradelens.text.limits import check_characters
from tradelens.text.metadata import default_agreement_id, document_title, parse_header


def utf16_encoding(data: bytes) -> str | None:
    """'utf-16' when the bytes carry a UTF-16 byte-order mark, 'utf-16-le'/'-be' when
    they look like BOM-less UTF-16 (a zero byte in most odd or even places, as Latin
    script gives), else None. Word's "Unicode text" export is UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    if head[1::2].count(0) > 0.6 * pairs and head[0::2].count(0) < 0.1 * pairs:
        return "utf-16-le"
    if head[0::2].count(0) > 0.6 * pairs and head[1::2].count(0) < 0.1 * pairs:
        return "utf-16-be"
    return None


def decode_text(path: Path, data: bytes) -> str:
    """UTF-16 when marked or evident, else UTF-8 first (with or without BOM), then
    Windows-1252, the encodings seen in practice."""
    wide = utf16_encoding(data)
    if wide:
        try:
            return data.decode(wide).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"damaged UTF-16 text ({exc.reason})") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "text in an unknown encoding (expected UTF-8 or Windows-1252)")


def document_from_blocks(path: Path, fmt: str, blocks: list[Block],
                         pages: int | None = None) -> Document:
    """Build a line-block Document, honouring a metadata header on the first lines."""
    header, used = parse_header([block.text for block in blocks[:20]])
    body = blocks[used:]
    if not any(block.text.strip() for block in body):
        raise InputError(path, "no text to analyse")
    first_line = document_title([b.text for b in body[:40]])
    return Document(
        agreement_id=default_agreement_id(path, str(header.get("agreement_id") or "")),
        source=str(path),
        format=fmt,
        blocks=body,
        title=header.get("title") or first_line,  # type: ignore[arg-type]
        language=header.get("language"),  # type: ignore[arg-type]
        date_signed=header.get("date_signed"),  # type: ignore[arg-type]
        parties=header.get("parties") or [],  # type: ignore[arg-type]
        date_into_force=header.get("date_into_force"),  # type: ignore[arg-type]
        pages=pages,
    )


def read_text(path: Path) -> Document:
    from tradelens.text.endnotes import link_text_endnotes

    text = decode_text(path, path.read_bytes())
    check_characters(path, len(text))  # before a Block per line multiplies the cost
    blocks = [Block(kind="line", text=line) for line in text.splitlines()]
    return document_from_blocks(path, "text", join_hyphenated(link_text_endnotes(blocks)))
