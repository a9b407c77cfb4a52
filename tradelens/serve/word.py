"""The draft as a Word file with a margin comment on every flagged clause (status, score
effect, closest precedent), so the analysis travels with the draft inside a delegation.

python-docx writes a real `comments.xml` part anchored on each flagged paragraph; Word,
LibreOffice and TradeLens's own DOCX reader show the comments beside the text.
"""

from __future__ import annotations

import io
from typing import Any

from tradelens.models import Finding
from tradelens.score import score_agreement
from tradelens.taxonomy import Taxonomy

AUTHOR = "TradeLens"


def score_effects(findings: list[Finding], taxonomy: Taxonomy) -> dict[int, float]:
    """Points of the agreement score each finding costs: the score without it minus the
    score with it (0 when another finding binds the category as tightly)."""
    base = score_agreement(findings, taxonomy).score
    return {i: round(score_agreement(findings[:i] + findings[i + 1:], taxonomy).score - base, 1)
            for i in range(len(findings))}


def _comment(finding: Finding, effect: float, scored: dict[str, Any],
             alignment: dict[str, Any] | None, taxonomy: Taxonomy) -> str:
    label = taxonomy.categories[finding.category].label
    parts = [f"{label}: {finding.strength} rule; this finding leaves "
             f"{scored['policy_space']:g}/100 on this front"]
    parts.append(f"score effect: costs {effect:g} points of the draft's policy space"
                 if effect > 0 else "score effect: none on its own (another finding binds "
                                    "this front as tightly)")
    if alignment and alignment["counterparts"]:
        ref = alignment["counterparts"][0]
        parts.append(f"closest precedent: {ref['verdict']}")
    else:
        parts.append("closest precedent: none among the references")
    return ". ".join(parts) + "."


def draft_docx(draft: Any, view: dict[str, Any], findings: list[Finding],
               taxonomy: Taxonomy) -> bytes:
    """The draft's clauses as paragraphs (headings for chapters and articles), with one
    comment per finding on the clause that holds it."""
    import docx

    document = docx.Document()
    agreement = view["agreement"]
    document.core_properties.title = agreement["title"] or agreement["id"]
    document.add_heading(agreement["title"] or agreement["id"], level=0)
    document.add_paragraph(
        f"Checked by TradeLens: policy space {view['scores']['score']:g}/100 "
        "(0 = none left, 100 = untouched). Each flagged clause carries a comment.")
    effects = score_effects(findings, taxonomy)
    by_clause: dict[str, list[int]] = {}
    for i, finding in enumerate(findings):
        by_clause.setdefault(finding.clause.clause_id, []).append(i)
    alignments = {f["key"]: f["alignment"] for f in view["findings"]}
    chapter = article = None
    for clause in draft.analysis.clauses:
        # Heading 1 = chapter, Heading 2 = article: what the DOCX reader takes them for
        if clause.chapter and clause.chapter != chapter:
            chapter = clause.chapter
            document.add_heading(chapter if chapter.lower().startswith("chapter")
                                 else f"Chapter {chapter}", level=1)
        if clause.article and clause.article != article:
            article = clause.article
            title = f"Article {clause.article}" + (f": {clause.article_title}"
                                                   if clause.article_title else "")
            document.add_heading(title, level=2)
        numbered = clause.paragraph not in (None, "", "0") \
            and not clause.text.startswith(f"{clause.paragraph}.")
        text = f"{clause.paragraph}. {clause.text}" if numbered else clause.text
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        for i in by_clause.get(clause.clause_id, []):
            finding = findings[i]
            key = f"{finding.category}|{clause.clause_id}"
            scored = view["scores"]["findings"].get(key, {"policy_space": 0.0})
            document.add_comment(run, _comment(finding, effects[i], scored,
                                               alignments.get(key), taxonomy),
                                 author=AUTHOR, initials="TL")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
