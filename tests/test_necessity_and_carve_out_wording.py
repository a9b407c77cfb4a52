"""Necessity tests, carve-outs and cooperation undertakings in wording the cues lacked
(taxonomy 2027.1.25; docs/evaluation.md, 0.17.27).

The Spanish necessity test read "necesaria para alcanzar" but not "necesaria para cumplir
un objetivo legítimo ... y no exceda lo indispensable"; the French one read "nécessaire
pour atteindre" but not "nécessaire à la réalisation d'un objectif légitime" or
"restrictions plus lourdes que ne l'exige cet objectif". "Software used in critical
infrastructure falls outside paragraph 1", "does not apply to software procured by or for
a government" and "Quedan fuera ...: la información que una Parte, o quien actúe en su
nombre, posea" were no carve-outs; "qu'elle l'estime nécessaire" (the pronoun elided) was
no self-judging test; "undertake to cooperate" was no best-endeavour phrase (since the
review's mends, a statement of intent: a binding phrase in its sentence decides). The
clauses are the team's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import assert_read_only_now, taxonomy_without
from tradelens.classify.modifiers import modifier_evidence
from tradelens.taxonomy import load_taxonomy

MARKERS = ("2027.1.25: necesaria para cumplir el objetivo, sin exceder lo indispensable",
           "2027.1.25: nécessaire à la réalisation de l'objectif, pas plus lourde que ne "
           "l'exige l'objectif",
           "2027.1.25: critical infrastructure that falls or lies outside a paragraph",
           "2027.1.25: software or services procured by or for a government",
           "2027.1.25: la información que una Parte, o quien actúe en su nombre, posea o "
           "procese, fuera del capítulo",
           "2027.1.25: qu'elle l'estime nécessaire, le pronom élidé",
           "2027.1.25: an undertaking to cooperate",
           "2027.1.25: el compromiso de cooperar",
           "2027.1.25: l'engagement de coopérer")

#: (language, modifier, text): found with 2027.1.25, not before.
FOUND = [
    ("es", "lppo_necessity",
     "Cada Parte autorizará el envío de datos al extranjero por medios electrónicos, salvo "
     "que una restricción sea necesaria para cumplir un objetivo legítimo de política "
     "pública y no exceda lo indispensable para ello."),
    ("fr", "lppo_necessity",
     "Le paragraphe 1 n'empêche pas une Partie de maintenir une mesure nécessaire à la "
     "réalisation d'un objectif légitime de politique publique, à condition qu'elle "
     "n'impose pas de restrictions plus lourdes que ne l'exige cet objectif."),
    ("fr", "lppo_self_judging",
     "Une Partie peut toutefois imposer une telle condition si elle l'estime nécessaire à "
     "un objectif légitime de politique publique."),
    ("en", "critical_infrastructure_excluded",
     "2. Software that runs critical infrastructure falls outside paragraph 1."),
    ("en", "government_procurement_excluded",
     "3. Paragraph 1 does not apply to software procured by or for the government of a "
     "Party."),
    ("es", "government_information_excluded",
     "2. Quedan fuera de este Capítulo la información que una Parte, o quien actúe en su "
     "nombre, posea o procese, y las medidas relativas a esa información."),
]

#: (language, modifier, text): near neighbours left alone.
NOT_FOUND = [
    # the Party judges the necessity itself: self-judging, not the objective test
    ("fr", "lppo_necessity",
     "Une Partie peut toutefois imposer une telle condition si elle l'estime nécessaire à "
     "la réalisation d'un objectif légitime de politique publique."),
    ("en", "critical_infrastructure_excluded",
     "The Parties shall cooperate on the protection of critical infrastructure outside "
     "their territories."),
    ("en", "government_procurement_excluded",
     "Each Party shall publish the list of software procured by its government."),
    # the review of 0.17.27: necessity outside the test, self-judging wording, a carve-out
    # denied or in another sentence
    ("es", "lppo_necessity",
     "Cada Parte adoptará las medidas necesarias para cumplir sus obligaciones de "
     "transparencia, y podrá perseguir un objetivo legítimo de política pública."),
    ("fr", "lppo_necessity",
     "Une Partie peut maintenir les mesures qui lui paraissent nécessaires à la réalisation "
     "d'un objectif légitime de politique publique."),
    ("en", "critical_infrastructure_excluded",
     "Nothing in this Chapter shall be construed to mean that critical infrastructure falls "
     "outside paragraph 1."),
    ("en", "government_procurement_excluded",
     "Paragraph 1 shall not apply to measures taken for security reasons; it shall apply, "
     "however, to software procured by or for a Party."),
]

#: A rule beside an undertaking to cooperate in its sentence stays binding: (language,
#: category, clause).
STILL_HARD = [
    ("en", "data_free_flow",
     "The Parties undertake to cooperate in good faith, and no Party shall prohibit the "
     "cross-border transfer of information by electronic means for the conduct of "
     "business."),
    ("es", "server_location",
     "Las Partes se comprometen a cooperar y ninguna Parte exigirá el uso de instalaciones "
     "informáticas ubicadas en su territorio como condición para operar."),
]

#: (language, category, clause): best endeavour with 2027.1.25, not read by the rules before.
COOPERATION = [
    ("en", "data_free_flow",
     "The Parties undertake to cooperate with a view to facilitating cross-border "
     "transfers of personal data, in accordance with their respective laws."),
    ("es", "data_free_flow",
     "Las Partes se comprometen a cooperar para facilitar las transferencias "
     "transfronterizas de datos personales, conforme a sus respectivas legislaciones."),
    ("fr", "data_free_flow",
     "Les Parties s'engagent à coopérer afin de faciliter les transferts transfrontières "
     "de données personnelles, dans le respect de leurs législations."),
]


@pytest.fixture(scope="module")
def taxonomies(tmp_path_factory):
    before = taxonomy_without(Path(tmp_path_factory.mktemp("t")) / "t", *MARKERS)
    return load_taxonomy(), load_taxonomy(before)


@pytest.mark.parametrize("lang, modifier, text", FOUND)
def test_found_only_now(taxonomies, lang: str, modifier: str, text: str):
    now, before = taxonomies
    assert modifier_evidence(now.modifiers[modifier], None, text, lang)
    assert not modifier_evidence(before.modifiers[modifier], None, text, lang)


@pytest.mark.parametrize("lang, modifier, text", NOT_FOUND)
def test_near_neighbours_are_left_alone(taxonomies, lang: str, modifier: str, text: str):
    now, _ = taxonomies
    assert not modifier_evidence(now.modifiers[modifier], None, text, lang)


@pytest.mark.parametrize("lang, category, text", COOPERATION)
def test_an_undertaking_to_cooperate_is_best_endeavour(pipelines, lang: str, category: str,
                                                       text: str):
    assert_read_only_now(pipelines, lang, text, category, "soft")


@pytest.mark.parametrize("lang, category, text", STILL_HARD)
def test_a_rule_beside_an_undertaking_to_cooperate_still_binds(pipelines, lang: str,
                                                              category: str, text: str):
    from tests.conftest import by_the_rules, decision_alone

    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
