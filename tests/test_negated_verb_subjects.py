"""A bare negated verb binds only a public subject (taxonomy 2027.1.12; docs/evaluation.md,
0.17.14).

"Les Parties n'entravent pas ...", "Chaque Partie n'impose pas ..." bind a Party; "Le
présent article n'empêche pas une autorité de régulation d'une Partie d'exiger la
communication du code source ..." and "El presente capítulo no impedirá que una Parte exija
..." free it, and until 0.17.14 were read as binding rules because "n'empêche pas" and "no
impedirá" were binding phrases whatever their subject. They are now `duty` phrases, read
with the actor they concern (`classify/subjects.py`). "Nulle Partie ne saurait conditionner
..." is read as a duty laid on a Party, which it was not. The clauses are the team's own,
modelled on source-code articles, scope articles and interpretative notes.
"""

from __future__ import annotations

import copy

import pytest

from tests.conftest import by_the_rules, decision_alone
from tradelens.analysis import Pipeline
from tradelens.taxonomy import load_taxonomy

#: The phrases moved from `hard` to `duty` (the two "ne saurait(nt) conditionner" are new).
MOVED = {"fr": ["n'empêche pas", "n'empêchent pas", "ne restreint pas", "ne restreignent pas",
                "n'entrave pas", "n'entravent pas", "ne fait pas obstacle",
                "ne font pas obstacle", "n'impose", "n'imposent"],
         "es": ["no impedirá", "no impedirán", "no restringirá", "no restringirán",
                "no obstaculizará", "no obstaculizarán"]}

#: Free a Party: a finding before, none now (the text named before the verb is its subject).
FREEING = [
    ("fr", "source_code_secrecy",
     "Le présent article n'empêche pas une autorité de régulation ou une juridiction d'une "
     "Partie d'exiger qu'une personne conserve le code source d'un logiciel et le lui "
     "communique aux fins d'une enquête déterminée."),
    ("fr", "server_location",
     "Le présent chapitre n'empêche pas une Partie d'exiger que les registres fonciers "
     "soient conservés sur des serveurs situés sur son territoire."),
    ("es", "source_code_secrecy",
     "Lo dispuesto en el presente artículo no impedirá que una autoridad judicial de una "
     "Parte exija el acceso al código fuente de un programa en un procedimiento concreto."),
    ("es", "server_location",
     "El presente capítulo no impedirá que una Parte exija que los datos de defensa "
     "nacional se almacenen en servidores situados en su territorio."),
    ("fr", "source_code_secrecy",
     "Les Parties confirment que cet article ne limite pas le droit d'une Partie de fixer "
     "des exigences de certification, dès lors que ces exigences n'imposent pas la remise du "
     "code source."),
]

#: Bind a Party, before and now.
BINDING = [
    ("fr", "server_location",
     "Les Parties n'entravent pas la fourniture de services au motif que les données sont "
     "stockées sur des serveurs situés hors de leur territoire."),
    ("fr", "server_location",
     "Chaque Partie n'impose pas aux fournisseurs de l'autre Partie l'utilisation "
     "d'installations informatiques situées sur son territoire comme condition de "
     "l'exercice de leurs activités."),
    ("es", "data_free_flow",
     "Las Partes no restringirán la transferencia transfronteriza de información por medios "
     "electrónicos cuando se realice para la actividad de negocios de una persona cubierta."),
    ("fr", "data_free_flow",
     "Le transfert de données par voie électronique ne peut être restreint lorsqu'il "
     "s'inscrit dans l'activité d'une personne visée."),
    # after the review of 0.17.14: a Party's measures, and a subject left out after a
    # sentence or a clause on the Parties
    ("fr", "server_location",
     "Les mesures d'une Partie ne restreignent pas l'utilisation par les fournisseurs de "
     "serveurs situés hors de son territoire."),
    ("es", "data_free_flow",
     "Cada Parte reconoce la importancia del comercio digital; en consecuencia, no "
     "restringirá la transferencia transfronteriza de información por medios electrónicos "
     "cuando se realice para la actividad de una persona cubierta."),
    ("es", "server_location",
     "Las Partes reconocen la importancia de la computación en la nube. En consecuencia, no "
     "impedirán que un proveedor de la otra Parte utilice servidores situados fuera de su "
     "territorio."),
]

CONDITIONING = ("fr", "source_code_secrecy",
                "Nulle Partie ne saurait conditionner l'importation d'un logiciel sur son "
                "territoire à la remise de son code source.")


@pytest.fixture(scope="module")
def pipelines() -> tuple[Pipeline, Pipeline]:
    """The bundled taxonomy's pipeline, and one with the phrases back among the binding
    ones and without "ne saurait(nt) conditionner" (0.17.13's)."""
    bundled = load_taxonomy()
    before = copy.deepcopy(bundled)
    for lang, phrases in MOVED.items():
        modality = before.modality[lang]
        modality["duty"] = [p for p in modality["duty"] if p not in phrases
                            and "conditionner" not in p]
        modality["hard"] = modality["hard"] + phrases
    return Pipeline(taxonomy=bundled), Pipeline(taxonomy=before)


def test_the_phrases_are_duties_now(pipelines):
    bundled, before = pipelines
    for lang, phrases in MOVED.items():
        assert set(phrases) <= set(bundled.taxonomy.modality[lang]["duty"])
        assert not set(phrases) & set(bundled.taxonomy.modality[lang]["hard"])
        assert set(phrases) <= set(before.taxonomy.modality[lang]["hard"])


@pytest.mark.parametrize(("lang", "category", "text"), FREEING)
def test_a_party_left_free_is_no_finding_now(pipelines, lang, category, text):
    bundled, before = pipelines
    assert by_the_rules(decision_alone(before, lang, text, category))
    assert decision_alone(bundled, lang, text, category).outcome != "finding"


@pytest.mark.parametrize(("lang", "category", "text"), BINDING)
def test_a_party_bound_still_is(pipelines, lang, category, text):
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


def test_no_party_may_condition(pipelines):
    bundled, before = pipelines
    lang, category, text = CONDITIONING
    found = decision_alone(bundled, lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
    assert not by_the_rules(decision_alone(before, lang, text, category))
