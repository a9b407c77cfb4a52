"""Check a negotiating draft against reference agreements (`tradelens check`).

A negotiator reading a draft chapter asks, clause by clause: which precedent does this
wording follow, and what did it keep or drop? Each finding of the draft is aligned with
its closest counterpart among the references' findings in the same category (exact search
over the sentence-model vectors of the references' findings), and the two are compared on
strength, exceptions, scope and enforceability. A draft with "[A] / [B]" choices is checked
once per option, with the option's own score, so the cost of each choice is visible before
a round. References are reports (the JSON contract), however the user named them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Analysis, Pipeline
from tradelens.models import Clause
from tradelens.report.contract import category_dicts, modifier_types
from tradelens.report.display import excerpt
from tradelens.score import score_agreement
from tradelens.vectors.encoder import embed_with_cache
from tradelens.vectors.faiss_index import exact_index, top_k


@dataclass
class Counterpart:
    agreement_id: str
    finding: dict[str, Any]
    similarity: float


class ReferenceIndex:
    """The findings of each reference report, one exact index per (agreement, category), so
    a draft rule is set beside its closest precedent in each."""

    def __init__(self, reports: list[dict[str, Any]], pipeline: Pipeline) -> None:
        self.agreements = [{"id": r["agreement"]["id"],
                            "title": r["agreement"]["title"] or r["agreement"]["id"]}
                           for r in reports]
        self._indexes: dict[str, list[tuple[str, Any, list[dict[str, Any]]]]] = {}
        self.bound: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for report in reports:
            agreement_id = report["agreement"]["id"]
            for category in pipeline.taxonomy.categories:
                mine = report["categories"].get(category, {}).get("findings", [])
                if not mine:
                    continue
                vectors = embed_with_cache([f["text"] for f in mine], pipeline.encoder,
                                           pipeline.cache)
                self._indexes.setdefault(category, []).append(
                    (agreement_id, exact_index(vectors), mine))
                self.bound.setdefault(category, []).extend((agreement_id, f) for f in mine)

    def counterparts(self, vector: np.ndarray, category: str) -> list[Counterpart]:
        """The closest finding of `category` in each reference that has one, closest first."""
        found = []
        for agreement_id, index, findings in self._indexes.get(category, []):
            scores, rows = top_k(index, vector, 1)
            found.append(Counterpart(agreement_id, findings[int(rows[0][0])],
                                     float(scores[0][0])))
        return sorted(found, key=lambda c: -c.similarity)


def _label(pipeline: Pipeline, modifier: str) -> str:
    return pipeline.taxonomy.modifiers[modifier].label.lower()


def _versus(finding: dict[str, Any], other: Counterpart, pipeline: Pipeline) -> dict[str, Any]:
    """How the draft rule differs from one precedent: strength, and for a hard rule, the
    exceptions, scope limits and enforceability rules it lacks or adds."""
    ref = other.finding
    mine, theirs = modifier_types(finding), modifier_types(ref)
    both_hard = finding["strength"] == ref["strength"] == "hard"
    missing = sorted(theirs - mine) if both_hard else []
    added = sorted(mine - theirs) if both_hard else []
    parts = []
    if ref["strength"] != finding["strength"]:
        parts.append(f"{finding['strength']} where {other.agreement_id} is {ref['strength']}")
    if missing:
        parts.append("missing: " + "; ".join(_label(pipeline, m) for m in missing))
    if added:
        parts.append("added: " + "; ".join(_label(pipeline, m) for m in added))
    likeness = "wording like" if other.similarity >= 0.8 else "nearest precedent"
    return {
        "agreement": other.agreement_id, "clause_id": ref["clause_id"],
        "location": ref["location"], "text": excerpt(ref["text"]),
        "strength": ref["strength"], "modifiers": sorted(theirs),
        "policy_space": ref.get("policy_space"), "similarity": round(other.similarity, 3),
        "missing": missing, "added": added,
        "verdict": (f"{likeness} {other.agreement_id} {ref['location']} "
                    f"(similarity {other.similarity:.2f}): "
                    + (", ".join(parts) if parts else "same strength, exceptions and scope")),
    }


def _alignment(category: str, finding: dict[str, Any], vector: np.ndarray,
               refs: ReferenceIndex, pipeline: Pipeline) -> dict[str, Any]:
    label = pipeline.taxonomy.categories[category].label
    versus = [_versus(finding, c, pipeline) for c in refs.counterparts(vector, category)]
    headline = (f"{label}: {versus[0]['verdict']}" if versus
                else f"{label}: no reference has a rule on this; the draft goes further "
                     "than every precedent given")
    return {
        "category": category, "clause_id": finding["clause_id"],
        "location": finding["location"], "text": excerpt(finding["text"]),
        "strength": finding["strength"], "modifiers": sorted(modifier_types(finding)),
        "policy_space": finding["policy_space"], "verdict": headline, "counterparts": versus,
    }


def _variant(label: str, clauses: list[Clause], pipeline: Pipeline,
             refs: ReferenceIndex, language: str | None,
             precomputed: tuple[Any, np.ndarray] | None = None) -> dict[str, Any]:
    classification, vectors = precomputed or pipeline.classify_clauses(clauses, language)
    score = score_agreement(classification.findings, pipeline.taxonomy)
    categories = category_dicts(score, pipeline.taxonomy)
    row_of = {c.clause_id: i for i, c in enumerate(clauses)}
    alignments = [_alignment(category, f, vectors[row_of[f["clause_id"]]], refs, pipeline)
                  for category in sorted(categories)
                  for f in sorted(categories[category]["findings"],
                                  key=lambda f: f["clause_id"])]
    absent = []
    for category, bound in sorted(refs.bound.items()):
        if categories[category]["findings"]:
            continue
        hard = sorted({a for a, f in bound if f["strength"] == "hard"})
        absent.append(f"{pipeline.taxonomy.categories[category].label}: no rule in the draft; "
                      + (f"hard rules in {', '.join(hard)}" if hard
                         else "soft commitments only in the references"))
    return {
        "option": label, "score": score.score,
        "categories": {c: {"status": s.status, "policy_space": s.policy_space}
                       for c, s in score.categories.items()},
        "alignments": alignments, "absent": absent,
    }


def option_variants(clauses: list[Clause]) -> list[tuple[str, list[Clause]]]:
    """The draft once per bracketed option ("option 1", "option 2", ...), or as written."""
    count = max((len(c.options) for c in clauses), default=0)
    if count == 0:
        return [("as written", clauses)]
    variants = []
    for k in range(count):
        chosen = [replace(c, text=c.options[min(k, len(c.options) - 1)]) if c.options else c
                  for c in clauses]
        variants.append((f"option {k + 1}", chosen))
    return variants


def check_draft(draft: Path, references: list[dict[str, Any]],
                pipeline: Pipeline) -> dict[str, Any]:
    """Align the draft's findings with the reference reports', once per bracketed option."""
    refs = ReferenceIndex(references, pipeline)
    return check_analysis(pipeline.analyse(draft), draft.name, refs, pipeline)


def check_analysis(analysis: Analysis, source: str, refs: ReferenceIndex,
                   pipeline: Pipeline) -> dict[str, Any]:
    """`check_draft` for a draft already analysed (the web app analyses it once and shows
    the report, the check and the what-if from the same analysis)."""
    language = analysis.document.language
    variants = []
    for label, clauses in option_variants(analysis.clauses):
        as_written = (analysis.classification, analysis.vectors) if label == "as written" \
            else None
        variants.append(_variant(label, clauses, pipeline, refs, language, as_written))
    return {
        "draft": {"id": analysis.document.agreement_id, "title": analysis.document.title,
                  "source": source},
        "references": refs.agreements,
        "options": variants,
    }


def render_check(data: dict[str, Any]) -> str:
    draft = data["draft"]
    lines = [f"draft: {draft['title'] or draft['id']} ({draft['source']})",
             "references: " + ", ".join(r["id"] for r in data["references"])]
    if len(data["options"]) > 1:
        lines.append("bracketed options: " + ", ".join(
            f"{v['option']} {v['score']:g}" for v in data["options"]))
    for variant in data["options"]:
        statuses = "  ".join(f"{c}={s['status']} {s['policy_space']:g}"
                             for c, s in variant["categories"].items())
        lines += ["", f"== {variant['option']}: policy space {variant['score']:g}  ({statuses})"]
        for item in variant["alignments"]:
            lines.append(f"- {item['verdict']}")
            lines.append(f"    draft {item['clause_id']} ({item['strength']}): \"{item['text']}\"")
            if item["counterparts"]:
                ref = item["counterparts"][0]
                lines.append(f"    {ref['agreement']} {ref['clause_id']} ({ref['strength']}): "
                             f"\"{ref['text']}\"")
            for other in item["counterparts"][1:]:
                lines.append(f"    also {other['verdict']}")
        lines += [f"- {line}" for line in variant["absent"]]
    return "\n".join(lines)
