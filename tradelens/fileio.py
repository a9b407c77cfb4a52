"""Small file helpers every stage shares: atomic writes and content hashes.

A report, an index or a model table is either wholly there or not at all: each is written
to a temporary file beside its target and renamed over it, so a reader (or a crash) never
sees half a file. Writers of files that belong together (an index and its facts, a batch's
tables) hold a lock on their folder, so two processes never interleave them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed over `path` when the block
    ends without an error, removed otherwise."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def locked_folder(directory: Path) -> Iterator[None]:
    """An exclusive lock (flock) on a folder itself, between processes: no lock file is
    left behind. Where flock is unavailable the block runs unlocked (renames stay atomic)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def cached_file(path: Path) -> bool:
    """Whether a file of the user cache is there; False, not an error, where its folder
    cannot even be searched (the cache is then treated as empty and nothing is written)."""
    try:
        return path.is_file()
    except OSError:
        return False


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` through a temporary file and a rename."""
    with atomic_path(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
