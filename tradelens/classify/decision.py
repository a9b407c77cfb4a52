"""What the classifier decided about each clause and category, and why.

A module of its own because two modules make decisions: the classifier (`clauses.py`)
and the learned commitment reader's part (`reopen.py`), which `clauses.py` imports; with
`Decision` in `clauses.py`, the two would import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradelens.models import Finding, ModifierHit


@dataclass
class Decision:
    """Why a clause is, or is not, a finding of one category (for `tradelens explain`)."""

    category: str
    outcome: str  # finding | excluded | no topic | negative cue | hard negative | no commitment
    reason: str
    rule: str | None = None
    nearest: list[dict[str, Any]] = field(default_factory=list)
    finding: Finding | None = None
    #: A "no commitment" for want of wording: (start, end) of the sentences whose modality
    #: was read (`modality.read_modality`), for the learned commitment reader.
    read: list[tuple[int, int]] = field(default_factory=list)
    #: What the learned commitment reader reads to reopen this decision (`reopen.
    #: reader_text`); None where it may not reopen it.
    reader_text: str | None = None


@dataclass
class Classification:
    """One agreement's findings and modifier hits, with the decisions when traced."""

    findings: list[Finding]
    modifier_hits: list[ModifierHit]
    #: clause id -> one decision per category; filled only when asked (`trace=True`).
    decisions: dict[str, list[Decision]] = field(default_factory=dict)
