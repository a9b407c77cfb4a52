"""An agreement published as several files, read as ONE Document through a manifest.

Official sources publish an agreement as a main text, annexes, schedules and side letters,
each its own file. Analysed one by one, a side letter that exempts a Party from the
localisation ban never reaches the rule it changes. A small manifest, `agreement.yaml`
(or a folder holding one), lists the files in order with their role:

    id: pacific_rim_digital_partnership
    title: Pacific Rim Digital Partnership
    parties: [Aurelia, Borealis, Coralia]
    date_signed: 2017-03-08
    files:
      - {path: main.pdf, role: main}
      - {path: letters/coralia.docx, role: side_letter, title: Side letter on data}

Every file is read by its own reader; each file after the first opens a new division
headed by its role and title, and every block keeps its file, its role and its page. A
manifest is hostile input like any file: bounded size, no YAML anchors, validated against
`tradelens/schemas/manifest.schema.json`, paths relative and inside the manifest's folder
(no absolute paths, no '..', no symlink out), each file at most once, no manifest listing
another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from tradelens.errors import InputError
from tradelens.models import Block, Document
from tradelens.text.metadata import slugify
from tradelens.text.options import DEFAULT_OPTIONS, ReaderOptions

MANIFEST_NAME = "agreement.yaml"
MANIFEST_SUFFIXES = (".yaml", ".yml")
MAX_MANIFEST_BYTES = 64 * 1024
#: The files of one agreement together (the readers bound each file too).
MAX_TOTAL_BYTES = 500 * 1024 * 1024
ROLE_HEADINGS = {"annex": "Annex", "side_letter": "Side letter", "schedule": "Schedule",
                 "main": "Main text"}
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][A-Za-z0-9_-]")


def manifest_path(path: Path) -> Path | None:
    """The manifest `path` stands for: itself (a .yaml file) or a folder's agreement.yaml."""
    if path.is_dir():
        candidate = path / MANIFEST_NAME
        return candidate if candidate.is_file() else None
    if path.suffix.lower() in MANIFEST_SUFFIXES:
        return path
    return None


def load_manifest(path: Path) -> dict[str, Any]:
    """The validated manifest, or an InputError naming it and the reason."""
    import yaml

    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise InputError(path, f"manifest larger than {MAX_MANIFEST_BYTES // 1024} KB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "manifest is not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(path, f"manifest cannot be read ({exc.strerror or exc})") from exc
    if _ANCHOR.search(text):
        raise InputError(path, "manifest uses YAML anchors or aliases, which are not allowed")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(path, f"manifest is not valid YAML{where}") from exc
    data = _plain(data)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.path) or "top level"
        raise InputError(path, f"invalid manifest at {where}: {error.message[:150]}")
    if data["files"][0]["role"] != "main":
        raise InputError(path, "invalid manifest: the first file must have role 'main'")
    return data


def _plain(value: Any) -> Any:
    """YAML dates (an unquoted 2017-03-08) as ISO strings, the rest unchanged."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _validator():  # noqa: ANN202 - a jsonschema validator, built once
    import jsonschema

    schema_file = Path(__file__).resolve().parents[1] / "schemas" / "manifest.schema.json"
    return jsonschema.Draft202012Validator(json.loads(schema_file.read_text()))


def member_files(path: Path, data: dict[str, Any]) -> list[tuple[Path, str, str, str | None]]:
    """(file, path as written, role, title) for each listed file, checked to stay inside
    the manifest's folder."""
    folder = path.parent.resolve()
    seen: set[Path] = set()
    total = 0
    members = []
    for entry in data["files"]:
        written = entry["path"]
        relative = Path(written)
        if relative.is_absolute() or written.startswith(("/", "\\")) \
                or re.match(r"^[A-Za-z]:", written):
            raise InputError(path, f"manifest file '{written}' is an absolute path")
        if ".." in relative.parts or "\\" in written:
            raise InputError(path, f"manifest file '{written}' leaves the manifest's folder")
        resolved = (folder / relative).resolve()
        if not resolved.is_relative_to(folder):
            raise InputError(path, f"manifest file '{written}' leaves the manifest's folder")
        if not resolved.is_file():
            raise InputError(path, f"manifest file '{written}' does not exist")
        if resolved.suffix.lower() in MANIFEST_SUFFIXES:
            raise InputError(path, f"manifest file '{written}' is itself a manifest")
        if resolved in seen:
            raise InputError(path, f"manifest lists '{written}' twice")
        seen.add(resolved)
        total += resolved.stat().st_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(path, f"manifest files exceed {MAX_TOTAL_BYTES // 2**20} MB together")
        members.append((resolved, written, entry["role"], entry.get("title")))
    return members


def manifest_sha256(path: Path) -> str:
    """One hash over the manifest and every file it lists, so a stored report is reused
    only when none of them changed."""
    manifest = manifest_path(path)
    assert manifest is not None
    data = load_manifest(manifest)
    digest = hashlib.sha256(manifest.read_bytes())
    for file, written, _, _ in member_files(manifest, data):
        digest.update(written.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def read_manifest(path: Path, options: ReaderOptions = DEFAULT_OPTIONS) -> Document:
    """Read every file the manifest lists into one Document."""
    from tradelens.text import read_document

    manifest = manifest_path(path)
    if manifest is None:
        raise InputError(path, f"no {MANIFEST_NAME} in this folder")
    data = load_manifest(manifest)
    members = member_files(manifest, data)
    documents = []
    for file, written, role, title in members:
        try:
            document = read_document(file, options)
        except InputError as error:
            raise InputError(manifest, f"{written}: {error.reason}") from error
        if any(block.kind != "line" for block in document.blocks):
            raise InputError(manifest, f"{written}: structured XML cannot be combined with "
                                       "other files yet; list text, PDF, Word or HTML files")
        documents.append((document, written, role, title))
    blocks: list[Block] = []
    for n, (document, written, role, title) in enumerate(documents):
        if n:
            # Each further file is a division of its own, so its articles never join the
            # previous file's last article and its locations name it.
            heading = f"{ROLE_HEADINGS[role]}: {title or document.title or written}"
            blocks.append(Block(kind="line", text=heading, heading_level=1, file=written,
                                file_role=role))
        for block in document.blocks:
            block.file, block.file_role = written, role
            blocks.append(block)
    main = documents[0][0]
    agreement_id = slugify(str(data["id"])) if data.get("id") else slugify(
        manifest.parent.name if manifest.name == MANIFEST_NAME else manifest.stem)
    return Document(
        agreement_id=agreement_id, source=str(manifest), format="manifest", blocks=blocks,
        title=data.get("title") or main.title, language=data.get("language") or main.language,
        date_signed=data.get("date_signed") or main.date_signed,
        parties=data.get("parties") or main.parties,
        pages=sum(d.pages or 0 for d, _, _, _ in documents) or None,
    )
