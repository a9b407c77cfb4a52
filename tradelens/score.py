"""Findings -> policy-space scores, every number with the reason that produced it.

A pure function of the findings and the taxonomy's weights: nothing it is given is
changed, and the finding that decided each category travels with the score as data.

0 means no policy space left on a front, 100 means untouched. The rubric (docs/methodology.md)
and every weight come from the taxonomy's `scoring` section:

* a finding starts from its strength's value (hard 20, soft 90 by default);
* a hard finding gains the relief of each modifier linked to it (exceptions, scope limits,
  exclusion from dispute settlement), capped at `hard_ceiling` so that a hard rule never
  leaves more room than a soft one;
* a category's score is that of its most binding finding (the lowest), 100 with none;
  findings limited to one sector (financial services, telecommunications) are covered by
  an economy-wide hard rule when there is one, so they decide only when there is none;
* among findings that leave the same room, the most confident one is shown as deciding;
* the agreement's score is the weighted mean of the category scores.
"""

from __future__ import annotations

from tradelens.models import STRENGTH_ORDER, AgreementScore, CategoryScore, Finding, FindingScore
from tradelens.taxonomy import Taxonomy


def _fmt(value: float) -> str:
    return f"{value:g}"


def score_finding(finding: Finding, taxonomy: Taxonomy) -> FindingScore:
    """The policy space one finding leaves, step by step."""
    scoring = taxonomy.scoring
    value = float(scoring["strength"][finding.strength])
    notes = [f"{finding.strength} rule in {finding.clause.clause_id}: starts at {_fmt(value)}"]
    if finding.read_by:
        notes[0] += f" ({finding.read_by})"
    if finding.strength == "hard":
        for hit in finding.modifiers:
            modifier = taxonomy.modifiers[hit.modifier]
            if modifier.relief:
                value += modifier.relief
                notes.append(f"+{_fmt(modifier.relief)} {modifier.label.lower()} "
                             f"({hit.clause_id})")
            else:
                notes.append(f"+0 {modifier.label.lower()} ({hit.clause_id}): noted, no relief")
        ceiling = float(scoring["hard_ceiling"])
        if value > ceiling:
            notes.append(f"capped at {_fmt(ceiling)}: a hard rule leaves less room than a soft one")
            value = ceiling
    return FindingScore(finding, round(value, 1), tuple(notes))


def _is_sectoral(scored: FindingScore, taxonomy: Taxonomy) -> bool:
    return any(taxonomy.modifiers[h.modifier].sectoral for h in scored.finding.modifiers)


def score_category(category: str, findings: list[Finding], taxonomy: Taxonomy) -> CategoryScore:
    """One category's score, set by its most binding finding (see the module docstring)."""
    scored = sorted((score_finding(f, taxonomy) for f in findings if f.category == category),
                    key=lambda s: (s.policy_space, -STRENGTH_ORDER[s.finding.strength],
                                   s.finding.clause.clause_id))
    if not scored:
        none_value = float(taxonomy.scoring["strength"]["none"])
        return CategoryScore(category, "none", none_value, [], None,
                             [f"no finding: {_fmt(none_value)}"])
    economy_wide = [s for s in scored if not _is_sectoral(s, taxonomy)]
    covers_all = any(s.finding.strength == "hard" for s in economy_wide)
    # equally binding findings: the most confident is the evidence (the list stays in order)
    decisive = min(economy_wide if covers_all else scored,
                   key=lambda s: (s.policy_space, -STRENGTH_ORDER[s.finding.strength],
                                  -s.finding.confidence))
    status = max((s.finding.strength for s in scored), key=STRENGTH_ORDER.__getitem__)
    explanation = [f"most binding finding {decisive.finding.clause.clause_id}: "
                   f"{_fmt(decisive.policy_space)}", *decisive.explanation]
    return CategoryScore(category, status, decisive.policy_space, scored, decisive, explanation)


def score_agreement(findings: list[Finding], taxonomy: Taxonomy) -> AgreementScore:
    """Every category's score and their weighted mean."""
    weights = {c: float(taxonomy.scoring["category_weights"].get(c, 0.0))
               for c in taxonomy.categories}
    categories = {c: score_category(c, findings, taxonomy) for c in taxonomy.categories}
    total = sum(weights.values())
    score = sum(weights[c] * categories[c].policy_space for c in categories) / total
    explanation = [
        f"{c}: {categories[c].status}, {_fmt(categories[c].policy_space)} x weight "
        f"{_fmt(weights[c])}" for c in categories
    ]
    explanation.append(f"weighted mean: {score:.1f}")
    return AgreementScore(round(score, 1), weights, categories, explanation)
