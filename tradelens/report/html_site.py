"""The static HTML scorecard site, for advocacy groups who publish and readers who check.

`index.html` holds a sortable, filterable table of every agreement with charts of the
scores; `<agreement_id>.html` (`a-index.html` for an agreement called `index`, see
report/pages.py) shows each category's score with the clauses that produced it
highlighted, the exceptions and scope limits that moved it, and by how much;
`methodology.html` lists every weight in force for this run. The site needs no server, CDN
or network: one stylesheet and one small script are copied beside the pages, and charts are
inline SVG. It prints cleanly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from tradelens import __version__
from tradelens.fileio import write_atomically
from tradelens.report.contract import decisive_finding
from tradelens.report.display import modifier_labels
from tradelens.report.markdown import findings_by_category
from tradelens.report.pages import anchor, page_stem
from tradelens.report.svg_charts import (
    MAX_BARS,
    Point,
    band,
    score_bars,
    score_histogram,
    scores_by_year,
    year_of,
)
from tradelens.report.versions import other_versions, versions_together
from tradelens.taxonomy import Taxonomy

ASSETS = ("scorecard.css", "scorecard.js")


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, with each (start, end, css class) span wrapped in <mark>.

    Overlapping spans keep the earlier one, so the output is always well nested.
    """
    out: list[str] = []
    cursor = 0
    for start, end, css in sorted(spans):
        if start < cursor or end <= start or end > len(text):
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(f'<mark class="{css}">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))


def _phrase_spans(text: str, phrases: Iterable[str], css: str) -> list[tuple[int, int, str]]:
    """Where each phrase first occurs in `text` (modifier evidence is stored as words)."""
    spans = []
    lowered = text.lower()
    for phrase in phrases:
        at = lowered.find(phrase.lower())
        if phrase and at >= 0:
            spans.append((at, at + len(phrase), css))
    return spans


def _finding_view(finding: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    spans = [(e["start"], e["end"], "topic" if e["cue"].startswith("topic") else "modal")
             for e in finding.get("evidence", [])]
    scope = finding.get("scope_clauses") or [{"type": t, "clause_id": None}
                                              for t in finding["scope"]]
    links = []
    for kind, hits in (("scope", scope), ("exception", finding["exceptions"]),
                       ("enforceability", finding.get("enforceability", []))):
        links += [{"kind": kind, "label": labels.get(h["type"], h["type"]),
                   "anchor": anchor(h["clause_id"]) if h["clause_id"] else None} for h in hits]
    return {**finding, "anchor": anchor(finding["clause_id"]),
            "html": highlight(finding["text"], spans), "modifier_links": links}


def _modifier_clauses(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each clause that carries an exception, scope limit or enforceability rule, once."""
    grouped: dict[str, dict[str, Any]] = {}
    for hit in report.get("modifiers", []):
        entry = grouped.setdefault(hit["clause_id"], {
            "clause_id": hit["clause_id"], "anchor": anchor(hit["clause_id"]),
            "location": hit.get("location") or hit["clause_id"], "text": hit.get("text") or "",
            "labels": [], "evidence": []})
        label = hit.get("label") or hit["type"]
        if label not in entry["labels"]:
            entry["labels"].append(label)
        entry["evidence"].extend(hit.get("evidence", []))
    for entry in grouped.values():
        entry["html"] = highlight(entry["text"], _phrase_spans(entry["text"], entry["evidence"],
                                                               "modifier"))
    return list(grouped.values())


def _agreement_view(report: dict[str, Any]) -> dict[str, Any]:
    labels = modifier_labels([report])
    categories = []
    for category_id, body in report["categories"].items():
        found = decisive_finding(body)
        decisive = found["clause_id"] if found else None
        categories.append({"id": category_id, "label": body.get("label", category_id),
                           "status": body["status"], "policy_space": body["policy_space"],
                           "decisive": decisive and anchor(decisive),
                           "decisive_id": decisive,
                           "findings": [_finding_view(f, labels) for f in body["findings"]]})
    return {"report": report, "agreement": report["agreement"], "categories": categories,
            "modifier_clauses": _modifier_clauses(report),
            "versions": _version_links(report["agreement"])}


def _row(report: dict[str, Any]) -> dict[str, Any]:
    agreement = report["agreement"]
    return {"id": agreement["id"], "title": agreement["title"] or agreement["id"],
            "href": f"{page_stem(agreement['id'])}.html",
            "date_signed": agreement["date_signed"] or "",
            "year": year_of(agreement["date_signed"]), "language": agreement["language"] or "",
            "score": report["policy_space"]["score"], "categories": report["categories"],
            "findings": sum(len(b["findings"]) for b in report["categories"].values()),
            "versions": _version_links(agreement)}


def _version_links(agreement: dict[str, Any]) -> list[dict[str, str]]:
    """The other language versions of a parallel text, each with its page."""
    return [{**v, "href": f"{page_stem(v['id'])}.html"} for v in other_versions(agreement)]


def _methodology_view(taxonomy: Taxonomy) -> dict[str, Any]:
    scoring = taxonomy.scoring
    return {
        "strength": scoring["strength"], "hard_ceiling": scoring["hard_ceiling"],
        "category_weights": scoring["category_weights"],
        "categories": list(taxonomy.categories.values()),
        "modifiers": list(taxonomy.modifiers.values()),
        "taxonomy_version": taxonomy.version,
    }


@cache
def _environment():  # noqa: ANN202 - jinja2 is imported lazily with the html format
    return template_environment("tradelens.report")


def template_environment(package: str):  # noqa: ANN201 - a jinja2 Environment
    """The site's Jinja2 setting (autoescape, strict, the `band` and `num` filters) over
    `package`'s templates; the serve app renders with the same."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader(package, "templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["band"] = band
    env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, int | float) else v
    return env


def _render(template: str, path: Path, **context: Any) -> Path:
    page = _environment().get_template(template).render(version=__version__, **context)
    write_atomically(path, page)
    return path


def write(reports: list[dict[str, Any]], out_dir: Path, taxonomy: Taxonomy) -> list[Path]:
    """Write the scorecard pages and their assets into `out_dir`; returns the files written."""
    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ASSETS:
        source = resources.files("tradelens.report").joinpath("assets", name)
        with resources.as_file(source) as src:
            shutil.copyfile(src, assets / name)
        written.append(assets / name)
    rows = [_row(r) for r in versions_together(
        reports, key=lambda r: (r["policy_space"]["score"], r["agreement"]["id"]))]
    points = [Point(r["title"], r["score"], r["href"], r["year"]) for r in rows]
    category_labels = {c: body.get("label", c) for c, body in reports[0]["categories"].items()}
    chart = score_bars(points) if len(points) <= MAX_BARS else score_histogram(points)
    written.append(_render(
        "index.html", out_dir / "index.html", rows=rows, category_labels=category_labels,
        chart=Markup(chart), by_year=Markup(scores_by_year(points)),
        per_agreement=len(points) <= MAX_BARS,
        counts=_status_counts(reports, category_labels)))
    for report in reports:
        page = out_dir / f"{page_stem(report['agreement']['id'])}.html"
        written.append(_render("agreement.html", page, **_agreement_view(report)))
    written.append(_render("methodology.html", out_dir / "methodology.html",
                           **_methodology_view(taxonomy)))
    from tradelens.report.country_site import write_countries

    written.extend(write_countries(reports, out_dir, _render))
    return written


def _status_counts(reports: list[dict[str, Any]],
                   labels: dict[str, str]) -> list[dict[str, Any]]:
    """How many agreements have hard rules, soft commitments or nothing, per category."""
    by_category = findings_by_category(reports)
    counts = []
    for category, label in labels.items():
        hard, soft = (len(by_category[category][s]) for s in ("hard", "soft"))
        counts.append({"label": label, "hard": hard, "soft": soft,
                       "none": len(reports) - hard - soft})
    return counts
