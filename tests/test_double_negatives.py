"""A rule stated as a double negative (0.17.9, taxonomy 2027.1.7; docs/evaluation.md,
"Algorithms named alone, a recital that vetoes only itself, plain forms and double
negatives").

"Nothing in this Agreement shall be construed to permit a Party to require ... the source
code" forbids the requirement as surely as "No Party shall require" does; so do "Ninguna
disposición ... se interpretará en el sentido de permitir a una Parte impedir ..." and
"Aucune disposition du présent accord ne saurait être interprétée comme permettant à une
Partie d'imposer ...". Before 2027.1.7 the English form had no wording the rules knew, and
the Spanish and French openings were taken for scope statements. A rule of construction
that frees a Party ("... shall be construed to prevent a Party from ...") stays one, and
"En ningún caso podrá una Parte" binds. The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()

MARKERS = ("2027.1.7: a rule in a double negative ('nothing shall be construed to permit "
           "a Party to require'; 0.17.9)",)

#: (language, category, clause): binding, found now and not before the phrases.
BINDING = [
    ("en", "source_code_secrecy",
     "Nothing in this Agreement shall be construed to permit a Party to require a supplier "
     "of the other Party to surrender the source code of its software before selling it."),
    ("en", "server_location",
     "Nothing in this Chapter shall be interpreted as permitting a Party to make the use of "
     "computing facilities in its territory a condition for conducting business there."),
    ("es", "source_code_secrecy",
     "En ningún caso podrá una Parte supeditar la importación de un programa informático a "
     "que su titular le entregue el código fuente."),
]

#: (language, category, clause): Spanish and French double negatives, which the scope
#: openings ("Ninguna disposición de este Capítulo", "Aucune disposition du présent
#: accord") used to exclude whatever followed.
OPENED_AS_SCOPE = [
    ("es", "data_free_flow",
     "Ninguna disposición de este Capítulo se interpretará en el sentido de permitir a una "
     "Parte impedir que una empresa de la otra Parte transfiera información fuera de su "
     "territorio por medios electrónicos para su actividad comercial."),
    ("fr", "server_location",
     "Aucune disposition du présent accord ne saurait être interprétée comme permettant à "
     "une Partie d'imposer l'utilisation d'installations informatiques situées sur son "
     "territoire comme condition de l'exercice d'une activité commerciale."),
]

#: (language, category, clause): rules of construction that free a Party.
FREEING = [
    ("en", "data_free_flow",
     "Nothing in this Chapter shall be construed to prevent a Party from restricting the "
     "transfer of information across its border by electronic means to protect privacy."),
    ("es", "server_location",
     "Ninguna disposición de este Capítulo impedirá que una Parte exija que determinados "
     "datos se almacenen en instalaciones informáticas situadas en su territorio."),
    ("fr", "source_code_secrecy",
     "Aucune disposition du présent chapitre n'empêche une autorité de réglementation "
     "d'exiger l'accès au code source d'un logiciel dans le cadre d'une enquête précise."),
]


@pytest.mark.parametrize(("lang", "category", "text"), BINDING)
def test_a_double_negative_binds(pipelines, lang, category, text):
    assert_read_only_now(pipelines, lang, text, category, "hard")


@pytest.mark.parametrize(("lang", "category", "text"), OPENED_AS_SCOPE)
def test_a_double_negative_is_no_scope_statement(pipelines, lang, category, text):
    assert not any(p.search(text) for p in TAXONOMY.non_findings[lang])
    assert_read_only_now(pipelines, lang, text, category, "hard")


@pytest.mark.parametrize(("lang", "text"), [(lang, text) for lang, _, text in FREEING
                                            if lang != "en"])
def test_the_scope_openings_still_read_a_freeing_rule_of_construction(lang, text):
    assert any(p.search(text) for p in TAXONOMY.non_findings[lang])


@pytest.mark.parametrize(("lang", "category", "text"), FREEING)
def test_a_rule_of_construction_that_frees_a_party_binds_no_one(pipelines, lang, category,
                                                                 text):
    bundled, _ = pipelines
    assert decision_alone(bundled, lang, text, category).outcome != "finding"
