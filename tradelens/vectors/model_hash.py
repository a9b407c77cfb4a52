"""The model file's SHA-256, remembered per machine while the file is unchanged.

Every process that builds the sentence encoder hashes its weights (90 MB for the default
model) to check them against the pinned hash and to name them in each report's
provenance: a sixth of a second of a small draft's cold run, in every batch worker too.
The digest is kept in the user cache under a key made of the file's path, size,
modification and change times, inode and device, so any write to the file (which moves
its change time, a time no user-level call can set back) hashes it again. Whoever can
write the user cache could already replace the ONNX export and the static table kept
there, so this trusts nothing new. Off with the other speed-ups (`tradelens/speedups.py`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path

from tradelens import speedups
from tradelens.fileio import file_sha256, write_atomically
from tradelens.vectors.user_cache import cache_directory

_DIGEST = re.compile(r"[0-9a-f]{64}")


def _record(path: Path, directory: Path | None) -> Path:
    facts = path.resolve().stat()
    key = (f"{path.resolve()}|{facts.st_size}|{facts.st_mtime_ns}|{facts.st_ctime_ns}|"
           f"{facts.st_ino}|{facts.st_dev}")
    name = f"file-sha256-{hashlib.sha256(key.encode()).hexdigest()[:24]}.txt"
    return (directory or cache_directory()) / name


def model_sha256(path: Path, directory: Path | None = None) -> str:
    """`file_sha256(path)`, from the user cache when this very file was hashed before."""
    if not speedups.enabled():
        return file_sha256(path)
    record = _record(path, directory)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        kept = record.read_text(encoding="ascii").strip()
        if _DIGEST.fullmatch(kept):
            return kept
    digest = file_sha256(path)
    with contextlib.suppress(OSError):  # a read-only cache only costs the next run a hash
        record.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(record, digest + "\n")
    return digest
