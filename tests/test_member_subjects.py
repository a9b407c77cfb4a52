"""Members as subjects, as WTO-linked and plurilateral texts write them, and an article's
heading that ends "by Electronic Means" (taxonomy 2027.1.3; the errors of the
thirty-seventh blind set, read after its verdict; docs/evaluation.md, "Regional
drafting").

- "No Member may require ...", "Neither Member may ..." bind as "No Party may" does
  ("A Member shall not require" was read already, by its verb); "No Member may have recourse to
  dispute settlement ..." and "Ningún Miembro podrá recurrir ..." exclude the chapter from
  it.
- A text that opens with its article's heading, "Article 15 Transfer of Information by
  Electronic Means 1. ...", is not a definition ("X means ..."): the rule in it is read.

The clauses are the team's own, modelled on plurilateral electronic-commerce texts.
"""

from __future__ import annotations

import pytest

from tests.conftest import (
    assert_modifier_read,
    assert_read_only_now,
    by_the_rules,
    decision_alone,
    taxonomy_replaced,
)
from tradelens.taxonomy import load_taxonomy

MARKERS = ("2027.1.3: Members as subjects, as WTO-linked texts write them (blind37, read "
           "after its verdict)",)

READ = [
    ("en", "source_code_secrecy",
     "No Member may require a software publisher of another Member to lodge the source code "
     "of its product with a public body before the product is sold in its territory.",
     "hard"),
    ("en", "server_location",
     "Neither Member may make its approval of a data-centre operator of the other Member "
     "depend on the operator locating its computing facilities inside its territory.",
     "hard"),
]


@pytest.mark.parametrize(("lang", "category", "text", "strength"), READ)
def test_members_bind_as_parties_do(pipelines, lang, category, text, strength):
    assert_read_only_now(pipelines, lang, text, category, strength)



@pytest.mark.parametrize(("lang", "text"), [
    ("en", "No Member may have recourse to dispute settlement under the Dispute Settlement "
           "Understanding for any matter arising under this Chapter."),
    ("es", "Ningún Miembro podrá recurrir al Entendimiento sobre Solución de Diferencias "
           "respecto de las cuestiones que surjan del presente capítulo."),
    ("fr", "Aucun Membre ne peut recourir au règlement des différends pour une question "
           "relevant du présent chapitre."),
])
def test_members_excluded_from_dispute_settlement(lang, text):
    assert_modifier_read(lang, "no_dispute_settlement", text, True)


HEADED = ("Article 15 Transfer of Information by Electronic Means 1. The Parties recognise "
          "that each Party may have its own regulatory requirements on such transfers. 2. "
          "A Party shall not prevent the transfer of information by electronic means across "
          "its border where that activity is for the conduct of the business of a covered "
          "person.")

#: The definition pattern as it was before 2027.1.3.
_DEFINITION_BEFORE = ("""    - '^\\W*["“]?(?:(?!\\b(?:shall|may|must)\\b)[\\w\\s\\-]){2,50}["”]?"""
                      """\\s+means\\b'""")


def test_a_heading_that_ends_in_means_is_not_a_definition(pipelines, tmp_path):
    from tradelens.analysis import Pipeline

    bundled, _ = pipelines
    found = decision_alone(bundled, "en", HEADED, "data_free_flow")
    assert by_the_rules(found) and found.finding.strength == "hard", found.reason
    now = ("""    - '^\\W*["“]?(?:(?!\\b(?:shall|may|must)\\b)[\\w\\s\\-]){2,50}["”]?"""
           """(?<!\\bby)(?<!electronic)(?<!\\bother)(?<!\\bany)\\s+means\\b'""")
    before = Pipeline(taxonomy=load_taxonomy(taxonomy_replaced(
        tmp_path / "taxonomy", now, _DEFINITION_BEFORE)))
    assert "defines terms" in decision_alone(before, "en", HEADED, "data_free_flow").reason
    # A definition is still one.
    term = decision_alone(bundled, "en", '"Computing facilities" means computer servers '
                          "and storage devices for processing or storing information for "
                          "commercial use.", "server_location")
    assert term.outcome != "finding"
