"""Workspace integrity: the clause index is derived state checked against the store's
generation and repaired by the commands that read it; a damaged database or a read-only
folder is one line, never a traceback; `tradelens doctor` checks and repairs."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.agreement_maker import write_agreement
from tests.conftest import ROOT, run_cli
from tradelens.workspace.store import DATABASE_FILE, Store

INDEX_FILE, META_FILE = "clauses.faiss", "clauses.faiss.json"

QUERY = "each Party shall allow the cross-border transfer of information"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace of three small agreements, analysed once; tests work on copies."""
    root = tmp_path_factory.mktemp("base")
    for n in range(3):
        write_agreement(root / "in" / f"agreement_{n}.txt", n)
    result = run_cli("analyse", str(root / "in"), "--out", str(root / "out"), "--store",
                     str(root / "store"), "--format", "json", "--workers", "1", "--quiet")
    assert result.exit_code == 0, result.output
    return root


def _copy(base: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(base / "store", store)
    return store


def read_facts(store: Path) -> dict:
    return json.loads((store / META_FILE).read_text())


def _clause_count(store: Path) -> int:
    with sqlite3.connect(store / DATABASE_FILE) as db:
        return db.execute("SELECT count(*) FROM clauses").fetchone()[0]


def _search(store: Path, *extra: str):  # noqa: ANN202 - a click Result
    return run_cli("search", QUERY, "-k", "50", "--store", str(store), "--format", "json",
                   *extra)


def test_every_save_and_delete_bumps_the_generation_the_index_records(base, tmp_path):
    store_dir = _copy(base, tmp_path)
    store = Store(store_dir)
    try:
        first = store.generation()
        assert first == 3  # three agreements saved, one transaction each
        assert read_facts(store_dir)["generation"] == first
        assert store.delete_agreement("agreement_0")
        assert store.generation() == first + 1
        assert not store.delete_agreement("agreement_0")
        assert store.generation() == first + 1
    finally:
        store.close()


def test_search_rebuilds_a_stale_index_with_one_notice(base, tmp_path):
    store = _copy(base, tmp_path)
    old = {name: (store / name).read_bytes() for name in (INDEX_FILE, META_FILE)}
    extra = write_agreement(tmp_path / "in" / "agreement_9.txt", 9)
    result = run_cli("analyse", str(extra), "--out", str(tmp_path / "out"), "--store",
                     str(store), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    for name, data in old.items():  # the index of before: what a lost rebuild leaves
        (store / name).write_bytes(data)
    result = _search(store)
    assert result.exit_code == 0, result.output
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and "stale" in notes[0] and str(store) in notes[0], result.stderr
    hits = json.loads(result.stdout)
    assert "agreement_9" in {h["agreement_id"] for h in hits}
    facts = read_facts(store)
    assert facts["vectors"] == _clause_count(store)
    again = _search(store)
    assert again.exit_code == 0 and again.stderr == ""  # repaired once, for good


def _truncate(store: Path) -> None:
    data = (store / INDEX_FILE).read_bytes()
    (store / INDEX_FILE).write_bytes(data[: len(data) // 2])


def _garble_index(store: Path) -> None:
    size = (store / INDEX_FILE).stat().st_size
    (store / INDEX_FILE).write_bytes(b"\x00not faiss\x00" * (size // 11) + b"x" * (size % 11))


DAMAGE = {
    "index file deleted": lambda s: (s / INDEX_FILE).unlink(),
    "facts file deleted": lambda s: (s / META_FILE).unlink(),
    "index truncated": _truncate,
    "index unreadable, same size": _garble_index,
    "facts not JSON": lambda s: (s / META_FILE).write_text("{not json"),
    "facts unreadable bytes": lambda s: (s / META_FILE).write_bytes(b"\xff\xfe\x00"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_search_and_lineage_repair_a_damaged_index(base, tmp_path, damage):
    store = _copy(base, tmp_path)
    DAMAGE[damage](store)
    result = _search(store)
    assert result.exit_code == 0, result.output
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: ") and "rebuilt" in notes[0]
    hits = json.loads(result.stdout)
    assert {h["agreement_id"] for h in hits} == {f"agreement_{n}" for n in range(3)}
    assert read_facts(store)["vectors"] == _clause_count(store)
    DAMAGE[damage](store)
    result = run_cli("lineage", "agreement_2:art2.2:p1", "--store", str(store), "--format",
                     "json")
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.stderr


def test_the_python_workspace_api_repairs_too(base, tmp_path, capsys):
    from tradelens.workspace import open_workspace

    store = _copy(base, tmp_path)
    _truncate(store)
    with open_workspace(store) as workspace:
        hits = workspace.similar_clauses(QUERY, k=3)
    assert len(hits) == 3
    assert "truncated" in capsys.readouterr().err


def _corrupt_database(store: Path) -> None:
    size = (store / DATABASE_FILE).stat().st_size
    (store / DATABASE_FILE).write_bytes(b"this is not a database, just bytes. " * (size // 36))


def _truncate_database(store: Path) -> None:
    path = store / DATABASE_FILE
    with sqlite3.connect(path) as db:  # fold the WAL in, so the cut hits real pages
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [_corrupt_database, _truncate_database])
def test_a_damaged_database_is_one_line_with_the_recovery_command(base, tmp_path, damage):
    store = _copy(base, tmp_path)
    damage(store)
    extra = write_agreement(tmp_path / "new.txt", 7)
    for args in (["search", QUERY], ["lineage", "agreement_1:art2.2:p1"],
                 ["compare", "agreement_0", "agreement_1"],
                 ["analyse", str(extra), "--out", str(tmp_path / "out"), "--quiet"]):
        result = run_cli(*args, "--store", str(store))
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2, (args, result.output)
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert str(store) in lines[0] and "tradelens doctor" in lines[0], lines[0]
    result = run_cli("doctor", "--store", str(store), "--repair")
    assert result.exit_code == 1
    assert "cannot be repaired" in result.stdout or "cannot be read" in result.stdout


def test_doctor_finds_and_repairs(base, tmp_path):
    store = _copy(base, tmp_path)
    healthy = run_cli("doctor", "--store", str(store))
    assert healthy.exit_code == 0, healthy.output
    assert healthy.stdout.strip().endswith("healthy")
    _truncate(store)
    with sqlite3.connect(store / DATABASE_FILE) as db:  # rows a foreign-key-less writer left
        db.execute("INSERT INTO clauses (clause_id, agreement_id, location, text, text_hash) "
                   "VALUES ('ghost:a1:p1', 'ghost', 'nowhere', 'text', 'h')")
        db.execute("INSERT INTO findings (agreement_id, clause_id, category, strength, "
                   "confidence) VALUES ('ghost', 'ghost:a1:p1', 'data_free_flow', 'hard', 1)")
    found = run_cli("doctor", "--store", str(store))
    assert found.exit_code == 1
    assert "PROBLEM   orphan rows: 1 clauses without an agreement" in found.stdout
    assert "PROBLEM   clause index" in found.stdout and "truncated" in found.stdout
    repaired = run_cli("doctor", "--store", str(store), "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "REPAIRED  orphan rows" in repaired.stdout
    assert "REPAIRED  clause index" in repaired.stdout
    assert _clause_count(store) == read_facts(store)["vectors"]
    assert run_cli("doctor", "--store", str(store)).exit_code == 0
    # a flipped byte in the index body keeps its size: only the hash tells
    data = bytearray((store / INDEX_FILE).read_bytes())
    data[-100] ^= 0xFF
    (store / INDEX_FILE).write_bytes(bytes(data))
    flipped = run_cli("doctor", "--store", str(store))
    assert flipped.exit_code == 1 and "SHA-256" in flipped.stdout


def test_compare_that_stores_new_agreements_brings_the_index_up_to_date(base, tmp_path):
    store = _copy(base, tmp_path)
    new = [write_agreement(tmp_path / f"fresh_{n}.txt", 10 + n) for n in range(2)]
    result = run_cli("compare", *map(str, new), "agreement_0", "--store", str(store))
    assert result.exit_code == 0, result.output
    facts = read_facts(store)
    with sqlite3.connect(store / DATABASE_FILE) as db:
        generation = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]
    assert facts["generation"] == generation == 5
    assert facts["vectors"] == _clause_count(store)
    hits = json.loads(_search(store).stdout)
    assert {"fresh_0", "fresh_1"} <= {h["agreement_id"] for h in hits}


def test_an_older_workspace_is_upgraded_and_its_index_rebuilt(base, tmp_path):
    store = _copy(base, tmp_path)
    with sqlite3.connect(store / DATABASE_FILE) as db:  # what schema 1 looked like
        db.execute("DROP TABLE meta")
        db.execute("PRAGMA user_version=1")
    facts = read_facts(store)
    del facts["generation"]
    (store / META_FILE).write_text(json.dumps(facts))
    result = _search(store)
    assert result.exit_code == 0, result.output
    assert "stale" in result.stderr
    assert Store(store).schema_version() == 2


# -- a read-only folder -------------------------------------------------------------------

def _as_other_user(args: list[str], cache: Path) -> subprocess.CompletedProcess:
    """Run the real CLI as a user who cannot write the store (root ignores permissions,
    so a root test run drops to `nobody`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRADELENS_CACHE": str(cache),
           "HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "tradelens.cli", *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture
def read_only_store(base):  # noqa: ANN201
    from tradelens.vectors.static import cache_directory

    top = Path(tempfile.mkdtemp(prefix="tradelens-ro-"))
    top.chmod(0o755)
    cache = top / "cache"
    shutil.copytree(cache_directory(), cache)
    store = top / "store"
    shutil.copytree(base / "store", store)
    yield store, cache
    top.chmod(0o755)
    for path in [store, *store.iterdir()]:
        path.chmod(0o755)
    shutil.rmtree(top)


def _freeze(store: Path) -> None:
    for path in store.iterdir():
        path.chmod(0o444)
    store.chmod(0o555)
    store.parent.chmod(0o555)


def test_reading_commands_work_on_a_read_only_store(read_only_store, tmp_path):
    store, cache = read_only_store
    for path in cache.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (store / META_FILE).write_text(json.dumps({**read_facts(store), "generation": 1}))
    extra = write_agreement(store.parent / "in" / "extra.txt", 5)
    before = sorted(p.name for p in store.iterdir())
    _freeze(store)
    try:
        result = _as_other_user(["search", QUERY, "--store", str(store), "--format", "json"],
                                cache)
        assert result.returncode == 0, result.stderr
        assert {h["agreement_id"] for h in json.loads(result.stdout)} == {
            f"agreement_{n}" for n in range(3)}
        assert "in memory only" in result.stderr and len(result.stderr.splitlines()) == 1
        result = _as_other_user(["lineage", "agreement_2:art2.2:p1", "--store", str(store)],
                                cache)
        assert result.returncode == 0, result.stderr
        result = _as_other_user(["compare", "agreement_0", "agreement_1", "--store",
                                 str(store), "--format", "json"], cache)
        assert result.returncode == 0, result.stderr
        assert [a["id"] for a in json.loads(result.stdout)["agreements"]] == [
            "agreement_0", "agreement_1"]
        out = Path(tempfile.mkdtemp(prefix="tradelens-ro-out-"))
        out.chmod(0o777)  # writable by the other user: the refusal must be the store's
        result = _as_other_user(["analyse", str(extra), "--store", str(store), "--out",
                                 str(out), "--quiet"], cache)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and "read-only" in lines[0], lines
    finally:
        store.parent.chmod(0o755)
    assert sorted(p.name for p in store.iterdir()) == before  # nothing written
