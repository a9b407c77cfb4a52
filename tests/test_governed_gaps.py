"""A binding gap phrase that holds a best-endeavour phrase is read as best endeavour
(0.17.25, `modality._without_governed_gaps`).

"shall ... allow" and "shall ... permit" bind across up to ten words, so "shall endeavour
to allow" and "shall give favourable consideration to requests to permit" were read as
binding: the match starting at "shall" is the longest and came first. The effort is what
such a Party promises. An aside, a coordinated or second verb, a promotion or
encouragement beside the verb, and a prohibition leave the rule binding (the review's
mends). The clauses are the team's own.
"""

from __future__ import annotations

import pytest

from tests.conftest import by_the_rules, decision_alone
from tradelens.analysis import Pipeline
from tradelens.classify.modality import python_tools, read_strength
from tradelens.taxonomy import load_taxonomy

SOFT_NOW = [
    "Each Party shall endeavour to allow the cross-border transfer of information by "
    "electronic means where it is for the conduct of a covered person's business.",
    "Each Party shall make every effort to permit a service supplier to move data out "
    "of its territory by electronic means.",
    "Each Party shall give favourable consideration to requests to permit the transfer "
    "of information across its borders by electronic means.",
    "The Parties shall use their best endeavours to allow the cross-border flow of "
    "information by electronic means.",
]

STILL_HARD = [
    # an aside between the modal and the verb
    "Each Party shall, to promote digital trade, allow the cross-border transfer of "
    "information by electronic means.",
    # a verb coordinated with the best-endeavour one, bound by the same "shall"
    "The Parties shall cooperate and permit the cross-border transfer of information by "
    "electronic means for the conduct of business.",
    "Each Party shall allow the cross-border transfer of information by electronic means.",
    # a second binding verb after the effort's own object (review of 0.17.25)
    "Each Party shall consider any request promptly and shall permit the cross-border "
    "transfer of information by electronic means.",
    "Each Party shall promote cross-border data flows and permit the transfer of "
    "information by electronic means for the conduct of business.",
    "Each Party shall seek to ensure interoperability and shall allow the cross-border "
    "transfer of information by electronic means.",
]

#: A prohibition whose gap holds an effort still binds: (category, clause).
STILL_HARD_PROHIBITIONS = [
    ("server_location",
     "A Party may not seek to require a covered person to use or locate computing "
     "facilities in its territory as a condition for conducting business."),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("text", SOFT_NOW)
def test_an_effort_to_permit_is_best_endeavour(pipeline: Pipeline, text: str):
    found = decision_alone(pipeline, "en", text, "data_free_flow")
    assert by_the_rules(found), found.reason
    assert found.finding.strength == "soft", found.reason


@pytest.mark.parametrize("text", STILL_HARD)
def test_an_aside_or_a_coordinated_verb_still_binds(pipeline: Pipeline, text: str):
    found = decision_alone(pipeline, "en", text, "data_free_flow")
    assert by_the_rules(found), found.reason
    assert found.finding.strength == "hard", found.reason


@pytest.mark.parametrize("category, text", STILL_HARD_PROHIBITIONS)
def test_a_prohibition_holding_an_effort_still_binds(pipeline: Pipeline, category: str,
                                                     text: str):
    found = decision_alone(pipeline, "en", text, category)
    assert by_the_rules(found), found.reason
    assert found.finding.strength == "hard", found.reason


def test_the_binding_gap_phrase_still_matches_and_is_set_aside_only_in_the_verdict():
    """The matcher keeps finding "shall ... permit" (spaCy's Matcher and the pure-Python
    one must agree); only the verdict sets it aside, with the effort as its evidence."""
    tools = python_tools("en", load_taxonomy())
    text = SOFT_NOW[2]
    doc = tools.nlp(text)
    matches, _ = tools.parse(doc)
    labels = {(label, text[start:end]) for label, _, _, start, end in matches}
    assert ("soft", "give favourable consideration") in labels
    assert any(label == "hard" and words.endswith("permit") for label, words in labels)
    strength, spans = read_strength(tools, doc, None)
    assert strength == "soft"
    assert [s.text for s in spans] == ["give favourable consideration"]
