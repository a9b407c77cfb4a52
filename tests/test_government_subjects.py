"""Governments as the subject of a rule, and sharing views as cooperation (taxonomy
2026.12.29; docs/evaluation.md, 0.17.1).

Side letters and exchanges of notes bind "the Governments", not "the Parties": "neither
Government shall require ...", "ninguno de los dos Gobiernos exigirá ...", "aucun des deux
Gouvernements n'exige ...". And a cooperation clause may commit the Parties to "share
information and views" on a topic, a best endeavour as "exchange views" is. Such a clause
had no wording the rules know. The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now

MARKERS = ("2026.12.29: governments as subjects, and sharing views as cooperation",)

READ = [
    ("en", "server_location",
     "I have the honour to confirm our understanding that neither Government shall oblige "
     "a company of the other country to keep its servers in its territory as a condition "
     "for doing business there.", "hard"),
    ("es", "source_code_secrecy",
     "Tengo el honor de confirmar que ninguno de los dos Gobiernos exigirá a una empresa del "
     "otro país la entrega del código fuente de sus programas como condición para "
     "venderlos.", "hard"),
    ("fr", "server_location",
     "J'ai l'honneur de confirmer qu'aucun des deux Gouvernements n'exige d'une entreprise "
     "de l'autre pays qu'elle utilise des installations informatiques sur son territoire "
     "pour y exercer ses activités.", "hard"),
    ("en", "source_code_secrecy",
     "The Parties shall share information and views on rules that make disclosure of "
     "software source code a condition of market access.", "soft"),
    ("es", "data_free_flow",
     "Las Partes compartirán información y opiniones sobre los obstáculos a la "
     "transferencia transfronteriza de datos.", "soft"),
    ("fr", "data_free_flow",
     "Les Parties partagent des informations et des points de vue sur les obstacles aux "
     "flux transfrontières de données.", "soft"),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_the_new_wording_is_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)
