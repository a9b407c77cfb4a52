"""Document -> Clauses: chapters, articles and numbered paragraphs with stable ids.

Clause ids come from the structure (agreement, article key, paragraph number), never from
a position in the batch, so a clause keeps its id across runs, stores and reports.
Headings are recognised in English, Spanish and French drafting conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tradelens.models import Block, Clause, Document

_NUMBER = (r"((?:\d+|(?-i:[IVXLC]+|[A-Z]))(?:[.\-]\d+)*(?:\s*bis)?"
           r"|premier|première|first|one)")
_CHAPTER = re.compile(
    r"^\s*(?:chapter|cap[íi]tulo|chapitre|part|partie|section|secci[óo]n)\s+" + _NUMBER
    + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$",
    re.I,
)
_ARTICLE = re.compile(
    r"^\s*(?:article|art[íi]culo|art\.)\s+" + _NUMBER + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$", re.I,
)
_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.(?:\s+|\t)(?=\S)")
_SENTENCE_END = re.compile(r"[.;:][\])”\"']?\s*$")
_MAX_HEADING_CHARS = 160
_MAX_TITLE_CHARS = 110
_LONG_UNNUMBERED = 1500


@dataclass
class _Article:
    chapter: str | None
    chapter_index: int
    number: str | None
    title: str | None
    source_ref: str | None
    lines: list[tuple[str, int | None]] = field(default_factory=list)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def segment(document: Document) -> list[Clause]:
    """Split a Document into paragraph-level clauses."""
    if any(block.kind == "article" for block in document.blocks):
        articles = list(_articles_from_structure(document.blocks))
    else:
        articles = list(_articles_from_lines(document.blocks))
    clauses: list[Clause] = []
    used_keys: set[str] = set()
    for unnumbered, article in enumerate(articles):
        key = _article_key(article, unnumbered, used_keys)
        for paragraph, text, page in _paragraphs(article.lines):
            clean = normalise_space(text)
            if not clean:
                continue
            clauses.append(Clause(
                clause_id=f"{document.agreement_id}:{key}:p{paragraph}",
                agreement_id=document.agreement_id,
                text=clean,
                chapter=article.chapter,
                article=article.number,
                article_key=key,
                paragraph=paragraph,
                location=_location(article, paragraph),
                source_ref=article.source_ref,
                page=page,
                article_title=article.title,
                chapter_index=article.chapter_index,
            ))
    return clauses


def _articles_from_structure(blocks: list[Block]) -> Iterator[_Article]:
    chapter, chapter_index = None, 0
    for block in blocks:
        if block.kind == "chapter":
            chapter_index += 1
            number = _clean_number(block.number)
            chapter = f"Chapter {number} ({block.title})" if number else block.title
        elif block.kind == "article":
            yield _Article(
                chapter=chapter, chapter_index=chapter_index,
                number=_clean_number(block.number), title=block.title,
                source_ref=block.source_ref,
                lines=[(line, block.page) for line in block.text.splitlines()],
            )


_LEADING_WORD = re.compile(
    r"^\s*(?:article|art[íi]culo|art\.|chapter|cap[íi]tulo|chapitre|part|partie)\s*", re.I
)


def _clean_number(raw: str | None) -> str | None:
    """'ARTICLE 14.11' -> '14.11'; ToTA keeps the heading word in its number attribute."""
    if not raw:
        return None
    return _LEADING_WORD.sub("", raw).strip() or None


def _articles_from_lines(blocks: list[Block]) -> Iterator[_Article]:
    """Find chapter and article headings in a flat run of lines (PDF, text, generic XML)."""
    lines = [(block.text.rstrip(), block.page) for block in blocks]
    current = _Article(chapter=None, chapter_index=0, number=None, title=None, source_ref=None)
    chapter, chapter_index = None, 0
    previous = ""
    i = 0
    while i < len(lines):
        text, page = lines[i]
        stripped = text.strip()
        after_blank = i > 0 and not lines[i - 1][0].strip()
        boundary = (not previous or after_blank or bool(_SENTENCE_END.search(previous))
                    or previous.isupper())
        heading = _CHAPTER.match(stripped) or _ARTICLE.match(stripped)
        if heading and boundary and len(stripped) <= _MAX_HEADING_CHARS \
                and " shall " not in f" {stripped.lower()} ":
            number, title = heading.group(1), heading.group(2).strip() or None
            if title is None:
                title, i = _title_on_next_line(lines, i)
            if current.lines and any(t.strip() for t, _ in current.lines):
                yield current
            if heading.re is _CHAPTER:
                chapter_index += 1
                chapter = f"Chapter {number}" + (f" ({title})" if title else "")
                current = _Article(chapter=chapter, chapter_index=chapter_index, number=None,
                                   title=None, source_ref=None)
            else:
                current = _Article(chapter=chapter, chapter_index=chapter_index,
                                   number=number, title=title, source_ref=None)
            previous = stripped + "."
        else:
            current.lines.append((text, page))
            if stripped:
                previous = stripped
        i += 1
    if current.lines and any(t.strip() for t, _ in current.lines):
        yield current


def _title_on_next_line(lines: list[tuple[str, int | None]], i: int) -> tuple[str | None, int]:
    """A heading's title often stands alone on the next line ('Article 8.3' / 'Source Code')."""
    j = i + 1
    while j < len(lines) and not lines[j][0].strip():
        j += 1
    if j >= len(lines):
        return None, i
    candidate = lines[j][0].strip()
    if (len(candidate) <= _MAX_TITLE_CHARS and not _SENTENCE_END.search(candidate)
            and not _PARAGRAPH.match(candidate) and not _ARTICLE.match(candidate)
            and not _CHAPTER.match(candidate) and not candidate.startswith(("(", "["))):
        return candidate, j
    return None, i


def _paragraphs(lines: list[tuple[str, int | None]]) -> Iterator[tuple[str, str, int | None]]:
    """Yield (paragraph number, text, first page) for an article's lines.

    Numbered paragraphs ('1.', '2.', ...) are split only when they follow in sequence, so
    a line starting with a date or a cross-reference is never mistaken for a new paragraph.
    Text before paragraph 1 is paragraph '0' (an article's lead-in or its whole text);
    long unnumbered text is split into 'u1', 'u2', ...
    """
    current_number, expected = "0", 1
    buffer: list[str] = []
    first_page: int | None = None
    found_numbered = False
    for text, page in lines:
        match = _PARAGRAPH.match(text)
        if match and int(match.group(1)) == expected:
            if any(t.strip() for t in buffer):
                yield current_number, "\n".join(buffer), first_page
            current_number, expected = match.group(1), expected + 1
            buffer, first_page, found_numbered = [text[match.end():]], page, True
            continue
        if first_page is None and text.strip():
            first_page = page
        buffer.append(text)
    if not any(t.strip() for t in buffer):
        return
    body = "\n".join(buffer)
    if found_numbered or len(body) <= _LONG_UNNUMBERED:
        yield current_number, body, first_page
        return
    yield from _split_unnumbered(buffer, first_page)


def _split_unnumbered(buffer: list[str], page: int | None) -> Iterator[tuple[str, str, int | None]]:
    """Long unnumbered text splits at blank lines; list items stay with their lead-in."""
    pieces: list[str] = []
    for chunk in re.split(r"\n\s*\n", "\n".join(buffer)):
        chunk = chunk.strip()
        if not chunk:
            continue
        continues = chunk[:1].islower() or chunk.startswith("(") or len(chunk) < 60
        if pieces and continues:
            pieces[-1] += "\n" + chunk
        else:
            pieces.append(chunk)
    for n, piece in enumerate(pieces):
        yield f"u{n + 1}", piece, page


def _article_key(article: _Article, ordinal: int, used: set[str]) -> str:
    if article.source_ref:
        key = f"a{article.source_ref}"
    elif article.number:
        key = "art" + re.sub(r"\s+", "", article.number).lower()
    else:
        key = f"c{article.chapter_index}u{ordinal}"
    if key in used:
        key = f"c{article.chapter_index}-{key}"
    base, n = key, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


def _location(article: _Article, paragraph: str) -> str:
    parts = []
    title = f" ({article.title})" if article.title else ""
    if article.chapter:
        parts.append(article.chapter)
    if article.number:
        parts.append(f"Article {article.number}{title}")
    elif article.source_ref:
        parts.append(f"article {article.source_ref}{title}")
    elif article.title:
        parts.append(article.title)
    if paragraph.startswith("u"):
        parts.append(f"unnumbered paragraph {paragraph[1:]}")
    elif paragraph != "0":
        parts.append(f"paragraph {paragraph}")
    return ", ".join(parts) or "text"
