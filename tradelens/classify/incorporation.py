"""Rules an agreement takes from another by number: "Article 14.13 of the CPTPP is
incorporated into this Agreement".

Some agreements bring in a model agreement's digital rules by reference, naming only the
article ("Los artículos 14.11 y 14.13 del TPP se incorporan al presente Acuerdo"). Such a
clause binds as the model article does, yet it holds none of the words the topic cues and
modality phrases read, and its cross-references are blanked before they read it
(`clauses.blank_cross_references`). The taxonomy's `incorporation` table names the model
agreements, the article holding each category's rule in each, and the modifiers that
article carries in its own paragraphs. A sentence that names such an article (or the
chapter holding it) beside the agreement's name, with an incorporating verb and without an
exception or negation word ("except", "salvo", "sauf", "suspended"), is a hard finding of
the article's category; its evidence is the reference and the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from re import Pattern

    from tradelens.taxonomy import IncorporationTable

#: A finding by incorporation: the verb, the model's name and the article number all match
#: exactly, but the rule's words are in another treaty, so it sits above `review_below`
#: (0.7) by a small margin rather than at a cue's 0.9 and more.
CONFIDENCE = 0.75
#: "14.13", "19.11": the article numbers of the model agreements.
_ARTICLE_NUMBER = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})(?![\d.]*\d)")
#: Sentences end at a full stop, colon or semicolon followed by a space (an article number's
#: dots are not followed by one).
_SENTENCE_END = re.compile(r"[.;:](?=\s)|$")


@dataclass(frozen=True)
class Incorporation:
    """One model article a clause brings in."""

    category: str
    #: "Article 14.13 of the CPTPP"
    article: str
    modifiers: tuple[str, ...]
    #: (start, end) of the article's number (or of the chapter named) and of the verb
    reference: tuple[int, int]
    verb: tuple[int, int]


def incorporations(table: IncorporationTable, text: str, lang: str) -> list[Incorporation]:
    """The model articles `text` incorporates, one per category (the first named)."""
    verbs, exclusions = table.verbs.get(lang, []), table.exclusions.get(lang, [])
    chapter_words = table.chapter_words.get(lang, [])
    found: dict[str, Incorporation] = {}
    start = 0
    for end_match in _SENTENCE_END.finditer(text):
        end = end_match.end()
        sentence = (start, end)
        start = end
        verb = _first(verbs, text, sentence)
        if verb is None or _first(exclusions, text, sentence) is not None:
            continue
        named = [(model, m.span()) for model in table.models for p in model.names
                 if (m := p.search(text, *sentence))]
        if not named:
            continue
        for number, span in _references(text, sentence, chapter_words):
            model = min(named, key=lambda n: abs(n[1][0] - span[0]))[0]
            for article in model.articles:
                if article.category in found:
                    continue
                if number == article.number or number == article.number.split(".")[0] + ".":
                    found[article.category] = Incorporation(
                        article.category, f"Article {article.number} of the {model.label}",
                        article.modifiers, span, verb)
    return list(found.values())


def _first(patterns: list[Pattern], text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    return next((m.span() for p in patterns if (m := p.search(text, *span))), None)


def _references(text: str, sentence: tuple[int, int], chapter_words: list[Pattern],
                ) -> list[tuple[str, tuple[int, int]]]:
    """Article numbers ("14.13") and chapters ("Chapter 14" as "14.") named in the sentence."""
    found = [(m.group(1), m.span(1)) for m in _ARTICLE_NUMBER.finditer(text, *sentence)]
    for pattern in chapter_words:
        found += [(m.group(1) + ".", m.span(1)) for m in pattern.finditer(text, *sentence)]
    return sorted(found, key=lambda f: f[1])
