"""The topic screen (tradelens/classify/screen.py): which candidates it settles unread, and
that it changes no finding: an exact bound in Spanish and French, a fitted one in English."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from tests.conftest import run_cli
from tradelens.analysis import Pipeline
from tradelens.classify.learned import (
    _HASH_FEATURES,
    artefact_path,
    load_topic_model,
    save_topic_model,
)
from tradelens.classify.screen import (
    SAFETY,
    ScreenHead,
    fit_ridge,
    passes,
    screen_enabled,
    shortfall,
    thresholds,
)
from tradelens.classify.sentences import Sentence, sentence_spans
from tradelens.commands.screen_fit import candidate_texts, reading_parts
from tradelens.models import Clause


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_the_shipped_model_has_a_fitted_english_screen_and_an_exact_multilingual_one():
    model = load_topic_model()
    main, multilingual = model.screen["main"], model.screen["multilingual"]
    assert main.reads == "static"
    assert main.weights.shape == (len(model.categories), model.dimension + 1)
    assert (main.margin >= SAFETY).all()
    assert multilingual.reads == "multilingual"
    head = model.multilingual
    vector = slice(_HASH_FEATURES, _HASH_FEATURES + head.dimension)
    for row in range(len(model.categories)):
        np.testing.assert_allclose(multilingual.weights[row, :-1],
                                   head.weights64(row)[vector] * head.scale)
    assert not multilingual.weights[:, -1].any()
    card = json.loads(artefact_path().with_name("topic_model.json").read_text())
    checking = card["topic_screen"]["heads"]["main"]["checking"]
    assert checking["of_which_dropped"] == 0 and checking["kept_share"] < 0.5


@pytest.mark.parametrize("name", ["pta_123", "pta_88"])
def test_the_multilingual_bound_holds_on_every_candidate(pipeline, tota_dir, name):
    """Spanish and French: the full logit never exceeds known part + the multilingual term
    + the margin (the exemplar similarities' largest term), for every candidate and chosen
    sentence, and the bound settles some."""
    lang, texts = candidate_texts(pipeline, tota_dir / f"{name}.xml")
    assert lang in ("es", "fr") and texts
    known, actual, needed, cheap = reading_parts(pipeline, texts, lang)
    head = pipeline.topic_model.screen["multilingual"]
    assert (actual <= known + head.estimate(cheap) + head.margin).all()
    # the similarities' term is never negative: the multilingual term alone is a floor
    assert (actual >= known + head.estimate(cheap) - 1e-4).all()
    kept = passes(head.bounds(known, cheap), needed)
    assert kept[(actual >= needed).any(axis=1)].all()
    assert not kept.all()


def _findings(classification) -> list[tuple]:  # noqa: ANN001
    return sorted((f.category, f.clause.clause_id, f.strength, f.confidence,
                   tuple((s.start, s.end, s.cue) for s in f.evidence),
                   tuple(sorted((h.modifier, h.clause_id) for h in f.modifiers)))
                  for f in classification.findings)


@pytest.mark.parametrize("name", ["pta_65", "pta_49"])
def test_the_screen_saves_encoding_and_changes_no_finding(tota_dir, name, monkeypatch):
    """An English and a Spanish agreement with findings, each read with the screen and
    without: fewer clauses encoded, the same findings, and every clause the screen settled
    says so in its trace. The English one is in the checking half of the screen's fitting
    (an odd position among the background agreements), so the margin was not fitted to
    it."""
    runs = {}
    for setting in ("on", "off"):
        monkeypatch.setenv("TRADELENS_TOPIC_SCREEN", setting)
        pipeline = Pipeline()
        pipeline.prepare()
        document, clauses = pipeline.read(tota_dir / f"{name}.xml")
        pipeline.encoder.encoded = 0
        classification, vectors = pipeline.classify_clauses(clauses, document.language,
                                                             trace=True)
        read = {c.clause_id for c, v in zip(clauses, vectors, strict=True) if np.abs(v).any()}
        runs[setting] = (classification, pipeline.encoder.encoded, read)
    (on, encoded_on, read_on), (off, encoded_off, read_off) = runs["on"], runs["off"]
    assert on.findings and _findings(on) == _findings(off)
    assert encoded_on < encoded_off and read_on < read_off
    screened = read_off - read_on
    said = {c for c, decisions in on.decisions.items()
            if any(d.reason.startswith("topic screen") for d in decisions)}
    assert said and said <= screened
    for clause in screened:  # the screen's reason, or an exclusion decided before it
        assert {d.outcome for d in on.decisions[clause]} <= {"no topic", "excluded"}
        assert all(d.outcome == "no topic" for d in off.decisions[clause]
                   if d.outcome not in ("negative cue", "hard negative", "excluded"))


def test_the_switch_turns_the_screen_off(monkeypatch):
    assert screen_enabled()
    monkeypatch.setenv("TRADELENS_TOPIC_SCREEN", "off")
    assert not screen_enabled()
    monkeypatch.setenv("TRADELENS_TOPIC_SCREEN", "on")
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    assert not screen_enabled()


def test_an_artefact_without_a_screen_reads_every_candidate(tmp_path):
    model = load_topic_model()
    path = tmp_path / "topic_model.npz"
    save_topic_model(path, list(model.categories), model.head, {}, model.centres,
                     model.multilingual, model.multilingual_languages)
    # the exact multilingual screen is derived from the weights; the fitted one is absent
    assert set(load_topic_model(path).screen) == {"multilingual"}
    save_topic_model(path, list(model.categories), model.head, {}, model.centres,
                     model.multilingual, model.multilingual_languages, model.screen)
    again = load_topic_model(path)
    np.testing.assert_array_equal(again.screen["main"].weights, model.screen["main"].weights)
    np.testing.assert_array_equal(again.screen["main"].margin, model.screen["main"].margin)
    np.testing.assert_array_equal(again.screen["multilingual"].weights,
                                  model.screen["multilingual"].weights)


def test_the_margin_covers_every_clause_that_reaches_a_threshold():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(400, 16))
    true = rng.normal(size=(3, 16))
    known = rng.normal(-3.0, 1.0, size=(400, 3))
    rest = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)) @ true.T
    actual = known + rest + rng.normal(0, 0.3, size=(400, 3))
    weights = fit_ridge(vectors, actual - known)
    head = ScreenHead(weights, np.zeros(3), "static")
    assert np.abs(head.estimate(vectors) - rest).mean() < 0.3  # the regression learns it
    needed = thresholds(rng.random((400, 3)) < 0.3, 0.5, 0.2)
    reached = (actual >= needed).any(axis=1)
    assert reached.any()
    margin = shortfall(known, head.estimate(vectors), needed, actual)
    kept = passes(known + head.estimate(vectors) + margin, needed)
    assert kept[reached].all()
    if margin > 0:  # a smaller margin drops one
        assert not passes(known + head.estimate(vectors) + margin - 1e-6,
                          needed)[reached].all()


def test_train_refits_the_screen_and_keeps_the_weights(tmp_path, tota_dir):
    background = tmp_path / "background"
    background.mkdir()
    for name in ("pta_425", "pta_300", "pta_1", "pta_100"):
        os.symlink(tota_dir / f"{name}.xml", background / f"{name}.xml")
    out = tmp_path / "model" / "topic_model.npz"
    result = run_cli("train", "tests/data/eval", "--screen-only", "--background",
                     str(background), "--to", str(out), "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    assert "topic screen from " + background.parent.name + "/background" in result.output
    assert "main head, reads static" in result.output
    shipped, fitted = load_topic_model(), load_topic_model(out)
    np.testing.assert_array_equal(fitted.head.weights, shipped.head.weights)
    np.testing.assert_array_equal(fitted.multilingual.weights, shipped.multilingual.weights)
    np.testing.assert_array_equal(fitted.commitment.commit, shipped.commitment.commit)
    assert (fitted.screen["main"].margin >= SAFETY).all()
    card = json.loads(out.with_name("topic_model.json").read_text())
    assert card["topic_screen"]["heads"]["main"]["fitting_texts"] > 0
    assert card["sha256"] == fitted.sha256


def test_a_paragraph_stays_when_one_of_its_sentences_can_reach_a_threshold(pipeline):
    """The screen reads the chosen sentences of a long paragraph too: a paragraph whose
    whole text cannot reach a threshold is still read when one sentence can."""
    filler = ("The Committee shall meet once a year at a place agreed by the Parties and "
              "shall adopt its rules of procedure at its first meeting. ")
    rule = ("No Party shall prohibit a covered person from transferring information, "
            "including personal information, across borders by electronic means for the "
            "conduct of its business. ")
    text = filler * 3 + rule + filler * 2
    clause = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                    article_key="a1", paragraph="1", location="x", text=text)
    spans = sentence_spans(text)
    assert len(spans) > 3
    sentences = [Sentence(0, span, text[span[0]:span[1]], "transferring" in
                          text[span[0]:span[1]]) for span in spans]
    known, needed = pipeline.classifier.screen_parts([text] + [s.text for s in sentences],
                                                     "en")
    slack = (needed - known)
    # a head that adds nothing, and a margin between what the paragraph and its best
    # sentence need, so that only the sentence can pass
    paragraph_needs, sentence_needs = slack[0].min(), slack[1:].min()
    assert sentence_needs < paragraph_needs
    margin = np.full(known.shape[1], (sentence_needs + paragraph_needs) / 2)
    head = ScreenHead(np.zeros((known.shape[1], 385)), margin, "static")
    model = pipeline.topic_model
    saved = model.screen["main"]
    model.screen["main"] = head
    try:
        candidates = np.ones(1, dtype=bool)
        assert pipeline._screen([clause], candidates, [], None, "en").rows[0]
        kept = pipeline._screen([clause], candidates, sentences, None, "en")
        assert not kept.rows[0]
    finally:
        model.screen["main"] = saved
