"""Fit the learned commitment reader (`classify/commitment.py`) to the topic model in use.

The reader reopens one kind of decision, so it learns from that kind: the rules' own
decisions, with the reader off, on the team's labelled clauses. P(commitment) is fitted on
every (clause, category) the rules decided "no commitment" for want of wording, labelled
by whether the clause commits on the category; P(hard) on every labelled commitment the
rules reached (as a finding or as "no commitment"), labelled hard or soft. The material is
the trainable files of the named sets (never held-out or test files) and every item of the
blind sets already read once; ToTA articles labelled by reference are left out (their text
is not stored). The card reports leave-one-set-out figures at the threshold in use: each
set's decisions predicted by a reader that never saw that set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.classify.commitment import CommitmentReader
from tradelens.classify.decision import Decision
from tradelens.commands.evaluate import EvalItem, item_clause, load_eval_set, trainable
from tradelens.errors import SetupError
from tradelens.vectors.encoder import embed_with_cache

#: Inverse regularisation of the two regressions, chosen by leave-one-set-out
#: cross-validation on the development material (docs/evaluation.md, 2026-12-05).
C_COMMIT = 3.0
C_HARD = 1.0


@dataclass
class Material:
    """The rules' decisions the reader learns from, one row per (item, category)."""

    texts: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)
    #: the gold strength: hard, soft or none
    expected: list[str] = field(default_factory=list)
    #: reopenable: the rules found no wording, and the reader may read the clause
    #: (`reopen.reader_text`, whose text is the row's): P(commitment) rows
    open: list[bool] = field(default_factory=list)
    #: the rules reached a commitment (a finding, or "no commitment"): P(hard) rows
    reached: list[bool] = field(default_factory=list)


def commitment_material(pipeline: Pipeline, directories: list[Path],
                        read_blind: list[Path]) -> Material:
    """The rules' decisions, the reader off, on the trainable items of `directories` and on
    every item of `read_blind`, in the order of the sets' names."""
    if pipeline.topic_model is None:
        raise SetupError("the commitment reader needs a topic model: run `tradelens train`")
    material = Material()
    sets: dict[Path, bool] = {}  # each set once, every item if it is a read blind set
    for directory in directories:
        sets.setdefault(directory.resolve(), False)
    for directory in read_blind:
        sets[directory.resolve()] = True
    with pipeline.rules_only():
        for directory, every in sorted(sets.items(), key=lambda s: s[0].name):
            items = [item for item in load_eval_set(directory, pipeline.taxonomy)
                     if item.tota is None and (every or trainable(item.split))]
            decided = _decisions(pipeline, items)
            for item in items:
                for decision in decided[item.id]:
                    material.texts.append(decision.reader_text or item.text)
                    material.categories.append(decision.category)
                    material.sets.append(directory.name)
                    material.expected.append(item.expect.get(decision.category, "none"))
                    material.open.append(decision.reader_text is not None)
                    material.reached.append(decision.outcome in ("finding", "no commitment"))
    return material


def _decisions(pipeline: Pipeline, items: list[EvalItem]) -> dict[str, list[Decision]]:
    """Each item's decisions, one per category. The items of a language are classified in
    one call, so their texts are encoded in batches; each stands alone (`item_clause`), so
    its decisions are those it gets on its own."""
    decided: dict[str, list[Decision]] = {}
    for lang in sorted({item.lang for item in items}):
        clauses = [item_clause(item, n) for n, item in enumerate(items) if item.lang == lang]
        result, _ = pipeline.classify_clauses(clauses, lang, trace=True)
        decided.update({c.clause_id: result.decisions.get(c.clause_id, []) for c in clauses})
    return decided


def fit_commitment(pipeline: Pipeline, directories: list[Path], read_blind: list[Path],
                   threshold: float) -> tuple[CommitmentReader, dict[str, Any]]:
    """The reader fitted on the material, and a card with its leave-one-set-out figures."""
    material = commitment_material(pipeline, directories, read_blind)
    expected = np.asarray(material.expected, dtype=object)
    commits = np.asarray(material.open, dtype=bool)
    hardness = np.asarray(material.reached, dtype=bool) & (expected != "none")
    if commits.sum() < 20 or len(set(expected[commits] != "none")) < 2 or \
            len(set(expected[hardness] == "hard")) < 2:
        raise SetupError(f"only {int(commits.sum())} decisions without wording and "
                         f"{int(hardness.sum())} commitments to learn the commitment reader "
                         "from, or one class missing: name the labelled sets")
    encoder = pipeline.checked_multilingual()
    # Only the rows either regression learns from are encoded (about a fifth of the rows);
    # the others' features stay zero and are never read.
    rows = np.flatnonzero(commits | hardness)
    texts = sorted({material.texts[row] for row in rows})
    vectors = dict(zip(texts, embed_with_cache(texts, encoder, pipeline.cache), strict=True))
    categories = tuple(sorted(pipeline.taxonomy.categories))
    empty = CommitmentReader(categories, np.zeros(0), np.zeros(0), encoder.weights_id)
    used = empty.features(np.vstack([vectors[material.texts[row]] for row in rows]),
                          [material.categories[row] for row in rows])
    x = np.zeros((len(material.texts), used.shape[1]))
    x[rows] = used
    commit = _fit(x[commits], expected[commits] != "none", C_COMMIT)
    hard = _fit(x[hardness], expected[hardness] == "hard", C_HARD)
    reader = CommitmentReader(categories, commit, hard, encoder.weights_id)
    trained = reader.read_features(x[commits])[0] >= 0.5
    agreement = float((trained == (expected[commits] != "none")).mean())
    card = {"what": "P(commitment) where the rules find no wording, and P(hard); logistic "
                    "regressions over the multilingual vector and the category",
            "encoder": encoder.weights_id, "C": {"commitment": C_COMMIT, "hard": C_HARD},
            "trained_on": sorted(set(material.sets)),
            "decisions_without_wording": int(commits.sum()),
            "of_which_commitments": int((expected[commits] != "none").sum()),
            "commitments_for_strength": int(hardness.sum()),
            "training_accuracy_at_0.5": round(agreement, 3),
            "leave_one_set_out": _held_out(x, material, commits, hardness, threshold)}
    return reader, card


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """Weights and intercept (last) of a class-balanced logistic regression."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    return np.r_[model.coef_[0], model.intercept_[0]].astype(np.float64)


def _held_out(x: np.ndarray, material: Material, commits: np.ndarray, hardness: np.ndarray,
              threshold: float) -> dict[str, Any]:
    """Each set's reopenable decisions read by a reader fitted without that set: how many
    commitments it takes (and how many non-commitments), and its strength accuracy."""
    sets = np.asarray(material.sets)
    expected = np.asarray(material.expected)
    taken = wrong = right_strength = 0
    for name in sorted(set(sets[commits])):
        train, test = sets != name, sets == name
        fitted_commit = commits & train
        if len(set(expected[fitted_commit] != "none")) < 2:
            continue
        reader = CommitmentReader((), _fit(x[fitted_commit], expected[fitted_commit] != "none",
                                           C_COMMIT),
                                  _fit(x[hardness & train], expected[hardness & train] == "hard",
                                       C_HARD), "")
        rows = np.flatnonzero(commits & test)
        p, h = reader.read_features(x[rows])
        h = h >= 0.5
        chosen = p >= threshold
        positive = expected[rows] != "none"
        taken += int((chosen & positive).sum())
        wrong += int((chosen & ~positive).sum())
        right_strength += int((chosen & positive
                               & (np.where(h, "hard", "soft") == expected[rows])).sum())
    positives = int((commits & (expected != "none")).sum())
    return {"threshold": threshold, "commitments_missed_by_the_rules": positives,
            "taken": taken, "taken_wrongly": wrong,
            "strength_right": right_strength}
