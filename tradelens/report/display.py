"""Small helpers for showing report content to a person: excerpts and modifier labels."""

from __future__ import annotations

from typing import Any

_EXCERPT = 220


def excerpt(text: str, limit: int = _EXCERPT) -> str:
    """The text on one line, cut at a word boundary before `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def modifier_labels(reports: list[dict[str, Any]]) -> dict[str, str]:
    """Modifier id -> its label, as the reports carry them."""
    return {m["type"]: m.get("label") or m["type"] for r in reports for m in r.get("modifiers", [])}
