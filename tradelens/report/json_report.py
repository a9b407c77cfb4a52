"""The JSON report: the contract other tools parse (schema `tradelens.report/1`).

Every report is validated against `schemas/report.schema.json` before it is written, so a
contract breach is caught here rather than in somebody else's pipeline.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tradelens import __version__
from tradelens.models import AgreementScore, Clause, Document, Finding, ModifierHit
from tradelens.taxonomy import Taxonomy

SCHEMA_ID = "tradelens.report/1"


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


def _finding(finding: Finding) -> dict[str, Any]:
    clause = finding.clause
    by_kind: dict[str, list[ModifierHit]] = {"scope": [], "exception": [], "enforceability": []}
    for hit in finding.modifiers:
        by_kind[hit.kind].append(hit)
    # Only text read by OCR carries its confidence; typeset text leaves the key out.
    ocr = {"ocr_confidence": clause.ocr_confidence} if clause.ocr_confidence is not None \
        else {}
    if clause.file:  # a clause of an agreement made of several files: which file
        ocr["file"] = clause.file
    return {
        "clause_id": clause.clause_id,
        "source_ref": clause.source_ref,
        "location": clause.location,
        "page": clause.page,
        "text": clause.text,
        "strength": finding.strength,
        "confidence": finding.confidence,
        "scope": [h.modifier for h in by_kind["scope"]],
        "scope_clauses": [{"type": h.modifier, "clause_id": h.clause_id}
                          for h in by_kind["scope"]],
        "exceptions": [{"type": h.modifier, "clause_id": h.clause_id}
                       for h in by_kind["exception"]],
        "enforceability": [{"type": h.modifier, "clause_id": h.clause_id}
                           for h in by_kind["enforceability"]],
        "policy_space": finding.policy_space,
        "explanation": finding.explanation,
        "evidence": [{"start": s.start, "end": s.end, "text": s.text, "cue": s.cue}
                     for s in finding.evidence],
        "nearest_exemplars": finding.nearest_exemplars,
        **ocr,
    }


def _modifier(hit: ModifierHit, clauses: dict[str, Clause], taxonomy: Taxonomy) -> dict[str, Any]:
    """A modifier with the words that carry it, so a reader can check it without the source."""
    clause = clauses.get(hit.clause_id)
    return {"type": hit.modifier, "kind": hit.kind, "clause_id": hit.clause_id,
            "label": taxonomy.modifiers[hit.modifier].label,
            "location": clause.location if clause else None,
            "text": clause.text if clause else None,
            "evidence": [s.text for s in hit.evidence if s.text]}


def build_report(document: Document, clauses: list[Clause], score: AgreementScore,
                 modifier_hits: list[ModifierHit], taxonomy: Taxonomy, model_name: str,
                 model_sha256: str, seconds: float) -> dict[str, Any]:
    by_id = {c.clause_id: c for c in clauses}
    categories = {}
    for category_id, result in score.categories.items():
        categories[category_id] = {
            "label": taxonomy.categories[category_id].label,
            "status": result.status,
            "policy_space": result.policy_space,
            "explanation": result.explanation,
            "findings": [_finding(f) for f in result.findings],
        }
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
        },
        "categories": categories,
        "policy_space": {
            "score": score.score,
            "weights": score.weights,
            "explanation": score.explanation,
        },
        "modifiers": [_modifier(h, by_id, taxonomy) for h in modifier_hits],
        "stats": {"clauses": len(clauses), "pages": document.pages,
                  "seconds": round(seconds, 3)},
        "provenance": {
            "tradelens_version": __version__,
            "taxonomy_version": taxonomy.version,
            "model": model_name,
            "model_sha256": model_sha256,
        },
    }


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a report."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_json(report: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / f"{report['agreement']['id']}.json"
    write_atomically(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path
