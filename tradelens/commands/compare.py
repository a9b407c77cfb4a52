"""Side-by-side comparison of agreements, category by category (`tradelens compare`).

A researcher or negotiator comparing two texts wants less than two full reports: for each
front, where the agreements differ in status or score, and the clauses and modifiers that
make the difference. This works on finished reports (the JSON contract), so it compares
what the reports say and nothing else.
"""

from __future__ import annotations

from typing import Any

from tradelens.report.contract import decisive_finding, modifier_types
from tradelens.report.display import excerpt, modifier_labels


def _differences(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[str]:
    lines = []
    statuses = {r["status"] for r in rows}
    if len(statuses) > 1:
        lines.append("status differs: " + ", ".join(f"{r['agreement']} {r['status']}"
                                                    for r in rows))
    for modifier in sorted(set().union(*(set(r["modifiers"]) for r in rows))):
        have = [r["agreement"] for r in rows if modifier in r["modifiers"]]
        lack = [r["agreement"] for r in rows if modifier not in r["modifiers"]
                and r["status"] == "hard"]
        if have and lack:
            lines.append(f"{labels.get(modifier, modifier)}: in {', '.join(have)}; "
                         f"not in {', '.join(lack)}")
    return lines


def compare_reports(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Per category, each agreement's status, score and decisive clause, and what differs."""
    labels = modifier_labels(reports)
    categories = []
    for category, body in reports[0]["categories"].items():
        rows = []
        for report in reports:
            mine = report["categories"][category]
            decisive = decisive_finding(mine)
            rows.append({
                "agreement": report["agreement"]["id"], "status": mine["status"],
                "policy_space": mine["policy_space"],
                "modifiers": sorted(modifier_types(decisive)),
                "clause_id": decisive["clause_id"] if decisive else None,
                "location": decisive["location"] if decisive else None,
                "text": excerpt(decisive["text"]) if decisive else None,
            })
        scores = [r["policy_space"] for r in rows]
        categories.append({"category": category, "label": body.get("label", category),
                           "rows": rows, "spread": max(scores) - min(scores),
                           "differences": _differences(rows, labels)})
    return {
        "agreements": [{"id": r["agreement"]["id"], "title": r["agreement"]["title"],
                        "score": r["policy_space"]["score"]} for r in reports],
        "categories": categories,
    }


def render_comparison(data: dict[str, Any]) -> str:
    """A plain-text table (one column per agreement), then the clauses behind each gap."""
    ids = [a["id"] for a in data["agreements"]]
    width = max(14, *(len(i) for i in ids))
    first = max(22, *(len(c["label"]) for c in data["categories"]))
    lines = [f"{'':{first}}  " + "  ".join(f"{i:>{width}}" for i in ids)]
    lines.append(f"{'policy space':{first}}  "
                 + "  ".join(f"{a['score']:>{width}g}" for a in data["agreements"]))
    for category in data["categories"]:
        cells = [f"{r['status']} {r['policy_space']:g}" for r in category["rows"]]
        lines.append(f"{category['label']:{first}}  "
                     + "  ".join(f"{c:>{width}}" for c in cells))
    for category in data["categories"]:
        if not category["differences"] and category["spread"] == 0:
            continue
        lines += ["", f"{category['label']} ({category['category']}): "
                      f"{category['spread']:g} points apart"]
        lines += [f"  - {d}" for d in category["differences"]]
        for row in category["rows"]:
            if row["clause_id"] is None:
                lines.append(f"  {row['agreement']}: no finding")
                continue
            mods = ", ".join(row["modifiers"]) or "no modifier"
            lines.append(f"  {row['agreement']}: {row['location']} [{row['clause_id']}] "
                         f"({row['status']}; {mods})")
            lines.append(f"      \"{row['text']}\"")
    return "\n".join(lines)
