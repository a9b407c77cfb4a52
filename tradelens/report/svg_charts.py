"""Charts for the HTML scorecard, drawn as inline SVG.

Inline SVG needs no script, no CDN and no network, scales on any screen and prints sharply,
which is what a scorecard posted on any web server needs. Every mark carries a <title> so a
reader can hover for the exact figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: Above this many agreements a bar per agreement is unreadable; a histogram is drawn.
MAX_BARS = 60


@dataclass
class Point:
    label: str
    score: float
    href: str
    year: int | None = None


def year_of(date: str | None) -> int | None:
    """The year of a free-form signature date ("2016-02-04", "4 February 2016"), if any."""
    match = _YEAR.search(date or "")
    return int(match.group(1)) if match else None


def band(score: float) -> str:
    """A colour class by policy space left: low (red), middle (amber), high (green)."""
    return "low" if score < 40 else "mid" if score < 75 else "high"


def score_bars(points: Sequence[Point]) -> str:
    """One horizontal bar per agreement, least policy space first."""
    rows = sorted(points, key=lambda p: (p.score, p.label))
    left, width, row_h = 230, 360, 22
    height = row_h * len(rows) + 30
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {left + width + 50} {height}" '
             f'aria-label="Policy-space score of each agreement">']
    for tick in range(0, 101, 25):
        x = left + width * tick / 100
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}"/>'
                     f'<text class="tick" x="{x:.1f}" y="{height - 6}" '
                     f'text-anchor="middle">{tick}</text>')
    for i, point in enumerate(rows):
        y = i * row_h + 4
        bar = width * point.score / 100
        label = escape(point.label if len(point.label) <= 34 else point.label[:33] + "…")
        parts.append(
            f'<a href="{escape(point.href)}"><g class="bar {band(point.score)}">'
            f"<title>{escape(point.label)}: {point.score:g}</title>"
            f'<text class="label" x="{left - 8}" y="{y + 14}" text-anchor="end">{label}</text>'
            f'<rect x="{left}" y="{y}" width="{max(bar, 1.5):.1f}" height="{row_h - 6}"/>'
            f'<text class="value" x="{left + bar + 4:.1f}" y="{y + 14}">{point.score:g}</text>'
            "</g></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def score_histogram(points: Sequence[Point]) -> str:
    """How many agreements fall in each ten-point band of policy space."""
    bins = [0] * 10
    for point in points:
        bins[min(int(point.score // 10), 9)] += 1
    top = max(bins) or 1
    left, bottom, width, height = 40, 200, 500, 180
    step = width / 10
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {left + width + 20} {bottom + 40}" '
             'aria-label="Number of agreements per band of policy-space score">']
    for i, count in enumerate(bins):
        h = height * count / top
        x = left + i * step
        low = i * 10
        parts.append(
            f'<g class="bar {band(low + 5)}"><title>{low}–{low + 10}: {count} agreements'
            f'</title><rect x="{x + 2:.1f}" y="{bottom - h:.1f}" width="{step - 4:.1f}" '
            f'height="{max(h, 0.5):.1f}"/>'
            f'<text class="value" x="{x + step / 2:.1f}" y="{bottom - h - 4:.1f}" '
            f'text-anchor="middle">{count}</text></g>'
            f'<text class="tick" x="{x + step / 2:.1f}" y="{bottom + 16}" '
            f'text-anchor="middle">{low}–{low + 10}</text>'
        )
    parts.append(f'<text class="axis" x="{left + width / 2}" y="{bottom + 34}" '
                 'text-anchor="middle">policy-space score</text></svg>')
    return "".join(parts)


def scores_by_year(points: Sequence[Point]) -> str:
    """Score against year of signature, one dot per dated agreement; '' with fewer than 2."""
    dated = [p for p in points if p.year is not None]
    if len(dated) < 2:
        return ""
    first = min(p.year for p in dated)  # type: ignore[type-var]
    last = max(p.year for p in dated)  # type: ignore[type-var]
    span = max(last - first, 1)
    left, top, width, height = 40, 10, 500, 200
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {left + width + 20} {top + height + 40}"'
             ' aria-label="Policy-space score by year of signature">']
    for tick in range(0, 101, 25):
        y = top + height * (1 - tick / 100)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + width}" '
                     f'y2="{y:.1f}"/><text class="tick" x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    step = max(1, span // 6)
    years = list(range(first, last + 1, step))
    if last - years[-1] >= step / 2:  # the last year gets a label unless it would collide
        years.append(last)
    for year in years:
        x = left + width * (year - first) / span
        parts.append(f'<text class="tick" x="{x:.1f}" y="{top + height + 16}" '
                     f'text-anchor="middle">{year}</text>')
    for point in dated:
        x = left + width * (point.year - first) / span  # type: ignore[operator]
        y = top + height * (1 - point.score / 100)
        parts.append(f'<a href="{escape(point.href)}"><circle class="dot {band(point.score)}" '
                     f'cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{escape(point.label)} '
                     f"({point.year}): {point.score:g}</title></circle></a>")
    parts.append(f'<text class="axis" x="{left + width / 2}" y="{top + height + 34}" '
                 'text-anchor="middle">year of signature</text></svg>')
    return "".join(parts)
