"""The policy-space ledger: one country's commitments, category by category, over time.

A government's room on data, servers or source code is limited by the most binding of
all the agreements it is party to, not by one text. The ledger reads the stored reports
(the JSON contract) of a workspace and answers, per category: since when is the country
bound, by which agreement and clause, towards which partners, with which exceptions and
carve-outs kept; what binds it most today; and which of its agreements leave the front open.

When an agreement starts to bind: on its entry into force where the source gives one; a
source that tracks status (ToTA) but gives no entry into force means signed, not in force;
a source that says nothing (a text header with a signature date only) is read as binding
from signature, and the ledger says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tradelens.report.contract import decisive_finding
from tradelens.report.display import excerpt, modifier_labels
from tradelens.text.parties import contract_fields, country_name, parse_date, sides

_RANK = {"hard": 2, "soft": 1, "none": 0}

BASIS_IN_FORCE = "in force"
BASIS_SIGNED = "signed (no entry-into-force date in the source)"
BASIS_NOT_IN_FORCE = "signed, not in force"
BASIS_UNDATED = "undated"


@dataclass
class CategoryRecord:
    """One agreement's result on one category, with the clause that decided it."""

    status: str
    policy_space: float
    clause_id: str | None = None
    location: str | None = None
    text: str | None = None
    kept: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AgreementRecord:
    """What the ledger and the research tables need of one stored report."""

    id: str
    title: str
    date_signed: str | None
    date_into_force: str | None
    date_inactive: str | None
    treaty_status: str | None
    codes: list[str]
    sides: dict[str, str]
    start: dt.date | None
    basis: str
    end: dt.date | None
    categories: dict[str, CategoryRecord]
    labels: dict[str, str]
    #: The id the language versions of a parallel bilingual file share (text/parallel.py).
    parallel_source: str | None = None

    @property
    def start_year(self) -> int | None:
        return self.start.year if self.start else None

    @property
    def end_year(self) -> int | None:
        return self.end.year if self.end else None

    def in_force_on(self, day: dt.date) -> bool:
        return (self.start is not None and self.start <= day
                and (self.end is None or day < self.end))

    def partners(self, code: str) -> list[str]:
        """The parties on the other side(s) from `code`."""
        own = self.sides.get(code)
        return [c for c in self.codes if self.sides.get(c) != own]


def _kept(finding: dict[str, Any], labels: dict[str, str]) -> list[dict[str, str]]:
    """The exceptions, scope limits and enforceability rules attached to a finding."""
    kept = []
    scope = finding.get("scope_clauses") or [{"type": t, "clause_id": None}
                                              for t in finding.get("scope", [])]
    for kind, hits in (("exception", finding.get("exceptions", [])), ("scope", scope),
                       ("enforceability", finding.get("enforceability", []))):
        kept += [{"kind": kind, "type": h["type"], "label": labels.get(h["type"], h["type"]),
                  "clause_id": h.get("clause_id")} for h in hits]
    return kept


def _start(agreement: dict[str, Any]) -> tuple[dt.date | None, str]:
    into_force = parse_date(agreement.get("date_into_force"))
    if into_force:
        return into_force, BASIS_IN_FORCE
    if agreement.get("treaty_status"):
        return None, BASIS_NOT_IN_FORCE
    signed = parse_date(agreement.get("date_signed"))
    return (signed, BASIS_SIGNED) if signed else (None, BASIS_UNDATED)


def record(report: dict[str, Any]) -> AgreementRecord:
    """An AgreementRecord from a report; reports written before party codes were part of
    the contract get them from `agreement.parties` here."""
    agreement = report["agreement"]
    if "party_codes" in agreement:
        codes = list(agreement["party_codes"])
    else:
        codes = contract_fields(_Legacy(agreement))["party_codes"]
    labels = modifier_labels([report])
    categories = {}
    for category, body in report["categories"].items():
        found = decisive_finding(body)
        categories[category] = CategoryRecord(
            status=body["status"], policy_space=float(body["policy_space"]),
            clause_id=found["clause_id"] if found else None,
            location=found["location"] if found else None,
            text=found["text"] if found else None,
            kept=_kept(found, labels) if found else [])
    start, basis = _start(agreement)
    return AgreementRecord(
        id=agreement["id"], title=agreement.get("title") or agreement["id"],
        date_signed=agreement.get("date_signed"),
        date_into_force=agreement.get("date_into_force"),
        date_inactive=agreement.get("date_inactive"),
        treaty_status=agreement.get("treaty_status"), codes=codes,
        sides=sides(codes, parse_date(agreement.get("date_signed"))),
        start=start, basis=basis, end=parse_date(agreement.get("date_inactive")),
        categories=categories, labels={c: b.get("label", c)
                                       for c, b in report["categories"].items()},
        parallel_source=(agreement.get("parallel") or {}).get("source_id"))


@dataclass
class _Legacy:
    """Just enough of a Document for `contract_fields` on an older stored report."""

    agreement: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        if name == "source":
            return self.agreement.get("source", self.agreement["id"])
        return self.agreement.get(name)


def records(reports: Iterable[dict[str, Any]]) -> list[AgreementRecord]:
    return [record(r) for r in reports]


def _entry(rec: AgreementRecord, category: str, country: str,
           today: dt.date) -> dict[str, Any]:
    result = rec.categories[category]
    return {
        "agreement_id": rec.id, "title": rec.title, "date_signed": rec.date_signed,
        "date_into_force": rec.date_into_force, "date_inactive": rec.date_inactive,
        "year": rec.start_year, "basis": rec.basis, "in_force_today": rec.in_force_on(today),
        "status": result.status, "binding": result.status == "hard",
        "policy_space": result.policy_space, "clause_id": result.clause_id,
        "location": result.location,
        "excerpt": excerpt(result.text, 160) if result.text else None,
        "partners": rec.partners(country), "kept": result.kept,
    }


def _order(entry: dict[str, Any]) -> tuple:
    return (entry["year"] is None, entry["year"] or 0, entry["date_into_force"] or "",
            entry["agreement_id"])


def strongest(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most binding entry: hard before soft, then least policy space, then earliest."""
    if not entries:
        return None
    return min(entries, key=lambda e: (-_RANK[e["status"]], e["policy_space"], _order(e)))


def ledger(country: str, all_records: list[AgreementRecord],
           today: dt.date | None = None) -> dict[str, Any]:
    """The ledger of `country` (an ISO3 code) over the given agreements."""
    today = today or dt.date.today()
    own, versions = _one_per_text(sorted(
        (r for r in all_records if country in r.codes),
        key=lambda r: (r.start is None, r.start or dt.date.min, r.id)))
    categories: dict[str, Any] = {}
    labels = own[0].labels if own else {}
    for category, label in labels.items():
        entries = sorted(({**_entry(r, category, country, today),
                           "other_versions": versions.get(r.id, [])} for r in own), key=_order)
        committed = [e for e in entries if e["status"] != "none"]
        bound = [e for e in committed if e["binding"] and e["year"] is not None]
        first = min(bound, key=_order) if bound else None
        in_force = [e for e in committed if e["in_force_today"]]
        categories[category] = {
            "label": label,
            "first_bound": first,
            "strongest_in_force": strongest(in_force),
            "partners_bound_today": sorted({p for e in in_force if e["binding"]
                                            for p in e["partners"]}),
            "commitments": committed,
            "open": [{k: e[k] for k in ("agreement_id", "title", "year", "basis",
                                        "date_signed", "date_into_force", "date_inactive",
                                        "in_force_today", "partners", "other_versions")}
                     for e in entries if e["status"] == "none"],
        }
    return {"country": country, "name": country_name(country), "as_of": today.isoformat(),
            "agreements": len(own), "categories": categories}


def _one_per_text(recs: list[AgreementRecord],
                  ) -> tuple[list[AgreementRecord], dict[str, list[str]]]:
    """One record per agreement: language versions of one treaty (same title, signature
    date and parties, as ToTA's English and Spanish TPP; or the versions of one parallel
    bilingual file, whose titles differ) are listed once, under the first id, with the
    others named."""
    kept: dict[tuple, AgreementRecord] = {}
    versions: dict[str, list[str]] = {}
    for rec in sorted(recs, key=lambda r: r.id):
        key = (("parallel", rec.parallel_source) if rec.parallel_source
               else (rec.title.strip().lower(), rec.date_signed, tuple(rec.codes)))
        if key in kept and (rec.date_signed or rec.parallel_source):
            versions.setdefault(kept[key].id, []).append(rec.id)
        else:
            kept[key] = rec
    chosen = {id(r) for r in kept.values()}
    return [r for r in recs if id(r) in chosen], versions


def _kept_text(kept: list[dict[str, str]]) -> str:
    if not kept:
        return "none"
    return "; ".join(f"{k['label']}" + (f" ({k['clause_id']})" if k["clause_id"] else "")
                     for k in kept)


def _line(entry: dict[str, Any]) -> str:
    year = entry["year"] if entry["year"] is not None else "----"
    partners = ", ".join(entry["partners"][:8]) + (" …" if len(entry["partners"]) > 8 else "")
    today = "" if entry["in_force_today"] else (
        f"  [{entry['basis'] if entry['year'] is None else 'not in force today'}]")
    also = (f" (also {', '.join(entry['other_versions'])})"
            if entry.get("other_versions") else "")
    return (f"    {year}  {entry['status']:<4}  {entry['policy_space']:5.1f}  "
            f"{entry['agreement_id']}{also}  {entry['title']}\n"
            f"          clause {entry['clause_id']} ({entry['location']})\n"
            f"          towards {partners or 'nobody'}; kept: {_kept_text(entry['kept'])}{today}")


def render_ledger(data: dict[str, Any]) -> str:
    """The ledger as text for a terminal."""
    lines = [f"{data['name']} ({data['country']}): {data['agreements']} agreements in the "
             f"workspace, as of {data['as_of']}"]
    for category, body in data["categories"].items():
        lines.append(f"\n{category} ({body['label']})")
        first = body["first_bound"]
        if first:
            lines.append(f"  first bound: {first['year']} ({first['basis']}) by "
                         f"{first['agreement_id']} ({first['title']}), clause "
                         f"{first['clause_id']}, towards {', '.join(first['partners'])}")
        else:
            lines.append("  never bound by a hard rule in this workspace")
        top = body["strongest_in_force"]
        if top:
            lines.append(f"  strongest in force today: {top['status']} {top['policy_space']:g}"
                         f" by {top['agreement_id']}, clause {top['clause_id']}; kept: "
                         f"{_kept_text(top['kept'])}")
        else:
            lines.append("  in force today: no commitment")
        if body["commitments"]:
            lines.append("  commitments (year bound, status, score):")
            lines += [_line(e) for e in body["commitments"]]
        if body["open"]:
            shown = ", ".join(f"{o['agreement_id']} ({o['year'] or 'undated'})"
                              for o in body["open"][:12])
            more = f" and {len(body['open']) - 12} more" if len(body["open"]) > 12 else ""
            lines.append(f"  leave it open ({len(body['open'])}): {shown}{more}")
    return "\n".join(lines)


LEDGER_COLUMNS = ["country", "category", "agreement_id", "title", "status", "binding",
                  "policy_space", "year", "basis", "date_signed", "date_into_force",
                  "date_inactive", "in_force_today", "first_bound", "strongest_in_force",
                  "clause_id", "location", "partners", "kept"]


def ledger_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per category and agreement of the country (open ones included)."""
    rows = []
    for category, body in data["categories"].items():
        first = (body["first_bound"] or {}).get("agreement_id")
        top = (body["strongest_in_force"] or {}).get("agreement_id")
        committed = {e["agreement_id"]: e for e in body["commitments"]}
        for entry in body["commitments"] + body["open"]:
            full = committed.get(entry["agreement_id"], {})
            rows.append({
                "country": data["country"], "category": category,
                "agreement_id": entry["agreement_id"], "title": entry["title"],
                "status": full.get("status", "none"), "binding": full.get("binding", False),
                "policy_space": full.get("policy_space", 100.0), "year": entry["year"],
                "basis": entry["basis"], "date_signed": entry["date_signed"],
                "date_into_force": entry["date_into_force"],
                "date_inactive": entry["date_inactive"],
                "in_force_today": entry["in_force_today"],
                "first_bound": entry["agreement_id"] == first,
                "strongest_in_force": entry["agreement_id"] == top,
                "clause_id": full.get("clause_id"), "location": full.get("location"),
                "partners": ";".join(entry["partners"]),
                "kept": ";".join(f"{k['type']}={k['clause_id'] or ''}"
                                 for k in full.get("kept", [])),
            })
    return rows
