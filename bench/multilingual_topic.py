"""Which vectors the topic model should read, measured on development examples only.

For each category: the 5-fold out-of-fold F1 of the topic model (n-grams, rule signals and
a vector block) with the sentence model's vectors and with the multilingual encoder's
(scaled as the shipped artefact's multilingual head is), per language, and, in Spanish and
French, the F1 of each head at the pairs of probability thresholds (with a topic cue /
without) that `taxonomy.yaml` could set. Only `tradelens train`'s examples are read
(exemplars, dev and corpus files); held-out and test files never are.

    python bench/multilingual_topic.py [--store DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.classify.learned import design_matrix, load_topic_model
from tradelens.commands import train as training
from tradelens.vectors.encoder import embed_with_cache
from tradelens.workspace.store import Store

_THRESHOLDS = [(cue, plain) for cue in (0.2, 0.3, 0.5) for plain in (0.4, 0.5, 0.6)]


def out_of_fold(x, y: np.ndarray) -> np.ndarray:  # noqa: ANN001 - a sparse matrix
    from sklearn.model_selection import StratifiedKFold

    probability = np.zeros(len(y))
    for train, held in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        probability[held] = training._fit(x[train], y[train], 1.0).predict_proba(x[held])[:, 1]
    return probability


def f1(predicted: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, int, int, int]:
    tp = int(((predicted == 1) & (y == 1) & mask).sum())
    fp = int(((predicted == 1) & (y == 0) & mask).sum())
    fn = int(((predicted == 0) & (y == 1) & mask).sum())
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), tp, fp, fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None,
                        help="a workspace whose embedding cache may be reused")
    args = parser.parse_args()
    pipeline = Pipeline(cache=Store(args.store) if args.store else None)
    model = load_topic_model()
    scale = model.multilingual.scale if model and model.multilingual else 16.0
    examples = training.training_examples(
        pipeline.taxonomy, [Path("tests/data/eval"), Path("tests/data/eval_ood")])
    features = training._features(examples, pipeline)
    multilingual = embed_with_cache([e.text for e in examples], pipeline.multilingual,
                                    pipeline.cache)
    langs = np.asarray([e.lang for e in examples])
    print(f"{len(examples)} development examples; multilingual vectors x{scale:g}")
    for category in pipeline.taxonomy.categories:
        rows = np.asarray([i for i, e in enumerate(examples) if category in e.labels])
        y = np.asarray([examples[i].labels[category] for i in rows])
        signals = [features["signals"][category][i] for i in rows]
        texts = [features["texts"][i] for i in rows]
        cue = np.asarray([s.cue for s in signals])
        foreign = np.isin(langs[rows], ["es", "fr"])
        for name, vectors in (("sentence model", features["vectors"][rows]),
                              ("multilingual", multilingual[rows] * scale)):
            probability = out_of_fold(design_matrix(texts, vectors, signals), y)
            at_half = (probability >= 0.5).astype(int)
            per_lang = ", ".join(f"{lang} {f1(at_half, y, langs[rows] == lang)[0]:.3f}"
                                 for lang in ("en", "es", "fr"))
            print(f"{category:20s} {name:15s} out-of-fold F1 at 0.5: {per_lang}")
            cells = []
            for with_cue, plain in _THRESHOLDS:
                predicted = np.where(cue, probability >= with_cue, probability >= plain)
                score, tp, fp, fn = f1(predicted.astype(int), y, foreign)
                cells.append(f"{with_cue:g}/{plain:g} {score:.3f} (fp {fp}, fn {fn})")
            print(f"{'':20s} {'':15s} es+fr, cue/no-cue thresholds: " + "; ".join(cells))


if __name__ == "__main__":
    main()
