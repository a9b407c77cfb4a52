"""Modifiers: the exceptions, scope limits and enforceability rules that soften a finding,
found by the taxonomy's cues and linked to the findings they reach.

A modifier's `reach` says how far it governs: its own clause, its article, its chapter, or
(general exceptions) the chapters it names.
"""

from __future__ import annotations

from tradelens.models import Clause, Finding, ModifierHit, Span
from tradelens.taxonomy import Modifier, Taxonomy


def modifier_evidence(modifier: Modifier, chapter: str | None, text: str,
                      lang: str) -> list[Span]:
    """What makes a text an instance of `modifier`: its chapter heading or its words."""
    for pattern in modifier.chapter_cues.get(lang, []):
        if chapter and (match := pattern.search(chapter)):
            return [Span(0, 0, match.group(0), f"chapter:{modifier.id}")]
    for rule in modifier.cues.get(lang, []):
        matches = rule.search(text)
        if matches:
            return [Span(m.start(), m.end(), m.group(0), modifier.id) for m in matches]
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
        return hit.chapter_index == clause.chapter_index
    # "agreement": a general exception reaches the chapters it names; "this Chapter" is
    # its own; naming none, it covers the whole agreement.
    refs = hit.refers_to
    if refs is None or not refs.any:
        return True
    if refs.own and hit.chapter_index == clause.chapter_index:
        return True
    return refs.covers(clause.chapter)


def link_modifiers(findings: list[Finding], hits: list[ModifierHit],
                   taxonomy: Taxonomy) -> None:
    """Attach to each finding the modifiers that reach it and apply to its category."""
    for finding in findings:
        seen: set[str] = set()
        for hit in hits:
            modifier = taxonomy.modifiers[hit.modifier]
            if finding.category not in modifier.applies_to or hit.modifier in seen:
                continue
            if reaches(hit, finding.clause):
                finding.modifiers.append(hit)
                seen.add(hit.modifier)
