"""Write an agreement in the shape of the EU's publication formats, from its clauses.

Formex 4 XML (ACT / ENACTING.TERMS / DIVISION / ARTICLE / PARAG / ALINEA / LIST / NP,
NOTE inline) and EUR-Lex HTML (oj- classes, points as two-cell table rows, footnotes as
`oj-note` paragraphs cited by `#ntr` links), written by the team from the formats'
published structure; the texts are the clauses given (the sample corpus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from tradelens.models import Clause


@dataclass
class Paragraph:
    number: str | None
    lead: str
    points: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)


@dataclass
class Article:
    number: str
    title: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)


def _split_points(text: str, labels: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """'lead: (a) one; and (b) two.' -> ('lead:', [('(a)', 'one; and'), ('(b)', 'two.')]),
    cut only at the items the segmenter found at line starts (`labels`, in order)."""
    cuts, position = [], 0
    for label in labels:
        at = text.find(f" {label} ", position)
        if at < 0:
            break
        cuts.append((at, label))
        position = at + len(label) + 2
    if not cuts:
        return text, []
    lead = text[:cuts[0][0]].strip()
    points = []
    for n, (at, label) in enumerate(cuts):
        end = cuts[n + 1][0] if n + 1 < len(cuts) else len(text)
        points.append((label, text[at + len(label) + 2:end].strip()))
    return lead, points


def structure(clauses: list[Clause]) -> list[tuple[str | None, list[Article]]]:
    """Chapters (their heading) with their articles, in order."""
    chapters: list[tuple[str | None, list[Article]]] = []
    by_key: dict[str, Article] = {}
    for clause in clauses:
        if not clause.article:
            continue
        if not chapters or chapters[-1][0] != clause.chapter:
            chapters.append((clause.chapter, []))
        article = by_key.get(clause.article_key)
        if article is None:
            article = by_key[clause.article_key] = Article(clause.article, clause.article_title)
            chapters[-1][1].append(article)
        lead, points = _split_points(clause.text, [sp.label for sp in clause.subparagraphs])
        number = clause.paragraph if clause.paragraph and clause.paragraph.isdigit() \
            and clause.paragraph != "0" else None
        article.paragraphs.append(Paragraph(number, lead, points,
                                            [n.split(" ", 1)[-1] for n in clause.footnotes]))
    return chapters


def _division_heading(chapter: str) -> tuple[str, str | None]:
    """'Chapter 8 (ELECTRONIC COMMERCE)' -> ('CHAPTER 8', 'ELECTRONIC COMMERCE')."""
    match = re.match(r"^(.*?)\s*\((.*)\)$", chapter)
    return (match.group(1).upper(), match.group(2)) if match else (chapter.upper(), None)


def write_formex(chapters, target: Path, title: str) -> None:  # noqa: ANN001
    note_number = 0

    def notes(paragraph: Paragraph) -> str:
        nonlocal note_number
        out = ""
        for note in paragraph.notes:
            note_number += 1
            out += (f'<NOTE NOTE.ID="E{note_number:04d}" NUMBERING="{note_number}">'
                    f"<P>{escape(note)}</P></NOTE>")
        return out

    body = []
    for chapter, articles in chapters:
        parts = []
        for article in articles:
            paras = []
            for paragraph in article.paragraphs:
                items = "".join(f"<ITEM><NP><NO.P>{escape(label)}</NO.P><TXT>{escape(text)}"
                                f"</TXT></NP></ITEM>" for label, text in paragraph.points)
                lst = f'<LIST TYPE="alpha">{items}</LIST>' if items else ""
                alinea = f"<ALINEA>{escape(paragraph.lead)}{notes(paragraph)}{lst}</ALINEA>"
                if paragraph.number:
                    paras.append(f'<PARAG IDENTIFIER="{paragraph.number}">'
                                 f"<NO.PARAG>{paragraph.number}.</NO.PARAG>{alinea}</PARAG>")
                else:
                    paras.append(alinea)
            sti = f"<STI.ART>{escape(article.title)}</STI.ART>" if article.title else ""
            parts.append(f'<ARTICLE IDENTIFIER="{escape(article.number)}"><TI.ART>Article '
                         f"{escape(article.number)}</TI.ART>{sti}{''.join(paras)}</ARTICLE>")
        if chapter:
            heading, sub = _division_heading(chapter)
            sti = f"<STI><P>{escape(sub)}</P></STI>" if sub else ""
            body.append(f"<DIVISION><TITLE><TI><P>{escape(heading)}</P></TI>{sti}</TITLE>"
                        f"{''.join(parts)}</DIVISION>")
        else:
            body.append("".join(parts))
    target.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ACT xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://formex.publications.europa.eu/schema/formex-06.02.1-20231031.xd">'
        f"<BIB.INSTANCE><DOCUMENT.REF FILE=\"{escape(target.name)}\"/></BIB.INSTANCE>"
        f"<TITLE><TI><P>{escape(title)}</P></TI></TITLE>"
        "<PREAMBLE><PREAMBLE.INIT>THE PARTIES,</PREAMBLE.INIT>"
        "<PREAMBLE.FINAL>HAVE AGREED AS FOLLOWS:</PREAMBLE.FINAL></PREAMBLE>"
        f"<ENACTING.TERMS>{''.join(body)}</ENACTING.TERMS>"
        "<FINAL><P>Done in duplicate.</P></FINAL></ACT>", encoding="utf-8")


def write_eurlex_html(chapters, target: Path, title: str) -> None:  # noqa: ANN001
    doc = "L_2017099EN.01000101"
    note_number = 0
    notes_html: list[str] = []
    out = [f'<p class="oj-doc-ti" id="d1e1-1-1">{escape(title)}</p>',
           '<p class="oj-normal">THE PARTIES,</p>',
           '<p class="oj-normal">HAVE AGREED AS FOLLOWS:</p>']
    for n, (chapter, articles) in enumerate(chapters, 1):
        if chapter:
            heading, sub = _division_heading(chapter)
            out.append(f'<div class="eli-subdivision" id="cpt_{n}">'
                       f'<p class="oj-ti-section-1">{escape(heading)}</p>')
            if sub:
                out.append(f'<div class="eli-title"><p class="oj-ti-section-2">{escape(sub)}'
                           "</p></div>")
        for article in articles:
            out.append(f'<div class="eli-subdivision" id="art_{escape(article.number)}">'
                       f'<p id="d1e{n}-{escape(article.number)}" class="oj-ti-art">Article '
                       f"{escape(article.number)}</p>")
            if article.title:
                out.append(f'<div class="eli-title"><p class="oj-sti-art">'
                           f"{escape(article.title)}</p></div>")
            for paragraph in article.paragraphs:
                markers = ""
                for note in paragraph.notes:
                    note_number += 1
                    markers += (f'<a id="ntc{note_number}-{doc}" href="#ntr{note_number}-{doc}">'
                                f'&nbsp;(<span class="oj-super oj-note-tag">{note_number}</span>)'
                                "</a>")
                    notes_html.append(
                        f'<p class="oj-note"><a id="ntr{note_number}-{doc}" '
                        f'href="#ntc{note_number}-{doc}">(<span class="oj-super">{note_number}'
                        f"</span>)</a>&nbsp;{escape(note)}</p>")
                label = f"{paragraph.number}.&nbsp;&nbsp;&nbsp;" if paragraph.number else ""
                out.append(f'<p class="oj-normal">{label}{escape(paragraph.lead)}{markers}</p>')
                for point, text in paragraph.points:
                    out.append('<table width="100%" border="0" cellspacing="0" cellpadding="0">'
                               '<col width="4%"/><col width="96%"/><tbody><tr>'
                               f'<td valign="top"><p class="oj-normal">{escape(point)}</p></td>'
                               f'<td valign="top"><p class="oj-normal">{escape(text)}</p></td>'
                               "</tr></tbody></table>")
            out.append("</div>")
        if chapter:
            out.append("</div>")
    target.write_text(
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=UTF-8"/><title>EUR-Lex - 22017A0308(01) - EN</title>'
        '<link type="text/css" rel="stylesheet" href="oj.css"/></head><body>'
        '<div id="docHtml"><table class="oj-table" width="100%"><tr><td class="oj-hd-date">'
        "8.3.2017</td><td class=\"oj-hd-oj\">L 99/1</td></tr></table>"
        '<div class="eli-container">' + "".join(out) + "</div>"
        '<hr class="oj-note"/>' + "".join(notes_html) + "</div></body></html>",
        encoding="utf-8")
