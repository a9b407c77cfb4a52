"""Agreement identity and header metadata shared by the readers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from tradelens.fileio import file_sha256
from tradelens.text.parties import split_names

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


#: Ids name report files (`<id>.json`, and a temporary `.<id>.json.<pid>.tmp` beside
#: it), and file systems cap a name at 255 bytes: longer ids are cut and given a hash.
MAX_ID_LENGTH = 96


def _slug(value: str) -> str:
    """Lower-case ASCII slug; a slug longer than MAX_ID_LENGTH keeps its start and a short
    hash of the whole, so it stays unique. Empty when nothing Latin is left."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    if len(slug) > MAX_ID_LENGTH:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
        slug = f"{slug[:MAX_ID_LENGTH - 11].rstrip('_')}_{digest}"
    return slug


def slugify(value: str) -> str:
    """Lower-case ASCII slug: the agreement id used for report file names."""
    return _slug(value) or "agreement"


def default_agreement_id(path: Path, named: str | None = None) -> str:
    """The id a document gets: the slug of `named` (an `Id:` header) or of the file name;
    when neither leaves a letter or digit (a name written only in CJK or Arabic letters),
    a stable id from the file's content hash, so two such files never share an id."""
    slug = _slug(named or "") or _slug(path.stem)
    if slug:
        return slug
    return f"agreement_{file_sha256(path)[:12]}"


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
            meta[key] = split_names(value)
        elif key in ("date_signed", "date_into_force") and not _ISO_DATE.match(value):
            meta[key] = None
        else:
            meta[key] = value
        used += 1
    return (meta, used) if meta else ({}, 0)


_OWN_TITLE = re.compile(
    r"^\s*(?:(?:additional|amending|optional)\s+|(?:protocolo|protocole)\s+(?:adicional|additionnel)\s+)?"
    r"(?:protocol|protocolo|protocole|side letter|exchange of letters|memorandum of understanding)"
    r"\b", re.I)
_FIRST_HEADING = re.compile(r"^\s*(?:article|art[íi]culo|chapter|cap[íi]tulo|chapitre|part"
                            r"|partie|section|annex|anexo|annexe)\s+\S", re.I)
_TITLE_LOOKAHEAD = 8


def document_title(lines: list[str]) -> str | None:
    """The document's own title: its first line, unless a protocol (or side letter) title
    follows the parent agreement's name before the first heading. A protocol printed as
    "Agreement between A and B" / "Protocol on X to the Agreement ..." is the protocol.
    A title wrapped over lines is joined while the next line goes on with lower case or
    completes a name ("... between Ruritania and" / "Freedonia")."""
    texts = [line.strip() for line in lines if line.strip()][:_TITLE_LOOKAHEAD]
    if not texts:
        return None
    for n, text in enumerate(texts[1:], start=1):
        if _FIRST_HEADING.match(text):
            break
        if _OWN_TITLE.match(text):
            title = text
            for more in texts[n + 1:n + 3]:
                if _FIRST_HEADING.match(more) or len(more) > 80 \
                        or not (more[:1].islower() or title.split()[-1][:1].islower()):
                    break
                title = f"{title} {more}"
            return title
    return texts[0]
