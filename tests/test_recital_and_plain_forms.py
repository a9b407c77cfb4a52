"""A recital that vetoes nothing but itself, and plain and future forms of a binding rule
(0.17.8, taxonomy 2027.1.6; docs/evaluation.md, "Algorithms named alone, a recital that
vetoes only itself, plain forms and double negatives").

An article that opens "1. The Parties recognise that each Party may have its own
regulatory requirements ..." and binds in its paragraph 2 was reported as having no rule
whenever the topic model found the recital the likeliest sentence of the paragraph: the
recital then decided at the sentence grain, and its negative cue vetoed it. A sentence
holding a negative cue no longer takes over a paragraph. Separately, "No Party will
require", "it will not make ... a condition", "must not stop" and "no deben exigir" bind,
while "This Article shall (or will) not require a Party to ..." frees a Party.
The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_read_only_now, decision_alone

MARKERS = ("2027.1.6: plain and future forms the read sets showed missing (0.17.8)",)

#: A French article with the recital in paragraph 1 and the rule in paragraph 2, long
#: enough (60 words or more) to be read sentence by sentence.
RECITAL_THEN_RULE = (
    "Article 9.8 Emplacement des installations informatiques. 1. Les Parties reconnaissent "
    "que chacune d'elles peut avoir ses propres exigences réglementaires concernant "
    "l'utilisation d'installations informatiques, notamment pour garantir la sécurité et la "
    "confidentialité des communications. 2. Aucune Partie n'exige d'une personne visée "
    "qu'elle utilise ou implante des installations informatiques sur son territoire comme "
    "condition de l'exercice de ses activités sur ce territoire. 3. Le présent article "
    "s'applique aussi aux fournisseurs de services financiers."
)
RECITAL_ALONE = ("Les Parties reconnaissent que chacune d'elles peut avoir ses propres exigences "
                 "réglementaires concernant l'utilisation d'installations informatiques.")

#: (language, category, clause): binding in the forms the phrases now read.
PLAIN = [
    ("en", "source_code_secrecy",
     "No Party will require a company of the other Party to hand over the source code of "
     "its software before the software may be sold in its territory."),
    ("en", "server_location",
     "Each Government confirms that it will not make the use of computing facilities in "
     "its territory a condition for a supplier of the other country to do business there."),
    ("en", "data_free_flow",
     "A government must not stop a covered person from transferring information across its "
     "border by electronic means where the transfer is part of that person's business."),
    ("es", "source_code_secrecy",
     "Las Partes no deben exigir la transferencia del código fuente de un programa "
     "informático como condición para su venta en su territorio."),
]


def test_a_recital_does_not_veto_the_rule_in_the_next_paragraph(pipelines):
    bundled, _ = pipelines
    decision = decision_alone(bundled, "fr", RECITAL_THEN_RULE, "server_location")
    assert decision.outcome == "finding" and decision.finding.strength == "hard", \
        decision.reason


def test_the_recital_alone_is_still_no_rule(pipelines):
    bundled, _ = pipelines
    assert decision_alone(bundled, "fr", RECITAL_ALONE, "server_location").outcome != \
        "finding"


@pytest.mark.parametrize(("lang", "category", "text"), PLAIN)
def test_plain_and_future_forms_bind(pipelines, lang, category, text):
    assert_read_only_now(pipelines, lang, text, category, "hard")


@pytest.mark.parametrize("verb", ["will not", "shall not"])
def test_an_article_that_frees_a_party_binds_no_one(pipelines, verb):
    """"This Article shall not require a Party to allow ..." was read as a binding rule
    (its "shall not require" is a hard phrase) before 2027.1.6 made it a negation."""
    bundled, before = pipelines
    text = (f"This Article {verb} require a Party to allow the transfer of information "
            "across its border by electronic means where its privacy law forbids it.")
    decision = decision_alone(bundled, "en", text, "data_free_flow")
    assert decision.outcome == "no commitment" and "negated" in decision.reason
    if verb == "shall not":
        assert decision_alone(before, "en", text, "data_free_flow").outcome == "finding"
