"""Rules an agreement takes from a model agreement by number (0.17.11, taxonomy 2027.1.9;
docs/evaluation.md, "A refitted commitment reader at 0.7, and rules incorporated by
number").

"Article 14.13 of the CPTPP is incorporated into this Agreement" binds as the CPTPP's
article does, though the clause holds no topic word and no modal phrase; before 2027.1.9
such a clause was dropped at the first pass. The taxonomy's `incorporation` table names
the model articles; an exception or negation word in the sentence keeps them out; a
chapter named whole brings in each of its articles. The clauses are the team's own.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.conftest import classify_alone, decision_alone, run_cli
from tradelens.analysis import Pipeline
from tradelens.taxonomy import IncorporationTable, load_taxonomy

TAXONOMY = load_taxonomy()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


#: (language, clause, {category: model article}) for every article of the table.
INCORPORATING = [
    ("en", "Article 14.13 (Location of Computing Facilities) of the CPTPP is incorporated "
           "into and made part of this Agreement.",
     {"server_location": "Article 14.13 of the CPTPP"}),
    ("en", "Articles 14.11 and 14.17 of the Comprehensive and Progressive Agreement for "
           "Trans-Pacific Partnership shall apply between the Parties mutatis mutandis.",
     {"data_free_flow": "Article 14.11 of the CPTPP",
      "source_code_secrecy": "Article 14.17 of the CPTPP"}),
    ("es", "Los artículos 19.11, 19.12 y 19.16 del T-MEC quedan incorporados a este Tratado.",
     {"data_free_flow": "Article 19.11 of the USMCA",
      "server_location": "Article 19.12 of the USMCA",
      "source_code_secrecy": "Article 19.16 of the USMCA"}),
    ("fr", "Les articles 4.3 et 4.4 de l'Accord de partenariat sur l'économie numérique sont "
           "incorporés au présent accord et en font partie intégrante.",
     {"data_free_flow": "Article 4.3 of the DEPA", "server_location": "Article 4.4 of the DEPA"}),
    ("en", "Chapter 12 (Electronic Commerce) of the RCEP Agreement applies between the "
           "Parties mutatis mutandis.",
     {"server_location": "Article 12.14 of the RCEP",
      "data_free_flow": "Article 12.15 of the RCEP"}),
    # active voice; the model named before the number
    ("en", "This Agreement incorporates DEPA Article 4.4, with the necessary changes.",
     {"server_location": "Article 4.4 of the DEPA"}),
    # a future tense, the number before the model's name
    ("es", "Se incorporará al presente Tratado el artículo 19.16 del T-MEC.",
     {"source_code_secrecy": "Article 19.16 of the USMCA"}),
    # a list after the verb, the one model named before it
    ("en", "The following provisions of the CPTPP are incorporated into this Agreement, "
           "mutatis mutandis: (a) Article 14.11; and (b) Article 14.17.",
     {"data_free_flow": "Article 14.11 of the CPTPP",
      "source_code_secrecy": "Article 14.17 of the CPTPP"}),
    # an exception after the article brought in leaves that article in
    ("en", "Article 14.13 of the CPTPP is incorporated into this Agreement, except for "
           "Article 14.11 of the CPTPP.",
     {"server_location": "Article 14.13 of the CPTPP"}),
    # a clause with topic words and no binding wording: the reader does not reopen it
    ("en", "Each Party recognises that the cross-border transfer of information by "
           "electronic means is important, and Article 14.11 of the CPTPP is incorporated "
           "into this Agreement mutatis mutandis as regards the transfer of information by "
           "electronic means for business.",
     {"data_free_flow": "Article 14.11 of the CPTPP"}),
    # a soft sentence of its own beside the model article, which binds
    ("en", "The Parties recognise that moving information across borders matters to "
           "business, and Article 14.11 of the CPTPP is incorporated into this Agreement "
           "mutatis mutandis.",
     {"data_free_flow": "Article 14.11 of the CPTPP"}),
]

#: (language, clause): no model article comes in.
NOT_INCORPORATING = [
    # an exception keeps the articles out
    ("en", "The provisions of the CPTPP are incorporated into this Agreement, except "
           "Articles 14.11 and 14.13."),
    ("es", "Los artículos 14.11 y 14.13 del TIPAT no se incorporan al presente Acuerdo."),
    ("fr", "L'article 19.11 de l'ACEUM n'est pas incorporé au présent accord."),
    # the number without the model's name: this agreement's own Article 14.13
    ("en", "Article 14.13 is incorporated into Chapter 9 by reference."),
    # the model named, its article cited, nothing brought in
    ("en", "The Parties took note of Article 14.11 of the CPTPP when drafting this Chapter."),
    # an article of the model that holds no rule of the table
    ("en", "Article 14.8 (Personal Information Protection) of the CPTPP is incorporated "
           "into this Agreement."),
    # the agreement's own chapter and articles beside a model's name
    ("en", "Article 1.2 of the CPTPP (Relation to Other Agreements) is incorporated into "
           "Chapter 14 of this Agreement."),
    ("en", "Article 14.13 of this Agreement applies mutatis mutandis to the Parties that "
           "are also parties to the CPTPP."),
    ("en", "Article 12.14 shall apply mutatis mutandis, and the Parties affirm their "
           "commitments under the RCEP."),
    # brought in and suspended in one sentence
    ("en", "Articles 14.11 and 14.13 of the CPTPP are incorporated into this Agreement; "
           "their application is suspended until the Joint Committee decides otherwise."),
]


@pytest.mark.parametrize("lang, text, expected", INCORPORATING)
def test_a_model_article_brought_in_by_number_is_a_hard_finding(pipeline, lang, text,
                                                                expected):
    for category in TAXONOMY.categories:
        decision = decision_alone(pipeline, lang, text, category)
        if category in expected:
            assert decision.finding is not None, (category, decision.reason)
            assert decision.finding.strength == "hard"
            assert decision.rule == "incorporation"
            assert expected[category] in decision.reason
            cues = {span.cue for span in decision.finding.evidence}
            assert cues == {f"topic:{category}", "modality:hard"}
        else:
            assert decision.finding is None, (category, decision.reason)


@pytest.mark.parametrize("lang, text", NOT_INCORPORATING)
def test_no_article_comes_in_without_the_model_its_number_and_an_unexcepted_verb(
        pipeline, lang, text):
    result = classify_alone(pipeline, lang, text)
    assert not result.findings, [(f.category, f.evidence) for f in result.findings]


def test_the_table_decides(pipeline):
    text, category = INCORPORATING[0][1], "server_location"
    assert decision_alone(pipeline, "en", text, category).finding is not None
    bare = Pipeline(taxonomy=dataclasses.replace(TAXONOMY,
                                                 incorporation=IncorporationTable()))
    assert decision_alone(bare, "en", text, category).finding is None


def _modifiers_by_category(pipeline, lang: str, text: str) -> dict[str, set[str]]:
    return {f.category: {h.modifier for h in f.modifiers}
            for f in classify_alone(pipeline, lang, text).findings}


def test_each_finding_carries_its_own_model_articles_modifiers(pipeline):
    """The RCEP's exceptions are self-judging, and its Chapter 12, brought in whole, is out
    of dispute settlement (Article 12.17); one article of it brought in alone is not. Two
    articles in one clause keep their own modifiers."""
    assert _modifiers_by_category(pipeline, "en", INCORPORATING[4][1])["data_free_flow"] == {
        "lppo_self_judging", "security_self_judging", "no_dispute_settlement"}
    assert _modifiers_by_category(
        pipeline, "en", "Article 14.13 of the CPTPP and Article 12.15 of the RCEP are "
        "incorporated into this Agreement.") == {
            "server_location": {"lppo_necessity"},
            "data_free_flow": {"lppo_self_judging", "security_self_judging"}}
    assert _modifiers_by_category(pipeline, "en", INCORPORATING[1][1]) == {
        "data_free_flow": {"lppo_necessity"},
        "source_code_secrecy": {"mass_market_only", "critical_infrastructure_excluded",
                                "commercially_negotiated_contracts"}}


def test_the_report_says_which_article_was_incorporated(tmp_path):
    documents = tmp_path / "in"
    documents.mkdir()
    (documents / "incorporating_agreement.txt").write_text(
        "Chapter 9 Digital Trade\n\nArticle 9.1 Rules Taken from Other Agreements\n\n"
        "1. Chapter 12 (Electronic Commerce) of the Regional Comprehensive Economic "
        "Partnership Agreement is incorporated into and made part of this Agreement, "
        "mutatis mutandis.\n\nArticle 9.2 Cooperation\n\n1. The Parties shall cooperate on "
        "paperless trading.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("analyse", str(documents), "--out", str(out), "--store",
                     str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "incorporating_agreement.json").read_text())
    flows = report["categories"]["data_free_flow"]
    assert flows["status"] == "hard"
    finding = flows["findings"][0]
    assert "incorporating Article 12.15 of the RCEP" in " ".join(finding["explanation"])
    assert "no_dispute_settlement" in [e["type"] for e in finding["enforceability"]]
    # out of dispute settlement and self-judging: more space than the bare rule's 20
    assert finding["policy_space"] > 20
    assert report["categories"]["source_code_secrecy"]["status"] == "none"
