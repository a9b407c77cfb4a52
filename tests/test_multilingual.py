"""The multilingual encoder and the topic model's head that reads it (Spanish and French).

The English sentence model puts a Spanish clause far from its English twin; the point of
the multilingual encoder is that it does not, so that what the team labelled in one
language teaches the topic model about the others. All clauses are the team's own wording.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import run_cli
from tradelens.analysis import Pipeline
from tradelens.classify.learned import TopicHead, load_topic_model, save_topic_model
from tradelens.errors import SetupError
from tradelens.models import Clause
from tradelens.vectors.multilingual import (
    MAX_WORDS,
    MultilingualEncoder,
    cut_text,
    in_capitals,
    sentence_case,
)

RULE = {
    "en": "Neither Party shall stop a covered person from sending information abroad by "
          "electronic means when its business requires it.",
    "es": "Ninguna Parte impedirá que una persona cubierta envíe información al extranjero "
          "por medios electrónicos cuando su actividad comercial lo requiera.",
    "fr": "Aucune Partie n'empêche une personne visée d'envoyer des informations à "
          "l'étranger par voie électronique lorsque son activité commerciale l'exige.",
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _clause(text: str) -> Clause:
    return Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                  article_key="a1", paragraph="1", location="x", text=text)


#: Four clauses on unrelated subjects, each in three languages.
PARALLEL = {
    "en": [RULE["en"],
           "Customs duties on agricultural goods shall be removed in five equal annual steps.",
           "A panel shall consist of three members, one appointed by each disputing Party.",
           "Each Party shall notify the other of any new sanitary measure on imported meat."],
    "es": [RULE["es"],
           "Los aranceles sobre los productos agrícolas se eliminarán en cinco etapas anuales "
           "iguales.",
           "Un grupo especial estará integrado por tres miembros, uno designado por cada Parte "
           "contendiente.",
           "Cada Parte notificará a la otra toda nueva medida sanitaria sobre la carne "
           "importada."],
    "fr": [RULE["fr"],
           "Les droits de douane sur les produits agricoles sont supprimés en cinq étapes "
           "annuelles égales.",
           "Un groupe spécial est composé de trois membres, chaque Partie au différend en "
           "désignant un.",
           "Chaque Partie notifie à l'autre toute nouvelle mesure sanitaire visant la viande "
           "importée."],
}


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_each_english_clause_is_nearest_to_its_own_translation(pipeline, lang):
    english = pipeline.multilingual.encode(PARALLEL["en"])
    foreign = pipeline.multilingual.encode(PARALLEL[lang])
    assert np.allclose(np.linalg.norm(english, axis=1), 1.0, atol=1e-3)
    similarity = english @ foreign.T
    assert list(similarity.argmax(axis=1)) == [0, 1, 2, 3]
    # ...and nearer than the other subjects by a clear margin (0.06 to 0.11 here).
    others = similarity[~np.eye(4, dtype=bool)].reshape(4, 3)
    assert (np.diag(similarity) - others.max(axis=1) > 0.03).all()


def test_long_texts_are_cut_to_the_same_vector():
    encoder = MultilingualEncoder(threads=1)
    words = ("La Parte permitirá la transferencia de datos. " * 80).split()
    long, cut = encoder.encode([" ".join(words), " ".join(words[:MAX_WORDS])])
    assert np.array_equal(long, cut)
    assert encoder.encode([]).shape == (0, encoder.dimension)


def test_a_text_in_capitals_is_read_in_sentence_case():
    encoder = MultilingualEncoder(threads=1)
    text = PARALLEL["es"][3]
    shouted, plain, sentence = encoder.encode([text.upper(), text, sentence_case(text)])
    assert np.array_equal(shouted, sentence)
    assert np.array_equal(shouted, plain)  # its only capitals: the first, and "Parte"
    assert in_capitals(text.upper()) and not in_capitals(text)
    assert not in_capitals("ARTÍCULO 5 bis")  # too few letters to tell
    assert cut_text("CADA PARTE NOTIFICARÁ A LAS PARTES Y AUX PARTIES TOUTE MESURE "
                    "PARTICULIÈRE.") == \
        "Cada Parte notificará a las Partes y aux Parties toute mesure particulière."


#: Commitments modelled on recent Spanish and French digital chapters; each typed in
#: capitals lost its finding before 0.13.1 (read by e5 as typed).
CAPITALS = {
    "es_flow": "Ninguna de las Partes podrá condicionar la salida de datos de su territorio a "
               "que se guarde una copia de ellos en servidores nacionales.",
    "es_soft": "Cada Parte debería evitar poner límites innecesarios a la exportación de "
               "datos por medios electrónicos.",
    "fr_location": "Aucune autorité d'une Partie n'impose aux entreprises de l'autre Partie "
                   "l'obligation de placer leurs équipements informatiques sur le territoire "
                   "national.",
}


def test_a_clause_typed_in_capitals_reads_as_its_twin(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for name, text in CAPITALS.items():
        (drafts / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        (drafts / f"{name}_capitals.txt").write_text(text.upper() + "\n", encoding="utf-8")
    result = run_cli("analyse", str(drafts), "--format", "json", "--out",
                     str(tmp_path / "out"), "--store", str(tmp_path / "store"), "-q")
    assert result.exit_code == 0, result.output

    def statuses(stem: str) -> dict[str, str]:
        report = json.loads((tmp_path / "out" / f"{stem}.json").read_text())
        return {c: body["status"] for c, body in report["categories"].items()}

    for name in CAPITALS:
        assert set(statuses(name).values()) != {"none"}
        assert statuses(f"{name}_capitals") == statuses(name)


def test_the_shipped_model_decides_spanish_and_french_on_the_multilingual_head():
    model = load_topic_model()
    assert model is not None and model.multilingual is not None
    assert model.multilingual_languages == ("es", "fr")
    assert model.multilingual.encoder_id == MultilingualEncoder().weights_id
    assert model.reads_multilingual("es") and not model.reads_multilingual("en")
    assert np.isfinite(model.multilingual.weights).all() and model.multilingual.scale > 1


def test_only_spanish_and_french_clauses_pay_for_the_multilingual_encoder():
    english = Pipeline()
    result, _ = english.classify_clauses([_clause(RULE["en"])], "en")
    assert english._multilingual is None  # never built for an English agreement
    assert [f.category for f in result.findings] == ["data_free_flow"]
    for lang in ("es", "fr"):
        pipeline = Pipeline()
        result, _ = pipeline.classify_clauses([_clause(RULE[lang])], lang)
        assert pipeline.multilingual.encoded == 1
        assert [(f.category, f.strength) for f in result.findings] == \
            [("data_free_flow", "hard")]


def test_a_model_trained_on_another_multilingual_encoder_is_refused(tmp_path, monkeypatch):
    real = load_topic_model()
    assert real is not None and real.multilingual is not None
    path = tmp_path / "topic_model.npz"
    other = TopicHead(real.multilingual.weights, real.multilingual.intercepts,
                      real.multilingual.dimension, "some-other-encoder@0000", 4.0)
    save_topic_model(path, list(real.categories), real.head, {"what": "test"},
                     real.centres, other, ("es",))
    monkeypatch.setattr("tradelens.classify.learned.artefact_path", lambda: path)
    pipeline = Pipeline()
    assert pipeline.topic_model is not None and pipeline.topic_model.sha256 != real.sha256
    with pytest.raises(SetupError, match="some-other-encoder.*tradelens train"):
        pipeline.classify_clauses([_clause(RULE["es"])], "es")
    result, _ = pipeline.classify_clauses([_clause(RULE["fr"])], "fr")  # French: not named
    assert pipeline.topic_model.reads_multilingual("fr") is False
    assert result.findings


def test_the_classifier_refuses_sentence_vectors_where_the_multilingual_head_decides(
        pipeline):
    clauses = [_clause(RULE["es"])]
    candidates = np.ones(1, dtype=bool)
    vectors = pipeline.encoder.encode([RULE["es"]])
    # Both encoders give 384 numbers: without this check they would be silently misread.
    assert vectors.shape[1] == pipeline.multilingual.dimension
    with pytest.raises(ValueError, match="topic_vectors"):
        pipeline.classifier.classify(clauses, vectors, "es", candidates=candidates)
    topic = pipeline.topic_vectors(clauses, candidates, "es")
    assert topic is not None and topic.shape == (1, pipeline.multilingual.dimension)
    assert pipeline.topic_vectors(clauses, candidates, "en") is None
    result = pipeline.classifier.classify(clauses, vectors, "es", candidates=candidates,
                                          topic_vectors=topic)
    assert [f.category for f in result.findings] == ["data_free_flow"]


def test_a_progress_bar_counts_the_texts_and_changes_no_vector(capsys):
    encoder = MultilingualEncoder(threads=1)
    texts = [f"{RULE['es']} Párrafo {n}." for n in range(40)]
    quiet = encoder.encode(texts)
    assert "multilingual model" not in capsys.readouterr().err
    shown = encoder.encode(texts, progress=True)
    err = capsys.readouterr().err
    assert "multilingual model" in err and "/40 [" in err
    assert np.array_equal(quiet, shown)
