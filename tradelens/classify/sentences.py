"""Sentences of a long paragraph, for decisions at the sentence grain.

One binding sentence among five on other matters is diluted when the topic model reads the
paragraph as a whole: its words are a small share of the n-grams, and the encoders read only
the paragraph's first 256 word pieces (160 words), so a rule at the end is not even seen.
So the sentences of a long candidate paragraph that name a category's topic, by a topic cue
or by meaning (the static first pass, run on the sentence), get vectors and a topic-model
reading of their own; the paragraph stays the unit of the finding, its modifiers and its
exclusions. A plain splitter is enough here: it cuts after a full stop or semicolon that a
capital, an opening bracket or an item marker follows, and at a list's items (after the
lead-in's colon, or a semicolon and the "or" before the last item; markers "(a)" or "a)",
as Spanish and French texts write them), and joins fragments too short to decide anything
on their own. A banned requirement that is one item of a list ("d) instalar servidores en
su territorio") is then read on its own by the topic model, while modality still reads the
list's whole sentence, whose lead-in binds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

#: A paragraph shorter than this (in words) is read whole only.
MIN_PARAGRAPH_WORDS = 60
#: A piece shorter than this joins the next one ("1.", "(a)", "Note:").
_MIN_SENTENCE_WORDS = 8
_BREAK = re.compile(r"(?<=[.;])\s+(?=[\"“(¿¡]?[A-ZÁÉÍÓÚÑÀÂÇÈÊÎÔ0-9]|\([a-z0-9ivx]{1,4}\)\s)"
                    # a list's items: after the lead-in's colon, or after a semicolon and
                    # the "or" / "and" before the last item; markers "(a)" or "a)"
                    r"|(?<=[:;])\s+(?:(?:and|or|y|o|u|e|et|ou)\s+)?"
                    r"(?=\(?[a-z]{1,2}\)\s|\(?[ivx]{1,4}\)\s|\([0-9]{1,2}\)\s)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a long paragraph; [] for a short one, which is read
    whole."""
    if len(text.split()) < MIN_PARAGRAPH_WORDS:
        return []
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        if merged and _words(text, merged[-1]) < _MIN_SENTENCE_WORDS:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and _words(text, merged[-1]) < _MIN_SENTENCE_WORDS:  # a short tail
        tail = merged.pop()
        merged[-1] = (merged[-1][0], tail[1])
    return merged if len(merged) > 1 else []


def _words(text: str, span: tuple[int, int]) -> int:
    return len(text[span[0]:span[1]].split())


class Sentence(NamedTuple):
    """One sentence of a long paragraph, before it is chosen for a reading of its own."""

    row: int  # the clause it belongs to
    span: tuple[int, int]  # in the clause's (cross-reference-blanked) text
    text: str
    has_cue: bool  # names a category's topic cue


@dataclass
class SentenceReading:
    """The sentences chosen for a reading of their own, and their vectors."""

    #: the row (clause) each sentence belongs to, its span in that clause's text, its text
    rows: list[int]
    spans: list[tuple[int, int]]
    texts: list[str]
    #: the sentence model's vectors (exemplar neighbours; the topic model in English)
    vectors: np.ndarray
    #: the multilingual encoder's, where the topic model reads those; else None
    topic_vectors: np.ndarray | None = None
