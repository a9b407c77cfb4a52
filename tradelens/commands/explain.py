"""Why the classifier decided what it did (`tradelens explain`).

For a lawyer to sign a finding, the finding has to show its working: the cue pattern that
named the topic, the words that made it binding or soft, the team's exemplars it is
closest to, the exceptions and scope limits linked to it and the points each one moved.
For a clause that is not a finding, the reason it was passed over, category by category.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradelens.analysis import Analysis, Pipeline
from tradelens.classify import Decision
from tradelens.errors import InputError
from tradelens.models import AgreementScore, Clause, Finding, FindingScore, ModifierHit
from tradelens.taxonomy import Taxonomy


def _modifier(hit: ModifierHit, taxonomy: Taxonomy) -> dict[str, Any]:
    modifier = taxonomy.modifiers[hit.modifier]
    return {"type": hit.modifier, "kind": hit.kind, "label": modifier.label,
            "clause_id": hit.clause_id, "reach": hit.reach, "relief": modifier.relief,
            "evidence": [{"text": s.text, "cue": s.cue} for s in hit.evidence]}


def _decision(decision: Decision) -> dict[str, Any]:
    return {"category": decision.category, "outcome": decision.outcome,
            "reason": decision.reason, "rule": decision.rule, "nearest": decision.nearest}


def _finding(scored: FindingScore, decision: Decision | None,
             taxonomy: Taxonomy) -> dict[str, Any]:
    finding, clause = scored.finding, scored.finding.clause
    return {
        "clause_id": clause.clause_id, "location": clause.location, "text": clause.text,
        "category": finding.category, "strength": finding.strength,
        "confidence": finding.confidence,
        "rule": decision.rule if decision else None,
        "reason": decision.reason if decision else None,
        "evidence": [{"text": s.text, "cue": s.cue} for s in finding.evidence],
        "nearest_exemplars": finding.nearest_exemplars,
        "modifiers": [_modifier(h, taxonomy) for h in finding.modifiers],
        "policy_space": scored.policy_space, "explanation": list(scored.explanation),
    }


def find_clause(clauses: list[Clause], wanted: str, path: Path) -> Clause:
    """A clause by its full id or by the part after the agreement id ("a40218:p2")."""
    for clause in clauses:
        if clause.clause_id == wanted or clause.clause_id.split(":", 1)[-1] == wanted:
            return clause
    sample = ", ".join(c.clause_id for c in clauses[:3])
    raise InputError(path, f"no clause '{wanted}' (ids look like {sample}; "
                           "`tradelens segment` lists them)")


def explanation(path: Path, analysis: Analysis, score: AgreementScore, taxonomy: Taxonomy,
                clause_id: str | None) -> dict[str, Any]:
    """The explain report as data: every finding, or one clause's decisions."""
    result, clauses = analysis.classification, analysis.clauses
    scored = {(s.finding.clause.clause_id, s.finding.category): s
              for category in score.categories.values() for s in category.findings}

    def item(finding: Finding) -> dict[str, Any]:
        decision = next((d for d in result.decisions.get(finding.clause.clause_id, [])
                         if d.category == finding.category), None)
        return _finding(scored[(finding.clause.clause_id, finding.category)], decision,
                        taxonomy)

    agreement_id = analysis.document.agreement_id
    if clause_id is None:
        return {"agreement": agreement_id, "clauses": len(clauses),
                "findings": [item(f) for f in result.findings]}
    clause = find_clause(clauses, clause_id, path)
    return {
        "agreement": agreement_id, "clause_id": clause.clause_id, "location": clause.location,
        "text": clause.text, "footnotes": clause.footnotes,
        "decisions": [_decision(d) for d in result.decisions[clause.clause_id]],
        "modifiers": [_modifier(h, taxonomy) for h in result.modifier_hits
                      if h.clause_id == clause.clause_id],
        "findings": [item(f) for f in result.findings if f.clause is clause],
    }


def explain_file(path: Path, pipeline: Pipeline, clause_id: str | None = None,
                 ) -> dict[str, Any]:
    """Analyse one file with the classifier's trace on and explain it."""
    analysis = pipeline.analyse(path, trace=True)
    return explanation(path, analysis, pipeline.score(analysis), pipeline.taxonomy, clause_id)


def _nearest_lines(nearest: list[dict[str, Any]]) -> list[str]:
    return [f"      {n['similarity']:.2f}  [{n['lang']} {n['strength']}] {n['text'][:110]}"
            for n in nearest]


def _finding_lines(item: dict[str, Any]) -> list[str]:
    lines = [f"{item['category']}: {item['strength'].upper()} in {item['clause_id']}",
             f"  {item['location']}",
             f"  \"{item['text'][:300]}{'...' if len(item['text']) > 300 else ''}\"",
             f"  why: {item['reason']}"]
    if item["rule"]:
        lines.append(f"  rule: {item['rule']}")
    lines.append("  evidence: " + "; ".join(f"{e['cue']} '{e['text']}'" for e in item["evidence"]))
    if item["nearest_exemplars"]:
        lines.append("  nearest exemplars:")
        lines += _nearest_lines(item["nearest_exemplars"])
    for mod in item["modifiers"]:
        words = "; ".join(f"'{e['text']}'" for e in mod["evidence"])
        lines.append(f"  {mod['kind']}: {mod['label']} ({mod['clause_id']}, reach {mod['reach']},"
                     f" +{mod['relief']:g}) from {words}")
    lines.append(f"  policy space {item['policy_space']:g}: " + "; ".join(item["explanation"]))
    return lines


def render_text(data: dict[str, Any]) -> str:
    if "decisions" not in data:
        lines = [f"{data['agreement']}: {len(data['findings'])} findings in "
                 f"{data['clauses']} clauses", ""]
        for item in data["findings"]:
            lines += [*_finding_lines(item), ""]
        return "\n".join(lines).rstrip()
    lines = [f"{data['clause_id']}", f"  {data['location']}", f"  \"{data['text']}\""]
    lines += [f"  footnote: {note}" for note in data["footnotes"]]
    lines.append("")
    for decision in data["decisions"]:
        lines.append(f"{decision['category']}: {decision['outcome']}: {decision['reason']}")
        if decision["rule"]:
            lines.append(f"  rule: {decision['rule']}")
        if decision["nearest"]:
            lines.append("  nearest exemplars:")
            lines += _nearest_lines(decision["nearest"])
    for mod in data["modifiers"]:
        words = "; ".join(f"{e['cue']} '{e['text']}'" for e in mod["evidence"])
        lines.append(f"modifier: {mod['label']} ({mod['type']}, reach {mod['reach']}) from {words}")
    for item in data["findings"]:
        lines += ["", *_finding_lines(item)]
    return "\n".join(lines)
