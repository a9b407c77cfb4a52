"""The topic screen: skip encoders for clauses the topic model cannot find.

The first pass keeps every clause with a broad word (about a fifth of an English agreement,
most of a Spanish one), and each kept clause then pays for the encoders: most of a cold
run's time. Yet nearly all of them end far below the topic thresholds.

The topic model's logit for a clause and category is a sum. One part is known before any
encoder runs: the character n-grams, the topic, negative and first-pass cues, the
intercept. A clause is read fully when, for some category, known part + estimate of the
rest + margin reaches that category's threshold (0.5, or the lower one when the category's
cue matches); the others are settled as "no topic" with the screen as the reason.

* English (the main head, over the sentence model): the rest is estimated from the clause's
  static vector, which the first pass has already computed, by ridge regressions that
  `tradelens train` fits on unlabelled agreements read fully once and on the labelled
  training clauses. The margin is the largest shortfall of anything that reached a
  threshold in that material, plus `SAFETY`; the card reports what the screen keeps and
  loses on agreements it was not fitted on. This is a measured bound, not a proof.
* Spanish and French (the multilingual head): the multilingual vector is computed first
  and its term is exact; what is left are the exemplar similarities of the sentence model,
  each a cosine, so their term is bounded by the sum of their weights' magnitudes. That
  bound is the margin: the screen can skip the sentence model without changing a decision.
  The multilingual vector is itself most of a Spanish or French run's time, and about 97 %
  of the candidates fail the screen, so it looks first through the encoder's 8-bit graph
  (`vectors/e5_graph.py`, 2.3 times faster): a clause whose bound from that reading, plus
  `EIGHT_BIT_MARGIN`, cannot reach a threshold is settled without the full vector; the
  others get the full vector and the exact bound. The margin covers how far the 8-bit
  reading moves the head's term: a measured bound, not a proof.

`TRADELENS_TOPIC_SCREEN=off` (or the speed-ups switch) reads every candidate fully;
`TRADELENS_EIGHT_BIT_SCREEN=off` keeps the screen but not its 8-bit first look.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import numpy as np

from tradelens import speedups

#: Added to the largest shortfall seen in fitting (logit units).
SAFETY = 0.5
#: Added to a bound computed from the multilingual encoder's 8-bit vector (logit units).
#: Measured (bench/eight_bit_screen.py) on ToTA's Spanish and French agreements with even
#: numbers (12 files, 2,069 screen inputs) and the labelled training clauses (301): the
#: head's term from the 8-bit vector was at most 1.317 from the full vector's; that plus
#: `SAFETY`, rounded up. Held out: the odd-numbered agreements (1,471 inputs) moved it by
#: at most 1.271, the labelled heldout and test clauses (303) by 1.438 (docs/performance.md).
EIGHT_BIT_MARGIN = 2.0
#: The multilingual screen head that margin was measured with (`weights_digest`). A head
#: trained anew screens without the first look until its margin is measured
#: (bench/eight_bit_screen.py): the term it moves grows with the weights.
EIGHT_BIT_HEAD = "df4730043c195272"
_OFF = ("0", "off", "no", "false")


def screen_enabled() -> bool:
    """False when TRADELENS_TOPIC_SCREEN or the speed-ups switch is off."""
    if os.environ.get("TRADELENS_TOPIC_SCREEN", "on").strip().lower() in _OFF:
        return False
    return speedups.enabled()


def weights_digest(head: ScreenHead) -> str:
    """A short digest of a screen head's weights, to tell the head a margin belongs to."""
    return hashlib.sha256(np.ascontiguousarray(head.weights, dtype="<f8").tobytes()
                          ).hexdigest()[:16]


def eight_bit_enabled() -> bool:
    """False when TRADELENS_EIGHT_BIT_SCREEN is off, or the screen is."""
    if os.environ.get("TRADELENS_EIGHT_BIT_SCREEN", "on").strip().lower() in _OFF:
        return False
    return screen_enabled()


#: head -> the reading its screen estimates from: "static" (the first pass's static
#: vector; fitted by `tradelens train`, kept in the artefact) or "multilingual" (the
#: multilingual vector the head reads itself; exact, derived from the weights on loading).
READS = {"main": "static", "multilingual": "multilingual"}
#: The heads whose screen is fitted and stored; the others are derived.
FITTED = tuple(name for name, reads in READS.items() if reads == "static")


@dataclass(frozen=True)
class ScreenHead:
    """The estimate of one topic head's encoder-dependent logit part, per category."""

    #: (categories, dimension + 1): weights over the cheap vector, intercept last.
    weights: np.ndarray
    #: (categories,): added to the estimate (a fitted head has one value for all).
    margin: np.ndarray
    reads: str

    def estimate(self, vectors: np.ndarray) -> np.ndarray:
        """(clauses, categories) estimated encoder-dependent logit parts. The static
        vectors are normalised, as in fitting; the multilingual ones are read as the head
        reads them."""
        rows = unit_rows(vectors) if self.reads == "static" else \
            np.asarray(vectors, dtype=np.float64)
        return rows @ self.weights[:, :-1].T + self.weights[:, -1]

    def bounds(self, known: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """(clauses, categories): the highest logit the head could give, by the screen."""
        return known + self.estimate(vectors) + self.margin


@dataclass
class Screened:
    """What the screen settled in one document: which rows, and per (clause, category)
    the highest probability the topic model could have given and the one it needed."""

    rows: np.ndarray  # (clauses,) bool
    categories: tuple[str, ...]
    bounds: np.ndarray  # (clauses, categories) probabilities
    needed: np.ndarray  # (clauses, categories) threshold probabilities

    def reason(self, category: str, row: int) -> str:
        if category not in self.categories:
            return "topic screen: the clause was not read closely"
        column = self.categories.index(category)
        return (f"topic screen: the topic model could give at most "
                f"{self.bounds[row, column]:.2f} here (it needs "
                f"{self.needed[row, column]:g}), so the clause was not read closely")


def probability(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def thresholds(cue_rows: np.ndarray, plain: float | np.ndarray, with_cue: float,
               ) -> np.ndarray:
    """The logit each (clause, category) must reach: the with-cue threshold where the
    category's cue matches, else `plain` (one for all categories, or one per category)."""
    def logit(p: float | np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=np.float64)
        return np.log(p / (1.0 - p))

    return np.where(cue_rows, logit(with_cue), logit(plain))


def passes(bounds: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Per clause: does some category's bound (`ScreenHead.bounds`) reach its threshold?"""
    if not len(bounds):
        return np.zeros(0, dtype=bool)
    return (bounds >= needed).any(axis=1)


def fit_ridge(vectors: np.ndarray, targets: np.ndarray, ridge: float = 0.1) -> np.ndarray:
    """(categories, dimension + 1) weights of a ridge regression of `targets` (clauses,
    categories) on the unit-length `vectors`, intercept last (not penalised)."""
    x = np.hstack([unit_rows(vectors), np.ones((len(vectors), 1))])
    penalty = ridge * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0
    return np.linalg.solve(x.T @ x + penalty, x.T @ targets).T


def shortfall(known: np.ndarray, estimate: np.ndarray, needed: np.ndarray,
              actual: np.ndarray) -> float:
    """The margin the screen needs so that no (clause, category) whose actual logit reaches
    its threshold is dropped: the largest (needed - known - estimate) among those."""
    reached = actual >= needed
    if not reached.any():
        return 0.0
    return float(max(0.0, (needed - known - estimate)[reached].max()))
