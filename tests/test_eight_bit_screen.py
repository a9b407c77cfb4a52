"""The topic screen's 8-bit first look at Spanish and French candidates (screen.py,
vectors/e5_graph.py): near the full vectors and never equal, within its margin on
agreements the margin was not measured on, settling most texts unread in full, and
switched off with the speed-ups. That no finding changes is checked on whole agreements by
test_topic_screen.py (the screen on and off) and on all of ToTA by bench/bench_corpus.py."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tradelens.analysis import Pipeline
from tradelens.classify.screen import EIGHT_BIT_MARGIN, SAFETY, eight_bit_enabled, passes
from tradelens.commands.screen_fit import candidate_texts, reading_parts
from tradelens.vectors.e5_graph import _eight_bit
from tradelens.vectors.e5_onnx import EIGHT_BIT_MIN_COSINE, EIGHT_BIT_MIN_MEAN_COSINE
from tradelens.vectors.encoder import MemoryCache


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(cache=MemoryCache())


def test_the_eight_bit_weights_are_the_four_bit_ones_within_half_a_step(pipeline):
    image = pipeline.multilingual._onnx.image if pipeline.multilingual.backend_name() \
        == "onnx" else pytest.fail("the multilingual encoder is not on ONNX Runtime")
    scales, codes = image.quantised("l0.fi.w", image.feed_forward, image.hidden)
    weights = ((codes.astype(np.float32) - 8) * scales[..., None]).reshape(
        image.feed_forward, image.hidden)
    quantised, scale = _eight_bit(scales, codes)
    assert quantised.dtype == np.int8 and quantised.shape == (image.hidden,
                                                                image.feed_forward)
    assert np.abs(quantised).max() == 127
    error = np.abs(quantised.T.astype(np.float32) * scale[:, None] - weights)
    assert (error <= scale[:, None] / 2 + 1e-7).all()


@pytest.mark.parametrize("name", ["pta_49", "pta_163"])
def test_the_margin_covers_the_eight_bit_reading_where_it_was_not_measured(
        pipeline, tota_dir, name):
    """Two odd-numbered agreements, of the half the margin was not measured on: for every
    candidate and chosen sentence the head's term moves by less than the margin, every
    text the exact screen keeps is kept by the first look, and the first look settles
    most of the others."""
    lang, texts = candidate_texts(pipeline, tota_dir / f"{name}.xml")
    assert lang in ("es", "fr") and len(texts) > 20
    known, _, needed, full = reading_parts(pipeline, texts, lang)
    reading = pipeline.first_look("multilingual")
    assert reading is not None and reading.model_id.endswith("|8bit")
    near = reading.encode(texts)
    cosines = (near * full).sum(axis=1)
    assert cosines.mean() >= EIGHT_BIT_MIN_MEAN_COSINE and cosines.min() >= \
        EIGHT_BIT_MIN_COSINE
    assert np.abs(near - full).max() > 1e-3  # a reading of its own, not the full one
    head = pipeline.topic_model.screen["multilingual"]
    moved = np.abs(head.estimate(near) - head.estimate(full))
    assert moved.max() < EIGHT_BIT_MARGIN - SAFETY / 2
    exact = passes(head.bounds(known, full), needed)
    first = passes(head.bounds(known, near) + EIGHT_BIT_MARGIN, needed)
    assert first[exact].all()
    assert first.mean() < 0.5


def test_an_eight_bit_vector_does_not_depend_on_the_texts_read_with_it(pipeline):
    """Its inputs are quantised with one scale per product, so batches would mix texts:
    each window is read alone, and a clause's vector is the same whatever its company."""
    reading = pipeline.multilingual.eight_bit_reading()
    clause = ("Ninguna Parte exigirá a una persona cubierta utilizar o ubicar "
              "instalaciones informáticas en el territorio de esa Parte.")
    company = ["Les Parties coopèrent en matière de commerce électronique.",
               "Los aranceles aduaneros se eliminarán en diez etapas anuales iguales " * 9]
    alone = reading.encode([clause])[0]
    together = reading.encode([*company, clause])[-1]
    assert np.array_equal(alone, together)


def test_the_first_look_reads_in_full_only_what_it_cannot_settle(tota_dir, monkeypatch):
    """A Spanish agreement classified with the first look and without: the same findings,
    and far fewer texts read by the full graph; a second run, with the full vectors
    already held, does not look through the 8-bit graph at all."""
    runs = {}
    for setting in ("on", "off"):
        monkeypatch.setenv("TRADELENS_EIGHT_BIT_SCREEN", setting)
        pipeline = Pipeline(cache=MemoryCache())
        pipeline.prepare()
        document, clauses = pipeline.read(tota_dir / "pta_49.xml")
        classification, _ = pipeline.classify_clauses(clauses, document.language)
        runs[setting] = (pipeline, classification, pipeline.multilingual.encoded)
    (on, found_on, full_on), (off, found_off, full_off) = runs["on"], runs["off"]
    assert sorted((f.category, f.clause.clause_id, f.strength, f.confidence)
                  for f in found_on.findings) == \
        sorted((f.category, f.clause.clause_id, f.strength, f.confidence)
               for f in found_off.findings)
    looked = on.multilingual.eight_bit_reading()
    assert looked is not None and looked.encoded > 0
    assert full_on < full_off / 2
    # the run without the first look left every full vector in its cache
    monkeypatch.setenv("TRADELENS_EIGHT_BIT_SCREEN", "on")
    before = off.first_look("multilingual")
    assert before is not None
    count = before.encoded
    document, clauses = off.read(tota_dir / "pta_49.xml")
    again, _ = off.classify_clauses(clauses, document.language)
    assert before.encoded == count
    assert len(again.findings) == len(found_off.findings)


def test_the_first_look_follows_its_switch_and_the_speed_ups(pipeline, monkeypatch):
    assert eight_bit_enabled() and pipeline.first_look("multilingual") is not None
    assert pipeline.first_look("static") is None  # the English screen has none
    # a head trained anew has no measured margin: the screen reads it exactly
    head = pipeline.topic_model.screen["multilingual"]
    monkeypatch.setitem(pipeline.topic_model.screen, "multilingual",
                        replace(head, weights=head.weights * 1.5))
    assert pipeline.first_look("multilingual") is None
    monkeypatch.setitem(pipeline.topic_model.screen, "multilingual", head)
    monkeypatch.setenv("TRADELENS_EIGHT_BIT_SCREEN", "off")
    assert not eight_bit_enabled() and pipeline.first_look("multilingual") is None
    # a run without the first look does not take the stored reports of a run with it
    assert Pipeline().config == pipeline.config + "|8bit-off"
    monkeypatch.setenv("TRADELENS_EIGHT_BIT_SCREEN", "on")
    monkeypatch.setenv("TRADELENS_SPEEDUPS", "off")
    assert not eight_bit_enabled()
