"""The source of a program named without "code", and decompilation (taxonomy 2027.1.13;
docs/evaluation.md, 0.17.15).

Older and translated texts write "the source of the computer programme", "la source du
programme d'ordinateur", "la fuente del programa": until 0.17.15 no source-code cue read
them, and the topic model alone left such rules below its bar. A copyright rule that lets a
lawful user decompile a program for interoperability names programs and their code, and
was read as a source-code rule: "decompile" is now a negative cue. The clauses are the
team's own, modelled on investment treaties and older electronic-commerce chapters.
"""

from __future__ import annotations

import pytest

from tests.conftest import by_the_rules, decision_alone

MARKERS = ("2027.1.13: the source of a program named without 'code' (older and translated "
           "texts)",
           "2027.1.13: la fuente del programa, sin 'código' (textos antiguos y traducidos)",
           "2027.1.13: la source du programme, sans « code » (textes anciens et traduits)",
           "2027.1.13: decompiling a lawful copy for interoperability (copyright, not a "
           "demand on firms)",
           "2027.1.13: descompilar una copia lícita para la interoperabilidad",
           "2027.1.13: décompiler une copie licite pour l'interopérabilité")

CATEGORY = "source_code_secrecy"

#: (language, clause, strength): a finding by the rules now, none before.
NAMED_WITHOUT_CODE = [
    ("en", "Neither Contracting Party shall make the sale of a computer programme in its "
           "territory conditional on the programme's owner handing over the source of that "
           "computer programme to a public body.", "hard"),
    ("en", "The Contracting Parties shall cooperate with a view to ensuring that the source "
           "of computer programmes is not demanded from investors as a condition of "
           "investment.", "soft"),
    ("fr", "Aucune des Parties contractantes ne subordonne la vente d'un logiciel sur son "
           "territoire à la remise de la source du programme d'ordinateur à une autorité.",
     "hard"),
    ("es", "Ninguna Parte exigirá la entrega de la fuente del programa informático de una "
           "empresa de la otra Parte como condición para su venta en su territorio.", "hard"),
]

#: (language, clause, a finding before): none now.
DECOMPILING = [
    ("en", "Each Party shall provide that the lawful user of a copy of a computer program may "
           "decompile the program to the extent indispensable to obtain the information "
           "needed for its interoperability with other programs.", True),
    ("fr", "Chaque Partie prévoit que l'utilisateur légitime d'un programme d'ordinateur peut "
           "en décompiler le code dans la mesure indispensable pour obtenir les informations "
           "nécessaires à son interopérabilité avec d'autres programmes.", True),
    ("es", "El usuario legítimo de una copia de un programa informático tiene derecho a "
           "descompilar su código en la medida necesaria para lograr la interoperabilidad.",
     True),
]


@pytest.mark.parametrize(("lang", "text", "strength"), NAMED_WITHOUT_CODE)
def test_the_source_of_a_program_is_read(pipelines, lang, text, strength):
    bundled, before = pipelines
    found = decision_alone(bundled, lang, text, CATEGORY)
    assert by_the_rules(found) and found.finding.strength == strength, found.reason
    assert any(s.cue == f"topic:{CATEGORY}" for s in found.finding.evidence)
    assert not by_the_rules(decision_alone(before, lang, text, CATEGORY))


@pytest.mark.parametrize(("lang", "text", "found_before"), DECOMPILING)
def test_decompiling_for_interoperability_is_no_source_code_rule(pipelines, lang, text,
                                                                found_before):
    bundled, before = pipelines
    assert decision_alone(bundled, lang, text, CATEGORY).outcome != "finding"
    assert (decision_alone(before, lang, text, CATEGORY).outcome == "finding") is found_before


#: Not the source of a program (after the review of 0.17.15): no topic cue now.
NOT_A_PROGRAM = [
    ("en", "The Parties shall exchange information on the sources of programme funding "
           "available to small and medium-sized enterprises."),
    ("en", "Each Party shall endeavour to make public data available as open data sources "
           "for software developers."),
    ("fr", "Les Parties échangent des informations sur la source du programme de financement "
           "des petites entreprises."),
]


@pytest.mark.parametrize(("lang", "text"), NOT_A_PROGRAM)
def test_other_sources_are_no_cue(pipelines, lang, text):
    cues = pipelines[0].taxonomy.categories[CATEGORY].cues[lang]
    assert not any(p.search(text) for p in cues)
    assert decision_alone(pipelines[0], lang, text, CATEGORY).outcome != "finding"


def test_a_rule_that_keeps_decompiling_aside_is_still_one(pipelines):
    """Only a lawful user's permission to decompile is vetoed, not a rule that mentions it."""
    found = decision_alone(pipelines[0], "en", "No Party shall require the transfer of, or "
                           "access to, source code of software owned by a person of the "
                           "other Party as a condition for its import, without prejudice to "
                           "the right of a lawful user to decompile the software for "
                           "interoperability.", CATEGORY)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


def test_a_plain_source_code_rule_still_is_one(pipelines):
    found = decision_alone(pipelines[0], "en", "No Party shall require the transfer of, or "
                           "access to, source code of software owned by a person of the "
                           "other Party as a condition for its import.", CATEGORY)
    assert by_the_rules(found) and found.finding.strength == "hard"
