"""A draft checked in the web app: analysed once, kept in memory only, rescored at will.

An uploaded draft is written to a private temporary folder just long enough for the
readers (which take a path) and deleted at once. Vectors computed for it go to a pending
cache, never to the workspace store, so nothing of the draft is kept on disk unless the
user presses "save to workspace". What-if rescoring builds modified copies of the findings'
modifier lists and calls the pure scorer; the analysis itself is never changed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Analysis, Pipeline
from tradelens.batch import AnalysedFile, PendingCache, save
from tradelens.commands.check import ReferenceIndex, check_analysis
from tradelens.errors import InputError
from tradelens.models import AgreementScore, Finding, ModifierHit
from tradelens.report.contract import build_report, validate_report
from tradelens.score import score_agreement
from tradelens.serve.precedents import PrecedentIndex, modifier_clause
from tradelens.workspace.store import Store

#: The clause id a proposed (what-if) modifier is recorded under in explanations.
PROPOSED = "proposed"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str | None, default: str = "draft.txt") -> str:
    """A file name without any folder, safe to write and to show."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("_", base).strip("._")[:80]
    return base or default


@dataclass
class Draft:
    """One checked draft, in memory, owned by one browser session."""

    token: str
    owner: str
    name: str
    sha256: str
    analysis: Analysis
    report: dict[str, Any]
    check: dict[str, Any]
    pending: PendingCache
    references: list[str]
    created: float = field(default_factory=time.time)
    saved: bool = False

    def vector(self, clause_id: str) -> np.ndarray:
        row = next(i for i, c in enumerate(self.analysis.clauses) if c.clause_id == clause_id)
        return self.analysis.vectors[row]


def _scrub(error: InputError, path: Path, name: str) -> InputError:
    """The same error naming the upload's file name, never the temporary path."""
    reason = error.reason.replace(str(path), name).replace(str(path.parent), "")
    return InputError(name, reason)


def analyse_upload(pipeline: Pipeline, store: Store, precedents: PrecedentIndex,
                   data: bytes, name: str, references: list[str], token: str,
                   owner: str) -> Draft:
    """Analyse an uploaded draft in memory and check it against stored agreements (the
    ones named, or the closest few)."""
    folder = Path(tempfile.mkdtemp(prefix="tradelens-draft-"))
    path = folder / name
    pending = PendingCache(store)
    kept = pipeline.cache
    pipeline.cache = pending  # nothing of the draft reaches the store's cache
    try:
        path.write_bytes(data)
        try:
            analysis = pipeline.analyse(path)
        except InputError as error:
            raise _scrub(error, path, name) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        analysis.document.source = name
        report = pipeline.report(analysis)
        own_id = analysis.document.agreement_id
        if not references:
            row_of = {c.clause_id: i for i, c in enumerate(analysis.clauses)}
            draft_findings = [(f.category, analysis.vectors[row_of[f.clause.clause_id]])
                              for f in analysis.classification.findings]
            references = precedents.closest_agreements(draft_findings, exclude=own_id)
        reports = [r for r in (store.report(a) for a in references) if r is not None]
        refs = ReferenceIndex(reports, pipeline)
        check = check_analysis(analysis, name, refs, pipeline)
    finally:
        pipeline.cache = kept
        shutil.rmtree(folder, ignore_errors=True)
    return Draft(token, owner, name, hashlib.sha256(data).hexdigest(), analysis, report,
                 check, pending, [r["agreement"]["id"] for r in reports])


def save_draft(draft: Draft, pipeline: Pipeline, store: Store) -> None:
    """Store the draft as an agreement of the workspace (the user asked for it)."""
    kept = pipeline.cache
    pipeline.cache = draft.pending
    try:
        pipeline.index_vectors(draft.analysis)
    finally:
        pipeline.cache = kept
    done = AnalysedFile(Path(draft.name), draft.sha256, draft.report, draft.analysis.clauses,
                        draft.analysis.hashes, draft.pending.take())
    save(store, done, pipeline.config)
    draft.saved = True


# -- what-if ------------------------------------------------------------------------------

#: (category, clause id) -> the modifier types the user wants on that finding.
Toggles = dict[tuple[str, str], set[str]]


def with_modifiers(findings: list[Finding], toggles: Toggles,
                   pipeline: Pipeline) -> list[Finding]:
    """Copies of `findings` with the modifier lists the toggles ask for (others as they
    are); the originals are not touched."""
    out = []
    for finding in findings:
        wanted = toggles.get((finding.category, finding.clause.clause_id))
        if wanted is None:
            out.append(finding)
            continue
        kept = [h for h in finding.modifiers if h.modifier in wanted]
        have = {h.modifier for h in kept}
        added = [ModifierHit(m, pipeline.taxonomy.modifiers[m].kind, PROPOSED, "clause",
                             finding.clause.article_key, finding.clause.chapter_index)
                 for m in sorted(wanted - have) if m in pipeline.taxonomy.modifiers]
        out.append(replace(finding, modifiers=kept + added))
    return out


def rescore(draft: Draft, toggles: Toggles, pipeline: Pipeline) -> AgreementScore:
    return score_agreement(with_modifiers(draft.analysis.classification.findings, toggles,
                                          pipeline), pipeline.taxonomy)


def rescored_report(draft: Draft, toggles: Toggles, pipeline: Pipeline) -> dict[str, Any]:
    """The report contract for the draft as the what-if leaves it (as analysed when no
    toggle is set)."""
    if not toggles:
        return draft.report
    analysis = draft.analysis
    report = build_report(analysis.document, analysis.clauses,
                          rescore(draft, toggles, pipeline),
                          analysis.classification.modifier_hits, pipeline.taxonomy,
                          pipeline.encoder.name, pipeline.encoder.sha256, analysis.seconds)
    validate_report(report)
    return report


def options_for(draft: Draft, finding: Finding, pipeline: Pipeline,
                precedents: PrecedentIndex,
                report_of: Callable[[str], dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The modifiers a negotiator could add to or drop from one hard finding, each with
    the closest stored precedent that carries it and that precedent's words."""
    have = {h.modifier for h in finding.modifiers}
    vector = draft.vector(finding.clause.clause_id)
    options = []
    for modifier in pipeline.taxonomy.modifiers.values():
        if finding.category not in modifier.applies_to and modifier.id not in have:
            continue
        if not modifier.relief and modifier.id not in have:
            continue
        proposal = None
        found = precedents.with_modifier(finding.category, vector, modifier.id)
        if found is not None and modifier.id not in have:
            stored, similarity = found
            report = report_of(stored.agreement_id)
            clause = modifier_clause(report or {}, modifier.id, stored.modifiers[modifier.id])
            proposal = {"agreement": stored.agreement_id,
                        "title": (report or {}).get("agreement", {}).get("title")
                        or stored.agreement_id,
                        "finding": stored.location, "similarity": round(similarity, 2),
                        **clause}
        options.append({"id": modifier.id, "label": modifier.label, "kind": modifier.kind,
                        "relief": modifier.relief, "present": modifier.id in have,
                        "proposal": proposal})
    return options
