"""Markdown summaries: one page per agreement and an index of the batch."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from tradelens.fileio import write_atomically
from tradelens.report.pages import page_stem
from tradelens.report.versions import other_versions, versions_together
from tradelens.taxonomy import Taxonomy

_EXCERPT = 320


#: Characters that Markdown (CommonMark, GitHub) reads as markup: each is escaped with a
#: backslash so a title or clause is shown as written and never becomes a link, an image,
#: emphasis, a heading, a list or a table cell.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def text(value: Any) -> str:
    """Text from a document, safe in a Markdown line: raw HTML escaped as entities (so no
    <script> or <img onerror> reaches a page that renders the Markdown), markup
    characters escaped, line breaks and control characters turned into spaces."""
    value = "" if value is None else str(value)
    value = "".join(" " if unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" else ch
                    for ch in value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKUP.sub(r"\\\1", value)


def code(value: Any) -> str:
    """A short identifier as inline code; backticks and line breaks cannot break out."""
    value = "".join(ch for ch in str(value) if ch != "`" and unicodedata.category(ch)[0] != "C")
    return f"`{value}`"


def _cell(value: str) -> str:
    return text(value)


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[:_EXCERPT].rsplit(" ", 1)[0] + " …"


def render_agreement(report: dict[str, Any]) -> str:
    agreement = report["agreement"]
    lines = [
        f"# {text(agreement['title'] or agreement['id'])}",
        "",
        f"- Agreement id: {code(agreement['id'])}",
        f"- Source: {code(agreement['source'])} ({text(agreement['format'])}, "
        f"language {text(agreement['language'] or 'unknown')})",
        f"- Signed: {text(agreement['date_signed'] or 'unknown')}; parties: "
        f"{text(', '.join(agreement['parties'])) or 'not stated'}",
        f"- **Policy space: {report['policy_space']['score']:g} / 100** "
        "(0 = none left, 100 = untouched)",
        *_parallel_line(agreement),
        "",
        "| Category | Status | Policy space | Findings |",
        "|---|---|---:|---:|",
    ]
    for category, body in report["categories"].items():
        lines.append(f"| {text(body.get('label', category))} | {body['status']} | "
                     f"{body['policy_space']:g} | {len(body['findings'])} |")
    for category, body in report["categories"].items():
        if not body["findings"]:
            continue
        lines += ["", f"## {text(body.get('label', category))}: {body['status']}, "
                      f"{body['policy_space']:g}", ""]
        for finding in body["findings"]:
            extras = [e["type"] for e in finding["exceptions"]] + finding["scope"] + \
                [e["type"] for e in finding.get("enforceability", [])]
            lines.append(
                f"- **{finding['strength']}** {code(finding['clause_id'])} "
                f"({text(finding['location'])}"
                + (f", page {finding['page']}" if finding.get("page") else "")
                + f"; confidence {finding['confidence']:.2f}"
                + ("; **needs review**" if finding.get("needs_review") else "")
                + (f"; modifiers: {text(', '.join(extras))}" if extras else "") + ")"
            )
            lines.append(f"  > {_cell(_excerpt(finding['text']))}")
    lines += ["", "## How the score was reached", ""]
    lines += [f"- {text(line)}" for line in report["policy_space"]["explanation"]]
    provenance = report["provenance"]
    lines += ["", f"_TradeLens {text(provenance['tradelens_version'])}, taxonomy "
                  f"{text(provenance['taxonomy_version'])}, model "
                  f"{text(provenance['model'])}._", ""]
    return "\n".join(lines)


def _parallel_line(agreement: dict[str, Any]) -> list[str]:
    """For a language version of a parallel bilingual file: the other versions, linked."""
    links = _version_links(agreement)
    if not links:
        return []
    return [f"- Parallel text: the {text(agreement['language'] or '?')} version of "
            f"{code(agreement['parallel']['source_id'])}; other versions: {links} (each "
            "version is analysed on its own text, so their findings may differ)"]


def _versions_cell(agreement: dict[str, Any]) -> str:
    links = _version_links(agreement)
    if not links:
        return ""
    return f" ({text(agreement['language'] or '?')}; parallel text with {links})"


def _version_links(agreement: dict[str, Any]) -> str:
    """The other language versions of a parallel text as Markdown links, or ""."""
    return ", ".join(f"[{text(v['language'])}]({page_stem(v['id'])}.md)"
                     for v in other_versions(agreement))


def render_index(reports: list[dict[str, Any]]) -> str:
    lines = ["# TradeLens policy-space summary", "",
             "| Agreement | Signed | Score | Data flows | Server location | Source code |",
             "|---|---|---:|---|---|---|"]
    for report in versions_together(reports, key=lambda r: r["policy_space"]["score"]):
        agreement, cats = report["agreement"], report["categories"]
        status = [f"{cats[c]['status']} ({cats[c]['policy_space']:g})"
                  for c in ("data_free_flow", "server_location", "source_code_secrecy")]
        page = page_stem(agreement["id"])
        lines.append(f"| [{_cell(agreement['title'] or agreement['id'])}]({page}.md)"
                     f"{_versions_cell(agreement)} "
                     f"| {text(agreement['date_signed'] or '')} "
                     f"| {report['policy_space']['score']:g} "
                     f"| {' | '.join(status)} |")
    lines += ["", *render_by_category(reports)]
    return "\n".join(lines)


def findings_by_category(reports: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """category -> status (hard, soft) -> ids of the agreements with that status."""
    table: dict[str, dict[str, list[str]]] = {}
    for report in sorted(reports, key=lambda r: r["agreement"]["id"]):
        for category, body in report["categories"].items():
            by_status = table.setdefault(category, {"hard": [], "soft": []})
            if body["status"] in by_status:
                by_status[body["status"]].append(report["agreement"]["id"])
    return table


def render_by_category(reports: list[dict[str, Any]]) -> list[str]:
    """Which agreements have findings on each category, for corpus-wide reading."""
    lines = ["## Agreements with findings, by category", ""]
    for category, by_status in findings_by_category(reports).items():
        label = text(reports[0]["categories"][category].get("label", category))
        lines.append(f"### {label} ({code(category)}): {len(by_status['hard'])} hard, "
                     f"{len(by_status['soft'])} soft, of {len(reports)} agreements")
        lines.append("")
        for status in ("hard", "soft"):
            links = ", ".join(f"[{i}]({page_stem(i)}.md)" for i in by_status[status]) or "none"
            lines.append(f"- {status}: {links}")
        lines.append("")
    return lines


def write_markdown(report: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / f"{page_stem(report['agreement']['id'])}.md"
    write_atomically(path, render_agreement(report))
    return path


def write_markdown_index(reports: list[dict[str, Any]], out_dir: Path) -> Path:
    path = out_dir / "index.md"
    write_atomically(path, render_index(reports))
    return path


def write(reports: list[dict[str, Any]], out_dir: Path, _taxonomy: Taxonomy) -> list[Path]:
    """One page per agreement and the batch index."""
    return [*(write_markdown(report, out_dir) for report in reports),
            write_markdown_index(reports, out_dir)]
