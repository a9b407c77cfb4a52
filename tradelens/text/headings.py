"""Division headings as printed: "Chapter 14", "Artículo 3", "ANNEXE II - ...".

Read by the segmenter, to open chapters and articles, and by the PDF reader, so that a
heading that happens to sit at the same place on every page (one article per page) is kept
as the text's structure rather than dropped as a publisher's running head.
"""

from __future__ import annotations

import re

_NUMBER = (r"((?:\d+|(?-i:[IVXLC]+|[A-Z]))(?:[.\-](?:\d+|(?-i:[A-Z])\b))*"
           r"(?:\s*(?:bis|ter|er))?|premier|première|first|one)")
#: A chapter-level heading: word, number, rest of the line (the title, if on the line).
CHAPTER_HEADING = re.compile(
    r"^\s*(chapter|cap[íi]tulo|chapitre|part|partie|parte|title|t[íi]tulo|titre|section"
    r"|secci[óo]n|module|m[óo]dulo|annex|anexo|annexe|appendix|ap[ée]ndice|appendice)\s+"
    + _NUMBER
    + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$",
    re.I,
)
#: An article heading: word, number, rest of the line.
ARTICLE_HEADING = re.compile(
    r"^\s*(article|art[íi]culo|art\.)\s+" + _NUMBER + r"\s*(?:[.:\-–—]\s*|\s+|$)(.*)$",
    re.I,
)


def heading_number(line: str) -> str | None:
    """The division a heading line opens, as "word number" in lower case ("article 3"),
    or None for a line that is no division heading."""
    match = CHAPTER_HEADING.match(line) or ARTICLE_HEADING.match(line)
    return f"{match.group(1).lower()} {match.group(2)}" if match else None
