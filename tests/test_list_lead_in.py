"""A list item read with its lead-in, and an article heading read as the article's topic
(0.15.0; docs/evaluation.md, "A list item read with its lead-in").

"Each Party shall: (a) ...; (b) ...; (c) refrain from requiring ..." binds in item (c), but
the phrase matcher never joined "shall" to "refrain from": the items between are longer
than a phrase's gap, and their semicolons stop it. So the clause read as having no wording
at all. The clauses below are the team's own, modelled on host-state obligation lists,
investment treaties' banned conditions and services chapters' general obligations.
"""

from __future__ import annotations

import pytest

from tests.conftest import classify_alone
from tradelens.analysis import Pipeline
from tradelens.classify.decision import Classification, Decision
from tradelens.classify.modality import language_tools, read_modality, tokenized
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()

#: (language, category, clause, expected strength, modality words the evidence must show)
LISTS = [
    ("en", "server_location",
     "Article 6 Host State Obligations Each Party shall: (a) publish its licensing rules "
     "for digital services without delay; (b) decide on a licence application within 90 "
     "days; (c) refrain from requiring a covered person to use or locate computing "
     "facilities in its territory as a condition for conducting business there; and (d) "
     "name a contact point for enquiries.",
     "hard", {"shall", "refrain from"}),
    ("en", "source_code_secrecy",
     "Neither Contracting Party shall impose or enforce, as a condition for the "
     "establishment or operation of an investment, any requirement that the investor: "
     "(a) employ nationals in senior posts; (b) buy goods produced in its territory; or "
     "(c) hand over to a local company, or let it inspect, the source code of software "
     "the investor owns.",
     "hard", {"Neither Contracting Party shall"}),
    ("en", "data_free_flow",
     "Article 4 Commitments 1. Each Party side shall: (a) keep a legal framework for "
     "electronic contracts in line with the model laws; (b) treat electronic trade "
     "documents as equal to paper ones; (c) allow the transfer of information across its "
     "borders by electronic means, including personal information, where a covered person "
     "moves it in the course of its business; and (d) publish its measures on electronic "
     "commerce.",
     "hard", {"shall", "allow"}),
]

#: A cross-reference inside an item is not an item marker of its own.
LISTS.append(
    ("en", "server_location",
     "Each Party shall: (a) publish its rules on digital services; (b) refrain from "
     "requiring, except as provided in subparagraph (d) of Article 5, a covered person to "
     "use or locate computing facilities in its territory as a condition for conducting "
     "business there; and (c) answer enquiries within thirty days.",
     "hard", {"shall", "refrain from"}))

#: Lists whose lead-in frees a Party or defines: no item binds, joined or not.
NOT_RULES = [
    ("en", "server_location",
     "Nothing in this Chapter shall prevent a Party from: (a) keeping records of public "
     "bodies on servers of its own; (b) requiring that a financial institution keep a copy "
     "of its customer records on servers located in its territory; or (c) auditing those "
     "records."),
    ("en", "server_location",
     "For the purposes of this Article: (a) computing facilities means servers and storage "
     "devices for processing or storing information for commercial use; (b) covered "
     "person means an enterprise of the other Party; and (c) a measure includes a "
     "practice."),
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(taxonomy=TAXONOMY)


def _classify(pipeline: Pipeline, lang: str, text: str) -> Classification:
    return classify_alone(pipeline, lang, text)


def _decision(result: Classification, category: str) -> Decision:
    return next(d for d in result.decisions["t:a1:p1"] if d.category == category)


@pytest.mark.parametrize(("lang", "category", "text", "strength", "words"), LISTS)
def test_an_item_is_read_with_its_lead_in(pipeline, lang, category, text, strength, words):
    """The rules (not the learned commitment reader) find the commitment, and the evidence
    shows the lead-in's and the item's words where they stand in the clause."""
    decided = _decision(_classify(pipeline, lang, text), category)
    assert decided.outcome == "finding", decided.reason
    finding = decided.finding
    assert finding.strength == strength
    modality = [s for s in finding.evidence if s.cue.startswith("modality:")]
    assert {s.text for s in modality} == words
    assert all(text[s.start:s.end] == s.text for s in modality)


@pytest.mark.parametrize(("lang", "category", "text"), NOT_RULES)
def test_a_freeing_or_defining_lead_in_binds_nothing(pipeline, lang, category, text):
    decided = _decision(_classify(pipeline, lang, text), category)
    assert decided.outcome != "finding", decided.reason


def test_only_the_items_that_name_the_topic_are_read():
    """A binding item elsewhere in the list does not lend its strength to the topic's item:
    item (a), joined to the lead-in, would bind ("shall not prohibit") on another matter;
    the topic's item (b), joined to it, is a promise to consider ("shall consider")."""
    text = ("The Parties shall: (a) not prohibit electronic signatures for commercial "
            "transactions; (b) consider measures that require servers to be located in "
            "their territories; and (c) meet once a year.")
    tools = language_tools("en", TAXONOMY)
    topic = text.index("servers to be located")
    strength, spans, _ = read_modality(tools, tokenized(text, tools, {}),
                                       [(topic, topic + 21)])
    assert strength == "soft"
    assert [s.text for s in spans] == ["shall", "consider"]
    assert spans[1].start > text.index("(b)")


#: Whole articles in one clause, as consolidated texts print them: the heading names the
#: topic, the first paragraph recognises, a later paragraph binds in words no cue has.
ARTICLES = [
    ("en", "Article 9 Cross-Border Transfer of Information by Electronic Means 1. The "
           "Parties recognise that each Party may set its own rules on moving information "
           "by electronic means. 2. Each Party shall permit a covered person to send "
           "information, personal information included, abroad by electronic means when "
           "it does so in carrying on its business.", "shall permit", None),
    ("es", "Artículo 9 Transferencia transfronteriza de información por medios electrónicos "
           "1. Las Partes reconocen que cada una puede fijar sus propias exigencias sobre el "
           "envío electrónico de información. 2. Cada Parte permitirá que una persona "
           "cubierta envíe información, incluida la personal, fuera de su territorio por "
           "vía electrónica cuando lo haga en el ejercicio de su negocio.", "permitirá",
     None),
]


@pytest.mark.parametrize(("lang", "text", "first", "second"), ARTICLES)
def test_an_article_heading_lends_its_topic_to_the_article(pipeline, lang, text, first,
                                                           second):
    """Before 0.15.0 the heading lent its topic to the next sentence only (the recognition),
    so the article read as soft."""
    decided = _decision(_classify(pipeline, lang, text), "data_free_flow")
    assert decided.outcome == "finding", decided.reason
    assert decided.finding.strength == "hard"
    words = [s.text for s in decided.finding.evidence if s.cue.startswith("modality:")]
    assert words[0] == first and (second is None or second in words)
    assert text.index("2.") < text.index(words[0])


def test_the_heading_lends_nothing_outside_the_field(pipeline):
    """A binding paragraph on another matter (no first-pass word: contact points,
    enquiries) does not harden the article's best-endeavour rule."""
    text = ("Article 9 Cross-Border Flow of Data 1. The Parties shall endeavour to work "
            "together on the flow of data across their borders. 2. Each Party shall ensure "
            "that its contact point answers enquiries within thirty days.")
    decided = _decision(_classify(pipeline, "en", text), "data_free_flow")
    assert decided.outcome == "finding", decided.reason
    assert decided.finding.strength == "soft"


def test_the_next_article_s_heading_ends_the_lent_topic(pipeline):
    """Two articles run together in one clause: the first one's heading lends its topic to
    its own sentences, not to the customs article after it."""
    text = ("Article 9 Cross-Border Flow of Data 1. The Parties shall endeavour to work "
            "together on the flow of data across their borders. Article 10 Customs "
            "Cooperation 1. Each Party shall ensure that its customs authority shares trade "
            "data with the other Party's authority on request.")
    decided = _decision(_classify(pipeline, "en", text), "data_free_flow")
    assert decided.outcome == "finding", decided.reason
    assert decided.finding.strength == "soft"
