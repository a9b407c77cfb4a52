"""Agreement identity and header metadata shared by the readers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z \-]{1,30}):\s*(.+?)\s*$")
_HEADER_KEYS = {
    "id": "agreement_id",
    "agreement id": "agreement_id",
    "title": "title",
    "parties": "parties",
    "date signed": "date_signed",
    "signed": "date_signed",
    "date into force": "date_into_force",
    "entry into force": "date_into_force",
    "in force": "date_into_force",
    "language": "language",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def slugify(value: str) -> str:
    """Lower-case ASCII slug: the agreement id used for report file names."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return slug or "agreement"


def default_agreement_id(path: Path) -> str:
    return slugify(path.stem)


def apply_properties(document: Any, keywords: str) -> None:
    """Parties and dates from a document property (DOCX core `keywords`) written like a
    header, `Parties: Chile, Peru | Date signed: 2019-03-01`; the body's header wins."""
    meta, _ = parse_header([part.strip() for part in keywords.split("|") if part.strip()])
    for key in ("parties", "date_signed", "date_into_force"):
        if meta.get(key) and not getattr(document, key, None):
            setattr(document, key, meta[key])


def parse_header(lines: list[str]) -> tuple[dict[str, object], int]:
    """Read a `Key: value` header block at the top of a text or PDF document.

    Returns the metadata found and how many lines it used. Only recognised keys count,
    and the block ends at the first line that is not one, so body text is never eaten.
    """
    meta: dict[str, object] = {}
    used = 0
    for line in lines:
        if not line.strip():
            if meta:
                used += 1
                break
            used += 1
            continue
        match = _HEADER_LINE.match(line)
        key = _HEADER_KEYS.get(match.group(1).strip().lower()) if match else None
        if not key:
            break
        value = match.group(2)
        if key == "parties":
            meta[key] = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
        elif key in ("date_signed", "date_into_force") and not _ISO_DATE.match(value):
            meta[key] = None
        else:
            meta[key] = value
        used += 1
    return (meta, used) if meta else ({}, 0)
