"""Check a negotiating draft against reference agreements (`tradelens check`).

A negotiator reading a draft chapter asks, clause by clause: which precedent does this
wording follow, and what did it keep or drop? Each finding of the draft is aligned with
its closest counterpart among the references' findings in the same category (exact FAISS
search over the references' clause vectors), and the two are compared on strength,
exceptions, scope and enforceability. A draft with "[A] / [B]" choices is checked once per
option, with the option's own score, so the cost of each choice is visible before a round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens.compare import excerpt
from tradelens.models import Clause, Finding
from tradelens.score import score_agreement

if TYPE_CHECKING:
    from tradelens.classify import Classification
    from tradelens.pipeline import Analyser, ClassifiedFile

def _modifier_types(finding: Finding) -> set[str]:
    return {h.modifier for h in finding.modifiers}


@dataclass
class Counterpart:
    agreement_id: str
    finding: Finding
    similarity: float


class ReferenceIndex:
    """The findings of each reference agreement, one exact inner-product FAISS index per
    (agreement, category), so a draft rule is set beside its closest precedent in each."""

    def __init__(self, runs: list[ClassifiedFile], analyser: Analyser) -> None:
        import faiss

        self.agreements: list[dict[str, str]] = []
        self._indexes: dict[str, list[tuple[str, Any, list[Finding]]]] = {}
        self.bound: dict[str, list[tuple[str, Finding]]] = {}
        for run in runs:
            agreement_id = run.document.agreement_id
            self.agreements.append({"id": agreement_id,
                                    "title": run.document.title or agreement_id})
            findings = run.classification.findings
            score_agreement(findings, analyser.taxonomy)  # fills each finding's policy_space
            row_of = {c.clause_id: i for i, c in enumerate(run.clauses)}
            for category in analyser.taxonomy.categories:
                mine = [f for f in findings if f.category == category]
                if not mine:
                    continue
                vectors = run.vectors[[row_of[f.clause.clause_id] for f in mine]]
                index = faiss.IndexFlatIP(vectors.shape[1])
                index.add(np.ascontiguousarray(vectors, dtype=np.float32))
                self._indexes.setdefault(category, []).append((agreement_id, index, mine))
                self.bound.setdefault(category, []).extend((agreement_id, f) for f in mine)

    def counterparts(self, vector: np.ndarray, category: str) -> list[Counterpart]:
        """The closest finding of `category` in each reference that has one, closest first."""
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        found = []
        for agreement_id, index, findings in self._indexes.get(category, []):
            scores, rows = index.search(query, 1)
            found.append(Counterpart(agreement_id, findings[int(rows[0][0])],
                                     float(scores[0][0])))
        return sorted(found, key=lambda c: -c.similarity)


def _label(analyser: Analyser, modifier: str) -> str:
    return analyser.taxonomy.modifiers[modifier].label.lower()


def _versus(finding: Finding, other: Counterpart, analyser: Analyser) -> dict[str, Any]:
    """How the draft rule differs from one precedent: strength, and for a hard rule, the
    exceptions, scope limits and enforceability rules it lacks or adds."""
    ref = other.finding
    mine, theirs = _modifier_types(finding), _modifier_types(ref)
    both_hard = finding.strength == ref.strength == "hard"
    missing = sorted(theirs - mine) if both_hard else []
    added = sorted(mine - theirs) if both_hard else []
    parts = []
    if ref.strength != finding.strength:
        parts.append(f"{finding.strength} where {other.agreement_id} is {ref.strength}")
    if missing:
        parts.append("missing: " + "; ".join(_label(analyser, m) for m in missing))
    if added:
        parts.append("added: " + "; ".join(_label(analyser, m) for m in added))
    likeness = "wording like" if other.similarity >= 0.8 else "nearest precedent"
    return {
        "agreement": other.agreement_id, "clause_id": ref.clause.clause_id,
        "location": ref.clause.location, "text": excerpt(ref.clause.text),
        "strength": ref.strength, "modifiers": sorted(theirs),
        "policy_space": ref.policy_space, "similarity": round(other.similarity, 3),
        "missing": missing, "added": added,
        "verdict": (f"{likeness} {other.agreement_id} {ref.clause.location} "
                    f"(similarity {other.similarity:.2f}): "
                    + (", ".join(parts) if parts else "same strength, exceptions and scope")),
    }


def _alignment(finding: Finding, vector: np.ndarray, refs: ReferenceIndex,
               analyser: Analyser) -> dict[str, Any]:
    label = analyser.taxonomy.categories[finding.category].label
    versus = [_versus(finding, c, analyser) for c in refs.counterparts(vector, finding.category)]
    headline = (f"{label}: {versus[0]['verdict']}" if versus
                else f"{label}: no reference has a rule on this; the draft goes further "
                     "than every precedent given")
    return {
        "category": finding.category, "clause_id": finding.clause.clause_id,
        "location": finding.clause.location, "text": excerpt(finding.clause.text),
        "strength": finding.strength, "modifiers": sorted(_modifier_types(finding)),
        "policy_space": finding.policy_space, "verdict": headline, "counterparts": versus,
    }


def _variant(label: str, clauses: list[Clause], classification: Classification,
             vectors: np.ndarray, refs: ReferenceIndex, analyser: Analyser) -> dict[str, Any]:
    score = score_agreement(classification.findings, analyser.taxonomy)
    row_of = {c.clause_id: i for i, c in enumerate(clauses)}
    alignments = [_alignment(f, vectors[row_of[f.clause.clause_id]], refs, analyser)
                  for f in sorted(classification.findings,
                                  key=lambda f: (f.category, f.clause.clause_id))]
    drafted = {f.category for f in classification.findings}
    absent = []
    for category, bound in sorted(refs.bound.items()):
        if category in drafted:
            continue
        hard = sorted({a for a, f in bound if f.strength == "hard"})
        absent.append(f"{analyser.taxonomy.categories[category].label}: no rule in the draft; "
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


def check_draft(draft: Path, references: list[Path], analyser: Analyser) -> dict[str, Any]:
    """Align the draft's findings with the references', once per bracketed option."""
    refs = ReferenceIndex([analyser.classify_file(p) for p in references], analyser)
    run = analyser.classify_file(draft)
    variants = []
    for label, clauses in option_variants(run.clauses):
        if label == "as written":
            classification, vectors = run.classification, run.vectors
        else:
            classification, vectors = analyser.classify_clauses(clauses,
                                                                run.document.language)
        variants.append(_variant(label, clauses, classification, vectors, refs, analyser))
    return {
        "draft": {"id": run.document.agreement_id, "title": run.document.title,
                  "source": str(draft)},
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
