"""A rule and its proviso joined by a semicolon, and the binding, best-endeavour and right
forms of unusual sentence shapes (taxonomy 2027.1.24; docs/evaluation.md, 0.17.26).

"No Party shall require ... source code ...; this obligation does not extend to measures
a Party considers necessary for its essential security interests" was read as an
exception clause: the security wording is in the clause's first sentence and no turn
("but", "unless", "sauf si") came before it, so the rule before the semicolon was lost.
A semicolon is now a turn, and the words before it are read for a rule as after any other
turn (a sentence whose subject is a provision still opens an exception). The phrases:
"nulle Partie", "Une Partie ne conditionne pas", "la Partie ne peut y faire obstacle",
"ont la faculté de", "Tampoco podrá una Parte", "tendrán la facultad de", "shall be
withdrawn ... shall not be reintroduced" (binding or rights); "il conviendrait que",
"convendría que", "it would be desirable that" (best endeavour). The clauses are the
team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone

MARKERS = ("2027.1.24: a semicolon before the proviso (\"...; this obligation does not "
           "extend to ...\")",
           "2027.1.24: un punto y coma antes de la salvedad",
           "2027.1.24: un point-virgule avant la réserve",
           "2027.1.24: nulle Partie, une Partie qui ne conditionne pas",
           "2027.1.24: l'obstacle interdit à qui en a le pouvoir",
           "2027.1.24: la faculté reconnue",
           "2027.1.24: il conviendrait que",
           "2027.1.24: tampoco podrá una Parte",
           "2027.1.24: convendría que",
           "2027.1.24: la facultad reconocida",
           "2027.1.24: measures to be withdrawn and not reintroduced",
           "2027.1.24: it would be desirable")

#: A rule, a semicolon, its proviso: (language, category, clause, strength, modifier).
PROVISOS = [
    ("en", "data_free_flow",
     "Each Party shall allow a covered person to transfer information across its borders "
     "by electronic means for the conduct of its business; this commitment does not cover "
     "measures that a Party considers necessary to protect its essential security "
     "interests.", "hard", "security_self_judging"),
    ("es", "source_code_secrecy",
     "Ninguna Parte exigirá la entrega del código fuente de un programa informático como "
     "condición para su importación; esta obligación no alcanza a las medidas que una Parte "
     "considere necesarias para proteger sus intereses esenciales de seguridad.", "hard",
     "security_self_judging"),
    ("fr", "server_location",
     "Aucune Partie n'oblige un prestataire à utiliser des installations informatiques "
     "situées sur son territoire ; une Partie peut néanmoins adopter les mesures nécessaires "
     "pour atteindre un objectif légitime de politique publique, pourvu qu'elles ne soient "
     "pas plus restrictives que nécessaire.", "hard", "lppo_necessity"),
]

#: (language, category, clause, strength): read by the rules with 2027.1.24, not before.
READ = [
    ("fr", "source_code_secrecy",
     "Nulle Partie n'exigera la remise du code source d'un logiciel comme condition de son "
     "importation sur son territoire.", "hard"),
    ("fr", "source_code_secrecy",
     "Une Partie ne conditionne pas l'importation d'un logiciel à la communication de son "
     "code source.", "hard"),
    ("fr", "data_free_flow",
     "Le transfert d'informations par voie électronique hors du territoire d'une Partie, "
     "lorsqu'il est effectué pour les besoins d'une personne visée, est libre et la Partie "
     "ne peut y faire obstacle.", "hard"),
    ("fr", "data_free_flow",
     "Les prestataires de services financiers ont la faculté de transférer des informations "
     "hors du territoire de la Partie par voie électronique pour les besoins de leurs "
     "activités.", "hard"),
    ("es", "server_location",
     "Tampoco podrá una Parte exigir a una persona cubierta que utilice instalaciones "
     "informáticas ubicadas en su territorio como condición para operar en él.", "hard"),
    ("es", "data_free_flow",
     "Los proveedores de servicios financieros tendrán la facultad de transferir "
     "información fuera del territorio de la Parte por medios electrónicos para su "
     "procesamiento.", "hard"),
    ("en", "server_location",
     "Any requirement that a service supplier locate its servers in a Party's territory "
     "shall be withdrawn within two years and shall not be reintroduced.", "hard"),
    ("fr", "server_location",
     "Il conviendrait que les Parties évitent d'imposer l'utilisation d'installations "
     "informatiques situées sur leur territoire.", "soft"),
    ("es", "server_location",
     "Convendría que las Partes se abstuvieran de exigir el uso de instalaciones "
     "informáticas ubicadas en su territorio.", "soft"),
    ("en", "source_code_secrecy",
     "It would be desirable that no Party require the transfer of source code as a "
     "condition for the import of software.", "soft"),
]

#: Exceptions whose subject is a provision: never a finding, a semicolon or not:
#: (language, category, clause).
EXCEPTIONS = [
    ("en", "server_location",
     "Nothing in this Article shall prevent a Party from requiring the use of computing "
     "facilities in its territory; such requirements shall be necessary to achieve a "
     "legitimate public policy objective."),
    ("fr", "data_free_flow",
     "Le paragraphe 1 n'empêche pas une Partie de restreindre le transfert "
     "d'informations par voie électronique ; une telle mesure doit être nécessaire à la "
     "réalisation d'un objectif légitime de politique publique."),
]


#: Near neighbours the review of 0.17.26 found read wrongly, left alone since its mends:
#: (language, category, clause).
LEFT = [
    # a semicolon before no proviso's opening: a transparency duty, then a list's place
    ("en", "server_location",
     "Each Party shall ensure that any requirement that data be stored on servers located "
     "in its territory is published; measures it considers necessary for its essential "
     "security interests are listed in Annex 3."),
    # something else withdrawn than a measure
    ("en", "data_free_flow",
     "An authorisation to transfer personal data outside the territory of a Party shall be "
     "withdrawn where the recipient no longer offers adequate protection."),
    # "no part of", and a contract's parties
    ("fr", "data_free_flow",
     "Nulle partie des données de santé ne peut être transférée hors du territoire sans "
     "le consentement de la personne concernée."),
    ("es", "source_code_secrecy",
     "Tampoco podrá una Parte invocar el mecanismo de solución de controversias respecto "
     "de las medidas sobre el código fuente que adopte la otra Parte."),
    # a condition, and the power it leaves
    ("fr", "server_location",
     "Lorsqu'une Partie ne conditionne pas l'accès au marché à la localisation des "
     "serveurs, elle peut exiger que certaines données soient conservées sur son "
     "territoire."),
    # desirability denied or in doubt
    ("en", "source_code_secrecy",
     "The Committee shall examine whether it would be desirable that no Party require the "
     "transfer of source code."),
]


@pytest.mark.parametrize("lang, category, text", LEFT)
def test_near_neighbours_found_by_the_review_have_no_finding_by_the_rules(
        pipelines, lang: str, category: str, text: str):
    decision = decision_alone(pipelines[0], lang, text, category)
    assert not (decision.outcome == "finding" and decision.finding.read_by is None
                and decision.finding.strength == "hard"), decision.reason


@pytest.mark.parametrize("lang, category, text, strength, modifier", PROVISOS)
def test_a_rule_before_a_semicolon_is_a_finding_carrying_its_proviso(
        pipelines, lang: str, category: str, text: str, strength: str, modifier: str):
    assert_read_only_now(pipelines, lang, text, category, strength)
    found = decision_alone(pipelines[0], lang, text, category)
    assert modifier in {m.modifier for m in found.finding.modifiers}, found.reason
    before = decision_alone(pipelines[1], lang, text, category)
    assert before.outcome == "excluded", before.reason


@pytest.mark.parametrize("lang, category, text, strength", READ)
def test_read_only_now(pipelines, lang: str, category: str, text: str, strength: str):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize("lang, category, text", EXCEPTIONS)
def test_an_exception_opened_by_a_provision_stays_no_finding(pipelines, lang: str,
                                                             category: str, text: str):
    decision = decision_alone(pipelines[0], lang, text, category)
    assert decision.outcome != "finding", decision.reason
