"""Algorithms demanded on their own, with no software named (taxonomy 2027.1.5;
docs/evaluation.md, "Algorithms named alone, a recital that vetoes only itself, plain forms
and double negatives").

Newer texts ban requiring the disclosure of an artificial-intelligence system's or a
digital product's algorithms without naming the software they run in; until 2027.1.5 an
algorithm was a source-code topic cue only beside "software", "program" or
"application", and the topic model alone gave such clauses 0.2 to 0.49. A cue now reads
an algorithm handed over, disclosed, transferred or accessed within a few words. A
regulator's power to demand an algorithm stays no commitment, and a definition stays
excluded. The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone

CATEGORY = "source_code_secrecy"
#: The comments above the new cue in each language (categories/source_code_secrecy.yaml).
MARKERS = ("2027.1.5: algorithms demanded on their own (AI systems, digital products), "
           "no software named",
           "2027.1.5: algoritmos exigidos sin nombrar el programa",
           "2027.1.5: algorithmes exigés sans que le logiciel soit nommé")

#: (language, clause, strength): found with the new cues, not without them.
FOUND = [
    ("en", "No Party shall require a supplier of the other Party to hand over the algorithms "
           "behind its automated recommendation service as a condition for offering that "
           "service in its territory.", "hard"),
    ("en", "A Party shall not make the surrender of the algorithms of an artificial "
           "intelligence system a condition for placing it on its market.", "hard"),
    ("en", "The Parties should avoid making the disclosure of proprietary algorithms a "
           "requirement for the sale of digital products.", "soft"),
    ("es", "Ninguna Parte podrá exigir la entrega de los algoritmos de un sistema de "
           "inteligencia artificial como condición para su comercialización en su "
           "territorio.", "hard"),
    ("fr", "Il est interdit à une Partie d'exiger la remise des algorithmes propriétaires "
           "d'un fournisseur de l'autre Partie pour l'autoriser à offrir ses services en "
           "ligne.", "hard"),
]

#: (language, clause, outcome): the topic named, and nothing a Party gives up.
NOT_FOUND = [
    ("en", "Nothing in this Article prevents a regulatory body of a Party from requiring "
           "access to an algorithm in the course of a specific investigation or enforcement "
           "action.", "no commitment"),
    ("fr", "Les autorités de contrôle peuvent exiger la communication d'un algorithme "
           "lorsqu'une enquête le justifie.", "no commitment"),
    ("es", "Para los efectos de este Capítulo, algoritmo significa una secuencia definida de "
           "pasos para resolver un problema o transferir un resultado.", "excluded"),
]


@pytest.mark.parametrize(("lang", "text", "strength"), FOUND)
def test_an_algorithm_demanded_alone_is_a_source_code_rule(pipelines, lang, text, strength):
    assert_read_only_now(pipelines, lang, text, CATEGORY, strength)


@pytest.mark.parametrize(("lang", "text", "outcome"), NOT_FOUND)
def test_a_regulators_power_or_a_definition_is_no_rule(pipelines, lang, text, outcome):
    bundled, _ = pipelines
    assert decision_alone(bundled, lang, text, CATEGORY).outcome == outcome
