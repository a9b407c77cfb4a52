"""The cold-start speed-ups (issue 19) change how the work is done, never its result:
what a small draft's CLI run imports, modality read without spaCy (tests/test_phrase_matcher.py
proves the pure-Python matcher equal to spaCy's), the
exemplar vectors and the model's hash kept per machine, the taxonomy read by libyaml, and
findings identical with every speed-up off. Module lists and equalities, never timings
(bench/bench_cold.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.conftest import ROOT, SAMPLES
from tradelens.analysis import Pipeline
from tradelens.classify import Classifier, modality
from tradelens.classify.phrases import PhraseTools
from tradelens.fileio import file_sha256
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy
from tradelens.vectors import exemplar_cache, model_hash
from tradelens.vectors.encoder import MemoryCache, text_hash
from tradelens.vectors.model_hash import model_sha256
from tradelens.vectors.sentence import SentenceEncoder

#: A goods-only draft in our own words: no clause reaches the classifier's close reading.
GOODS_DRAFT = """Id: goods_only_draft
Title: Draft Agreement on Tariff Reduction (test)
Parties: Aurelia, Estovia

Article 1: Tariff elimination
1. Each Party shall eliminate its customs duties on originating goods of the other Party
in accordance with its Schedule to Annex 1.
2. Neither Party shall increase an existing customs duty on an originating good.

Article 2: Rules of origin
A good is originating where it is wholly obtained or produced entirely in the territory of
one or both Parties.
"""

_PROBE = """
import json, sys
from tradelens.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
      ("sklearn", "scipy", "pandas", "spacy", "torch", "weasel", "typer", "httpx"))))
"""


def _cli_modules(tmp_path: Path, source: Path, env: dict | None = None) -> set[str]:
    args = ["analyse", str(source), "--out", str(tmp_path / "out"),
            "--store", str(tmp_path / "store"), "--format", "json", "--quiet"]
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_small_draft_imports_no_scikit_learn_scipy_or_pandas(tmp_path):
    modules = _cli_modules(tmp_path, SAMPLES / "cooperation_framework.txt")
    roots = {m.split(".")[0] for m in modules}
    assert not roots & {"sklearn", "scipy", "pandas", "torch"}, sorted(modules)
    # the draft has a soft data-flow finding: its modality was read without spaCy
    assert not roots & {"spacy", "weasel", "typer", "httpx"}, sorted(modules)
    report = json.loads((tmp_path / "out" / "cooperation_framework.json").read_text())
    assert report["categories"]["data_free_flow"]["status"] == "soft"


def test_a_draft_that_never_reaches_modality_never_imports_spacy(tmp_path):
    source = tmp_path / "goods_only_draft.txt"
    source.write_text(GOODS_DRAFT, encoding="utf-8")
    modules = _cli_modules(tmp_path, source)
    assert not {m.split(".")[0] for m in modules} & {"spacy", "sklearn", "scipy", "torch"}
    report = json.loads((tmp_path / "out" / "goods_only_draft.json").read_text())
    assert report["stats"]["clauses"] >= 3
    assert all(c["status"] == "none" for c in report["categories"].values())


def test_modality_is_read_without_spacy_only_with_the_speed_ups(monkeypatch):
    taxonomy = load_taxonomy()
    fast = modality.language_tools("en", taxonomy)
    assert isinstance(fast, PhraseTools)
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    eager = modality.language_tools("en", taxonomy)
    assert isinstance(eager, modality.LanguageTools) and eager.built
    text = ("The Parties recognise the importance of data flows. To that end, each Party "
            "shall endeavour to allow them. No Party shall require local servers.")
    results = []
    for tools in (fast, eager):
        doc = tools.nlp(text)
        results.append(modality.read_strength(tools, doc, [(4, 20)]))
    assert results[0] == results[1]
    assert results[0][0] in ("hard", "soft") and results[0][1]  # a commitment was read


def test_spacy_without_its_cli_still_lets_the_cli_be_imported():
    code = """
import sys
from tradelens.classify import modality
from tradelens.taxonomy import load_taxonomy
tools = modality.spacy_tools("fr", load_taxonomy())
print(len(list(tools.nlp("Chaque Partie autorise le transfert. Elle coopère.").sents)))
print("spacy.cli" in sys.modules, "weasel" in sys.modules)
import spacy.cli
from spacy.cli.info import info
print(callable(spacy.cli.setup_cli), info.__module__)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True,
                          capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["2", "False False", "True spacy.cli.info"]


def test_libyaml_reads_the_taxonomy_as_pyyaml_does():
    directory = default_taxonomy_dir()
    files = [directory / "taxonomy.yaml", directory / "modifiers.yaml",
             *sorted((directory / "categories").glob("*.yaml"))]
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506
        assert repr(fast) == repr(yaml.safe_load(text)), path.name


def test_exemplar_vectors_come_from_the_machine_cache(tmp_path, monkeypatch):
    encoder = SentenceEncoder()
    texts = [e.text for e in load_taxonomy().exemplars[:6]]
    hashes = [text_hash(t) for t in texts]
    first_store = MemoryCache()
    first = exemplar_cache.exemplar_vectors(texts, encoder, first_store, tmp_path)
    path = exemplar_cache.cache_file(encoder, hashes, tmp_path)
    assert path.is_file() and {h for _, h in first_store.vectors} == set(hashes)

    # a new workspace: nothing embedded, the same bytes, and the workspace holds them
    encoded = encoder.encoded
    second_store = MemoryCache()
    second = exemplar_cache.exemplar_vectors(texts, encoder, second_store, tmp_path)
    assert encoder.encoded == encoded
    assert second.tobytes() == first.tobytes()
    assert {h for _, h in second_store.vectors} == set(hashes)

    # a workspace's own vector wins over the file's
    own = MemoryCache()
    marker = np.zeros(first.shape[1], dtype=np.float32)
    marker[0] = 1.0
    own.put_embeddings({hashes[0]: marker}, encoder.model_id)
    mixed = exemplar_cache.exemplar_vectors(texts, encoder, own, tmp_path)
    assert mixed[0].tobytes() == marker.tobytes() and mixed[1:].tobytes() == first[1:].tobytes()
    assert exemplar_cache.exemplar_vectors(texts, encoder, MemoryCache(),
                                           tmp_path)[0].tobytes() == first[0].tobytes()

    # a damaged file is embedded again and rewritten
    path.write_bytes(b"not an npz file")
    again = exemplar_cache.exemplar_vectors(texts, encoder, MemoryCache(), tmp_path)
    assert encoder.encoded == encoded + len(texts)
    np.testing.assert_allclose(again, first, atol=1e-5)
    assert np.load(path)["vectors"].shape == first.shape

    # off with the speed-ups: the model embeds them
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    exemplar_cache.exemplar_vectors(texts, encoder, MemoryCache(), tmp_path)
    assert encoder.encoded == encoded + 2 * len(texts)


def _findings(classification) -> list[tuple]:  # noqa: ANN001
    return sorted((f.category, f.clause.clause_id, f.strength, f.confidence,
                   tuple((s.start, s.end, s.cue) for s in f.evidence))
                  for f in classification.findings)


@pytest.mark.parametrize("name", ["pta_425", "pta_88", "pta_123"])
def test_findings_are_identical_with_the_speed_ups_off(tota_dir, name, monkeypatch):
    """Given the same sentence vectors, the classifier with the speed-ups on (n-grams
    without scikit-learn, modality without spaCy, the taxonomy by libyaml, the topic screen)
    and off finds the same, and decides every clause the screen let through alike (the
    encoder's own equality: tests/test_encoder_backend.py)."""
    pipeline = Pipeline()
    document, clauses = pipeline.read(tota_dir / f"{name}.xml")
    hashes = [text_hash(c.text) for c in clauses]
    fast, vectors = pipeline.classify_clauses(clauses, document.language, trace=True,
                                              hashes=hashes)
    candidates = pipeline.classifier.first_pass(clauses, document.language) | \
        pipeline.semantic_candidates(clauses, hashes, document.language)
    exemplars = pipeline.exemplar_vectors()
    # every candidate's vector, as the run without the screen reads them
    vectors = pipeline._vectors(clauses, np.flatnonzero(candidates), hashes, pipeline.encoder)
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    topic_vectors = pipeline.topic_vectors(clauses, candidates, document.language, hashes)
    assert (topic_vectors is not None) == (document.language in ("es", "fr"))
    sentences = pipeline.read_sentences(
        pipeline.chosen_sentences(clauses, candidates, document.language), document.language)
    slow = Classifier(load_taxonomy(), exemplars, pipeline.topic_model).classify(
        clauses, vectors, document.language, trace=True, candidates=candidates,
        topic_vectors=topic_vectors, sentences=sentences)
    assert _findings(fast) == _findings(slow)
    assert sorted((h.modifier, h.clause_id) for h in fast.modifier_hits) == \
        sorted((h.modifier, h.clause_id) for h in slow.modifier_hits)
    def decided(classification, screened: set[str]) -> dict:  # noqa: ANN001
        return {clause: [(d.category, d.outcome, d.reason) for d in decisions]
                for clause, decisions in classification.decisions.items()
                if clause not in screened}

    # the topic screen (tradelens/classify/screen.py) settles some candidates unread; every
    # other clause is decided alike, for the same reason
    screened = {clause for clause, decisions in fast.decisions.items()
                if any(d.reason.startswith("topic screen") for d in decisions)}
    assert decided(fast, screened) == decided(slow, screened)
    assert all(d.outcome == "no topic" for c in screened for d in slow.decisions[c]
               if d.outcome not in ("excluded", "negative cue", "hard negative"))
    assert candidates.any()
    # the topic model (the n-grams) was read for the clauses the first pass kept
    assert any("topic model" in d.reason for v in fast.decisions.values() for d in v)


def test_the_model_hash_is_remembered_only_while_the_file_is_unchanged(tmp_path, monkeypatch):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights" * 1000)
    cache = tmp_path / "cache"
    assert model_sha256(weights, cache) == file_sha256(weights)
    record = model_hash._record(weights, cache)
    assert record.read_text().strip() == file_sha256(weights)
    record.write_text("0" * 64 + "\n")  # what is remembered is what is returned...
    assert model_sha256(weights, cache) == "0" * 64
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")  # ...unless the speed-ups are off
    assert model_sha256(weights, cache) == file_sha256(weights)
    monkeypatch.delenv("TRADELENS_SPEEDUPS")
    with weights.open("ab") as handle:  # any write moves the key: hashed again
        handle.write(b"tampered")
    assert model_sha256(weights, cache) == file_sha256(weights) != "0" * 64
    record = model_hash._record(weights, cache)
    record.write_text("not a digest")
    assert model_sha256(weights, cache) == file_sha256(weights)


def test_a_cache_that_cannot_be_written_still_gives_the_same_report(tmp_path):
    # a read-only home: the static table is distilled and the sentence model exported and
    # checked in memory, for this run only; nothing is written, and nothing differs
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder: no cache can be made below it")
    source = SAMPLES / "cooperation_framework.txt"
    reports = {}
    blocked = {"TRADELENS_CACHE": str(blocker / "c"), "TRADELENS_ENCODER": "onnx"}
    for name, env in (("usual", None), ("blocked", blocked)):
        done = subprocess.run(
            [sys.executable, "-m", "tradelens.cli", "analyse", str(source), "--out",
             str(tmp_path / name), "--store", str(tmp_path / f"{name}-store"), "--format",
             "json", "--quiet"], cwd=ROOT, text=True, capture_output=True, timeout=900,
            env={**os.environ, **(env or {})})
        assert done.returncode == 0, done.stderr
        reports[name] = json.loads((tmp_path / name / "cooperation_framework.json").read_text())
    assert blocker.read_text().startswith("a file")
    assert reports["blocked"]["categories"]["data_free_flow"]["status"] == "soft"
    assert reports["blocked"]["categories"] == reports["usual"]["categories"]
