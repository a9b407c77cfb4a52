"""Which chapters a clause points at: "this Chapter", "Chapter 14 (Electronic Commerce)".

A general-exceptions article usually sits in its own chapter and lists the chapters it
covers ("For the purposes of Chapter 10 (...), Chapter 14 (Electronic Commerce) ... Article
XIV of GATS is incorporated"). Linking it to a finding needs to know whether the finding's
chapter is among them, by number or by title, in English, Spanish or French.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tradelens.text.divisions import named_division

_CHAPTER_WORD = r"(?:chapters?|cap[íi]tulos?|chapitres?)"
# "Chapter 14 (Electronic Commerce)", "Chapters 10, 13 and 14", "Capítulo 14 (Comercio
# Electrónico)". A run of numbers with optional titles after one chapter word.
_ONE_NAME = r"\d+[A-Z]?\b(?:\s*\([^()]{2,90}\))?\d*"
_JOIN = r"(?:\s*(?:,|and|or|y|o|e|et|ou)\s*)?"
_NAMED = re.compile(_CHAPTER_WORD + rf"\s+((?:{_ONE_NAME}{_JOIN})+)", re.I)
_NUMBER_WITH_TITLE = re.compile(r"(\d+[A-Z]?)\b(?:\s*\(([^()]{2,90})\))?", re.I)
_HEADING_NUMBER = re.compile(_CHAPTER_WORD + r"\s+(\d+[A-Z]?)\b", re.I)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in text if c.isalnum() or c.isspace()).split())


@dataclass(frozen=True)
class ChapterReferences:
    """The chapters a clause names: its own ("this Chapter"), others by number or title."""

    own: bool = False  # "this Chapter", "this Part": the division it sits in
    numbers: frozenset[str] = field(default_factory=frozenset)
    titles: frozenset[str] = field(default_factory=frozenset)

    @property
    def any(self) -> bool:
        return self.own or bool(self.numbers or self.titles)

    def covers(self, heading: str | None) -> bool:
        """Whether a chapter with this heading is among the named ones."""
        if not heading:
            return False
        number = _HEADING_NUMBER.search(heading)
        if number and number.group(1).upper() in self.numbers:
            return True
        folded = _fold(heading)
        return any(title and title in folded for title in self.titles)


def chapter_references(text: str) -> ChapterReferences:
    numbers: set[str] = set()
    titles: set[str] = set()
    for match in _NAMED.finditer(text):
        names = re.sub(r"\)\d+", ")", match.group(1))  # "(Electronic Commerce)2": a note
        for number, title in _NUMBER_WITH_TITLE.findall(names):
            numbers.add(number.upper())
            if title:
                titles.add(_fold(title))
    return ChapterReferences(own=named_division(text) is not None, numbers=frozenset(numbers),
                             titles=frozenset(titles))
