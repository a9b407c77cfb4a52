"""A language's own topic bar for a category, without a cue (`topic_threshold_by_language`,
taxonomy 2026.12.19; docs/evaluation.md, 0.15.0; French's bars 2027.1.10, 0.17.12).

The multilingual head that decides Spanish and French gives data flows 0.5 to 0.7 on many
clauses about other information (customs exchanges, paperless trade, online consumers); in
Spanish a data-flow finding without a topic cue now needs 0.7, in French 0.8, and French
server-location and source-code findings 0.6 (the bars that leaving each read set out chose).
The clauses are the team's own; each sits in its language's band under the shipped model.
"""

from __future__ import annotations

import math

import pytest

from tests.conftest import decision_alone, taxonomy_replaced
from tradelens.analysis import Pipeline
from tradelens.errors import SetupError
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
SETTING = ("  topic_threshold_by_language:\n    es: {data_free_flow: 0.7}\n"
           "    fr: {data_free_flow: 0.8, server_location: 0.6, source_code_secrecy: 0.6}\n")
BAR = {"es": "0.7", "fr": "0.8"}

IN_THE_BAND = [
    ("es", "Las Partes cooperarán para facilitar el intercambio electrónico de información "
           "entre sus administraciones aduaneras."),
    ("fr", "Les Parties reconnaissent l'importance du commerce électronique transfrontière "
           "pour les petites entreprises."),
    ("fr", "Les Parties reconnaissent l'importance de la coopération en matière de commerce "
           "électronique transfrontière."),
    # between 0.7 and 0.8: a finding under 0.17.11's French bar, none under 0.17.12's
    ("fr", "Les autorités chargées de la protection des données coopèrent pour traiter les "
           "réclamations transfrontières des personnes dont les données ont été transférées."),
]


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory) -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy, and the same without the per-language bar (0.14.0's)."""
    plain = taxonomy_replaced(tmp_path_factory.mktemp("plain") / "taxonomy", SETTING, "")
    return Pipeline(taxonomy=TAXONOMY), Pipeline(taxonomy=load_taxonomy(plain))


def _flow(pipeline: Pipeline, lang: str, text: str):
    return decision_alone(pipeline, lang, text, "data_free_flow")


def test_the_bar_without_a_cue_is_the_language_s_own():
    classifier = Pipeline(taxonomy=TAXONOMY).classifier
    assert classifier.topic_threshold(False, "es", "data_free_flow") == 0.7
    assert classifier.topic_threshold(False, "fr", "data_free_flow") == 0.8
    assert classifier.topic_threshold(False, "fr", "server_location") == 0.6
    assert classifier.topic_threshold(False, "fr", "source_code_secrecy") == 0.6
    assert classifier.topic_threshold(False, "en", "data_free_flow") == 0.5
    assert classifier.topic_threshold(False, "es", "server_location") == 0.5
    assert classifier.topic_threshold(True, "fr", "server_location") == 0.1
    assert classifier.topic_threshold(True, "en", "data_free_flow") == 0.2


@pytest.mark.parametrize(("lang", "text"), IN_THE_BAND)
def test_a_clause_in_the_band_is_no_longer_a_finding(pipelines, lang, text):
    shipped, plain = pipelines
    assert _flow(plain, lang, text).outcome == "finding"
    decided = _flow(shipped, lang, text)
    assert decided.outcome == "no topic"
    assert BAR[lang] in decided.reason, decided.reason


def test_the_screen_asks_each_category_for_its_own_bar():
    """The topic screen settles a clause only below the bar `_decide` would apply."""
    classifier = Pipeline(taxonomy=TAXONOMY).classifier
    names = list(classifier.topic_model.categories)
    _, needed = classifier.screen_parts(["Un texto sin ninguna palabra del tema."], "es")
    for column, name in enumerate(names):
        bar = classifier.topic_threshold(False, "es", name)
        assert needed[0, column] == pytest.approx(math.log(bar / (1 - bar)))


@pytest.mark.parametrize("bad", ["    de: {data_free_flow: 0.7}\n",
                                 "    es: {data_free_flows: 0.7}\n",
                                 "    es: {data_free_flow: 1.5}\n",
                                 "    es: 0.7\n"])
def test_a_bad_setting_is_refused_with_the_file_named(tmp_path, bad):
    folder = taxonomy_replaced(tmp_path / "taxonomy", "    es: {data_free_flow: 0.7}\n", bad)
    with pytest.raises(SetupError, match=r"taxonomy\.yaml(:\d+)?: (invalid taxonomy|topic_thresh)"):
        load_taxonomy(folder)


def test_french_data_flows_between_the_old_bar_and_the_new_one(tmp_path):
    """The clause between 0.7 and 0.8 is a finding under 0.17.11's French bars (0.7, and
    0.5 for the other categories) and none under 0.17.12's."""
    old = taxonomy_replaced(tmp_path / "taxonomy", SETTING,
                            SETTING.replace("{data_free_flow: 0.8, server_location: 0.6, "
                                            "source_code_secrecy: 0.6}",
                                            "{data_free_flow: 0.7}"))
    lang, text = IN_THE_BAND[-1]
    assert _flow(Pipeline(taxonomy=load_taxonomy(old)), lang, text).outcome == "finding"
    assert _flow(Pipeline(taxonomy=TAXONOMY), lang, text).outcome == "no topic"

