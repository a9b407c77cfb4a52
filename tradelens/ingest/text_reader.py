"""Plain-text agreements, with an optional `Key: value` metadata header."""

from __future__ import annotations

from pathlib import Path

from tradelens.errors import InputError
from tradelens.ingest.metadata import default_agreement_id, parse_header, slugify
from tradelens.models import Block, Document


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 first (with or without BOM), then Windows-1252, the two encodings seen in practice."""
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
    first_line = next((b.text.strip() for b in body if b.text.strip()), None)
    return Document(
        agreement_id=(slugify(str(header["agreement_id"])) if header.get("agreement_id")
                      else default_agreement_id(path)),
        source=str(path),
        format=fmt,
        blocks=body,
        title=header.get("title") or first_line,  # type: ignore[arg-type]
        language=header.get("language"),  # type: ignore[arg-type]
        date_signed=header.get("date_signed"),  # type: ignore[arg-type]
        parties=header.get("parties") or [],  # type: ignore[arg-type]
        pages=pages,
    )


def read_text(path: Path) -> Document:
    from tradelens.ingest.endnotes import link_text_endnotes

    text = decode_text(path, path.read_bytes())
    blocks = [Block(kind="line", text=line) for line in text.splitlines()]
    return document_from_blocks(path, "text", link_text_endnotes(blocks))
