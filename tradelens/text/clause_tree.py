"""The clause tree of one document, as data (JSON) or as a table for the terminal.

`tradelens segment` shows what the segmenter made of a file before anything is scored:
the chapter / article / paragraph / sub-paragraph tree with ids, pages and source refs.
Users check a new corpus with it; tests read its JSON.
"""

from __future__ import annotations

from dataclasses import asdict

from tradelens.models import Clause, Document


def clause_tree(document: Document, clauses: list[Clause]) -> dict:
    """Nest clauses under their chapter and article, in document order."""
    chapters: list[dict] = []
    for clause in clauses:
        if not chapters or chapters[-1]["index"] != clause.chapter_index:
            chapters.append({"index": clause.chapter_index, "chapter": clause.chapter,
                             "articles": []})
        articles = chapters[-1]["articles"]
        if not articles or articles[-1]["key"] != clause.article_key:
            articles.append({"key": clause.article_key, "article": clause.article,
                             "title": clause.article_title, "source_ref": clause.source_ref,
                             "clauses": []})
        articles[-1]["clauses"].append({
            "clause_id": clause.clause_id,
            "paragraph": clause.paragraph,
            "page": clause.page,
            "text": clause.text,
            "subparagraphs": [asdict(s) for s in clause.subparagraphs],
            "footnotes": clause.footnotes,
            "defined_terms": clause.defined_terms,
            "options": clause.options,
            "comments": clause.comments,
            "changes": [{"kind": kind, "text": text} for kind, text in clause.changes],
        })
    return {
        "agreement": {"id": document.agreement_id, "source": document.source,
                      "format": document.format, "title": document.title,
                      "language": document.language, "pages": document.pages},
        "clauses": len(clauses),
        "chapters": chapters,
    }


def render_table(tree: dict, width: int = 100) -> str:
    """One line per clause (and sub-paragraph), indented by depth."""
    agreement = tree["agreement"]
    lines = [f"{agreement['id']}  {agreement['format']}  {agreement['language'] or '?'}  "
             f"{tree['clauses']} clauses  {agreement['title'] or ''}".rstrip()]
    for chapter in tree["chapters"]:
        lines.append(chapter["chapter"] or "(no chapter)")
        for article in chapter["articles"]:
            head = f"Article {article['article']}" if article["article"] else article["key"]
            ref = f"  [source {article['source_ref']}]" if article["source_ref"] else ""
            lines.append(f"  {head}" + (f" {article['title']}" if article["title"] else "")
                         + ref)
            for clause in article["clauses"]:
                page = f"p.{clause['page']}" if clause["page"] else ""
                extras = "".join(
                    f" +{len(clause[k])} {k}" for k in ("footnotes", "options", "changes",
                                                        "comments") if clause[k])
                prefix = f"    {clause['clause_id']:<36} {page:>6}  "
                room = max(20, width - len(prefix) - len(extras))
                text = clause["text"]
                lines.append(prefix + (text[:room - 1] + "…" if len(text) > room else text)
                             + extras)
                for item in clause["subparagraphs"]:
                    indent = "  " * item["level"]
                    lines.append(f"{'':<44}{indent}{item['label']} {item['text'][:50]}")
    return "\n".join(lines)
