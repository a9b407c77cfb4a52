"""CSV tables for pandas and R: one row per agreement, one row per finding."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tradelens.fileio import write_atomically
from tradelens.taxonomy import Taxonomy

AGREEMENT_COLUMNS = ["agreement_id", "title", "date_signed", "language", "parties", "score",
                     "data_free_flow_status", "data_free_flow_score", "server_location_status",
                     "server_location_score", "source_code_secrecy_status",
                     "source_code_secrecy_score", "clauses", "source"]
FINDING_COLUMNS = ["agreement_id", "category", "clause_id", "source_ref", "location", "page",
                   "strength", "confidence", "needs_review", "policy_space", "scope", "exceptions",
                   "enforceability", "text"]


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"); a text
#: cell that starts with one gets a leading apostrophe, which Excel, LibreOffice and
#: Google Sheets show as text. Numbers are written as numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value no spreadsheet will execute: text starting with = + - @ tab or
    carriage return is prefixed with an apostrophe; numbers and empty cells are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def agreement_row(report: dict[str, Any]) -> dict[str, Any]:
    agreement, cats = report["agreement"], report["categories"]
    row = {"agreement_id": agreement["id"], "title": agreement["title"],
           "date_signed": agreement["date_signed"], "language": agreement["language"],
           "parties": ";".join(agreement["parties"]), "score": report["policy_space"]["score"],
           "clauses": report["stats"]["clauses"], "source": agreement["source"]}
    for category in ("data_free_flow", "server_location", "source_code_secrecy"):
        row[f"{category}_status"] = cats[category]["status"]
        row[f"{category}_score"] = cats[category]["policy_space"]
    return row


def finding_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for category, body in report["categories"].items():
        for f in body["findings"]:
            rows.append({
                "agreement_id": report["agreement"]["id"], "category": category,
                "clause_id": f["clause_id"], "source_ref": f["source_ref"],
                "location": f["location"], "page": f.get("page"), "strength": f["strength"],
                "confidence": f["confidence"], "needs_review": f.get("needs_review", False),
                "policy_space": f.get("policy_space"),
                "scope": ";".join(f["scope"]),
                "exceptions": ";".join(e["type"] for e in f["exceptions"]),
                "enforceability": ";".join(e["type"] for e in f.get("enforceability", [])),
                "text": f["text"],
            })
    return rows


def write(reports: list[dict[str, Any]], out_dir: Path, _taxonomy: Taxonomy) -> list[Path]:
    """`agreements.csv` and `findings.csv` for the whole batch."""
    ordered = sorted(reports, key=lambda r: r["agreement"]["id"])
    agreements = out_dir / "agreements.csv"
    findings = out_dir / "findings.csv"
    write_atomically(agreements, _table(AGREEMENT_COLUMNS, [agreement_row(r) for r in ordered]))
    write_atomically(findings, _table(FINDING_COLUMNS,
                                      [row for r in ordered for row in finding_rows(r)]))
    return [agreements, findings]
