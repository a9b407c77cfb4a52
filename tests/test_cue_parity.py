"""Topic cues at parity across English, Spanish and French, a reservation read as no
commitment (taxonomy 2026.12.18), and the hard-negative veto only where no topic model
decides (0.14.0; docs/evaluation.md, "Topic cues at parity").

Each language's cue list once lacked wording another language's had (international
transfers, data flows named without "cross-border", servers or data centres placed in the
territory, Spanish subjunctive stems), so a clause worded that way had to clear the topic
model's full threshold, and the Spanish and French clauses, read by the multilingual head,
often did not. The clauses below are the team's own, modelled on real drafting styles.
"""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import classify_alone, decision_alone
from tradelens.analysis import Pipeline
from tradelens.classify.decision import Classification, Decision
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy

TAXONOMY = load_taxonomy()

#: (language, category, wording a cue of that category must find)
NAMED = [
    ("es", "data_free_flow", "un diálogo sobre la transferencia internacional de datos personales"),
    ("es", "data_free_flow", "normas sobre la circulación libre de datos en la región"),
    ("es", "data_free_flow", "para que los datos puedan circular entre sus territorios"),
    ("es", "data_free_flow", "mecanismos para transferir datos personales entre jurisdicciones"),
    ("fr", "data_free_flow", "les transferts internationaux de données à caractère personnel"),
    ("fr", "data_free_flow", "favoriser la circulation des données entre leurs économies"),
    ("fr", "data_free_flow",
     "faciliter les transferts de données à caractère personnel entre elles"),
    ("en", "data_free_flow", "commitments on the free movement of data"),
    ("en", "data_free_flow", "the treatment of data transfers in their privacy regimes"),
    ("en", "data_free_flow", "working to enable data to move between their economies"),
    ("es", "server_location", "exigir que el proveedor ubique sus servidores en su territorio"),
    ("es", "server_location", "que localice sus centros de datos dentro del territorio nacional"),
    ("es", "server_location", "las exigencias de localización de servidores"),
    ("es", "server_location", "el uso de servidores locales como condición"),
    ("es", "server_location",
     "imponiendo que los datos se guarden o procesen dentro de su territorio"),
    ("fr", "server_location",
     "l'obligation d'installer ou d'utiliser des serveurs sur son territoire"),
    ("fr", "server_location", "le recours à des centres de données situés sur son territoire"),
    ("fr", "server_location", "l'emplacement des serveurs et des centres de données"),
    ("fr", "server_location", "en imposant que les données soient conservées sur son territoire"),
    ("en", "server_location", "measures requiring the localisation of computing facilities"),
    ("en", "server_location", "the placement of data processing centres"),
    ("en", "server_location", "keeping a copy on servers located in that territory"),
]

#: Wording close to the above that names no category's topic.
NOT_NAMED = [
    ("en", "data_free_flow",
     "to ensure the free movement of information services and enforce rights"),
    ("en", "data_free_flow", "as provided in the Annex on Cross-Border Data Transfers"),
    ("es", "data_free_flow", "en detrimento de la transferencia internacional de tecnología"),
    ("es", "server_location", "la ubicación de la sede social de la empresa en su territorio"),
    ("fr", "server_location", "l'emplacement du siège social de l'entreprise"),
]


def _named(lang: str, category: str, text: str) -> bool:
    return any(p.search(text) for p in TAXONOMY.categories[category].cues[lang])


@pytest.mark.parametrize(("lang", "category", "text"), NAMED)
def test_each_language_has_a_cue_for_the_wording(lang, category, text):
    assert _named(lang, category, text), (lang, category, text)


@pytest.mark.parametrize(("lang", "category", "text"), NOT_NAMED)
def test_near_wording_is_not_a_cue(lang, category, text):
    assert not _named(lang, category, text), (lang, category, text)


#: Clauses the topic model alone leaves under its threshold (taxonomy 2026.12.17 found none
#: of them); a cue lowers the bar, and the modality wording decides the strength.
FOUND = [
    ("es", "Las Partes mantendrán un diálogo periódico sobre la transferencia internacional "
           "de datos entre sus economías.", {"data_free_flow": "soft"}),
    ("en", "Each Party shall endeavour to avoid measures requiring the localisation of "
           "computing facilities.", {"server_location": "soft"}),
    ("en", "At the first review, the Parties shall consider whether to add commitments on "
           "the free movement of data.", {"data_free_flow": "soft"}),
    ("en", "The Parties shall exchange views on the placement of data centres and the "
           "requirements that govern it.", {"server_location": "soft"}),
]

#: A schedule's reservation keeps the power a rule would take away; without the negation
#: phrases each of these read as a binding server-location rule.
RESERVATIONS = [
    ("es", "Reserva: la República se reserva el derecho de exigir que las entidades "
           "financieras mantengan en servidores ubicados en su territorio una copia de la "
           "información de sus clientes, y la autoridad podrá negar la licencia a quien no lo "
           "haga.", {}),
    ("en", "Reservation: the Republic reserves the right to require that financial "
           "institutions keep a copy of their customer records on servers located in its "
           "territory, and the regulator may refuse a licence to an institution that does "
           "not.", {}),
    ("fr", "Réserve : la République se réserve le droit d'exiger que les établissements "
           "financiers conservent une copie des données de leurs clients sur des serveurs "
           "situés sur son territoire, et l'autorité peut refuser l'agrément.", {}),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(taxonomy=TAXONOMY)


@pytest.fixture(scope="module")
def rules_only(tmp_path_factory) -> Pipeline:
    """The bundled taxonomy with `topic_model: false`: the hand-written gate decides."""
    rules = tmp_path_factory.mktemp("rules") / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), rules, ignore=shutil.ignore_patterns("*.py"))
    settings = rules / "taxonomy.yaml"
    settings.write_text(settings.read_text().replace("  topic_model: true",
                                                     "  topic_model: false"))
    return Pipeline(taxonomy=load_taxonomy(rules))


def _classify(pipeline: Pipeline, lang: str, text: str) -> Classification:
    return classify_alone(pipeline, lang, text)


@pytest.mark.parametrize(("lang", "text", "expected"), FOUND + RESERVATIONS)
def test_the_classifier_reads_the_clause(pipeline, lang, text, expected):
    result = _classify(pipeline, lang, text)
    assert {f.category: f.strength for f in result.findings} == expected


def test_a_reservation_phrase_is_a_negation_in_every_language():
    negations = {lang: set(phrases.get("negation", []))
                 for lang, phrases in TAXONOMY.modality.items()}
    assert "reserves the right" in negations["en"]
    assert "se reserva el derecho" in negations["es"]
    assert "se réserve le droit" in negations["fr"]


#: Soft data-flow clauses that also name the protection of personal data: by the sentence
#: model (English-trained), their nearest Spanish or French exemplar is the hard negative
#: on privacy cooperation.
NEAR_A_HARD_NEGATIVE = [
    ("fr", "Les Parties s'efforcent de faciliter la circulation des données entre elles, dans "
           "le respect de leurs règles sur la protection des données à caractère personnel."),
    ("fr", "Les Parties coopèrent en matière de protection des données personnelles et "
           "facilitent la circulation des données entre elles."),
    ("es", "Las Partes procurarán facilitar la circulación de datos entre ellas, respetando "
           "sus normas de protección de datos personales."),
]


def _flow_decision(pipeline: Pipeline, lang: str, text: str) -> Decision:
    return decision_alone(pipeline, lang, text, "data_free_flow")


@pytest.mark.parametrize(("lang", "text"), NEAR_A_HARD_NEGATIVE)
def test_the_hard_negative_veto_is_the_gate_s_not_the_model_s(pipeline, rules_only, lang,
                                                               text):
    """With the topic model (which reads both similarities) the clause is a soft finding;
    the hand-written gate, without the model, still lets the closer hard negative veto
    it (docs/architecture.md; before 0.14.0 the veto overruled the model too)."""
    decided = _flow_decision(pipeline, lang, text)
    assert decided.outcome == "finding" and decided.finding.strength == "soft", decided.reason
    assert rules_only.classifier.topic_model is None
    assert _flow_decision(rules_only, lang, text).outcome == "hard negative"
