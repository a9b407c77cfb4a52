"""The learned commitment reader at work: which "no commitment" decisions it may reopen,
what it reads there, and the findings it makes of those it takes.

The rules (`modality.py`) decide a clause's commitment from wording they know. Where they
know none in the sentences on a category's topic, the reader (`commitment.py`) reads the
multilingual encoder's vector of the text this module picks, and its findings say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tradelens.classify.commitment import (
    CommitmentReader,
    commitment_reads,
    commitment_setting,
)
from tradelens.classify.decision import Decision
from tradelens.classify.learned import TopicModel
from tradelens.classify.modality import (
    ModalityTools,
    is_article_heading,
    modality_sentence_spans,
    sentence_strengths,
    tokenized,
)
from tradelens.models import Clause, Finding, Span
from tradelens.taxonomy import Category, Taxonomy

#: A sentence that opens with an article's number and title and has at most this many
#: words is a heading alone; a longer one is a heading run into its first sentence
#: ("Artículo 22 Ningún Estado Parte podrá obligar ..."), which a PDF often makes.
_HEADING_WORDS = 12


def _bare_heading(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an article's heading and nothing else."""
    return is_article_heading(text, start, end) and \
        len(text[start:end].split()) <= _HEADING_WORDS


@dataclass
class Reopened:
    """A "no commitment" decision for the learned commitment reader to look at again:
    decision `index` of the clause's `decisions` (row `row`)."""

    row: int
    index: int
    category: Category
    probability: float
    decisions: list[Decision]

    @property
    def reads(self) -> str:
        """The text the reader reads: the reopened decision's `reader_text`."""
        text = self.decisions[self.index].reader_text
        assert text is not None, "only a decision with a reader text is reopened"
        return text


def reader_text(taxonomy: Taxonomy, decision: Decision, category: Category,
                probability: float, clause: Clause, text: str, lang: str,
                tools: ModalityTools, doc_cache: dict[str, Any]) -> str | None:
    """What the learned commitment reader reads to reopen a "no commitment" for want
    of wording, or None where it may not: a clause with a negation phrase anywhere
    ("Nothing in this Article ..." governs its neighbours); fewer than
    `commitment_min_words` words outside article headings, which commit to nothing
    whatever they name; or a topic in doubt (no topic cue in the sentences the rules
    read, and the topic model below `commitment_topic_floor`: the reader judges the
    commitment, not the topic, and cannot make up for both; likewise a topic that only a
    language's own lower bar with a cue let through, `topic_threshold_with_cue_by_language`:
    there the rules' wording must decide).

    Where the rules know no binding or best-endeavour wording anywhere in the clause,
    it reads the whole clause. Where they know some, but not in the sentences that
    name the topic, they set it aside on purpose (a binding sentence on another matter
    beside a heading or a recital that names the topic): then the reader reads only
    the sentences the rules read, less any article heading (`commitment_reads:
    topic_sentences`), or nothing (`commitment_reads: clause`)."""
    spans = decision.read or [(0, len(text))]
    if probability < float(taxonomy.classifier.get("topic_threshold_with_cue", 0.5)):
        return None
    if probability < commitment_setting(taxonomy, "commitment_topic_floor") and \
            not any(p.search(text, start, end) for start, end in spans
                    for p in category.cues.get(lang, [])):
        return None
    strengths = sentence_strengths(tools, tokenized(text, tools, doc_cache))
    if "negated" in strengths:  # "Nothing in this Article ..." governs its neighbours
        return None
    if not strengths:  # no wording the rules know anywhere
        reads, spans = clause.text, modality_sentence_spans(text, tools, doc_cache)
    elif commitment_reads(taxonomy) == "topic_sentences":
        reads = None
    else:
        return None
    kept = " ".join(clause.text[start:end].strip() for start, end in spans
                    if not _bare_heading(text, start, end))
    minimum = commitment_setting(taxonomy, "commitment_min_words")
    if len(kept.split()) < minimum:
        return None
    return reads or kept


def enabled_reader(taxonomy: Taxonomy, topic_model: TopicModel | None,
                   ) -> CommitmentReader | None:
    """The topic model's commitment reader, when the taxonomy lets it read."""
    if topic_model is None or not taxonomy.classifier.get("commitment_reader", False):
        return None
    return topic_model.commitment


def read_commitments(taxonomy: Taxonomy, reader: CommitmentReader, reopen: list[Reopened],
                     clauses: list[Clause], texts: list[str], lang: str,
                     vectors_of: Callable[[list[str]], np.ndarray],
                     ) -> list[tuple[int, int, Finding]]:
    """The reopened decisions the reader takes for commitments, as findings; each
    taken decision is replaced in place (its list is the clause's trace)."""
    vectors = vectors_of([r.reads for r in reopen])
    committed, hard = reader.read(vectors, [r.category.id for r in reopen])
    threshold = commitment_setting(taxonomy, "commitment_threshold")
    taken = []
    for r, p, h in zip(reopen, committed, hard, strict=True):
        if p < threshold:
            continue
        clause, category = clauses[r.row], r.category
        strength = "hard" if h >= 0.5 else "soft"
        cue = next((m for pattern in category.cues.get(lang, [])
                    if (m := pattern.search(texts[r.row]))), None)
        old = r.decisions[r.index]
        finding = Finding(
            category=category.id, clause=clause, strength=strength,
            confidence=round(r.probability * float(p), 3),
            evidence=[Span(cue.start(), cue.end(), clause.text[cue.start():cue.end()],
                           f"topic:{category.id}")] if cue else [],
            nearest_exemplars=old.nearest,
            read_by=f"{strength} by the learned commitment reader, P {float(p):.2f}; "
                    "no binding or best-endeavour wording the rules know")
        r.decisions[r.index] = Decision(
            category.id, "finding",
            f"topic model {r.probability:.2f}; no binding or best-endeavour wording the "
            f"rules know, but the learned commitment reader gives {float(p):.2f} "
            f"({strength})", "learned commitment reader", old.nearest, finding)
        taken.append((r.row, r.index, finding))
    return taken
