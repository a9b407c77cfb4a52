"""Crash and concurrency: the real CLI killed (SIGKILL) at each step of a batch, and four
`analyse` runs into one store and one --out at once. The next command must see every
agreement exactly once, with a clause index covering every stored clause.

The kill points come from `TRADELENS_TEST_CRASH_AT` (tradelens/crashpoints.py), read only
by that test hook."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.agreement_maker import write_agreement
from tests.conftest import ROOT, SAMPLES, run_cli

SAMPLE_FILES = ("cooperation_framework.txt", "eastern_regional_partnership.txt",
                "northern_trade_accord.xml")
QUERY = "transfer of information by electronic means"


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tradelens.cli", *args]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two samples and three generated texts; the first two files are analysed before
    each crash, so a crash lands on a workspace that already holds something."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in SAMPLE_FILES[:2]:
        shutil.copy(SAMPLES / name, folder)
    for n in range(3):
        write_agreement(folder / f"generated_{n}.txt", 20 + n)
    return folder


@pytest.fixture(scope="module")
def before_crash(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("before") / "store"
    first = [str(inputs / name) for name in SAMPLE_FILES[:2]]
    result = run_cli("analyse", *first, "--store", str(store), "--out",
                     str(store.parent / "out"), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    return store


ALL_IDS = {"cooperation_framework", "eastern_regional_partnership", "generated_0",
           "generated_1", "generated_2"}


def _stored_ids(store: Path) -> list[str]:
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        return [r[0] for r in db.execute("SELECT agreement_id FROM agreements")]


def _assert_whole(store: Path, ids: set[str]) -> None:
    """Every agreement once, every clause once, and a search over the whole index (k above
    the clause count) that returns every stored clause."""
    stored = _stored_ids(store)
    assert sorted(stored) == sorted(ids)
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        clauses, distinct = db.execute(
            "SELECT count(*), count(DISTINCT clause_id) FROM clauses").fetchone()
    assert clauses == distinct
    result = run_cli("search", QUERY, "-k", "1000", "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == clauses and len({h["clause_id"] for h in hits}) == clauses
    assert {h["agreement_id"] for h in hits} == ids


@pytest.mark.parametrize("step, stored_after, stale", [
    ("after_parse:1", 2, False),   # analysed, nothing stored yet
    ("after_store:2", 4, True),    # two new agreements stored, the index not rebuilt
    ("index_save:1", 5, True),     # the new index file in place, its facts not written
])
def test_a_batch_killed_at_each_step_loses_nothing(inputs, before_crash, tmp_path, step,
                                                   stored_after, stale):
    store = tmp_path / "store"
    shutil.copytree(before_crash, store)
    out = tmp_path / "out"
    killed = subprocess.run(
        _command("analyse", str(inputs), "--store", str(store), "--out", str(out),
                 "--format", "json", "--workers", "1", "--quiet"),
        cwd=ROOT, env=_env(TRADELENS_TEST_CRASH_AT=step), capture_output=True, text=True,
        timeout=900)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(_stored_ids(store)) == stored_after

    # the next command that reads the index repairs it, once, and sees every agreement
    search = run_cli("search", QUERY, "--store", str(store), "--format", "json")
    assert search.exit_code == 0, search.output
    assert ("stale" in search.stderr) == stale, search.stderr
    _assert_whole(store, set(_stored_ids(store)))

    again = run_cli("analyse", str(inputs), "--store", str(store), "--out", str(out),
                    "--format", "json", "--workers", "1")
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith(f"5 agreements ({stored_after} unchanged")
    _assert_whole(store, ALL_IDS)
    assert {p.stem for p in out.glob("*.json")} == ALL_IDS


def test_four_concurrent_runs_into_one_store_and_one_out_lose_nothing(inputs, tmp_path):
    extra = tmp_path / "extra"
    for n in range(3, 7):
        write_agreement(extra / f"generated_{n}.txt", 20 + n)
    shutil.copy(SAMPLES / SAMPLE_FILES[2], extra)
    sample_a, sample_b = (str(inputs / name) for name in SAMPLE_FILES[:2])
    gen = [str(inputs / f"generated_{n}.txt") for n in range(3)] + [
        str(extra / f"generated_{n}.txt") for n in range(3, 7)]
    northern = str(extra / SAMPLE_FILES[2])
    runs = [[sample_a, sample_b, gen[0], gen[1]],      # overlapping inputs on purpose
            [gen[1], gen[2], gen[3]],
            [northern, gen[3], gen[4], sample_a],
            [gen[5], gen[6], sample_b]]
    store, out = tmp_path / "store", tmp_path / "out"  # a fresh store: created concurrently
    processes = [subprocess.Popen(
        _command("analyse", *files, "--store", str(store), "--out", str(out), "--format",
                 "json,csv,md,html", "--workers", "1", "--quiet"),
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for files in runs]
    outputs = [p.communicate(timeout=1800) for p in processes]
    for process, (_stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "locked" not in stderr, stderr

    ids = {Path(f).stem for files in runs for f in files}
    _assert_whole(store, ids)
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        stored = {i: json.loads(r) for i, r in db.execute(
            "SELECT agreement_id, report FROM agreements")}
    # every report file is whole JSON and says what the store says
    assert {p.stem for p in out.glob("*.json")} == ids
    for path in out.glob("*.json"):
        report = json.loads(path.read_text())
        kept = stored[path.stem]
        assert report["categories"] == kept["categories"]
        assert report["policy_space"] == kept["policy_space"]
    # the batch tables describe one whole run (the last to finish), consistent with the store
    with (out / "agreements.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    in_csv = {row["agreement_id"] for row in rows}
    assert in_csv in [{Path(f).stem for f in files} for files in runs]
    for row in rows:
        assert float(row["score"]) == stored[row["agreement_id"]]["policy_space"]["score"]
    index_md = (out / "index.md").read_text()
    assert all(f"({i}.md)" in index_md for i in in_csv)
    assert not any(f"({i}.md)" in index_md for i in ids - in_csv)
    index_html = (out / "index.html").read_text()
    assert all(f'href="{i}.html"' in index_html for i in in_csv)
    assert {p.stem for p in out.glob("*.html")} - {"index", "methodology"} == ids
