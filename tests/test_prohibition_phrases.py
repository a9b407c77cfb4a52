"""Impersonal and passive prohibitions, strong best-endeavour verbs and elided rights
(taxonomy 2026.12.24; docs/evaluation.md, "Impersonal prohibitions and strong
best-endeavour verbs").

Each language's phrase lists lacked forms that other drafting habits use for the same
commitment: a rule whose subject is a measure or a rule of law ("Ninguna medida que una
Parte adopte podrá obligar ..."), a condition denied in the passive ("El otorgamiento de
una licencia no estará supeditado a ..."), "may not" with a government as its subject,
"ne saurait refuser", rights written with an elided "d'" ("ont le droit d'envoyer"), and
best endeavours behind strong verbs ("shall make every effort", "met tout en œuvre"). Such
a clause had no wording the rules know, so it was no finding. The clauses are the team's
own, modelled on investment treaties, licensing rules and cooperation chapters.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    assert_read_only_now,
    by_the_rules,
    decision_alone,
)

#: (language, category, clause, strength): read with the new phrases, no finding without.
READ = [
    ("en", "server_location",
     "A government that signs this Agreement may not tell a cloud provider that it must "
     "keep its servers in the country before it can sell there.", "hard"),
    ("en", "source_code_secrecy",
     "The Parties agree not to require the transfer of the source code of software as a "
     "condition for its import or sale in their territories.", "hard"),
    ("en", "server_location",
     "Each Party shall make every effort not to require a supplier of the other Party to "
     "locate computing facilities in its territory as a condition for supplying a "
     "service.", "soft"),
    ("es", "server_location",
     "El otorgamiento de un permiso de operación no estará supeditado a que el solicitante "
     "aloje sus datos en servidores situados en el territorio de la Parte.", "hard"),
    ("es", "source_code_secrecy",
     "Ninguna medida que adopte una Parte podrá obligar a un proveedor de la otra Parte a "
     "entregar el código fuente de sus programas informáticos como condición para "
     "venderlos en su territorio.", "hard"),
    ("es", "data_free_flow",
     "No está permitido que una Parte impida la transferencia transfronteriza de "
     "información por medios electrónicos cuando sea necesaria para la actividad de una "
     "persona cubierta.", "hard"),
    ("fr", "server_location",
     "Une Partie ne saurait refuser une licence à un fournisseur de l'autre Partie au motif "
     "qu'il n'utilise pas d'installations informatiques sur son territoire.", "hard"),
    ("fr", "data_free_flow",
     "Les entreprises de chaque Partie ont le droit d'envoyer par voie électronique hors du "
     "territoire les données dont elles ont besoin pour leurs activités.", "hard"),
    ("fr", "source_code_secrecy",
     "Chaque Partie met tout en œuvre pour ne pas exiger l'accès au code source des "
     "logiciels comme condition de leur vente sur son territoire.", "soft"),
]

#: Clauses that free a Party: no finding. The first two were read as binding before, by
#: a bare "may not be required" and "no party may", whatever the subject.
NOT_RULES = [
    ("en", "server_location",
     "A Party may not be required to refrain from requiring the use of computing "
     "facilities in its territory where its laws so provide."),
    ("en", "data_free_flow",
     "No Party may be required to permit the transfer of information across its borders "
     "where the transfer would breach its privacy laws."),
    ("fr", "data_free_flow",
     "Aucune disposition du présent chapitre n'oblige une Partie à autoriser le transfert "
     "de données hors de son territoire."),
]


MARKERS = ("2026.12.24: impersonal and passive prohibitions, strong best-endeavour verbs, "
           "elided rights",)


def test_the_copy_without_the_phrases_lacks_them(pipelines):
    bundled, before = pipelines
    fr = bundled.taxonomy.modality["fr"]["soft"]
    assert "met tout en œuvre" in fr
    assert "met tout en œuvre" not in before.taxonomy.modality["fr"]["soft"]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_the_new_wording_is_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize(("lang", "category", "text"), NOT_RULES)
def test_a_freeing_clause_is_no_finding(pipelines, lang, category, text):
    assert decision_alone(pipelines[0], lang, text, category).outcome != "finding"


def test_the_passive_with_a_party_as_agent_still_binds(pipelines):
    """"... of the other Party may not be required by a Party": the subject's last word is
    "Party", so the freeing form must name its own subject ("a party may not be
    required"), and the passive with the agent binds, as "shall not be required by a
    party" does."""
    text = ("The transfer of, or access to, the source code of software owned by a person "
            "of the other Party may not be required by a Party as a condition for its sale "
            "in its territory.")
    found = decision_alone(pipelines[0], "en", text, "source_code_secrecy")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
