"""Country pages of the scorecard site: each party's ledger, per category, over time.

Pages live in `countries/` (`countries/index.html`, `countries/<iso3>.html` in lower case),
so they can never clash with an agreement page (`<agreement_id>.html`) or with
`index.html` and `methodology.html`. Every decisive clause links to the finding on its
agreement's page; the timeline per category is inline SVG (`timeline_chart.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from tradelens.ledger import ledger, records
from tradelens.report.pages import anchor
from tradelens.report.timeline_chart import Step, timeline

FOLDER = "countries"


def page_name(code: str) -> str:
    return f"{code.lower()}.html"


def _clause_href(agreement_id: str, category: str, clause_id: str | None) -> str:
    """The finding's anchor on its agreement page (the page itself without a clause)."""
    page = f"../{agreement_id}.html"
    return f"{page}#{category}-{anchor(clause_id)}" if clause_id else page


def _ended(entry: dict[str, Any]) -> int | None:
    inactive = entry.get("date_inactive") or ""
    return int(inactive[:4]) if inactive[:4].isdigit() else None


def _category_view(category: str, body: dict[str, Any], first: int, last: int,
                   name: str) -> dict[str, Any]:
    commitments = [{**e, "href": f"../{e['agreement_id']}.html",
                    "clause_href": _clause_href(e["agreement_id"], category, e["clause_id"])}
                   for e in body["commitments"]]
    steps = [Step(f"{e['title']} ({e['status']})", e["year"], e["policy_space"],
                  e["clause_href"], _ended(e))
             for e in commitments if e["year"] is not None]
    caption = f"{name}: policy space left on {body['label'].lower()}, by year"
    return {"id": category, "label": body["label"], "commitments": commitments,
            "first_bound": body["first_bound"], "strongest": body["strongest_in_force"],
            "partners_today": body["partners_bound_today"],
            "open": [{**o, "href": f"../{o['agreement_id']}.html"} for o in body["open"]],
            "chart": Markup(timeline(steps, first, last, caption)), "caption": caption}


def _partners(data: dict[str, Any], known: set[str]) -> list[dict[str, Any]]:
    """Each partner with the agreements shared, from the open and committed entries."""
    from tradelens.text.parties import country_name

    shared: dict[str, dict[str, Any]] = {}
    body = next(iter(data["categories"].values()), None)
    for entry in (body["commitments"] + body["open"]) if body else []:
        for partner in entry["partners"]:
            row = shared.setdefault(partner, {"code": partner, "name": country_name(partner),
                                              "href": page_name(partner) if partner in known
                                              else None, "agreements": []})
            row["agreements"].append({"id": entry["agreement_id"], "title": entry["title"],
                                      "year": entry["year"],
                                      "href": f"../{entry['agreement_id']}.html"})
    return sorted(shared.values(), key=lambda r: r["name"])


def write_countries(reports: list[dict[str, Any]], out_dir: Path,
                    render: Callable[..., Path], today: dt.date | None = None) -> list[Path]:
    """`countries/index.html` and one page per party of the batch; returns the files."""
    today = today or dt.date.today()
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    recs = records(reports)
    codes = sorted({c for r in recs for c in r.codes})
    starts = [r.start_year for r in recs if r.start_year is not None]
    written, rows = [], []
    for code in codes:
        data = ledger(code, recs, today)
        years = [e["year"] for body in data["categories"].values()
                 for e in body["commitments"] + body["open"] if e["year"] is not None]
        first = min(years or starts or [today.year])
        categories = [_category_view(c, b, first, today.year, data["name"])
                      for c, b in data["categories"].items()]
        written.append(render("country.html", folder / page_name(code), root="../",
                              country=data, categories=categories,
                              partners=_partners(data, set(codes))))
        rows.append({"code": code, "name": data["name"], "href": page_name(code),
                     "agreements": data["agreements"], "categories": categories})
    labels = {c: b.get("label", c) for c, b in reports[0]["categories"].items()} \
        if reports else {}
    written.append(render("countries.html", folder / "index.html", root="../", rows=rows,
                          category_labels=labels, as_of=today.isoformat()))
    return written
