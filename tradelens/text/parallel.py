"""A parallel bilingual document split into one document per language.

Canada prints its treaties in English and French side by side: two columns on every page,
English on the left, French on the right, the same article on the same row (on the web or
in Word, a table with one language per cell). Others print the two languages on facing
pages, or chapter after chapter in one column. Read as one text, such a file mixes both
languages in every article and the classifier reads neither. Here the language of every
column of every page, else of every page, else of every line, is found with
`language.block_language`; when the layout is consistent (most judged pages say the same
two different languages in the same places; or two languages hold about equal shares),
the document becomes one `Document` per language, each analysed as an agreement of its
own and reported together (`Document.parallel`, `agreement.parallel` in the report).

A two-column print in ONE language is never split: its two columns say the same language.
Lines printed across both columns (a title, a heading) go to the version whose language
they are in, and to every version when they are too short to tell ("Article 3").
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence

from tradelens.models import Block, Document, ParallelText
from tradelens.text.language import block_language
from tradelens.text.metadata import document_title

#: A column of a page (or a page) is judged only with at least this many words.
MIN_COLUMN_WORDS = 20
MIN_PAGE_WORDS = 40
#: Share of the document's words that must sit in the two columns.
COLUMN_SHARE = 0.5
#: Share of the judged pages that must show the same two languages in the same places.
AGREEMENT = 0.8
#: Facing pages: the smaller language's words at least this share of the larger's, so an
#: English agreement with a one-page French annex stays one agreement.
PAGE_BALANCE = 0.5
#: Alternating blocks: each of the two languages at least this share of their words, and
#: the two at least BLOCK_COVER of the words whose language is told.
BLOCK_BALANCE = 0.35
BLOCK_COVER = 0.9
#: The quick look before judging pages or blocks: this many blocks, and the share of the
#: second language below which a document is taken to be in one language.
SAMPLE_BLOCKS = 400
SAMPLE_SHARE = 0.2
#: A heading line ("Article 2.3", "Chapitre 1 - Dispositions initiales") is this short.
HEADING_WORDS = 6
_HEADING = re.compile(r"^\s*(?:article|art[íi]culo|chapter|chapitre|cap[íi]tulo|part|partie"
                      r"|parte|section|secci[óo]n|annex|annexe|anexo|appendix|appendice"
                      r"|ap[ée]ndice)\b", re.I)
_SENTENCE_END = re.compile(r"[.;:!?»”)\]]\s*$")
_WORD = re.compile(r"\w+")

#: The layout, the languages in order, and one language per block (None: every version).
Split = tuple[str, list[str], list[str | None]]


def language_versions(document: Document) -> list[Document]:
    """The document's language versions when it is a parallel bilingual print, else
    `[document]` unchanged. Structured sources (ToTA XML: chapter and article blocks)
    are never split: they name one language."""
    blocks = document.blocks
    if document.parallel is not None or any(block.kind != "line" for block in blocks):
        return [document]
    found = by_columns(blocks)
    if found is None and _two_languages(blocks):
        found = by_pages(blocks) or by_blocks(blocks)
    if found is None:
        return [document]
    layout, languages, assigned = found
    derived_title = document.title == document_title([b.text for b in blocks[:40]])
    parallel = ParallelText(document.agreement_id, layout, list(languages))
    versions = []
    for language in languages:
        mine = [dataclasses.replace(block) for block, owner in zip(blocks, assigned, strict=True)
                if owner in (language, None)]
        # The version's own first line, when the file's title was its first line or names
        # both ("Agreement ... / Accord ..."); a title the file states otherwise is kept.
        own = document_title([b.text for b in mine[:40]])
        keep = not derived_title and not (own and own in (document.title or ""))
        versions.append(dataclasses.replace(
            document, agreement_id=parallel.version_id(language), blocks=mine,
            language=language, title=document.title if keep else own, parallel=parallel))
    return versions


def _words(texts: Sequence[str]) -> int:
    return sum(len(_WORD.findall(text)) for text in texts)


def _language_of(block: Block, languages: Sequence[str]) -> str | None:
    """A line outside the columns: its own language if it is one of the versions'."""
    return block_language(block.text, tuple(languages))


def _two_languages(blocks: list[Block], sample: int = SAMPLE_BLOCKS) -> bool:
    """Whether a second language holds a real share of the words, judged on at most
    `sample` blocks spread over the document: most documents are in one language, and
    telling every line of a long one costs about a second."""
    step = max(1, len(blocks) // sample)
    words: Counter[str] = Counter()
    for block in blocks[::step]:
        found = block_language(block.text)
        if found:
            words[found] += _words([block.text])
    ranked = words.most_common(2)
    return len(ranked) == 2 and ranked[1][1] >= SAMPLE_SHARE * (ranked[0][1] + ranked[1][1])


def by_columns(blocks: list[Block]) -> Split | None:
    """Two columns in two different languages on (nearly) every page that has both: a
    PDF's columns, or the two cells of an HTML table's rows (one "page")."""
    pages: dict[int | None, dict[int, list[str]]] = {}
    for block in blocks:
        if block.column in (1, 2):
            pages.setdefault(block.page, {1: [], 2: []})[block.column].append(block.text)
    in_columns = sum(_words(c[1]) + _words(c[2]) for c in pages.values())
    if in_columns < COLUMN_SHARE * _words([block.text for block in blocks]):
        return None  # a two-column table inside a text in one language
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    for columns in pages.values():
        if min(_words(columns[1]), _words(columns[2])) >= MIN_COLUMN_WORDS:
            pairs[(block_language(" ".join(columns[1])),
                   block_language(" ".join(columns[2])))] += 1
    judged = sum(pairs.values())
    if not judged:
        return None
    (left, right), count = pairs.most_common(1)[0]
    if left is None or right is None or left == right or count < AGREEMENT * judged:
        return None
    languages = [left, right]
    assigned = [left if block.column == 1 else right if block.column == 2
                else _language_of(block, languages) for block in blocks]
    return "columns", languages, assigned


def by_pages(blocks: list[Block]) -> Split | None:
    """Whole pages in one language or the other (facing pages, or one version after the
    other), the two about equally long."""
    if any(block.page is None for block in blocks):
        return None
    pages: dict[int, list[str]] = {}
    for block in blocks:
        pages.setdefault(block.page, []).append(block.text)  # type: ignore[arg-type]
    language: dict[int, str | None] = {}
    words: Counter[str] = Counter()
    for page, texts in pages.items():
        if _words(texts) >= MIN_PAGE_WORDS:
            language[page] = block_language(" ".join(texts))
            if language[page]:
                words[language[page]] += _words(texts)  # type: ignore[index]
    judged = len(language)
    if len(words) < 2 or not judged:
        return None
    (first, most), (second, other) = words.most_common(2)
    in_two = sum(1 for found in language.values() if found in (first, second))
    if in_two < AGREEMENT * judged or other < PAGE_BALANCE * most:
        return None
    order = [found for _, found in sorted(language.items()) if found in (first, second)]
    languages = [order[0], second if order[0] == first else first]
    assigned = []
    for block in blocks:
        page_language = language.get(block.page)  # type: ignore[arg-type]
        assigned.append(page_language if page_language in languages
                        else _language_of(block, languages))
    return "pages", languages, assigned


def by_blocks(blocks: list[Block]) -> Split | None:
    """The two languages taking turns in one column: paragraph after paragraph, article
    after article, or one whole version after the other, about equally long."""
    told = [block_language(block.text) if block.text.strip() else None for block in blocks]
    words: Counter[str] = Counter()
    for block, language in zip(blocks, told, strict=True):
        if language:
            words[language] += _words([block.text])
    if len(words) < 2:
        return None
    (first, most), (second, other) = words.most_common(2)
    if other < BLOCK_BALANCE * (most + other) or most + other < BLOCK_COVER * sum(words.values()):
        return None
    languages = [next(found for found in told if found in (first, second))]
    languages.append(second if languages[0] == first else first)
    # Between the two languages found, a short line can be told ("Accord entre la ...").
    told = [found if found in languages or not block.text.strip()
            else block_language(block.text, tuple(languages))
            for block, found in zip(blocks, told, strict=True)]
    assigned = _fill(blocks, told, languages)
    # Each version must get its own headings: when a heading and its translation sit
    # side by side with nothing to tell them apart ("Article 3" / "Article 3"), the
    # headings that could not be told all go one way, and such a split would be worse
    # than none.
    headings = Counter(owner for block, found, owner in zip(blocks, told, assigned,
                                                            strict=True)
                       if found is None and _HEADING.match(block.text)
                       and len(block.text.split()) <= HEADING_WORDS)
    if abs(headings[languages[0]] - headings[languages[1]]) > max(1, 0.2 * max(headings.values(),
                                                                            default=0)):
        return None
    return "blocks", languages, assigned


def _fill(blocks: list[Block], told: list[str | None],
          languages: list[str]) -> list[str | None]:
    """A language for the blocks too short to tell: a line that carries on a sentence (it
    starts in lower case, or the line before did not end one) is in the language of the
    line before; a heading or a title ("Article 3", "Definitions") in the language of the
    next block that tells. Blank lines go to every version."""
    following: list[str | None] = [None] * len(told)  # the next block's language that tells
    ahead: str | None = None
    for n in range(len(told) - 1, -1, -1):
        following[n] = ahead
        if told[n] in languages:
            ahead = told[n]
    assigned: list[str | None] = []
    previous: tuple[str, str | None] | None = None  # (text, language) of the last line
    for n, (block, found) in enumerate(zip(blocks, told, strict=True)):
        text = block.text.strip()
        if not text:
            assigned.append(None)
            continue
        if found not in languages:
            carries_on = previous is not None and previous[1] is not None and (
                text[:1].islower() or not _SENTENCE_END.search(previous[0])) \
                and not _HEADING.match(text)
            found = previous[1] if carries_on and previous else (
                following[n] or (previous[1] if previous else None))
        assigned.append(found)
        previous = (text, found)
    return assigned
