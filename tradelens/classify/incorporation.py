"""Rules an agreement takes from another by number: "Article 14.13 of the CPTPP is
incorporated into this Agreement".

Some agreements bring in a model agreement's digital rules by reference, naming only the
article ("Los artículos 14.11 y 14.13 del TPP se incorporan al presente Acuerdo"). Such a
clause binds as the model article does, yet it holds none of the words the topic cues and
modality phrases read, and its cross-references are blanked before they read it
(`clauses.blank_cross_references`). The taxonomy's `incorporation` table names the model
agreements, the article holding each category's rule in each, and the modifiers that
article carries in its own paragraphs (and those its chapter adds when it comes in whole).

A sentence with an incorporating verb that no negation word governs brings in each article
number (or chapter number) it ties to a model's name: the name right after the number,
with nothing between them but other numbers, titles in brackets and words such as "and",
"of the", "del", "de l'" ("Articles 19.11 (...) and 19.16 (...) of the USMCA"), or right
before it ("CPTPP Article 14.13", "the RCEP's Article 12.14"). A number of the agreement
itself ("Article 14.13 of this Agreement") ties to nothing, numbers after an exception word
("except Article 14.11", "salvo", "sauf") are left out, and a sentence that suspends what
it brings in ("suspended", "dejará de aplicarse") brings in nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from re import Pattern

    from tradelens.taxonomy import IncorporationTable, ModelAgreement

#: A finding by incorporation: the verb, the model's name and the article number all match
#: exactly, but the rule's words are in another treaty, so it sits above `review_below`
#: (0.7) by a small margin rather than at a cue's 0.9 and more.
CONFIDENCE = 0.75
#: "14.13", "19.11": the article numbers of the model agreements (not "14.13.2").
_ARTICLE_NUMBER = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})(?!\.?\d)")
#: Sentences end at a full stop followed by a space; a list's colons and semicolons stay
#: inside, so "... are incorporated: (a) Article 14.11; (b) Article 14.13" is one sentence.
_SENTENCE_END = re.compile(r"\.(?=\s)|$")
#: What may stand between an article's number and the model's name after it.
_BETWEEN = re.compile(
    r"(?:\s|,|\([^()]{0,120}\)|\d{1,2}\.\d{1,2}|\b(?:and|or|of|the|to|y|o|e|del?|la|el|los|"
    r"las|et|ou|du|des?|les?|articles?|art[íi]culos?|agreement|acuerdo|tratado|accord)\b|"
    r"l['’])*", re.IGNORECASE)
#: An article number introduced as a list's item ("(a) Article 14.11", "artículo 14.13").
_LISTED = re.compile(r"\b(?:articles?|art[íi]culos?|art\.)\s*$", re.IGNORECASE)
#: A number that is the agreement's own ("14.13 of this Agreement", "del presente").
_OWN = re.compile(r"\s*(?:\([^()]{0,120}\)\s*)?,?\s*(?:of this|of the present|del presente|"
                  r"de este|de esta|du présent|de la présente|de cet)\b", re.IGNORECASE)
#: What may stand between the model's name and a number after it.
_AFTER_NAME = re.compile(r"(?:['’]s)?\s*,?\s*(?:articles?|art[íi]culos?|art\.|chapters?|"
                         r"cap[íi]tulos?|chapitres?|modules?|m[óo]dulos?)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Incorporation:
    """One model article a clause brings in."""

    category: str
    #: "Article 14.13 of the CPTPP"
    article: str
    modifiers: tuple[str, ...]
    #: (start, end) of the article's number (or of the chapter's) and of the verb
    reference: tuple[int, int]
    verb: tuple[int, int]


def incorporations(table: IncorporationTable, text: str, lang: str) -> list[Incorporation]:
    """The model articles `text` incorporates, one per category (the first named)."""
    if not any(p.search(text) for p in table.verbs.get(lang, [])):
        return []  # nearly every clause: no sentence to split
    found: dict[str, Incorporation] = {}
    start = 0
    for end_match in _SENTENCE_END.finditer(text):
        sentence, start = (start, end_match.end()), end_match.end()
        verb = _first(table.verbs.get(lang, []), text, sentence)
        if verb is None or _negated(table.negations.get(lang, []), text, sentence, verb) \
                or _first(table.vetoes.get(lang, []), text, sentence) is not None:
            continue
        excepted = _first(table.exclusions.get(lang, []), text, sentence)
        cut = excepted[0] if excepted else sentence[1]
        for number, span, whole_chapter in _references(text, (sentence[0], cut),
                                                       table.chapter_words.get(lang, [])):
            model = _tied_model(table.models, text, span, sentence, verb)
            if model is None:
                continue
            for article in model.articles:
                if article.category in found or not (
                        number == article.number
                        or (whole_chapter and article.number.split(".")[0] == number)):
                    continue
                found[article.category] = Incorporation(
                    article.category, f"Article {article.number} of the {model.label}",
                    article.modifiers + (model.chapter_modifiers if whole_chapter else ()),
                    span, verb)
    return list(found.values())


def _first(patterns: list[Pattern], text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The earliest match of any of `patterns` within `span`."""
    matches = [m.span() for p in patterns if (m := p.search(text, *span))]
    return min(matches) if matches else None


def _negated(negations: list[Pattern], text: str, sentence: tuple[int, int],
             verb: tuple[int, int]) -> bool:
    """A negation in the words just before the verb ("are not incorporated", "no se
    incorporan", "n'est pas incorporé")."""
    return any(p.search(text, max(sentence[0], verb[0] - 25), verb[0]) for p in negations)


def _references(text: str, span: tuple[int, int], chapter_words: list[Pattern],
                ) -> list[tuple[str, tuple[int, int], bool]]:
    """Article numbers ("14.13") and chapter numbers ("Chapter 14": "14", whole) in `span`."""
    found = [(m.group(1), m.span(1), False) for m in _ARTICLE_NUMBER.finditer(text, *span)]
    for pattern in chapter_words:
        found += [(m.group(1), m.span(1), True) for m in pattern.finditer(text, *span)]
    return sorted(found, key=lambda f: f[1])


def _tied_model(models: list[ModelAgreement], text: str, number: tuple[int, int],
                sentence: tuple[int, int], verb: tuple[int, int]) -> ModelAgreement | None:
    """The model whose name the number is tied to: named right after it, or right before;
    or, in a list after the verb ("... of the CPTPP are incorporated: (a) Article 14.11;
    ..."), the one model the sentence names, unless the number is the agreement's own."""
    after = [(m.start(), model) for model in models for p in model.names
             if (m := p.search(text, number[1], sentence[1]))]
    if after:
        position, model = min(after, key=lambda a: a[0])
        if _BETWEEN.fullmatch(text, number[1], position):
            return model
    before = [(m.end(), model) for model in models for p in model.names
              for m in p.finditer(text, sentence[0], number[0])]
    if before:
        position, model = max(before, key=lambda b: b[0])
        if _AFTER_NAME.fullmatch(text, position, number[0]):
            return model
        named = {id(m) for _, m in before}
        if len(named) == 1 and number[0] > verb[1] and \
                _LISTED.search(text, sentence[0], number[0]) and \
                not _OWN.match(text, number[1], sentence[1]):
            return model
    return None
