"""Corpus scale: the first pass, the embedding cache, resumable and parallel batches, the
approximate index, search and lineage. Counts and equalities, never timings: speed is
measured by bench/bench_corpus.py."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, SAMPLES, run_cli
from tradelens.batch import make_executor
from tradelens.session import Session
from tradelens.text import read_document
from tradelens.text.segment import segment
from tradelens.vectors.encoder import text_hash
from tradelens.vectors.faiss_index import build_index, recall_at

SMALL_TOTA = ("pta_425", "pta_300", "pta_1", "pta_100", "pta_10", "pta_101")


def _stable(report: dict) -> dict:
    """A report without the fields that legitimately differ between two runs."""
    copy = json.loads(json.dumps(report))
    copy["stats"].pop("seconds")
    copy["agreement"].pop("source")
    return copy


def test_first_pass_embeds_only_candidates_and_the_cache_skips_the_rest(tmp_path, tota_dir,
                                                                        monkeypatch):
    # every candidate read fully: what the topic screen saves is tests/test_topic_screen.py's
    monkeypatch.setenv("TRADELENS_TOPIC_SCREEN", "off")
    path = tota_dir / "pta_425.xml"
    session = Session(tmp_path / "store")
    pipeline = session.pipeline
    pipeline.prepare()  # exemplar vectors, so the count below is the clauses' own
    pipeline.encoder.encoded = 0
    run = pipeline.analyse(path)
    # what the first pass keeps: by words, or by meaning (the static vectors)
    candidates = (pipeline.classifier.first_pass(run.clauses, run.document.language)
                  | pipeline.semantic_candidates(run.clauses, run.hashes, run.document.language))
    distinct = {h for h, keep in zip(run.hashes, candidates, strict=True) if keep}
    encoded = pipeline.encoder.encoded
    # and the sentences of long candidate paragraphs read at the sentence grain (their
    # vectors are cached now, so asking again embeds nothing)
    language = run.document.language
    reading = pipeline.read_sentences(
        pipeline.chosen_sentences(run.clauses, candidates, language), language)
    assert pipeline.encoder.encoded == encoded
    sentences = {text_hash(t) for t in reading.texts} if reading else set()
    assert encoded == len(distinct | sentences)
    assert 0 < len(distinct) < len(run.clauses) / 2
    finding_rows = {f.clause.clause_id for f in run.classification.findings}
    kept = {c.clause_id for c, keep in zip(run.clauses, candidates, strict=True) if keep}
    assert finding_rows and finding_rows <= kept
    session.analyse_paths([path], tmp_path / "out", ["json"], progress=False)
    session.close()

    again = Session(tmp_path / "store")
    result = again.analyse_paths([path], tmp_path / "out2", ["json"], force=True,
                                 progress=False)
    assert result.from_store == 0 and len(result.reports) == 1
    # all from the cache
    assert again.pipeline.encoder.encoded == 0 and again.pipeline.static.encoded == 0
    again.close()


def test_a_killed_batch_resumes_without_duplicates(tmp_path, tota_dir):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in SMALL_TOTA:
        shutil.copy(tota_dir / f"{name}.xml", batch)
    for sample in ("cooperation_framework.txt", "eastern_regional_partnership.txt"):
        shutil.copy(SAMPLES / sample, batch)
    store, out = tmp_path / "store", tmp_path / "out"
    command = [sys.executable, "-m", "tradelens.cli", "analyse", str(batch), "--out", str(out),
               "--store", str(store), "--format", "json", "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(store / "tradelens.sqlite") as db:
                stored = db.execute("SELECT count(*) FROM agreements").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 2:
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the batch finished before it was killed"
    assert 2 <= stored < len(SMALL_TOTA) + 2

    result = run_cli("analyse", str(batch), "--out", str(out), "--store", str(store),
                     "--format", "json", "--workers", "1")
    assert result.exit_code == 0, result.output
    total = len(SMALL_TOTA) + 2
    first = result.output.splitlines()[0]
    unchanged = int(first.split("(")[1].split()[0])
    assert first.startswith(f"{total} agreements") and unchanged >= stored
    reports = [json.loads(p.read_text()) for p in out.glob("*.json")]
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        agreements = db.execute("SELECT count(*) FROM agreements").fetchone()[0]
        clauses, distinct = db.execute(
            "SELECT count(*), count(DISTINCT clause_id) FROM clauses").fetchone()
        findings = db.execute("SELECT count(*) FROM findings").fetchone()[0]
    assert agreements == total == len(reports)
    assert clauses == distinct == sum(r["stats"]["clauses"] for r in reports)
    assert findings == sum(len(b["findings"]) for r in reports for b in r["categories"].values())


def test_a_process_pool_gives_the_same_reports_as_one_process(tmp_path, tota_dir):
    files = [tota_dir / f"{name}.xml" for name in SMALL_TOTA[:4]]
    serial = Session(tmp_path / "serial")
    one = serial.analyse_paths(files, tmp_path / "out1", ["json"], progress=False)
    serial.close()
    pooled = Session(tmp_path / "pooled")
    executor = make_executor(2)
    try:
        two = pooled.analyse_paths(files, tmp_path / "out2", ["json"], progress=False,
                                   executor=executor)
    finally:
        executor.shutdown()
    counts = pooled.store.agreement_count(), pooled.store.clause_count()
    pooled.close()
    assert [r["agreement"]["id"] for r in two.reports] == [r["agreement"]["id"]
                                                           for r in one.reports]
    assert [_stable(r) for r in two.reports] == [_stable(r) for r in one.reports]
    assert counts == (len(files), one.clauses)
    assert two.indexed == one.indexed == one.clauses


@pytest.fixture(scope="module")
def corpus_vectors(tota_dir) -> np.ndarray:
    """First-pass vectors of every clause of 40 real ToTA agreements (no workspace needed)."""
    from tradelens.vectors.sentence import SentenceEncoder
    from tradelens.vectors.static import StaticEncoder

    static = StaticEncoder(SentenceEncoder())
    texts = [c.text for path in sorted(tota_dir.glob("pta_4*.xml"))[:40]
             for c in segment(read_document(path))]
    return static.encode(texts)


def test_the_approximate_index_finds_what_exact_search_finds(corpus_vectors):
    import faiss

    vectors = corpus_vectors
    assert len(vectors) > 5000
    ids = np.arange(len(vectors), dtype=np.int64)
    index, facts = build_index(ids, vectors, kind="ivf")
    assert facts["kind"] == "ivf" and 1 <= facts["nprobe"] <= facts["lists"]
    assert facts["recall_at_10"] >= 0.95
    # measured again on queries that are not in the index: perturbed clause vectors
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    rng = np.random.default_rng(7)
    queries = vectors[rng.choice(len(vectors), 200, replace=False)]
    queries = queries + rng.normal(0, 0.02, queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    assert recall_at(index, exact, queries) >= 0.95
    flat, flat_facts = build_index(ids, vectors, kind="auto")
    assert flat_facts["kind"] == "flat" and recall_at(flat, exact, queries) == 1.0


def _search(store: Path, *args: str) -> list[dict]:
    result = run_cli("search", *args, "--store", str(store), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_finds_similar_clauses_with_filters(samples_run):
    store = samples_run[2]
    hits = _search(store, "No Party shall require a covered person to use or locate "
                          "computing facilities in its territory", "-k", "3")
    assert len(hits) == 3 and "server_location" in hits[0]["categories"]
    assert hits[0]["similarity"] >= hits[1]["similarity"] >= hits[2]["similarity"]
    coded = _search(store, "source code of software", "--category", "source_code_secrecy")
    assert coded and all("source_code_secrecy" in h["categories"] for h in coded)
    recent = _search(store, "cross-border transfer of information", "--year-from", "2019")
    assert recent and all(h["date_signed"] >= "2019" for h in recent)
    by_id = _search(store, "northern_trade_accord:as2-1912:p0", "-k", "2")
    assert "northern_trade_accord:as2-1912:p0" not in [h["clause_id"] for h in by_id]
    assert by_id[0]["similarity"] > 0.95  # the same sentence in another sample


def test_search_errors_are_one_line(samples_run, tmp_path):
    result = run_cli("search", "nope:no:such", "--store", str(samples_run[2]))
    assert result.exit_code == 1 and "is not in the workspace" in result.output
    result = run_cli("search", "anything", "--store", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "no TradeLens workspace here" in result.output
    assert result.stderr.strip().count("\n") == 0


def test_lineage_follows_wording_back_to_older_agreements(samples_run):
    result = run_cli("lineage", "northern_trade_accord:as2-1912:p0", "--store",
                     str(samples_run[2]), "--format", "json")
    assert result.exit_code == 0, result.output
    chain = json.loads(result.stdout)["chain"]
    ids = [step["clause_id"] for step in chain]
    # the same localisation ban was signed first by the CPTPP-style sample (2017); the
    # RCEP-style sample (2020) is younger, so it is not an ancestor
    assert ids[0] == "pacific_rim_digital_partnership:art8.5:p2"
    assert ids[-1] == "northern_trade_accord:as2-1912:p0"
    assert not any(i.startswith("eastern_regional_partnership") for i in ids)
    dates = [step["date_signed"] for step in chain]
    assert dates == sorted(dates)
    assert all(step["similarity"] >= 0.9 for step in chain)
    assert chain[0]["to_next"] is not None and chain[-1]["to_next"] is None
