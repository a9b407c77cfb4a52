"""Modifiers: the exceptions, scope limits and enforceability rules that soften a finding,
found by the taxonomy's cues and linked to the findings they reach.

A modifier's `reach` says how far it governs: its own clause, its article, its chapter (or
the Part, Title or Section it names: "this Part"), or (general exceptions) the chapters it
names.
"""

from __future__ import annotations

from tradelens.models import Clause, Finding, ModifierHit, Span
from tradelens.taxonomy import Modifier, Taxonomy
from tradelens.text.segment import numbered_parts


def modifier_evidence(modifier: Modifier, headings: str | None, text: str,
                      lang: str) -> list[Span]:
    """What makes a text an instance of `modifier`: the headings of the divisions it sits
    in (a Part on financial services as much as a chapter) or its words."""
    for pattern in modifier.chapter_cues.get(lang, []):
        if headings and (match := pattern.search(headings)):
            return [Span(0, 0, match.group(0), f"chapter:{modifier.id}")]
    parts = numbered_parts(text) if modifier.read_within == "paragraph" else [(0, len(text))]
    for start, end in parts:
        for rule in modifier.cues.get(lang, []):
            matches = rule.search(text[start:end])
            if matches:
                return [Span(start + m.start(), start + m.end(), m.group(0), modifier.id)
                        for m in matches]
    return []


def replace_cue(span: Span, prefix: str) -> Span:
    return Span(span.start, span.end, span.text, prefix + span.cue)


def reaches(hit: ModifierHit, clause: Clause) -> bool:
    """Whether a modifier found in one clause governs a rule in `clause`."""
    if hit.reach == "clause":
        return hit.clause_id == clause.clause_id
    if hit.reach == "article":
        return hit.article_key == clause.article_key
    if hit.reach == "chapter":
        return hit.governed_index in clause.division_indices
    # "agreement": a general exception reaches the chapters it names; "this Chapter" (or
    # "this Part") is its own; naming none, it covers the whole agreement.
    refs = hit.refers_to
    if refs is None or not refs.any:
        return True
    if refs.own and hit.governed_index in clause.division_indices:
        return True
    return any(refs.covers(heading) for heading in clause.headings)


def link_modifiers(findings: list[Finding], hits: list[ModifierHit],
                   taxonomy: Taxonomy) -> None:
    """Attach to each finding the modifiers that reach it and apply to its category."""
    for finding in findings:
        seen = {hit.modifier for hit in finding.modifiers}  # those it came with
        for hit in hits:
            modifier = taxonomy.modifiers[hit.modifier]
            if finding.category not in modifier.applies_to or hit.modifier in seen:
                continue
            if reaches(hit, finding.clause):
                finding.modifiers.append(hit)
                seen.add(hit.modifier)
