"""What each page shows, as plain dicts for the templates (built on the engine's thread,
since they read the store)."""

from __future__ import annotations

from typing import Any

from tradelens.models import Finding
from tradelens.report.contract import category_dicts
from tradelens.report.display import excerpt, modifier_labels
from tradelens.report.html_site import highlight
from tradelens.report.pages import anchor
from tradelens.serve.drafts import Draft, Toggles, options_for, rescore, with_modifiers
from tradelens.serve.engine import Engine


def finding_key(finding: Finding) -> str:
    return f"{finding.category}|{finding.clause.clause_id}"


def _alignment(draft: Draft, category: str, clause_id: str) -> dict[str, Any] | None:
    for variant in draft.check["options"]:
        for item in variant["alignments"]:
            if item["category"] == category and item["clause_id"] == clause_id:
                return item
    return None


def scores_view(draft: Draft, toggles: Toggles, engine: Engine) -> dict[str, Any]:
    """The draft's scores under the what-if toggles: agreement, categories, findings."""
    pipeline = engine.pipeline
    score = rescore(draft, toggles, pipeline)
    categories = category_dicts(score, pipeline.taxonomy)
    findings = {}
    for result in score.categories.values():
        for scored in result.findings:
            findings[finding_key(scored.finding)] = {
                "policy_space": scored.policy_space, "explanation": list(scored.explanation)}
    return {"score": score.score, "explanation": score.explanation,
            "categories": {c: {"label": b["label"], "status": b["status"],
                               "policy_space": b["policy_space"],
                               "explanation": b["explanation"]}
                           for c, b in categories.items()},
            "findings": findings}


def _clause_views(draft: Draft, engine: Engine) -> list[dict[str, Any]]:
    """The draft's text, clause by clause, each finding highlighted."""
    taxonomy = engine.pipeline.taxonomy
    by_clause: dict[str, list[Finding]] = {}
    for finding in draft.analysis.classification.findings:
        by_clause.setdefault(finding.clause.clause_id, []).append(finding)
    views = []
    for clause in draft.analysis.clauses:
        mine = by_clause.get(clause.clause_id, [])
        spans = [(e.start, e.end, "topic" if e.cue.startswith("topic") else "modal")
                 for f in mine for e in f.evidence]
        views.append({
            "clause_id": clause.clause_id, "anchor": anchor(clause.clause_id),
            "location": clause.location, "html": highlight(clause.text, spans),
            "flags": [{"category": f.category,
                       "label": taxonomy.categories[f.category].label,
                       "strength": f.strength, "key": finding_key(f),
                       "anchor": "f-" + anchor(finding_key(f))} for f in mine],
            "strength": max((f.strength for f in mine), key=("soft", "hard").index,
                            default=None)})
    return views


def draft_view(draft: Draft, toggles: Toggles, engine: Engine) -> dict[str, Any]:
    """Everything the check page shows for one draft."""
    pipeline, taxonomy = engine.pipeline, engine.pipeline.taxonomy
    assert engine.precedents is not None
    scores = scores_view(draft, toggles, engine)
    findings = []
    for finding in draft.analysis.classification.findings:
        key = finding_key(finding)
        wanted = toggles.get((finding.category, finding.clause.clause_id))
        options = options_for(draft, finding, pipeline, engine.precedents, engine.report) \
            if finding.strength == "hard" else []
        for option in options:
            option["checked"] = (option["id"] in wanted) if wanted is not None \
                else option["present"]
        findings.append({
            "key": key, "anchor": "f-" + anchor(key), "category": finding.category,
            "label": taxonomy.categories[finding.category].label,
            "strength": finding.strength, "clause_id": finding.clause.clause_id,
            "clause_anchor": anchor(finding.clause.clause_id),
            "location": finding.clause.location, "text": excerpt(finding.clause.text, 400),
            "confidence": finding.confidence,
            "alignment": _alignment(draft, finding.category, finding.clause.clause_id),
            "options": options, **scores["findings"][key]})
    report = draft.report
    return {
        "draft": draft, "agreement": report["agreement"], "scores": scores,
        "analysed_score": report["policy_space"]["score"],
        "clauses": _clause_views(draft, engine), "findings": findings,
        "modifiers": [{**m, "excerpt": excerpt(m.get("text") or "")}
                      for m in report["modifiers"]],
        "options": draft.check["options"], "references": draft.check["references"],
        "category_labels": {c: taxonomy.categories[c].label for c in taxonomy.categories},
        "toggled": bool(toggles),
        "labels": {m.id: m.label for m in taxonomy.modifiers.values()},
    }


def toggled_findings(draft: Draft, toggles: Toggles, engine: Engine) -> list[Finding]:
    return with_modifiers(draft.analysis.classification.findings, toggles, engine.pipeline)


# -- the workspace ------------------------------------------------------------------------

def matches_filters(summary: dict[str, Any], party: str, year_from: int | None,
                    year_to: int | None, category: str, strength: str) -> bool:
    """Whether one stored agreement passes the workspace page's filters."""
    if party and not any(party.lower() in p.lower() for p in summary["parties"]) \
            and party.lower() not in summary["title"].lower():
        return False
    year = summary["year"]
    if (year_from or year_to) and year is None:
        return False
    if year_from and year < year_from or year_to and year > year_to:
        return False
    statuses = [summary["statuses"].get(category)] if category \
        else list(summary["statuses"].values())
    if strength:
        return strength in statuses
    return not category or statuses[0] != "none"


def compare_view(reports: list[dict[str, Any]]) -> dict[str, Any]:
    from tradelens.commands.compare import compare_reports

    data = compare_reports(reports)
    labels = modifier_labels(reports)
    for category in data["categories"]:
        for row in category["rows"]:
            row["modifier_labels"] = [labels.get(m, m) for m in row["modifiers"]]
    return data
