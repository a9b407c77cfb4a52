"""Who a right or a duty is about: the subject in front of a modal phrase.

"Financial institutions of the other Party may transfer information ..." binds the Party
(it must let them); "A Party may require ..." frees it. "Banks shall not be obliged to ..."
protects the banks; "No Party shall be obliged to ..." frees the Party. "Una Parte no podrá
obligar a una empresa ..." binds the Party; "El presente Capítulo no obligará a las Partes
..." frees it. The phrase matcher sees the same words in each pair, so the taxonomy lists
the words that grant (`right`) or bind a Party (`duty`) and the actors who may hold or
bear them; this module reads which actor the sentence is about.

The reading is deliberately shallow and leans to "no change": the subject is the first
actor word (private or public) after the last ";", ":" or "that"/"que" before the phrase
that no preposition governs, counting from the last comma ("Subject to the Party's laws, a
financial institution may ..." is about the institution). A sentence that names no actor
there grants and binds nothing, and the clause reads as it did before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradelens.classify.phrases import TYPOGRAPHIC_APOSTROPHE

# Words, elided articles and prepositions ("d'", "l'"), commas (which reset the preposition
# count), and the stops that open a new clause.
_TOKEN = re.compile(r"[^\W\d_]+'?|[,;:]")
#: After one of these, the subject is read afresh.
_CLAUSE_OPENERS = frozenset({";", ":", "that", "que", "qu'"})
_NEXT_WORD = re.compile(r"\W*([^\W\d_]+)")
_LAST_WORD = re.compile(r"([^\W\d_]+'?)\W*$")
#: A right directly followed by one of these is a passive or negated form ("may be
#: required", "podrán ser", "peuvent être", "may not").
_PASSIVE_OR_NEGATION_AFTER = frozenset({"be", "not", "ser", "estar", "no", "être", "etre",
                                        "pas"})
#: A right directly preceded by one of these is negated ("no podrán", "ne peuvent").
_NEGATION_BEFORE = frozenset({"not", "no", "ne", "n'", "nunca", "jamais"})


@dataclass(frozen=True)
class SubjectReader:
    """One language's actor and preposition lists (taxonomy `modality`)."""

    private: frozenset[str]
    public: frozenset[str]
    prepositions: frozenset[str]

    @classmethod
    def from_settings(cls, settings: dict[str, list[str]]) -> SubjectReader:
        def words(key: str) -> frozenset[str]:
            return frozenset(_fold(w) for w in settings.get(key, []))

        return cls(words("private_actors"), words("public_actors"), words("prepositions"))

    def grants_private_right(self, text: str, sentence_start: int, start: int,
                             end: int) -> bool:
        """Whether the right phrase at text[start:end] is granted to a firm or a person."""
        phrase_words = _fold(text[start:end]).split()
        after = _NEXT_WORD.match(text, end)
        if after and _fold(after.group(1)) in _PASSIVE_OR_NEGATION_AFTER:
            return False
        before = _LAST_WORD.search(text, sentence_start, start)
        if before and phrase_words and phrase_words[0] not in _NEGATION_BEFORE and \
                _fold(before.group(1)) in _NEGATION_BEFORE:
            return False
        return self.subject(text[sentence_start:start]) == "private"

    def subject(self, before: str) -> str | None:
        """'private', 'public' or None: the first actor in `before` that no preposition
        governs, after its last ";", ":" or "that" ("The Parties confirm that Article 3
        does not oblige ..." is about the Article)."""
        tokens = _TOKEN.findall(_fold(before))
        opened = [i for i, token in enumerate(tokens) if token in _CLAUSE_OPENERS]
        governed = False
        for token in tokens[opened[-1] + 1 if opened else 0:]:
            if token == ",":
                governed = False
                continue
            if token in self.prepositions:
                governed = True
                continue
            word = token.rstrip("'")
            if governed:
                continue
            if word in self.private:
                return "private"
            if word in self.public:
                return "public"
        return None


def _fold(text: str) -> str:
    return text.lower().replace(TYPOGRAPHIC_APOSTROPHE, "'")
