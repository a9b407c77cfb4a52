"""A language's own topic bar where a topic cue matches (`topic_threshold_with_cue_by_language`,
taxonomy 2026.12.28; docs/evaluation.md, 0.17.1).

The multilingual head that decides Spanish and French gives under 0.2 to many rules whose
cue names the topic, above all a banned requirement read as one item of a list; in Spanish
and French a clause with a cue now needs 0.1. The learned commitment reader does not reopen
a decision that only the lower bar let through: there the rules' wording decides. A recital
that each Party may set its own requirements, which the lower bar would otherwise let
through as a best endeavour, is a negative cue in any of its usual verbs and nouns (taxonomy
2026.12.29). The clauses are the team's own.
"""

from __future__ import annotations

import math

import pytest

from tests.conftest import decision_alone, taxonomy_replaced
from tradelens.analysis import Pipeline
from tradelens.classify.commitment import NO_WORDING
from tradelens.classify.decision import Decision
from tradelens.classify.modality import language_tools
from tradelens.classify.reopen import reader_text
from tradelens.errors import SetupError
from tradelens.models import Clause
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
SETTING = "  topic_threshold_with_cue_by_language: {es: 0.1, fr: 0.1}\n"

#: A ban on requirements whose digital item is one item of a list: the item has a cue,
#: and the shipped model gives it 0.17.
IN_THE_BAND = [
    ("fr", "server_location",
     "Article 12 Exigences prohibées. 1. Aucune Partie n'exige, pour autoriser une "
     "entreprise de l'autre Partie à exercer ses activités sur son territoire : a) l'usage "
     "ou l'implantation d'installations informatiques sur ce territoire ; b) la "
     "communication du code source de ses logiciels. 2. Le présent article ne vise ni les "
     "marchés publics ni les informations détenues par une Partie. 3. Les Parties "
     "réexaminent le présent article cinq ans après son entrée en vigueur, en vue d'y "
     "inclure les algorithmes."),
]


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory) -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy, and the same without the per-language bar with a cue."""
    plain = taxonomy_replaced(tmp_path_factory.mktemp("plain") / "taxonomy", SETTING, "")
    return Pipeline(taxonomy=TAXONOMY), Pipeline(taxonomy=load_taxonomy(plain))


def test_the_bar_with_a_cue_is_lower_in_spanish_and_french_only():
    classifier = Pipeline(taxonomy=TAXONOMY).classifier
    assert classifier.topic_threshold(True, "es", "server_location") == 0.1
    assert classifier.topic_threshold(True, "fr", "data_free_flow") == 0.1
    assert classifier.topic_threshold(True, "en", "server_location") == 0.2
    assert classifier.topic_threshold(False, "es", "server_location") == 0.5
    assert classifier.topic_threshold(False, "fr", "server_location") == 0.6  # 0.17.12


@pytest.mark.parametrize(("lang", "category", "text"), IN_THE_BAND)
def test_a_rule_in_the_band_is_found_now(pipelines, lang, category, text):
    shipped, plain = pipelines
    before = decision_alone(plain, lang, text, category)
    assert before.outcome == "no topic", before.reason
    found = decision_alone(shipped, lang, text, category)
    assert found.outcome == "finding" and found.finding.strength == "hard", found.reason


def test_the_screen_asks_a_clause_with_a_cue_for_the_language_s_bar():
    classifier = Pipeline(taxonomy=TAXONOMY).classifier
    names = list(classifier.topic_model.categories)
    text = "Ninguna Parte exigirá el uso de instalaciones informáticas en su territorio."
    for lang, bar in (("es", 0.1), ("en", 0.2)):
        _, needed = classifier.screen_parts([text], lang)
        column = names.index("server_location")
        if lang == "es":  # the Spanish cue matches; the English cues do not
            assert needed[0, column] == pytest.approx(math.log(bar / (1 - bar)))
        else:
            assert needed[0, column] == pytest.approx(math.log(0.5 / 0.5))


def test_the_commitment_reader_does_not_reopen_below_the_general_bar():
    """A decision for want of wording, with a cue, at 0.15: in the band only the lower bar
    lets through, so the reader may not read it; at 0.25 it may."""
    text = ("Las Partes examinarán juntas la cuestión de las instalaciones informáticas "
            "situadas en el territorio de cada una, en el marco del Comité de Comercio "
            "Digital.")
    clause = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                    article_key="a1", paragraph="1", location="x", text=text)
    category = TAXONOMY.categories["server_location"]
    tools = language_tools("es", TAXONOMY)
    decision = Decision("server_location", "no commitment", NO_WORDING,
                        read=[(0, len(text))])
    args = (clause, text, "es", tools, {})
    assert reader_text(TAXONOMY, decision, category, 0.15, *args) is None
    assert reader_text(TAXONOMY, decision, category, 0.25, *args) is not None


@pytest.mark.parametrize("bad", ["  topic_threshold_with_cue_by_language: {de: 0.1}\n",
                                 "  topic_threshold_with_cue_by_language: {es: 1.5}\n",
                                 "  topic_threshold_with_cue_by_language: {es: {a: 1}}\n"])
def test_a_bad_setting_is_refused_with_the_file_named(tmp_path, bad):
    folder = taxonomy_replaced(tmp_path / "taxonomy", SETTING, bad)
    with pytest.raises(SetupError, match=r"taxonomy\.yaml(:\d+)?: (invalid taxonomy|topic_thresh)"):
        load_taxonomy(folder)


#: The recital that keeps each Party's own requirements, in other verbs than the CPTPP's:
#: no finding on its own ...
RECITALS = [
    ("en", "The Parties acknowledge that each Party may set its own regulatory requirements "
           "for the use of computing facilities, including to keep communications secure."),
    ("es", "Las Partes reconocen que cada Parte podrá establecer sus propios requisitos "
           "sobre el uso de instalaciones informáticas, incluso para proteger la seguridad "
           "de las comunicaciones."),
    ("fr", "Les Parties reconnaissent que chacune d'elles peut fixer ses propres exigences "
           "réglementaires quant à l'utilisation ou à l'emplacement des installations "
           "informatiques sur son territoire, y compris pour protéger la sécurité et la "
           "confidentialité des communications."),
]
#: ... and the rule after it is still read: the veto reaches only the recital's sentence.
RULE_AFTER = {
    "en": " No Party shall require a covered person to use or locate computing facilities "
          "in its territory as a condition for conducting business there.",
    "es": " Ninguna Parte exigirá a una persona cubierta usar o ubicar instalaciones "
          "informáticas en su territorio como condición para operar en él.",
    "fr": " Aucune Partie n'exige d'une personne visée qu'elle utilise ou implante des "
          "installations informatiques sur son territoire comme condition pour y exercer "
          "ses activités.",
}


@pytest.mark.parametrize(("lang", "text"), RECITALS)
def test_a_recital_of_own_requirements_is_no_finding(pipelines, lang, text):
    shipped, _ = pipelines
    alone = decision_alone(shipped, lang, text, "server_location")
    assert alone.outcome == "negative cue", alone.reason
    with_rule = decision_alone(shipped, lang, text + RULE_AFTER[lang], "server_location")
    assert with_rule.outcome == "finding" and with_rule.finding.strength == "hard", \
        with_rule.reason
