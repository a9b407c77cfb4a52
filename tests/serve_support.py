"""Shared set-up for the `tradelens serve` tests: a workspace built by the real CLI from
the sample corpus without the draft (so that the draft is new to it), and helpers to read
the CSRF token and count what the store holds."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

DRAFT = SAMPLES / "draft_digital_chapter.txt"
#: Small, so that over-size uploads are cheap to build.
LIMIT = 256 * 1024


@pytest.fixture(scope="session")
def serve_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    files = sorted(p for p in SAMPLES.iterdir()
                   if p.suffix in (".txt", ".xml", ".pdf") and p != DRAFT)
    result = run_cli("analyse", *map(str, files), "--out", str(base / "out"),
                     "--store", str(base / "store"), "--format", "json", "--quiet",
                     "--workers", "1")
    assert result.exit_code == 0, result.output
    return base / "store"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def store_counts(store: Path) -> dict[str, int]:
    """Rows per table of the workspace database (read-only connection)."""
    db = sqlite3.connect(f"{(store / 'tradelens.sqlite').resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("agreements", "clauses", "findings", "embeddings")}
    finally:
        db.close()
