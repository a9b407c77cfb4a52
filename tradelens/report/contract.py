"""The report contract (schema `tradelens.report/1`): the one place where an analysis
becomes the dicts that every writer (JSON, CSV, Markdown, HTML) and every command reads.

Every report is validated against `schemas/report.schema.json` before it leaves the
pipeline, so a contract breach is caught here rather than in somebody else's pipeline.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from tradelens import __version__
from tradelens.models import (
    MODIFIER_KINDS,
    AgreementScore,
    Clause,
    Document,
    FindingScore,
    ModifierHit,
)
from tradelens.taxonomy import Taxonomy
from tradelens.text.parties import contract_fields

SCHEMA_ID = "tradelens.report/1"
_DECISIVE_LINE = re.compile(r"most binding finding (\S+): ")


@cache
def report_schema() -> dict[str, Any]:
    return json.loads(
        resources.files("tradelens").joinpath("schemas/report.schema.json").read_text()
    )


@cache
def _validator():  # noqa: ANN202 - a jsonschema validator, built once: building it is slow
    import jsonschema

    schema = report_schema()
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def validate_report(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError if `report` breaks the contract."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(report))
    if error is not None:
        raise error


def is_report(data: Any) -> bool:
    """Whether parsed JSON claims to be a TradeLens report."""
    return isinstance(data, dict) and data.get("schema") == SCHEMA_ID


# -- analysis -> contract ---------------------------------------------------------------

def finding_dict(scored: FindingScore, review_below: float = 0.0) -> dict[str, Any]:
    """One finding as reports carry it, with its score and the modifiers linked to it;
    `needs_review` when its confidence is under `review_below`."""
    finding, clause = scored.finding, scored.finding.clause
    by_kind: dict[str, list[ModifierHit]] = {kind: [] for kind in MODIFIER_KINDS}
    for hit in finding.modifiers:
        by_kind[hit.kind].append(hit)
    return {
        "clause_id": clause.clause_id,
        "source_ref": clause.source_ref,
        "location": clause.location,
        "page": clause.page,
        "text": clause.text,
        "strength": finding.strength,
        "confidence": finding.confidence,
        "needs_review": finding.confidence < review_below,
        "scope": [h.modifier for h in by_kind["scope"]],
        "scope_clauses": [{"type": h.modifier, "clause_id": h.clause_id}
                          for h in by_kind["scope"]],
        "exceptions": [{"type": h.modifier, "clause_id": h.clause_id}
                       for h in by_kind["exception"]],
        "enforceability": [{"type": h.modifier, "clause_id": h.clause_id}
                           for h in by_kind["enforceability"]],
        "policy_space": scored.policy_space,
        "explanation": list(scored.explanation),
        "evidence": [{"start": s.start, "end": s.end, "text": s.text, "cue": s.cue}
                     for s in finding.evidence],
        "nearest_exemplars": finding.nearest_exemplars,
        # Only text read by OCR carries its confidence; a clause of an agreement made of
        # several files names its file.
        **({"ocr_confidence": clause.ocr_confidence}
           if clause.ocr_confidence is not None else {}),
        **({"file": clause.file} if clause.file else {}),
    }


def modifier_dict(hit: ModifierHit, clauses: dict[str, Clause],
                  taxonomy: Taxonomy) -> dict[str, Any]:
    """A modifier with the words that carry it, so a reader can check it without the source."""
    clause = clauses.get(hit.clause_id)
    return {"type": hit.modifier, "kind": hit.kind, "clause_id": hit.clause_id,
            "label": taxonomy.modifiers[hit.modifier].label,
            "location": clause.location if clause else None,
            "text": clause.text if clause else None,
            "evidence": [s.text for s in hit.evidence if s.text]}


def category_dicts(score: AgreementScore, taxonomy: Taxonomy) -> dict[str, dict[str, Any]]:
    """Per category: status, score, the decisive clause and every finding."""
    review_below = float(taxonomy.classifier.get("review_below", 0.0))
    return {
        category_id: {
            "label": taxonomy.categories[category_id].label,
            "status": result.status,
            "policy_space": result.policy_space,
            "decisive_clause_id": (result.decisive.finding.clause.clause_id
                                   if result.decisive else None),
            "explanation": result.explanation,
            "findings": [finding_dict(f, review_below) for f in result.findings],
        }
        for category_id, result in score.categories.items()
    }


def build_report(document: Document, clauses: list[Clause], score: AgreementScore,
                 modifier_hits: list[ModifierHit], taxonomy: Taxonomy, model_name: str,
                 model_sha256: str, seconds: float,
                 topic_model_sha256: str | None = None) -> dict[str, Any]:
    by_id = {c.clause_id: c for c in clauses}
    return {
        "schema": SCHEMA_ID,
        "agreement": {
            "id": document.agreement_id,
            "title": document.title,
            "source": document.source,
            "format": document.format,
            "language": document.language,
            "date_signed": document.date_signed,
            "parties": document.parties,
            **contract_fields(document),
            **parallel_fields(document),
        },
        "categories": category_dicts(score, taxonomy),
        "policy_space": {
            "score": score.score,
            "weights": score.weights,
            "explanation": score.explanation,
        },
        "modifiers": [modifier_dict(h, by_id, taxonomy) for h in modifier_hits],
        "stats": {"clauses": len(clauses), "pages": document.pages,
                  "seconds": round(seconds, 3)},
        "provenance": {
            "tradelens_version": __version__,
            "taxonomy_version": taxonomy.version,
            "model": model_name,
            "model_sha256": model_sha256,
            "topic_model_sha256": topic_model_sha256,
        },
    }


def parallel_fields(document: Document) -> dict[str, Any]:
    """`parallel` for a language version of a parallel bilingual file (text/parallel.py):
    the id the versions share, the layout, and every version's id and language, so a
    reader finds the others and lists them together. Nothing for other documents."""
    parallel = document.parallel
    if parallel is None:
        return {}
    return {"parallel": {
        "source_id": parallel.source_id, "layout": parallel.layout,
        "versions": [{"id": parallel.version_id(language), "language": language}
                     for language in parallel.languages]}}


def published(report: dict[str, Any], full_paths: bool = False) -> dict[str, Any]:
    """The report as it may leave the machine: `agreement.source` is the file name only,
    never the folders of the analyst's machine (their home folder, a client's name),
    unless `full_paths` is asked for. The workspace keeps the full path for itself."""
    if full_paths:
        return report
    agreement, provenance = report["agreement"], report.get("provenance") or {}
    out = {**report, "agreement": {**agreement, "source": _file_name(agreement.get("source"))}}
    if provenance:  # a --model given as a folder is named by that folder (and its hash)
        out["provenance"] = {**provenance, "model": _file_name(provenance.get("model"))}
    return out


def _file_name(value: str | None) -> str | None:
    if not value:
        return value
    return PureWindowsPath(value).name if "\\" in value else PurePosixPath(value).name


# -- reading the contract ---------------------------------------------------------------

def decisive_finding(body: dict[str, Any]) -> dict[str, Any] | None:
    """The finding that set a category's score, as the scorer recorded it (reports written
    before `decisive_clause_id` existed name it, whole, in their first explanation line)."""
    wanted = body.get("decisive_clause_id")
    if wanted is None and "decisive_clause_id" not in body:
        named = _DECISIVE_LINE.match((body.get("explanation") or [""])[0])
        wanted = named.group(1) if named else None
    return next((f for f in body["findings"] if f["clause_id"] == wanted), None)


def modifier_types(finding: dict[str, Any] | None) -> set[str]:
    """Every exception, scope and enforceability type linked to a finding."""
    if finding is None:
        return set()
    return (set(finding["scope"]) | {e["type"] for e in finding["exceptions"]}
            | {e["type"] for e in finding.get("enforceability", [])})
