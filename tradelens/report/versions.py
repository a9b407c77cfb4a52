"""The language versions of a parallel bilingual file, reported together.

Each version is an agreement of its own (`agreement.parallel` names the others,
text/parallel.py); the writers list the versions next to each other and link each to
the others, whatever their scores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def other_versions(agreement: dict[str, Any]) -> list[dict[str, str]]:
    """The other language versions ({id, language}) of a parallel text; [] otherwise."""
    parallel = agreement.get("parallel") or {}
    return [v for v in parallel.get("versions", []) if v["id"] != agreement["id"]]


def versions_together(items: list[Any], key: Callable[[Any], Any],
                      report_of: Callable[[Any], dict[str, Any]] = lambda item: item,
                      ) -> list[Any]:
    """`items` sorted by `key`, except that the versions of one parallel text follow the
    first of them, in the order the source prints them."""
    ordered = sorted(items, key=key)
    groups: dict[str, list[Any]] = {}
    for item in ordered:
        parallel = report_of(item)["agreement"].get("parallel")
        if parallel:
            groups.setdefault(parallel["source_id"], []).append(item)
    out: list[Any] = []
    placed: set[str] = set()
    for item in ordered:
        parallel = report_of(item)["agreement"].get("parallel")
        if not parallel:
            out.append(item)
        elif parallel["source_id"] not in placed:
            placed.add(parallel["source_id"])
            order = [v["id"] for v in parallel["versions"]]
            out += sorted(groups[parallel["source_id"]],
                          key=lambda i: _position(order, report_of(i)["agreement"]["id"]))
    return out


def _position(order: list[str], agreement_id: str) -> int:
    return order.index(agreement_id) if agreement_id in order else len(order)
