"""A country's policy space over time on one front, drawn as inline SVG.

The line is the policy space left by the most binding commitment in force each year (100
when none binds); each dot is an agreement entering into force, linked to its page. Like
the scorecard's other charts it needs no script or network and every mark has a <title>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tradelens.report.svg_charts import band


@dataclass
class Step:
    """One commitment: in force from `year` (through `until`, if it ended) at `score`."""

    label: str
    year: int
    score: float
    href: str
    until: int | None = None


def yearly_floor(steps: Sequence[Step], first: int, last: int) -> list[tuple[int, float]]:
    """(year, policy space left) from `first` to `last`: the lowest score in force."""
    series = []
    for year in range(first, last + 1):
        live = [s.score for s in steps if s.year <= year and (s.until is None
                                                               or year <= s.until)]
        series.append((year, min(live, default=100.0)))
    return series


def timeline(steps: Sequence[Step], first: int, last: int, caption: str) -> str:
    """The step chart; '' when there is no year to draw."""
    if last < first:
        return ""
    span = max(last - first, 1)
    left, top, width, height = 40, 10, 520, 160
    def x(year: float) -> float:
        return left + width * (year - first) / span

    def y(score: float) -> float:
        return top + height * (1 - score / 100)

    parts = [f'<svg class="chart timeline" role="img" viewBox="0 0 {left + width + 20} '
             f'{top + height + 40}" aria-label="{escape(caption)}">']
    for tick in range(0, 101, 25):
        parts.append(f'<line class="grid" x1="{left}" y1="{y(tick):.1f}" x2="{left + width}" '
                     f'y2="{y(tick):.1f}"/><text class="tick" x="{left - 6}" '
                     f'y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    step = max(1, span // 6)
    for year in sorted({*range(first, last + 1, step), last}):
        parts.append(f'<text class="tick" x="{x(year):.1f}" y="{top + height + 16}" '
                     f'text-anchor="middle">{year}</text>')
    series = yearly_floor(steps, first, last)
    points = []
    for n, (year, score) in enumerate(series):
        if n:
            points.append(f"{x(year):.1f},{y(series[n - 1][1]):.1f}")
        points.append(f"{x(year):.1f},{y(score):.1f}")
    points.append(f"{x(last + (1 if span == 1 and first == last else 0)):.1f},"
                  f"{y(series[-1][1]):.1f}")
    parts.append(f'<polyline class="floor" points="{" ".join(points)}"><title>policy space '
                 f'left, year by year: {escape(", ".join(f"{a} {b:g}" for a, b in series))}'
                 "</title></polyline>")
    for s in steps:
        if first <= s.year <= last:
            parts.append(f'<a href="{escape(s.href)}"><circle class="dot {band(s.score)}" '
                         f'cx="{x(s.year):.1f}" cy="{y(s.score):.1f}" r="4.5"><title>'
                         f"{escape(s.label)} ({s.year}): {s.score:g}</title></circle></a>")
    parts.append(f'<text class="axis" x="{left + width / 2}" y="{top + height + 34}" '
                 'text-anchor="middle">year in force</text></svg>')
    return "".join(parts)
