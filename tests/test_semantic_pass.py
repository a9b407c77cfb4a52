"""The first pass by meaning, centred per language: it must stay open to paraphrases in
every language without reading every Spanish or French clause closely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tradelens.analysis import Pipeline
from tradelens.classify.learned import TopicHead, load_topic_model, save_topic_model
from tradelens.classify.semantic_pass import best_similarity, centred_exemplars
from tradelens.commands.train import first_pass_centres
from tradelens.models import Clause

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def _clause(n: int, text: str) -> Clause:
    return Clause(clause_id=f"t:a{n}:p1", agreement_id="t", chapter=None, article=None,
                  article_key=f"a{n}", paragraph="1", location="x", text=text)


# Spanish, written for this test: the first two commit to something digital without any of
# the first-pass words; the last two are ordinary trade clauses.
_SPANISH = [
    "Ninguna Parte exigirá que una empresa de la otra Parte mantenga en su territorio los "
    "equipos en los que almacena y procesa los registros de sus clientes.",
    "Ninguna Parte exigirá la entrega del texto fuente de una aplicación como condición "
    "para su venta en su territorio.",
    "Cada Parte eliminará progresivamente sus aranceles aduaneros sobre las mercancías "
    "originarias de la otra Parte, de conformidad con su lista de desgravación.",
    "Las Partes establecen una Comisión Administradora, integrada por los ministros "
    "responsables del comercio exterior, que se reunirá una vez al año.",
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_the_shipped_artefact_carries_a_centre_for_each_language(pipeline):
    model = pipeline.topic_model
    assert model is not None
    assert set(model.centres) == {"en", "es", "fr"}
    for centre in model.centres.values():
        assert centre.shape == (model.dimension,)
        assert np.isfinite(centre).all() and np.linalg.norm(centre) > 0.1


def test_raw_similarity_does_not_separate_spanish_topics(pipeline):
    """Why the centres exist: every Spanish clause, tariffs included, looks close to the
    exemplars before centring, and the centred measure tells them apart."""
    positives = [e for e in pipeline.taxonomy.exemplars if e.strength != "none"]
    exemplars = pipeline.static.encode([e.text for e in positives])
    vectors = pipeline.static.encode(_SPANISH)
    raw = best_similarity(vectors, exemplars)
    assert raw.min() >= float(pipeline.taxonomy.classifier["semantic_first_pass"])
    centres = pipeline.topic_model.centres
    centred = best_similarity(vectors,
                              centred_exemplars(exemplars, [e.lang for e in positives], centres),
                              centres["es"])
    assert min(centred[:2]) > max(centred[2:])


def test_the_first_pass_keeps_spanish_paraphrases_and_drops_tariff_clauses(pipeline):
    clauses = [_clause(n, text) for n, text in enumerate(_SPANISH)]
    by_words = pipeline.classifier.first_pass(clauses, "es")
    assert not by_words.any()  # none of the Spanish first-pass words
    by_meaning = pipeline.semantic_candidates(clauses, language="es")
    assert list(by_meaning) == [True, True, False, False]


def test_a_language_without_a_centre_falls_back_to_raw_similarity(pipeline, monkeypatch):
    clauses = [_clause(n, text) for n, text in enumerate(_SPANISH)]
    monkeypatch.setattr(pipeline.topic_model, "centres",
                        {k: v for k, v in pipeline.topic_model.centres.items() if k != "es"})
    monkeypatch.setattr(pipeline, "_exemplar_static", None)
    assert pipeline.semantic_candidates(clauses, language="es").all()


def test_centres_are_computed_from_background_agreements_and_skip_cited_ones(pipeline,
                                                                           tmp_path):
    background = tmp_path / "background"
    background.mkdir()
    for name in ("goods_trade_agreement.xml", "northern_trade_accord.xml",
                 "cooperation_framework.txt"):
        (background / name).write_bytes((SAMPLES / name).read_bytes())
    (background / "acuerdo.txt").write_text(
        "Id: acuerdo\nTitle: Acuerdo de prueba\nLanguage: es\n\nCAPÍTULO 1\n\n"
        "Artículo 1: Objetivos\n" + "\n\nArtículo 2: Comisión\n".join(_SPANISH[2:]) + "\n",
        encoding="utf-8")
    (background / "broken.xml").write_text("<agreement><unclosed>")
    centres, card = first_pass_centres(pipeline, background, {"northern_trade_accord.xml"})
    assert card["background"] == "background"
    assert {lang: v["agreements"] for lang, v in card["languages"].items()} == \
        {"en": 2, "es": 1}  # the cited agreement and the broken file are left out
    for lang, centre in centres.items():
        assert card["languages"][lang]["clauses"] > 0
        assert float(np.linalg.norm(centre)) > 0.1
    _, card_all = first_pass_centres(pipeline, background, set())
    assert card_all["languages"]["en"]["agreements"] == 3


def test_centres_and_heads_round_trip_through_the_artefact(tmp_path):
    path = tmp_path / "model.npz"
    centres = {"es": np.linspace(-1, 1, 8, dtype=np.float32),
               "fr": np.ones(8, dtype=np.float32) / 3}
    head = TopicHead(np.zeros((1, 10)), np.zeros(1), 8, "some-encoder")
    second = TopicHead(np.ones((1, 12)), np.ones(1), 6, "other-encoder", 8.0)
    sha = save_topic_model(path, ["data_free_flow"], head, {"what": "test"}, centres,
                           second, ("es",))
    loaded = load_topic_model(path)
    assert loaded is not None and loaded.sha256 == sha
    assert set(loaded.centres) == {"es", "fr"}
    assert np.array_equal(loaded.centres["es"], centres["es"])
    assert loaded.encoder_id == "some-encoder" and loaded.head.scale == 1.0
    assert loaded.multilingual is not None and loaded.multilingual.scale == 8.0
    assert loaded.multilingual.encoder_id == "other-encoder"
    assert loaded.reads_multilingual("es") and not loaded.reads_multilingual("fr")
    save_topic_model(path, ["data_free_flow"], head, {"what": "test"})
    plain = load_topic_model(path)
    assert plain.centres == {} and plain.multilingual is None
    assert not plain.reads_multilingual("es")
