"""An English negated modal and its verb with words between them, more best-endeavour and
right forms, topic cues for "using" computing facilities and for algorithms handed over,
and a paragraph that does not apply (written for Z as taxonomy 2026.12.30, which was not
shipped, and judged again within AA, 2026.12.31; docs/evaluation.md, "Impositions read by
who is spared").

The phrase lists held "may not require" but not "may not, as a condition for ...,
require". (The Spanish and French forms, "no podrá ... exigir", were dropped: the gap
crossed "exigirse a una Parte que renuncie a", where a Party is freed. A gap no longer
crosses "be", so "may not be required to make" is not "may not ... make".) They lacked
"shall be neither prohibited nor restricted", "should be avoided", "il est souhaitable
que", and a firm that "retains the right to refuse". The English server cue read "use\\w*",
which misses "using"; algorithms were a source-code topic only when "expressed in the
source code". And "Paragraph 2 of Article 12.15 shall not apply to ..., which may continue
to require ..." was read as a rule through "shall not ... require". The clauses are the
team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    assert_read_only_now,
    by_the_rules,
    decision_alone,
)

MARKERS = ("2026.12.30: a negated modal and its verb with words between, for every "
           "restrictive verb; more best-endeavour and right forms",)

#: (language, category, clause, strength): read with the 2026.12.30 phrases, not without.
READ = [
    ("en", "server_location",
     "A Party may not, as a condition for granting a licence, require a supplier to keep "
     "its servers in its territory.", "hard"),
    ("en", "data_free_flow",
     "Cross-border transfers of information by electronic means shall be neither "
     "prohibited nor restricted where they serve the business of a covered person.", "hard"),
    ("en", "source_code_secrecy",
     "It is desirable that the disclosure of source code not be made a condition of "
     "market access.", "soft"),
]

#: A topic now named: (language, category, clause).
NAMED = [
    ("en", "server_location",
     "A Party may not make the conduct of business in its territory conditional upon a "
     "covered person using, or placing, computing facilities there."),
    ("en", "source_code_secrecy",
     "Neither Party shall, as a condition for approving an investment, demand that the "
     "investor disclose the algorithms on which its software runs."),
    ("es", "source_code_secrecy",
     "Ninguna Parte exigirá la entrega de los algoritmos de un programa informático como "
     "condición para su venta en su territorio."),
    ("fr", "source_code_secrecy",
     "Aucune Partie n'exige la communication des algorithmes d'un logiciel comme condition "
     "de sa vente sur son territoire."),
]

#: A paragraph that does not apply to someone: no finding, whatever it goes on to allow.
NOT_APPLYING = [
    ("en", "Paragraph 2 of Article 9.4 shall not apply to Cambodia, which may continue to "
           "require the local siting of computing facilities until the end of 2030."),
    ("es", "El párrafo 2 del artículo 9.4 no se aplicará a Camboya, que podrá seguir "
           "exigiendo la ubicación local de instalaciones informáticas hasta 2030."),
    ("fr", "Le paragraphe 2 de l'article 9.4 ne s'applique pas au Cambodge, qui peut "
           "continuer d'exiger l'implantation locale d'installations informatiques jusqu'en "
           "2030."),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_the_new_wording_is_read(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)


def test_a_desirable_restraint_is_a_best_endeavour_not_a_rule(pipelines):
    """"Il est souhaitable que les Parties n'exigent pas ...": before, "n'exigent" made it
    binding; the first phrase of the sentence now says it is only desirable."""
    text = ("Il est souhaitable que les Parties n'exigent pas la communication du code "
            "source d'un logiciel comme condition de sa vente.")
    now = decision_alone(pipelines[0], "fr", text, "source_code_secrecy")
    before = decision_alone(pipelines[1], "fr", text, "source_code_secrecy")
    assert by_the_rules(now) and now.finding.strength == "soft", now.reason
    assert by_the_rules(before) and before.finding.strength == "hard", before.reason


def test_a_firm_that_retains_the_right_to_refuse_is_protected(pipelines):
    text = ("An investor of the other Party retains the right to refuse to hand over the "
            "source code of its software to the host State as a condition of its "
            "investment.")
    assert_read_only_now(pipelines, "en", text, "source_code_secrecy", "hard")


@pytest.mark.parametrize(("lang", "category", "text"), NAMED)
def test_the_topic_is_named_by_a_cue(pipelines, lang, category, text):
    cues = pipelines[0].taxonomy.categories[category].cues[lang]
    assert any(p.search(text) for p in cues)
    found = decision_alone(pipelines[0], lang, text, category)
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason


@pytest.mark.parametrize(("lang", "text"), NOT_APPLYING)
def test_a_paragraph_that_does_not_apply_is_no_finding(pipelines, lang, text):
    assert decision_alone(pipelines[0], lang, text, "server_location").outcome != "finding"
