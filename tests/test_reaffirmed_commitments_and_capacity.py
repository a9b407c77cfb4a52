"""A political commitment reaffirmed in Spanish or French, computing capacity located in
the territory, and the algorithms of software made available to a Party (taxonomy
2027.1.23; docs/evaluation.md, 0.17.25).

"Las Partes reafirman su compromiso político de promover ..." and "Les Parties affirment
leur volonté commune de favoriser ..." stated no intent the rules knew, so the clause was
no commitment. "Capacités de calcul ... qui y sont situées" named no facility a cue knew;
nor did "los algoritmos ... se pongan a disposición de sus autoridades". The clauses are
the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone

MARKERS = ("2027.1.23: el compromiso político reafirmado",
           "2027.1.23: la volonté commune affirmée, l'engagement réaffirmé",
           "2027.1.23: computing capacity located in the territory",
           "2027.1.23: capacidades de cómputo situadas en el territorio",
           "2027.1.23: capacités de calcul situées sur le territoire",
           "2027.1.23: algorithms of software made available to a Party's authorities",
           "2027.1.23: algoritmos de programas puestos a disposición",
           "2027.1.23: algorithmes de logiciels mis à disposition")

#: (language, category, clause, strength): read with 2027.1.23, not before.
READ = [
    ("es", "data_free_flow",
     "Los Estados Partes reafirman su compromiso político de fomentar la circulación de "
     "datos con confianza entre sus economías.", "soft"),
    ("fr", "data_free_flow",
     "Les Parties réaffirment leur volonté de favoriser la libre circulation des données "
     "entre leurs économies, dans le respect de la vie privée.", "soft"),
    ("fr", "server_location",
     "Les Parties s'accordent pour qu'aucune d'elles ne prescrive, comme condition d'accès "
     "à son marché ou d'installation sur son territoire, le recours à des capacités de "
     "calcul ou de stockage qui y sont situées, y compris quand elles sont fournies en "
     "nuage.", "hard"),
    ("fr", "server_location",
     "Chaque Partie s'abstient de subordonner la prestation de services numériques au "
     "recours à des capacités informatiques situées sur son territoire, sauf dans les cas "
     "prévus à l'article 8.", "hard"),
    ("en", "source_code_secrecy",
     "Each Party should refrain from requiring that the algorithms used in applications be "
     "made available to its authorities as a condition for their marketing, except for a "
     "specific investigation.", "soft"),
    ("es", "source_code_secrecy",
     "Cada Parte debería evitar exigir que los algoritmos utilizados en aplicaciones se "
     "pongan a disposición de sus autoridades como requisito para su comercialización, "
     "salvo en el marco de una investigación concreta.", "soft"),
    ("fr", "source_code_secrecy",
     "Chaque Partie devrait s'abstenir d'exiger que les algorithmes utilisés dans des "
     "applications soient mis à la disposition de ses autorités comme condition de leur "
     "commercialisation, sauf dans le cadre d'une enquête précise.", "soft"),
]

#: Near neighbours the new entries must leave alone: (language, category, clause).
LEFT = [
    # storage capacity of another kind, and capacity building
    ("fr", "server_location",
     "Chaque Partie maintient des capacités de stockage de gaz situées sur son territoire "
     "afin de garantir la sécurité de l'approvisionnement."),
    ("en", "server_location",
     "The Parties shall cooperate to build computing capacity in developing Parties."),
    # software made available with no algorithm demanded
    ("en", "source_code_secrecy",
     "Each Party shall ensure that government software made available to the public is "
     "documented."),
    # the review of 0.17.25: capacity to build, capacity for research, a Party's own audit
    ("en", "server_location",
     "The Parties shall cooperate to strengthen local computing capacity in micro, small "
     "and medium-sized enterprises."),
    ("en", "server_location",
     "Each Party shall ensure that public research institutions have access to sufficient "
     "computing capacity located in its territory."),
    ("fr", "server_location",
     "Les Parties coopèrent au renforcement des capacités informatiques des "
     "administrations publiques sur leur territoire."),
    ("es", "server_location",
     "Las Partes promoverán el desarrollo de capacidades de cómputo situadas en su "
     "territorio para la investigación científica."),
    ("en", "source_code_secrecy",
     "Each Party shall ensure that the algorithms of software applications procured by its "
     "government are made available to its national audit office."),
]


@pytest.mark.parametrize("lang, category, text, strength", READ)
def test_read_only_now(pipelines, lang: str, category: str, text: str, strength: str):
    assert_read_only_now(pipelines, lang, text, category, strength)


@pytest.mark.parametrize("lang, category, text", LEFT)
def test_near_neighbours_stay_without_a_finding(pipelines, lang: str, category: str,
                                                text: str):
    decision = decision_alone(pipelines[0], lang, text, category)
    assert decision.outcome != "finding", decision.reason
