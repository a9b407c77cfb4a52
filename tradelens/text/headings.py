"""Division headings as printed: "Chapter 14", "Artículo 3", "ANNEXE II - ...".

Read by the segmenter, to open chapters and articles, and by the PDF reader, so that a
heading that happens to sit at the same place on every page (one article per page) is kept
as the text's structure rather than dropped as a publisher's running head.
"""

from __future__ import annotations

import re

_NUMBER = (r"((?:\d+|(?-i:[IVXLC]+|[A-Z]))(?:[.\-](?:\d+|(?-i:[A-Z])\b))*"
           r"(?:\s*(?:bis|ter|er))?|premier|première|first|one)")
_CHAPTER_WORDS = (r"chapter|cap[íi]tulo|chapitre|part|partie|parte|title|t[íi]tulo|titre|section"
                  r"|secci[óo]n|module|m[óo]dulo|annex|anexo|annexe|appendix|ap[ée]ndice|appendice")
_ARTICLE_WORDS = r"article|art[íi]culo|art\."
#: A chapter-level heading: word, number, rest of the line (the title, if on the line).
CHAPTER_HEADING = re.compile(
    rf"^\s*({_CHAPTER_WORDS})\s+" + _NUMBER + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$", re.I)
#: An article heading: word, number, rest of the line.
ARTICLE_HEADING = re.compile(
    rf"^\s*({_ARTICLE_WORDS})\s+" + _NUMBER + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$", re.I)
_HEADING_WORD = re.compile(rf"(?:{_CHAPTER_WORDS}|{_ARTICLE_WORDS})$", re.I)


def is_heading_word(word: str) -> bool:
    """Whether a printed word can open a division heading ("Article", "CAPÍTULO")."""
    return bool(_HEADING_WORD.match(word))


def heading_number(line: str) -> str | None:
    """The division a heading line opens, as "word number" in lower case ("article 3"),
    or None for a line that is no division heading."""
    match = CHAPTER_HEADING.match(line) or ARTICLE_HEADING.match(line)
    return f"{match.group(1).lower()} {match.group(2)}" if match else None


#: Share of a repeated line's pages that must each open a division of their own.
DISTINCT_SHARE = 0.8


def successive_divisions(divisions: list[str | None]) -> bool:
    """Whether lines repeated across pages (their `heading_number`s, one per page) are
    headings of successive divisions, one per page, rather than a running head: every
    one a heading, and a different division on at least `DISTINCT_SHARE` of the pages."""
    return bool(divisions) and None not in divisions and \
        len(set(divisions)) >= DISTINCT_SHARE * len(divisions)
