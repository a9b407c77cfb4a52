"""Real ToTA agreements through the CLI: the TPP's three digital rules and older texts."""

from __future__ import annotations

import jsonschema

from tradelens.report.contract import report_schema

# TPP chapter 14 in ToTA: Articles 14.11 (transfer), 14.13 (computing facilities) and
# 14.17 (source code)
TPP_ARTICLES = {"data_free_flow": "40218", "server_location": "40220",
                "source_code_secrecy": "40224"}


def test_tpp_has_three_hard_rules_with_their_articles(tota_run):
    report = tota_run["pta_449"]
    jsonschema.validate(report, report_schema())
    assert report["agreement"]["id"] == "pta_449"
    assert report["agreement"]["date_signed"] == "2016-02-03"
    for category, article in TPP_ARTICLES.items():
        body = report["categories"][category]
        assert body["status"] == "hard", category
        refs = {f["source_ref"] for f in body["findings"] if f["strength"] == "hard"}
        assert article in refs, (category, refs)


def test_tpp_exceptions_and_scope_are_linked(tota_run):
    categories = tota_run["pta_449"]["categories"]

    def modifiers(category: str, ref: str) -> set[str]:
        finding = next(f for f in categories[category]["findings"] if f["source_ref"] == ref)
        return ({e["type"] for e in finding["exceptions"]} | set(finding["scope"])
                | {e["type"] for e in finding["enforceability"]})

    assert "lppo_necessity" in modifiers("data_free_flow", "40218")
    assert "lppo_necessity" in modifiers("server_location", "40220")
    assert {"mass_market_only", "critical_infrastructure_excluded"} <= modifiers(
        "source_code_secrecy", "40224")
    # The temporary exemption for Malaysia and Viet Nam is not a chapter-wide carve-out.
    assert "no_dispute_settlement" not in modifiers("data_free_flow", "40218")


def test_japan_mongolia_binds_servers_and_source_code(tota_run):
    categories = tota_run["pta_425"]["categories"]
    assert categories["server_location"]["status"] == "hard"
    assert categories["source_code_secrecy"]["status"] == "hard"
    assert categories["data_free_flow"]["status"] == "soft"


def test_goods_era_agreements_leave_all_policy_space(tota_run):
    for agreement in ("pta_300", "pta_1", "pta_100"):
        report = tota_run[agreement]
        assert report["policy_space"]["score"] == 100, agreement
        assert all(b["status"] == "none" for b in report["categories"].values())


def test_tpp_leaves_less_room_than_older_agreements(tota_run):
    assert tota_run["pta_449"]["policy_space"]["score"] < tota_run["pta_425"]["policy_space"][
        "score"] < tota_run["pta_1"]["policy_space"]["score"]


def test_spanish_tpp_reads_like_the_english_one(tota_run):
    english, spanish = tota_run["pta_449"], tota_run["pta_450"]
    assert spanish["agreement"]["language"] == "es"
    for category in TPP_ARTICLES:
        assert spanish["categories"][category]["status"] == english["categories"][category][
            "status"], category
    assert abs(spanish["policy_space"]["score"] - english["policy_space"]["score"]) <= 5
    # The Spanish articles that carry the three rules (14.11, 14.13, 14.17).
    refs = {c: {f["source_ref"] for f in spanish["categories"][c]["findings"]}
            for c in TPP_ARTICLES}
    assert "40726" in refs["data_free_flow"] and "40728" in refs["server_location"]
    assert "40732" in refs["source_code_secrecy"]
