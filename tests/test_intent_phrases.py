"""Statements of intent, shared aims, exchanges of views and what a cooperation may cover
(taxonomy 2027.1.14 and 2027.1.16; docs/evaluation.md, 0.17.16 and 0.17.18).

Joint declarations, review clauses and cooperation articles say what the Parties mean to do
without a "shall endeavour" or a "cooperate": "The Parties intend to ...", "Las Partes
comparten el objetivo de ...", "Le comité procède à un échange de vues sur ...". Until
0.17.16 no soft phrase read them, and such clauses were reported as having no commitment.
A Party's intention inside a rule ("A Party that intends to adopt a measure ... shall
notify") and a body that merely examines the chapter ("El Comité examinará ...") are not
statements of intent, and "Les Parties entendent par « ... »" is the definition it is.
0.17.18 adds participants' intentions, a declared will and an attachment to an aim ("Les
Participants entendent favoriser ...", "expresan su voluntad", "affirment leur
attachement").
After the review of 0.17.17 these phrases are their own kind, `intent`: soft, but a rule
in the same sentence decides ("As the Parties share the aim of ..., no Party shall
require ..."). The clauses are the team's own, modelled on ministerial statements,
review clauses and cooperation articles.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, by_the_rules, decision_alone

MARKERS = ("2027.1.14: statements of intent, shared aims, exchanges of views and what a "
           "cooperation may cover",
           "2027.1.14: intenciones declaradas, objetivos compartidos y la conveniencia de "
           "adoptar",
           "2027.1.14: intentions déclarées, objectifs partagés, échanges de vues et champ de "
           "la coopération",
           "2027.1.16: participants' intentions, shared intentions, attachment to an aim",
           "2027.1.16: la voluntad declarada, la intención de los participantes",
           "2027.1.16: l'intention des participants, l'attachement déclaré à un objectif")

#: (language, category, clause): a soft finding by the rules now, none by them before.
INTENT = [
    ("en", "data_free_flow", "The Parties intend to begin talks, before the first review of "
     "this Agreement, on commitments that would let information move across their borders "
     "for the conduct of business."),
    ("en", "server_location", "The two governments share the objective of avoiding rules "
     "that oblige firms to keep their computing facilities inside the country."),
    ("en", "source_code_secrecy", "The Parties expressed their intention to consider, at the "
     "next review, a rule against demands for the source code of mass-market software."),
    ("es", "data_free_flow", "Las Partes tienen la intención de negociar, en un plazo de tres "
     "años, disposiciones sobre la transferencia transfronteriza de información por medios "
     "electrónicos."),
    ("es", "server_location", "Las Partes comparten el objetivo de que los proveedores no "
     "deban instalar servidores en el territorio de cada Parte para operar en él."),
    ("es", "source_code_secrecy", "El Consejo Conjunto evaluará la conveniencia de adoptar "
     "reglas que impidan exigir el código fuente de los programas informáticos como "
     "condición de importación."),
    ("fr", "data_free_flow", "Les Parties entendent engager des discussions sur les "
     "transferts transfrontières de données lors du premier réexamen du présent accord."),
    ("fr", "server_location", "Le comité procède à un échange de vues sur les obligations de "
     "localisation des installations informatiques."),
    ("fr", "source_code_secrecy", "La coopération peut notamment porter sur les demandes "
     "d'accès au code source des logiciels formulées par les autorités."),
    # 2027.1.16
    ("en", "data_free_flow", "The Participants intend to work towards the movement of "
     "information across borders with trust, in support of trade and research."),
    ("en", "server_location", "The Parties reaffirm their shared intention to avoid "
     "requirements to locate computing facilities in their territories."),
    ("es", "data_free_flow", "Las Partes expresan su voluntad de facilitar la transferencia "
     "transfronteriza de información por medios electrónicos."),
    ("fr", "data_free_flow", "Les Participants entendent faciliter les transferts "
     "transfrontières de données dans un climat de confiance."),
    ("fr", "server_location", "Les Parties réaffirment leur attachement à l'absence "
     "d'exigences de localisation des installations informatiques."),
]


@pytest.mark.parametrize(("lang", "category", "text"), INTENT)
def test_a_statement_of_intent_is_a_soft_rule(pipelines, lang, category, text):
    assert_read_only_now(pipelines, lang, text, category, "soft")


@pytest.mark.parametrize(("lang", "category", "text"), [
    ("en", "server_location", "As the Parties share the aim of fostering digital trade, no "
     "Party shall require a covered person to use or locate computing facilities in that "
     "Party's territory as a condition for conducting business in that territory."),
    ("es", "data_free_flow", "Dado que las Partes comparten el objetivo de promover el "
     "comercio digital, cada Parte permitirá la transferencia transfronteriza de información "
     "por medios electrónicos cuando esta actividad sea para la realización de un negocio."),
    ("fr", "data_free_flow", "Les Parties partagent l'objectif d'un internet ouvert et, à "
     "cette fin, aucune Partie n'interdit ni ne restreint le transfert transfrontière "
     "d'informations par voie électronique."),
])
def test_an_intent_yields_to_a_rule_in_its_own_sentence(pipelines, lang, category, text):
    """An intent phrase first in a sentence does not make the rule after it soft (the
    `intent` kind: docs/taxonomy.md)."""
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


def test_a_binding_rule_beside_an_intent_stays_binding(pipelines):
    found = decision_alone(pipelines[0], "en", "Each Party shall allow the cross-border "
                           "transfer of information by electronic means for the conduct of "
                           "business. The Parties intend to review this Article three years "
                           "after entry into force.", "data_free_flow")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "A Party that intends to adopt a measure restricting the cross-border transfer of "
           "information shall notify the other Party sixty days in advance."),
    ("es", "Si una Parte tiene la intención de adoptar una medida que restrinja la "
           "transferencia transfronteriza de información, lo notificará a la otra Parte."),
])
def test_a_partys_intention_inside_a_rule_is_no_statement_of_intent(pipelines, lang, text):
    """Only the Parties' (or ministers', governments') intention is a soft phrase: one
    Party's intention is the condition of a rule, which is read as it was before."""
    bundled, before = pipelines
    now = decision_alone(bundled, lang, text, "data_free_flow")
    then = decision_alone(before, lang, text, "data_free_flow")
    assert (now.outcome, now.reason) == (then.outcome, then.reason)
    assert "intend" not in now.reason and "intención" not in now.reason


def test_a_body_that_examines_the_chapter_states_no_intent(pipelines):
    """A bare "examinará" (a committee's agenda, a transition article) is not read."""
    found = decision_alone(pipelines[0], "es", "El Comité examinará el funcionamiento del "
                           "presente Capítulo, incluidas las disposiciones sobre la "
                           "transferencia transfronteriza de información.", "data_free_flow")
    assert found.outcome != "finding", found.reason


def test_parties_who_say_what_a_word_means_state_no_intent(pipelines):
    """ "Les Parties entendent par « ... »" defines a term: not a finding of its own."""
    found = decision_alone(pipelines[0], "fr", "Les Parties entendent par « transfert "
                           "transfrontière de données » toute transmission de données par "
                           "voie électronique d'une Partie vers l'autre.", "data_free_flow")
    assert found.outcome == "excluded", found.reason
