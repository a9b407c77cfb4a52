"""Document -> Clauses: chapters, articles and numbered paragraphs with stable ids.

Clause ids come from the structure (agreement, article key, paragraph number), never from
a position in the batch, so a clause keeps its id across runs, stores and reports.
Headings are recognised in English, Spanish and French drafting conventions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tradelens.models import Block, Clause, Document
from tradelens.text.brackets import bracket_options
from tradelens.text.clause_parts import defined_terms, subparagraphs
from tradelens.text.divisions import (
    LABELS,
    Division,
    DivisionStack,
    kind_of_word,
    split_heading_number,
)
from tradelens.text.headings import ARTICLE_HEADING, CHAPTER_HEADING

_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.(?:\s+|\t)(?=\S)")
_SENTENCE_END = re.compile(r"[.;:][\])”\"']?\s*$")
#: A paragraph number inside a line, after the end of a sentence ("... of goods. 2. Each
#: Party ..."): where the source lost the line breaks between numbered paragraphs.
_INLINE_PARAGRAPH = re.compile(r"(?<=[.;:])\s+(\d{1,3})\.\s+(?=[^\W\d_]|[(\"“«¿¡])")
# ToTA keeps a page's footnotes inline where the page broke: "7 The Parties recognise ...".
_INLINE_FOOTNOTE = re.compile(
    r"^\s*(\d{1,3})\s+(?!(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December|enero|febrero|marzo|abril|mayo|junio|julio|agosto"
    r"|septiembre|octubre|noviembre|diciembre)\b)(?=[A-Z“\"‘])"
)
_FOOTNOTE_OPENERS = re.compile(
    r"^(?:for (?:greater )?certainty|for the purposes?|for the purpose|the parties "
    r"(?:understand|confirm|recognise|recognize|note|agree|acknowledge|further)|"
    r"for [A-Z][\w ]{1,40},|the definition|it is understood|in the case of|"
    r"para mayor certeza|las partes (?:entienden|acuerdan)|"
    r"il est entendu|pour plus de certitude|les parties (?:conviennent|reconnaissent))",
    re.I,
)
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
    lines: list[Block] = field(default_factory=list)
    divisions: tuple[Division, ...] = ()


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
        for paragraph, lines in _paragraphs(article.lines):
            raw = "\n".join(line.text for line in lines)
            clean = normalise_space(raw)
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
                page=next((line.page for line in lines if line.text.strip()), None),
                article_title=article.title,
                chapter_index=article.chapter_index,
                divisions=article.divisions,
                footnotes=[note for line in lines for note in line.footnotes],
                comments=[note for line in lines for note in line.comments],
                changes=[change for line in lines for change in line.changes],
                subparagraphs=subparagraphs(raw),
                defined_terms=defined_terms(raw, article.title),
                options=bracket_options(clean),
                ocr_confidence=min((x.ocr_confidence for x in lines
                                    if x.ocr_confidence is not None), default=None),
                file=lines[0].file, file_role=lines[0].file_role,
            ))
    return clauses


def _heading(word: str | None, number: str | None, title: str | None) -> str | None:
    """'Part II (Trade)': how a division is named in a clause's location."""
    if not number:
        return title
    label = LABELS.get((word or "").lower(), "Chapter")
    return f"{label} {number}" + (f" ({title})" if title else "")


def _articles_from_structure(blocks: list[Block]) -> Iterator[_Article]:
    chapter, chapter_index = None, 0
    stack = DivisionStack()
    for block in blocks:
        if block.kind == "chapter":
            word, number = split_heading_number(block.number)
            chapter = _heading(word, number, block.title)
            chapter_index = stack.enter(kind_of_word(word), chapter)[-1].index
        elif block.kind == "article":
            yield _Article(
                chapter=chapter, chapter_index=chapter_index, divisions=stack.open,
                number=_clean_number(block.number), title=block.title,
                source_ref=block.source_ref,
                lines=_lift_inline_footnotes(
                    [Block(kind="line", text=line, page=block.page)
                     for line in block.text.splitlines()]
                ),
            )


def _lift_inline_footnotes(lines: list[Block]) -> list[Block]:
    """Move ToTA's inlined footnotes out of the text and onto the line they interrupt.

    A footnote is a line opening with a bare number (no paragraph dot) that either cuts a
    sentence in two or starts like a footnote ("For greater certainty", "The Parties
    understand"). It runs to the next blank line; the interrupted sentence then resumes.
    """
    out: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _INLINE_FOOTNOTE.match(line.text)
        previous = next((x.text.strip() for x in reversed(out) if x.text.strip()), "")
        if match and previous and (
            not _SENTENCE_END.search(previous)
            or _FOOTNOTE_OPENERS.match(line.text[match.end():])
        ):
            note = [line.text.strip()]
            i += 1
            while i < len(lines) and lines[i].text.strip():
                note.append(lines[i].text.strip())
                i += 1
            anchor = next((x for x in reversed(out) if x.text.strip()), None)
            if anchor is not None:
                anchor.footnotes.append(" ".join(" ".join(note).split()))
            continue
        out.append(line)
        i += 1
    return out


_LEADING_WORD = re.compile(
    r"^\s*(?:article|art[íi]culo|art\.|chapter|cap[íi]tulo|chapitre|part|partie)\s*", re.I
)


def _clean_number(raw: str | None) -> str | None:
    """'ARTICLE 14.11' -> '14.11'; ToTA keeps the heading word in its number attribute."""
    if not raw:
        return None
    return _LEADING_WORD.sub("", raw).strip() or None


def _articles_from_lines(blocks: list[Block]) -> Iterator[_Article]:
    """Find chapter and article headings in a flat run of lines (PDF, text, DOCX, HTML)."""
    lines = [replace(block, text=block.text.rstrip()) for block in blocks]
    levels = [block.heading_level for block in blocks]
    current = _Article(chapter=None, chapter_index=0, number=None, title=None, source_ref=None)
    chapter, chapter_index = None, 0
    stack = DivisionStack()
    previous = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.text.strip()
        after_blank = i > 0 and not lines[i - 1].text.strip()
        boundary = (not previous or after_blank or bool(_SENTENCE_END.search(previous))
                    or previous.isupper())
        heading = CHAPTER_HEADING.match(stripped) or ARTICLE_HEADING.match(stripped)
        styled = levels[i] in (1, 2) and bool(stripped)
        if heading and not boundary and not heading.group(3).strip():
            # A bare "Article 14.8" line after an unfinished sentence (a stray footnote
            # marker, say) is still a heading when a title or paragraph 1 follows.
            following = next((x.text.strip() for x in lines[i + 1:] if x.text.strip()), "")
            boundary = following[:1].isupper() or bool(_PARAGRAPH.match(following))
        elif heading and not boundary:
            # A heading with its title ("Article 9 - Contact Points") after a line that is
            # no sentence: a document title, or a running foot left at the foot of the page
            # before. A title-cased title makes it a heading; a sentence that wraps onto a
            # line opening "Article 9 of this Agreement shall" is none.
            title = heading.group(3).strip()
            boundary = (title[:1].isupper() and _title_cased(title)
                        and _could_be_title(title))
        if (heading and boundary and len(stripped) <= _MAX_HEADING_CHARS
                and " shall " not in f" {stripped.lower()} "
                and not _reads_as_sentence(heading)) or styled:
            if heading:
                word, number, title = (heading.group(1), heading.group(2),
                                       heading.group(3).strip() or None)
                is_chapter = heading.re is CHAPTER_HEADING
            else:
                word, number, title = "", None, stripped
                is_chapter = levels[i] == 1
            if title is None:
                title, i = _title_on_next_line(lines, i)
            if current.lines and any(x.text.strip() for x in current.lines):
                yield current
            if is_chapter:
                chapter = _heading(word, number, title)
                chapter_index = stack.enter(kind_of_word(word), chapter)[-1].index
                current = _Article(chapter=chapter, chapter_index=chapter_index, number=None,
                                   title=None, source_ref=None, divisions=stack.open)
            else:
                current = _Article(chapter=chapter, chapter_index=chapter_index,
                                   number=number, title=title, source_ref=None,
                                   divisions=stack.open)
            previous = stripped + "."
        else:
            current.lines.append(line)
            if stripped:
                previous = stripped
        i += 1
    if current.lines and any(x.text.strip() for x in current.lines):
        yield current


# Heading words that also open ordinary sentences: "Title 17 of the United States Code
# applies", "Parte A más tardar", "Título 3 de la Ley".
_SENTENCE_WORDS = {"title", "título", "titulo", "titre", "parte"}


def _reads_as_sentence(heading: re.Match[str]) -> bool:
    """A "Title 17" or "Parte A" line that goes on as a sentence (lower-case words, a
    full stop) is text, not a division heading."""
    if heading.re is not CHAPTER_HEADING or heading.group(1).lower() not in _SENTENCE_WORDS:
        return False
    title = heading.group(3).strip()
    return bool(title) and (title[:1].islower() or title.endswith((".", ";", ",")))


def _title_on_next_line(lines: list[Block], i: int) -> tuple[str | None, int]:
    """A heading's title often stands alone on the next line ('Article 8.3' / 'Source Code')."""
    j = i + 1
    while j < len(lines) and not lines[j].text.strip():
        j += 1
    if j >= len(lines):
        return None, i
    candidate = lines[j].text.strip()
    if not _could_be_title(candidate):
        return None, i
    # A title wrapped in a narrow column: "Access to and Use of Public Telecommunications"
    # then "Services". Continuation lines are short, title-cased, and directly follow.
    title, end = candidate, j
    for _ in range(2):
        k = end + 1
        if k + 1 >= len(lines) or not lines[k].text.strip():
            break
        more, after = lines[k].text.strip(), lines[k + 1].text.strip()
        title_cased = (more[:1].isupper() and _title_cased(more)
                       and (_PARAGRAPH.match(after) or _title_cased(candidate)))
        # French and Spanish titles are sentence-cased: "Transfert transfrontières
        # d'informations par" then "voie électronique", right before paragraph 1.
        sentence_cased = more[:1].islower() and _PARAGRAPH.match(after)
        if not (_could_be_title(more) and len(more) <= 45 and len(more.split()) <= 6
                and (title_cased or sentence_cased)):
            break
        title, end = f"{title} {more}", k
    return title, end


def _title_cased(text: str) -> bool:
    """'Access to and Use of Public Services': every long word capitalised."""
    return all(w[:1].isupper() or len(w) <= 3 for w in text.split())


def _could_be_title(text: str) -> bool:
    return bool(text) and (len(text) <= _MAX_TITLE_CHARS and not _SENTENCE_END.search(text)
                           and not _PARAGRAPH.match(text) and not ARTICLE_HEADING.match(text)
                           and not CHAPTER_HEADING.match(text) and not text.startswith(("(", "[")))


def _paragraphs(lines: list[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Yield (paragraph number, lines) for an article's lines.

    Numbered paragraphs ('1.', '2.', ...) are split only when they follow in sequence, so
    a line starting with a date or a cross-reference is never mistaken for a new paragraph.
    Text before paragraph 1 is paragraph '0' (an article's lead-in or its whole text);
    long unnumbered text is split into 'u1', 'u2', ...
    """
    current_number, expected = "0", 1
    buffer: list[Block] = []
    found_numbered = False
    queue = list(reversed(lines))
    while queue:
        line = queue.pop()
        match = _PARAGRAPH.match(line.text)
        if match and int(match.group(1)) == expected:
            if any(x.text.strip() for x in buffer):
                yield current_number, buffer
            current_number, expected = match.group(1), expected + 1
            line = replace(line, text=line.text[match.end():])
            buffer, found_numbered = [], True
        head, tail = _cut_inline(line, expected)
        buffer.append(head)
        if tail is not None:
            queue.append(tail)
    if not any(x.text.strip() for x in buffer):
        return
    if found_numbered or sum(len(x.text) for x in buffer) <= _LONG_UNNUMBERED:
        yield current_number, buffer
        return
    yield from _split_unnumbered(buffer)


def numbered_parts(text: str) -> list[tuple[int, int]]:
    """The spans of the numbered paragraphs run together in one text ("1. ... 2. ... 3.
    ..."), cut where the segmenter would cut them (`_cut_inline`: a number after a
    sentence's end, in sequence from 2); the whole text, as one span, when it numbers
    none. Whatever precedes paragraph 2 (a heading, paragraph 1) is the first span."""
    cuts, expected = [], 2
    for found in _INLINE_PARAGRAPH.finditer(text):
        if int(found.group(1)) == expected:
            cuts.append(found.start())
            expected += 1
    bounds = [0, *cuts, len(text)]
    return list(zip(bounds, bounds[1:], strict=False))


def _cut_inline(line: Block, expected: int) -> tuple[Block, Block | None]:
    """(the line up to paragraph `expected` numbered inside it, the rest from that number),
    or (line, None). Paragraph 1 is cut only when paragraph 2 follows in the same line, so a
    sentence ending "... Annex 1. 1. ..." alone is left whole."""
    for found in _INLINE_PARAGRAPH.finditer(line.text):
        number = int(found.group(1))
        if number != expected:
            continue
        if number == 1 and not any(int(later.group(1)) == 2 for later in
                                   _INLINE_PARAGRAPH.finditer(line.text, found.end())):
            return line, None
        return (replace(line, text=line.text[:found.start()]),
                replace(line, text=line.text[found.start():].lstrip()))
    return line, None


def _split_unnumbered(buffer: list[Block]) -> Iterator[tuple[str, list[Block]]]:
    """Long unnumbered text splits at blank lines; list items stay with their lead-in."""
    chunks: list[list[Block]] = [[]]
    for line in buffer:
        if line.text.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    pieces: list[list[Block]] = []
    for chunk in chunks:
        if not chunk:
            continue
        first = chunk[0].text.strip()
        continues = (first[:1].islower() or first.startswith("(")
                     or sum(len(x.text.strip()) for x in chunk) < 60)
        if pieces and continues:
            pieces[-1].extend(chunk)
        else:
            pieces.append(list(chunk))
    for n, piece in enumerate(pieces):
        yield f"u{n + 1}", piece


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
