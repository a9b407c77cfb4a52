"""Fit the topic screen (`classify/screen.py`) to the topic model it screens for.

The screen imitates the full reading, so it is fitted on what the full reading says, not on
labels: the candidate clauses (and chosen sentences) of unlabelled background agreements,
read fully once. Agreements alternate in name order between a fitting half and a checking
half; the ridge regressions see the fitting half only, and the card reports what the screen
keeps and loses on the checking half. The margin is the largest shortfall of anything that
reached a threshold in the fitting half or among the labelled training clauses (written
paraphrases the agreements lack), plus `SAFETY`; the regressions are fitted on both.
Only heads that need an estimate are fitted (`FITTED`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.classify.screen import (
    FITTED,
    READS,
    SAFETY,
    ScreenHead,
    fit_ridge,
    passes,
    shortfall,
)
from tradelens.commands.background import Unreadable, background_agreements
from tradelens.errors import SetupError
from tradelens.models import Clause, Document
from tradelens.vectors.encoder import embed_with_cache


@dataclass
class _Material:
    """One head's texts with their full and known logits, thresholds and cheap vectors."""

    known: list[np.ndarray] = field(default_factory=list)
    actual: list[np.ndarray] = field(default_factory=list)
    needed: list[np.ndarray] = field(default_factory=list)
    cheap: list[np.ndarray] = field(default_factory=list)
    words: list[int] = field(default_factory=list)

    def add(self, parts: tuple[np.ndarray, ...], words: list[int]) -> None:
        for store, part in zip((self.known, self.actual, self.needed, self.cheap), parts,
                               strict=True):
            store.append(part)
        self.words.extend(words)

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(np.vstack(x) for x in (self.known, self.actual, self.needed, self.cheap))

    def __len__(self) -> int:
        return len(self.words)


def _logits(probabilities: dict[str, np.ndarray], names: tuple[str, ...],
            count: int) -> np.ndarray:
    out = np.full((count, len(names)), -np.inf)
    for column, name in enumerate(names):
        if name in probabilities:
            p = np.clip(probabilities[name], 1e-15, 1 - 1e-15)
            out[:, column] = np.log(p / (1 - p))
    return out


def reading_parts(pipeline: Pipeline, texts: list[str], lang: str,
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(known, actual, needed, cheap) for texts in `lang`, each read fully."""
    from tradelens.classify.clauses import blank_cross_references

    model = pipeline.topic_model
    assert model is not None
    classifier = pipeline.classifier
    vectors = embed_with_cache(texts, pipeline.encoder, pipeline.cache)
    scores, ids = classifier.neighbours(vectors, lang)
    read = (embed_with_cache(texts, pipeline.checked_multilingual(), pipeline.cache)
            if model.reads_multilingual(lang) else vectors)
    probabilities = classifier.topic_probabilities(
        [blank_cross_references(t) for t in texts], read, lang, scores, ids)
    known, needed = classifier.screen_parts(texts, lang)
    cheap = embed_with_cache(texts, pipeline.screen_encoder(READS[model.head_name(lang)]),
                             pipeline.cache)
    return known, _logits(probabilities, model.categories, len(texts)), needed, cheap


def candidate_texts(pipeline: Pipeline, path: Path) -> tuple[str, list[str]]:
    """An agreement's language and the texts its run would screen."""
    return screened_texts(pipeline, *pipeline.read(path))


def screened_texts(pipeline: Pipeline, document: Document, clauses: list[Clause],
                   ) -> tuple[str, list[str]]:
    """The language of an agreement already read, and the texts its run would screen."""
    candidates = pipeline.classifier.first_pass(clauses, document.language)
    candidates |= pipeline.semantic_candidates(clauses, None, document.language)
    picked = pipeline.chosen_sentences(clauses, candidates, document.language)
    texts = [clauses[i].text for i in np.flatnonzero(candidates)] + [s.text for s in picked]
    return pipeline.taxonomy.reading_language(document.language), texts


def fit_screen(pipeline: Pipeline, background: Path, exclude: set[str],
               labelled: Iterable[tuple[str, str]], progress: bool = False,
               unreadable: Unreadable | None = None,
               ) -> tuple[dict[str, ScreenHead], dict[str, Any]]:
    """The screen's heads and a card. `labelled`: (text, language) of the labelled
    training clauses, whose shortfalls the margin also covers; `unreadable` collects the
    background files that cannot be read (`background.py`)."""
    model = pipeline.topic_model
    if model is None:
        raise SetupError("the topic screen needs a topic model: run `tradelens train` first")
    paths = [p for p in sorted(background.iterdir()) if p.is_file() and p.name not in exclude]
    halves: dict[str, tuple[_Material, _Material]] = {}
    agreements = background_agreements(pipeline, paths,
                                       {} if unreadable is None else unreadable,
                                       progress, "topic screen")
    position = {path: n for n, path in enumerate(paths)}  # the halves alternate by name
    for path, document, clauses in agreements:
        n = position[path]
        lang, texts = screened_texts(pipeline, document, clauses)
        if not texts or model.head_name(lang) not in FITTED:
            continue
        fitting, checking = halves.setdefault(model.head_name(lang), (_Material(), _Material()))
        (fitting if n % 2 == 0 else checking).add(reading_parts(pipeline, texts, lang),
                                                  [len(t.split()) for t in texts])
    by_head: dict[str, _Material] = {}
    by_language: dict[str, list[str]] = {}
    for text, language in labelled:
        by_language.setdefault(pipeline.taxonomy.reading_language(language), []).append(text)
    for lang, texts in sorted(by_language.items()):
        if model.head_name(lang) in FITTED:
            by_head.setdefault(model.head_name(lang), _Material()).add(
                reading_parts(pipeline, texts, lang), [len(t.split()) for t in texts])
    screen: dict[str, ScreenHead] = {}
    card: dict[str, Any] = {"background": "/".join(background.parts[-2:]), "safety": SAFETY,
                            "heads": {}}
    for name, (fitting, checking) in sorted(halves.items()):
        if not len(fitting):
            continue
        extra = by_head.get(name, _Material())
        parts = [fitting.arrays()] + ([extra.arrays()] if len(extra) else [])
        weights = fit_ridge(np.vstack([c for *_, c in parts]),
                            np.vstack([_rest(k, a) for k, a, _, _ in parts]))
        head = ScreenHead(weights, np.zeros(len(model.categories)), READS[name])
        margin = max(shortfall(k, head.estimate(c), nd, a) for k, a, nd, c in parts)
        screen[name] = ScreenHead(weights, np.full(len(model.categories),
                                                   round(margin + SAFETY, 4)), READS[name])
        card["heads"][name] = {"reads": READS[name], "margin": round(margin + SAFETY, 4),
                               "fitting_texts": len(fitting),
                               "labelled_texts": len(extra),
                               "checking": _check(screen[name], checking)}
    return screen, card


def _rest(known: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """What the estimate must learn: the logit less its known part (0 for a category the
    model lacks, whose logit is -inf)."""
    return np.where(np.isfinite(actual), actual - known, 0.0)


def _check(head: ScreenHead, material: _Material) -> dict[str, Any]:
    """What the screen keeps and loses on material it was not fitted on."""
    if not len(material):
        return {"texts": 0}
    known, actual, needed, cheap = material.arrays()
    keep = passes(head.bounds(known, cheap), needed)
    reached = (actual >= needed).any(axis=1)
    words = np.asarray(material.words)
    return {"texts": int(len(keep)), "kept": int(keep.sum()),
            "kept_share": round(float(keep.mean()), 4),
            "kept_word_share": round(float(words[keep].sum() / max(words.sum(), 1)), 4),
            "reaching_a_threshold": int(reached.sum()),
            "of_which_dropped": int((reached & ~keep).sum())}

