"""What a clause's own text says about its structure: sub-paragraph items and defined terms.

Clauses stay at paragraph level (a lead-in and its items are read together by the
classifier), but lawyers navigate by item, and a definitions article changes the meaning
of every finding that uses its terms, so both are recorded on the clause.
"""

from __future__ import annotations

import re

from tradelens.models import SubParagraph

_ITEM = re.compile(r"(?m)^[ \t]*\(([a-z]{1,2}|[ivxlc]+|[A-Z]{1,2}|\d{1,2})\)[ \t]*")
_ROMAN = re.compile(r"^[ivxlc]+$")

_TERM_QUOTED = re.compile(
    r"[“\"‘«]\s*([^”\"’»\n]{2,80}?)\s*[”\"’»]\s*(?:,\s*)?(?:\([^)]{0,60}\)\s*)?"
    r"(?:means|includes|refers to|has the meaning|shall mean|significa|incluye|"
    r"se entiende|signifie|désigne|s'entend|s’entend|comprend)\b",
    re.I,
)
# Definitions articles often drop the quotes: "(b) computing facilities means ...".
_TERM_BARE = re.compile(
    r"(?m)^\s*(?:\([a-z]{1,2}\)\s*)?([A-Za-zÀ-ÿ][\w’'\- ]{1,60}?)\s+"
    r"(?:means|significa|signifie|désigne)\b"
)
_DEFINITION_TITLE = re.compile(r"defini", re.I)


def subparagraphs(text: str) -> list[SubParagraph]:
    """Items '(a)', '(i)', '(A)' that start a line, with the text up to the next item.

    '(i)' right after '(h)' is the ninth letter, otherwise a roman numeral one level down.
    """
    matches = list(_ITEM.finditer(text))
    items: list[SubParagraph] = []
    previous_letter = ""
    for n, match in enumerate(matches):
        label = match.group(1)
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        if label.isdigit():
            level = 3
        elif _ROMAN.match(label) and not (label == "i" and previous_letter == "h") \
                and not (len(label) == 1 and label in "cl" and previous_letter):
            level = 2
        elif label.isupper():
            level = 3 if _ROMAN.match(label.lower()) and previous_letter else 1
        else:
            level, previous_letter = 1, label
        items.append(SubParagraph(label=f"({label})", level=level,
                                  text=" ".join(text[match.end():end].split())))
    return items


def defined_terms(text: str, article_title: str | None) -> list[str]:
    """Terms a clause defines: quoted terms anywhere, bare terms in definitions articles."""
    terms = [m.group(1).strip() for m in _TERM_QUOTED.finditer(text)]
    if article_title and _DEFINITION_TITLE.search(article_title):
        # A footnote marker glued to the term ("covered person1") is not part of it.
        terms.extend(m.group(1).strip().rstrip("0123456789") for m in _TERM_BARE.finditer(text))
    seen: set[str] = set()
    unique = []
    for term in terms:
        if term.lower() not in seen:
            seen.add(term.lower())
            unique.append(term)
    return unique
