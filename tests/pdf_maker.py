"""Render agreements to PDFs that look like the treaty PDFs negotiators receive.

Two-column pages, a running header, a 'Page N of M' footer, footnote markers in raised
small type with the footnotes at the foot of the page. The layout is made by reportlab in
two passes: the first finds the page of every paragraph and footnote, the second prints
the footnotes on those pages and the total page count in the footer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from tradelens.models import Clause

_FOOT_ZONE = 52 * mm
_BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=9, leading=11,
                       alignment=TA_JUSTIFY, spaceAfter=4)
_HEAD = ParagraphStyle("head", parent=_BODY, fontName="Times-Bold", spaceBefore=6,
                       spaceAfter=2, alignment=0)
_NOTE = ParagraphStyle("note", fontName="Times-Roman", fontSize=6.5, leading=7.5)


@dataclass
class PdfArticle:
    key: str
    heading: str
    title: str | None
    paragraphs: list[tuple[str, str, list[str]]] = field(default_factory=list)
    #: A chapter heading printed before the article (its first article).
    chapter: str | None = None


def articles_from_clauses(clauses: list[Clause]) -> list[PdfArticle]:
    """Group clauses into articles for rendering; the paragraph label is printed as written."""
    articles: dict[str, PdfArticle] = {}
    for clause in clauses:
        article = articles.setdefault(clause.article_key, PdfArticle(
            key=clause.article_key, heading=f"Article {clause.article}",
            title=clause.article_title))
        label = f"{clause.paragraph}. " if clause.paragraph.isdigit() and clause.paragraph != "0" \
            else ""
        article.paragraphs.append((label, clause.text, list(clause.footnotes)))
    return list(articles.values())


class _Doc(BaseDocTemplate):
    def __init__(self, target: Path, header: str, notes_by_page: dict[int, list[str]],
                 total: int, columns: int, overlay: Callable | None = None) -> None:
        super().__init__(str(target), pagesize=A4, title=header, author="TradeLens tests")
        width, height = A4
        margin, gap = 18 * mm, 8 * mm
        column_width = (width - 2 * margin - (columns - 1) * gap) / columns
        frames = [Frame(margin + n * (column_width + gap), _FOOT_ZONE, column_width,
                        height - _FOOT_ZONE - 22 * mm, id=f"col{n}")
                  for n in range(columns)]
        self.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=self._decorate)])
        self.header, self.notes_by_page, self.total = header, notes_by_page, total
        self.overlay = overlay
        self.paragraph_pages: dict[str, int] = {}
        self.note_pages: dict[int, list[str]] = {}

    def _decorate(self, canvas, doc) -> None:  # noqa: ANN001 - reportlab callback
        width, height = A4
        canvas.saveState()
        canvas.setFont("Times-Italic", 7)
        canvas.drawCentredString(width / 2, height - 12 * mm, self.header)
        canvas.setFont("Times-Roman", 7)
        canvas.drawCentredString(width / 2, 9 * mm, f"Page {doc.page} of {self.total}")
        notes = self.notes_by_page.get(doc.page, [])
        if notes:
            canvas.line(18 * mm, _FOOT_ZONE - 3 * mm, 70 * mm, _FOOT_ZONE - 3 * mm)
            y = _FOOT_ZONE - 5 * mm
            for note in notes:
                paragraph = Paragraph(escape(note), _NOTE)
                _, h = paragraph.wrap(width - 36 * mm, _FOOT_ZONE)
                paragraph.drawOn(canvas, 18 * mm, y - h)
                y -= h + 1
        canvas.restoreState()
        if self.overlay is not None:  # a watermark or stamp, drawn under the page's text
            canvas.saveState()
            self.overlay(canvas, doc.page)
            canvas.restoreState()

    def afterFlowable(self, flowable) -> None:  # noqa: ANN001, N802 - reportlab hook
        key = getattr(flowable, "tl_key", None)
        if key is not None:
            self.paragraph_pages.setdefault(key, self.page)
        for note in getattr(flowable, "tl_notes", []):
            self.note_pages.setdefault(self.page, [])
            if note not in self.note_pages[self.page]:
                self.note_pages[self.page].append(note)


class _TaggedParagraph(Paragraph):
    """A Paragraph whose page-tracking tags survive reportlab splitting it across frames."""

    tl_key: str | None = None
    tl_notes: list[str] = []

    def split(self, availWidth, availHeight):  # noqa: ANN001, ANN201, N803
        parts = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            part.tl_key = self.tl_key if n == 0 else None
            part.tl_notes = self.tl_notes if n == len(parts) - 1 else []
        return parts


def _endnote_section(notes: list[str], style: ParagraphStyle) -> list:
    return [Paragraph("Notes", _HEAD)] + [Paragraph(escape(note), style) for note in notes]


def _story(articles: list[PdfArticle], endnotes: str | None = None) -> list:
    """The flowables. With `endnotes` ('small' or 'body': the entries' type), notes are
    printed under a 'Notes' heading at the end of each chapter, numbered from 1 in each,
    instead of at the foot of their pages."""
    story: list = []
    number = 0
    pending: list[str] = []
    style = _NOTE if endnotes == "small" else _BODY
    for article in articles:
        if article.chapter:
            if endnotes and pending:
                story += _endnote_section(pending, style)
                pending, number = [], 0
            story.append(Paragraph(escape(article.chapter), _HEAD))
        story.append(Paragraph(escape(article.heading), _HEAD))
        if article.title:
            story.append(Paragraph(escape(article.title), _HEAD))
        for index, (label, text, notes) in enumerate(article.paragraphs):
            # Markers go after successive sentences, the way drafters place them.
            sentences = escape(text).split(". ")
            numbered = []
            for n, note in enumerate(notes):
                number += 1
                at = min(n, len(sentences) - 1) if n < len(notes) - 1 else len(sentences) - 1
                glued = sentences[at].endswith("</super>")
                sentences[at] += f"<super>{',' if glued else ''}{number}</super>"
                numbered.append(f"{number} {note}")
            markup = escape(label) + ". ".join(sentences)
            paragraph = _TaggedParagraph(markup, _BODY)
            paragraph.tl_key = f"{article.key}#{index}"
            paragraph.tl_notes = [] if endnotes else numbered
            pending += numbered
            story.append(paragraph)
    if endnotes and pending:
        story += _endnote_section(pending, style)
    return story


def render_pdf(articles: list[PdfArticle], target: Path, header: str,
               columns: int = 2, overlay: Callable | None = None,
               endnotes: str | None = None) -> dict[str, int]:
    """Write the PDF; return the page on which each paragraph ('key#index') starts.

    `overlay(canvas, page_number)` draws extra marks on every page (a watermark, a stamp).
    """
    first = _Doc(target, header, {}, 0, columns, overlay)
    first.build(_story(articles, endnotes))
    final = _Doc(target, header, first.note_pages, first.page, columns, overlay)
    final.build(_story(articles, endnotes))
    assert final.paragraph_pages == first.paragraph_pages, "layout changed between passes"
    return final.paragraph_pages
