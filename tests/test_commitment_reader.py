"""The learned commitment reader (tradelens/classify/commitment.py): which decisions it may
reopen, what its findings say, that it ships fitted and survives a screen refit, and how it
is fitted (tradelens/commands/commitment_fit.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT
from tradelens.analysis import Pipeline
from tradelens.classify.commitment import NO_WORDING, CommitmentReader
from tradelens.classify.learned import artefact_path, load_topic_model
from tradelens.commands.evaluate import EvalItem, item_clause

#: Written for these tests: on the data-flow topic, with no modality phrase the rules know.
PLAIN = ("The movement of information across borders by electronic means, including "
         "personal information, where this activity is for the conduct of the business of "
         "a covered person.")
NEGATED = ("Nothing in this Chapter obliges a Party to allow information to be transferred "
           "across its borders by electronic means.")


def _decision(pipeline: Pipeline, text: str, category: str = "data_free_flow"):
    clause = item_clause(EvalItem("t", "dev", "en", text, None, {}, frozenset()), 0)
    result, _ = pipeline.classify_clauses([clause], "en", trace=True)
    decision = next(d for d in result.decisions["t"] if d.category == category)
    return decision, result.findings


def _with_reader(commit: float, hard: float) -> Pipeline:
    """A pipeline whose reader gives P(commitment) = sigmoid(commit) and P(hard) =
    sigmoid(hard) for every text: the gates are what is tested."""
    pipeline = Pipeline()
    model = pipeline.topic_model
    width = model.commitment.commit.shape[0]
    reader = CommitmentReader(model.commitment.categories, np.r_[np.zeros(width - 1), commit],
                              np.r_[np.zeros(width - 1), hard], model.commitment.encoder_id)
    pipeline.use_topic_model(dataclasses.replace(model, commitment=reader))
    return pipeline


def test_the_shipped_reader_matches_the_taxonomy_and_encoder_and_never_read_the_reserve():
    pipeline = Pipeline()
    reader = pipeline.topic_model.commitment
    assert reader is not None
    assert reader.categories == tuple(sorted(pipeline.taxonomy.categories))
    assert reader.encoder_id == pipeline.multilingual.weights_id
    assert np.isfinite(reader.commit).all() and np.isfinite(reader.hard).all()
    card = json.loads(artefact_path().with_name("topic_model.json").read_text())
    body = card["commitment_reader"]
    from tests.test_blind_data import SETS
    reserve = {folder for folder, *_, by_default in SETS if not by_default}
    assert reserve and reserve.isdisjoint(body["trained_on"])
    held = body["leave_one_set_out"]
    assert 0 < held["taken"] <= held["commitments_missed_by_the_rules"]
    assert held["threshold"] == pipeline.taxonomy.classifier["commitment_threshold"]


def _rules(text: str):
    """The rules' own decision on `text`, the reader off."""
    pipeline = Pipeline()
    with pipeline.rules_only():
        return _decision(pipeline, text)[0]


def test_a_decision_without_wording_becomes_a_finding_that_says_how():
    plain = _rules(PLAIN)
    assert (plain.outcome, plain.reason) == ("no commitment", NO_WORDING), \
        "the rules find no wording here, or this test proves nothing"
    decision, findings = _decision(_with_reader(commit=20.0, hard=-20.0), PLAIN)
    assert decision.outcome == "finding" and decision.rule == "learned commitment reader"
    assert "learned commitment reader gives 1.00 (soft)" in decision.reason
    finding = decision.finding
    assert finding in findings and finding.strength == "soft"
    topic = float(decision.reason.split("topic model ")[1].split(";")[0])
    assert finding.confidence == pytest.approx(topic, abs=0.006)
    hard, _ = _decision(_with_reader(commit=20.0, hard=20.0), PLAIN)
    assert hard.finding.strength == "hard"
    from tradelens.score import score_finding
    from tradelens.taxonomy import load_taxonomy

    first = score_finding(hard.finding, load_taxonomy()).explanation[0]
    assert "hard by the learned commitment reader, P 1.00" in first
    assert "no binding or best-endeavour wording the rules know" in first


def test_the_threshold_the_length_and_a_negation_keep_the_rules_decision():
    below, findings = _decision(_with_reader(commit=0.0, hard=0.0), PLAIN)  # P = 0.5 < 0.8
    assert below.reason == NO_WORDING and not findings
    eager = _with_reader(commit=20.0, hard=0.0)
    negated, findings = _decision(eager, NEGATED)
    assert negated.outcome == "no commitment" and "negated" in negated.reason
    assert not findings
    eager.taxonomy.classifier["commitment_min_words"] = len(PLAIN.split()) + 1
    short, findings = _decision(eager, PLAIN)
    assert short.reason == NO_WORDING and not findings
    eager.taxonomy.classifier["commitment_min_words"] = 6
    eager.taxonomy.classifier["commitment_reader"] = False
    off, findings = _decision(eager, PLAIN)
    assert off.reason == NO_WORDING and not findings


def test_wording_the_rules_set_aside_is_not_reopened():
    """A binding sentence on another matter beside a heading that names the topic: the rules
    know its wording and keep it from the topic on purpose; the reader, which reads the
    whole clause, must not take it back."""
    text = ("Article 7: Movement of Data Across Borders. 1. Each Party shall ensure that its "
            "customs authority publishes its tariffs online within 30 days of their adoption.")
    plain = _rules(text)
    assert plain.reason == NO_WORDING, "the rules set the wording aside, or this proves nothing"
    decision, findings = _decision(_with_reader(commit=20.0, hard=20.0), text)
    assert decision.reason == NO_WORDING and not findings


#: Written for these tests: a binding sentence on another matter the rules know, beside
#: PLAIN, which names the data-flow topic in words they do not read as committing.
BESIDE = ("Each Party shall ensure that its customs authority publishes its tariffs online "
          "within 30 days of their adoption. " + PLAIN)
#: Written for these tests: on the data-flow topic without one of its topic cues.
UNCUED = ("The information a covered person holds for its business may be sent "
          "electronically to any place outside the Party.")


def test_beside_wording_set_aside_the_reader_reads_only_the_sentences_on_the_topic():
    """`commitment_reads: topic_sentences` (the bundled setting): the customs sentence's
    "shall ensure" is the rules' and stays theirs; the reader reads the topic's sentence
    alone, so that sentence, not its neighbour, decides. With `clause` (0.11.0) such a
    clause is not reopened at all."""
    pipeline = Pipeline()
    assert pipeline.taxonomy.classifier["commitment_reads"] == "topic_sentences"
    with pipeline.rules_only():
        decision, _ = _decision(pipeline, BESIDE)
        assert decision.reason == NO_WORDING and decision.reader_text == PLAIN
        pipeline.taxonomy.classifier["commitment_reads"] = "clause"
        assert _decision(pipeline, BESIDE)[0].reader_text is None
        assert _decision(pipeline, PLAIN)[0].reader_text == PLAIN  # no wording at all
    eager = _with_reader(commit=20.0, hard=-20.0)
    encoded: list[list[str]] = []
    encode = eager.commitment_vectors
    eager.commitment_vectors = lambda texts: (encoded.append(list(texts)), encode(texts))[1]
    taken, findings = _decision(eager, BESIDE)
    assert taken.rule == "learned commitment reader" and findings[0].strength == "soft"
    assert encoded == [[PLAIN]], "the reader must read the topic's sentence, not the clause"
    refused, findings = _decision(_with_reader(commit=-20.0, hard=20.0), BESIDE)
    assert refused.reason == NO_WORDING and not findings


@pytest.mark.parametrize("text", [
    PLAIN + " Nothing in this Article shall be construed to require a Party to adopt any "
            "measure.",
    "Article 15.9: Location of Computing Facilities in the territory of a Party",
    "Article 14.11: Cross-Border Transfer of Information by Electronic Means."])
def test_a_negation_anywhere_or_a_heading_alone_is_not_reopened(text: str):
    """Written for this test. A negation phrase beside the topic's sentence governs it,
    though the rules read it in another sentence; a heading commits to nothing, however
    many words it has."""
    pipeline = Pipeline()
    with pipeline.rules_only():
        decisions = [_decision(pipeline, text, c)[0]
                     for c in ("data_free_flow", "server_location")]
    assert any(d.reason == NO_WORDING for d in decisions), "no decision to reopen: rewrite"
    assert all(d.reader_text is None for d in decisions)
    for category in ("data_free_flow", "server_location"):
        decision, findings = _decision(_with_reader(commit=20.0, hard=20.0), text, category)
        assert decision.rule != "learned commitment reader" and not findings


def test_without_a_topic_cue_the_topic_must_clear_the_floor_before_the_reader_reads():
    pipeline = Pipeline()
    with pipeline.rules_only():
        uncued, _ = _decision(pipeline, UNCUED)
        assert uncued.reason == NO_WORDING and uncued.rule == "topic model" and \
            uncued.reader_text == UNCUED, \
            "the topic model must pass this text without a cue, or this proves nothing"
        pipeline.taxonomy.classifier["commitment_topic_floor"] = 0.99
        assert _decision(pipeline, UNCUED)[0].reader_text is None
        assert _decision(pipeline, PLAIN)[0].reader_text == PLAIN  # a cue: the floor is moot


def test_the_spanish_telecommunications_rule_is_found_by_the_reader(tota_dir: Path):
    """pta_407's NAFTA-model clause letting firms move information across borders over
    public networks: no Spanish phrase of the rules reads "deberá garantizar que ...
    pueda", and issue 14 names this family as missed."""
    pipeline = Pipeline()
    document, clauses = pipeline.read(tota_dir / "pta_407.xml")
    result, _ = pipeline.classify_clauses(clauses, document.language, trace=True)
    decision = next(d for d in result.decisions["pta_407:a34890:p3"]
                    if d.category == "data_free_flow")
    assert decision.rule == "learned commitment reader" and decision.finding.strength == "hard"
    pipeline.taxonomy.classifier["commitment_reader"] = False
    again, _ = pipeline.classify_clauses(clauses, document.language, trace=True)
    assert not [f for f in again.findings if f.category == "data_free_flow"]


def test_the_artefact_round_trips_the_reader(tmp_path: Path):
    """Saved and loaded, every part of the reader is the same (a screen refit re-saves the
    artefact this way: tests/test_topic_screen.py checks the reader survives it)."""
    from tradelens.classify.learned import save_topic_model

    model = load_topic_model()
    path = tmp_path / "topic_model.npz"
    save_topic_model(path, list(model.categories), model.head, {}, model.centres,
                     model.multilingual, model.multilingual_languages, model.screen,
                     model.commitment)
    again = load_topic_model(path).commitment
    np.testing.assert_array_equal(again.commit, model.commitment.commit)
    np.testing.assert_array_equal(again.hard, model.commitment.hard)
    assert (again.categories, again.encoder_id) == \
        (model.commitment.categories, model.commitment.encoder_id)
    save_topic_model(path, list(model.categories), model.head, {}, model.centres,
                     model.multilingual, model.multilingual_languages, model.screen)
    assert load_topic_model(path).commitment is None


def test_a_failed_step_of_training_leaves_the_artefact_as_it_was(tmp_path: Path, monkeypatch):
    import shutil

    import tradelens.commands.train as training
    from tradelens.errors import SetupError

    out = tmp_path / "model" / "topic_model.npz"
    out.parent.mkdir()
    shutil.copy(artefact_path(), out)
    shutil.copy(artefact_path().with_name("topic_model.json"), out.with_name("topic_model.json"))
    before = out.read_bytes(), out.with_name("topic_model.json").read_bytes()

    def fails(*_args, **_kwargs):
        raise SetupError("the commitment reader could not be fitted")

    monkeypatch.setattr(training, "refit_commitment", fails)
    with pytest.raises(SetupError):
        training.train(Pipeline(), [ROOT / "tests" / "data" / "eval"], out, multilingual=False)
    assert (out.read_bytes(), out.with_name("topic_model.json").read_bytes()) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["topic_model.json",
                                                           "topic_model.npz"]


def test_fitting_learns_from_the_rules_own_decisions_on_development_items_only():
    from tradelens.commands.commitment_fit import commitment_material, fit_commitment

    pipeline = Pipeline()
    sets = [ROOT / "tests" / "data" / "eval"]
    # two read blind sets: since 0.16.0's phrases the rules leave too few decisions without
    # wording in one (16) for `fit_commitment`'s floor of 20
    blind = [ROOT / "tests" / "data" / "eval_blind", ROOT / "tests" / "data" / "eval_blind2"]
    material = commitment_material(pipeline, sets, blind)
    assert pipeline.topic_model.commitment is not None, "the reader is back after fitting"
    assert set(material.sets) == {"eval", "eval_blind", "eval_blind2"}
    assert sum(material.open) > 20
    from tradelens.commands.evaluate import load_eval_set
    excluded = {i.text for i in load_eval_set(sets[0], pipeline.taxonomy)
                if i.split in ("heldout", "test")}
    assert excluded and excluded.isdisjoint(t for t, s in zip(material.texts, material.sets,
                                                               strict=True) if s == "eval")
    reader, card = fit_commitment(pipeline, sets, blind, 0.8)
    assert card["decisions_without_wording"] == sum(material.open)
    assert card["trained_on"] == ["eval", "eval_blind", "eval_blind2"]
    vectors = pipeline.checked_multilingual().encode([PLAIN, NEGATED])
    committed, hard = reader.read(vectors, ["data_free_flow", "data_free_flow"])
    assert ((committed > 0) & (committed < 1) & (hard > 0) & (hard < 1)).all()


@pytest.mark.parametrize("flags, said", [
    (("--screen-only", "--commitment-only"), "each refit one part"),
    (("--commitment-only", "--unbalanced"), "--unbalanced changes the weights"),
    (("--commitment-only", "--background", "tests/data"), "not --background")])
def test_commitment_only_refuses_what_it_cannot_do(flags: tuple[str, ...], said: str,
                                                   tmp_path: Path):
    from click.testing import CliRunner

    from tradelens.cli import main

    result = CliRunner().invoke(main, ["train", *flags, "--store", str(tmp_path / "s"),
                                       "--to", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and said in result.output
    assert not (tmp_path / "s").exists(), "refused before a workspace is opened"


def test_a_language_classified_at_once_decides_each_item_as_it_would_alone():
    """The reader's material classifies a set's items of one language in one call
    (`commitment_fit._decisions`); each must get the decisions it gets on its own."""
    from tradelens.commands.commitment_fit import _decisions
    from tradelens.commands.evaluate import load_eval_set

    pipeline = Pipeline()
    items = list(load_eval_set(ROOT / "tests" / "data" / "eval_blind15",
                               pipeline.taxonomy))[::9]
    assert {i.lang for i in items} == {"en", "es", "fr"}

    def seen(decisions):
        return [(d.category, d.outcome, d.reason, d.reader_text) for d in decisions]

    with pipeline.rules_only():
        together = _decisions(pipeline, items)
        for item in items:
            clause = item_clause(item, 0)
            alone, _ = pipeline.classify_clauses([clause], item.lang, trace=True)
            assert seen(together[item.id]) == seen(alone.decisions[clause.clause_id]), item.id
    assert any(d.reader_text for ds in together.values() for d in ds), \
        "no item the reader may read: pick others"

