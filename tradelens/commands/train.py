"""`tradelens train`: fit the learned topic decision on the team's labelled clauses.

Training reads only development material: the taxonomy's exemplars (each for its own
category), the in-domain set's `dev` and `corpus` files, the out-of-domain set's `dev`
files (written items), and, when its directory is named, the training-only clauses of
`tests/data/train` (`train` files, never evaluated; the shipped model is not trained on
them: docs/evaluation.md says why). Held-out and test files are never read here, so the
figures `tradelens eval` prints for them stay honest. Options of `Recipe` widen this for
experiments (the shipped model uses none): every item of blind sets already read once,
and real clauses of half of the background agreements labelled by the model in use. The
result is written as plain arrays (`learned.py`) with a card that names what it was
trained on and how it did in cross-validation; its hash goes into every report's
provenance.

Two sets of weights are fitted on the same examples: one over the sentence model's vectors
(English clauses), one over the multilingual encoder's (`MULTILINGUAL_LANGUAGES`), with
that encoder's vectors scaled by the factor cross-validation prefers.

The same artefact carries the first pass's language centres (`classify/semantic_pass.py`),
computed from unlabelled agreements (`--background`, by default the ToTA corpus beside the
repository), and the topic screen fitted to the new weights on the same agreements
(`screen_fit.py`); agreements that a held-out or test item cites are left out of both.
Three options refit one part of an existing artefact and keep the rest, so that a change
can be judged on its own: `--screen-only` (the screen, for the same weights),
`--commitment-only` (the commitment reader) and `--multilingual-only` (the Spanish and
French head, English then read exactly as before; `refit_multilingual`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.classify.commitment import commitment_setting
from tradelens.classify.learned import (
    CARD,
    FEATURE_VERSION,
    RuleSignals,
    TopicHead,
    TopicModel,
    artefact_path,
    design_matrix,
    load_topic_model,
    save_topic_model,
)
from tradelens.classify.semantic_pass import language_centre
from tradelens.commands.background import Unreadable, background_agreements
from tradelens.commands.evaluate import EvalItem, load_eval_set, trainable
from tradelens.errors import SetupError, printable
from tradelens.taxonomy import Taxonomy
from tradelens.vectors.encoder import embed_with_cache

_C_GRID = (1.0,)
#: Multipliers of the multilingual vectors tried in cross-validation: unscaled, 384 dense
#: features barely register beside the n-grams (on the dev examples, the F1 in Spanish and
#: French rose from 0.835 at x1 through 0.897 at x4 to 0.934 at x16).
_SCALE_GRID = (4.0, 8.0, 16.0, 32.0)
#: The languages decided on the multilingual encoder: where the English sentence model is
#: weakest. English keeps MiniLM alone, which has most of the clauses: the multilingual
#: encoder costs three to five times as much per clause.
MULTILINGUAL_LANGUAGES = ("es", "fr")
#: At most this many agreements per language make the language's first-pass centre.
CENTRE_AGREEMENTS = 40


@dataclass(frozen=True)
class Recipe:
    """What `train` (or `refit_multilingual`, for its one head) learns from beyond the
    development files, and how. The default is the shipped model's recipe;
    docs/evaluation.md (2026-12-05) measured the others."""

    #: Blind sets already read once, every item trained on (never the reserve).
    read_blind: tuple[Path, ...] = ()
    #: Real clauses of the training half of the background agreements (`corpus_examples`).
    corpus: bool = False
    #: Weigh the classes inversely to their counts.
    balanced: bool = True
    #: Labelled sets whose held-out or test items' agreements the corpus examples leave
    #: out, besides those of the sets trained on (the CLI names every set it knows).
    cited_from: tuple[Path, ...] = ()
    #: Blind sets already read once, every item of which the commitment reader learns
    #: from, whatever `read_blind` says (the CLI names every read one).
    commitment_from: tuple[Path, ...] = ()


@dataclass
class Example:
    text: str
    lang: str
    #: category -> 1 (about it, hard or soft) / 0 (not); a category absent is unknown.
    labels: dict[str, int]
    source: str


def training_examples(taxonomy: Taxonomy, directories: list[Path],
                      read_blind: list[Path] | None = None) -> list[Example]:
    """Exemplars and the development items of each labelled set; and every item of the
    `read_blind` sets, blind sets that have had their one judged reading and are named on
    purpose (`tradelens train --read-blind`; never the reserve)."""
    examples = [Example(e.text, e.lang, {e.category: int(e.strength != "none")}, "exemplar")
                for e in taxonomy.exemplars]
    for directory in directories:
        for item in load_eval_set(directory, taxonomy):
            if not trainable(item.split) or item.tota is not None:
                continue
            examples.append(_from_item(item, taxonomy, directory.name))
    for directory in read_blind or []:
        examples += [_from_item(item, taxonomy, directory.name)
                     for item in load_eval_set(directory, taxonomy) if item.tota is None]
    return examples


def in_training_half(name: str) -> bool:
    """Whether a background agreement (by file stem) lends its clauses to training: those
    whose stem has an even SHA-1, so that the other half stays free to check what
    training did."""
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 2 == 0


def corpus_examples(pipeline: Pipeline, background: Path, exclude: set[str],
                    progress: bool = False, unreadable: Unreadable | None = None,
                    ) -> list[Example]:
    """Real clauses of the training half of the `background` agreements (`exclude`, by
    file name, left out), as the model in use reads them: positive for a category it
    finds in the clause, negative for the others. Only clauses the first pass keeps (and
    any the model finds by meaning) are taken: they are the ones the topic decision
    meets, and written sets alone teach it the writers' words, so that a real corpus's
    near neighbours (telecommunications access, performance requirements, cooperation
    lists) pass for rules (docs/evaluation.md, 2026-12-05). The commitment reader is off
    meanwhile. Files that cannot be read go to `unreadable` (`background.py`)."""
    paths = [p for p in sorted(background.iterdir()) if p.is_file()
             and p.name not in exclude and in_training_half(p.stem)]
    examples: list[Example] = []
    with pipeline.rules_only():  # labels from the topic model and the rules alone
        for _, document, clauses in background_agreements(
                pipeline, paths, {} if unreadable is None else unreadable, progress,
                "corpus examples"):
            language = document.language
            kept = pipeline.classifier.first_pass(clauses, language)
            classification, _ = pipeline.classify_clauses(clauses, language)
            found = {(f.clause.clause_id, f.category) for f in classification.findings}
            found_in = {clause_id for clause_id, _ in found}
            examples += [Example(c.text, language or "en",
                                 {k: int((c.clause_id, k) in found)
                                  for k in pipeline.taxonomy.categories},
                                 f"corpus/{background.name}")
                         for c, keep in zip(clauses, kept, strict=True)
                         if keep or c.clause_id in found_in]
    return examples


def _from_item(item: EvalItem, taxonomy: Taxonomy, source: str) -> Example:
    return Example(item.text, item.lang,
                   {c: int(item.expect.get(c, "none") != "none") for c in taxonomy.categories},
                   f"{source}/{item.split}")


def _features(examples: list[Example], pipeline: Pipeline) -> dict[str, Any]:
    """Sentence vectors, exemplar neighbours and rule signals of every example."""
    from tradelens.classify.clauses import blank_cross_references

    classifier = pipeline.classifier
    texts = [blank_cross_references(e.text) for e in examples]
    vectors = embed_with_cache([e.text for e in examples], pipeline.encoder, pipeline.cache)
    scores = np.zeros((len(examples), int(pipeline.taxonomy.classifier["exemplar_k"])),
                      dtype=np.float32)
    ids = np.full(scores.shape, -1, dtype=np.int64)
    for lang in sorted({e.lang for e in examples}):
        rows = [i for i, e in enumerate(examples) if e.lang == lang]
        found_scores, found_ids = classifier.neighbours(vectors[rows], lang)
        scores[rows, :found_scores.shape[1]], ids[rows, :found_ids.shape[1]] = \
            found_scores, found_ids
    own = _own_exemplar_rows(examples, pipeline.taxonomy)
    signals: dict[str, list[RuleSignals]] = {}
    for category in pipeline.taxonomy.categories.values():
        rows = []
        for i, (text, example) in enumerate(zip(texts, examples, strict=True)):
            # An exemplar must not see itself as its own nearest neighbour.
            keep = ids[i] != own[i]
            lang = pipeline.taxonomy.reading_language(example.lang)
            rows.append(classifier.rule_signals(category, text, lang, scores[i][keep],
                                                ids[i][keep]))
        signals[category.id] = rows
    return {"texts": texts, "vectors": vectors, "signals": signals}


def _own_exemplar_rows(examples: list[Example], taxonomy: Taxonomy) -> np.ndarray:
    """For each example that is a taxonomy exemplar, its row in the exemplar index."""
    position = {(e.lang, e.text): n for n, e in enumerate(taxonomy.exemplars)}
    return np.asarray([position.get((e.lang, e.text), -2) if e.source == "exemplar" else -2
                       for e in examples])


def _fit(x: Any, y: np.ndarray, c: float, balanced: bool = True):  # noqa: ANN202
    """A LogisticRegression; `balanced` weighs the classes inversely to their counts."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced" if balanced else None,
                              max_iter=5000).fit(x, y)


def _cross_validated(x: Any, y: np.ndarray, langs: np.ndarray, balanced: bool = True,
                     ) -> tuple[float, dict[str, Any], np.ndarray]:
    """The C with the best 5-fold F1, the out-of-fold figures for the card and the
    out-of-fold predictions."""
    from sklearn.model_selection import StratifiedKFold

    best: tuple[float, float, dict[str, Any], np.ndarray] = (-1.0, _C_GRID[0], {},
                                                            np.zeros(0))
    splits = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, y))
    for c in _C_GRID:
        predicted = _out_of_fold(x, y, splits, c, balanced)
        figures = _figures(y, predicted, langs)
        if figures["all"]["f1"] > best[0]:
            best = (figures["all"]["f1"], c, figures, predicted)
    return best[1], best[2], best[3]


def _out_of_fold(x: Any, y: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]], c: float,
                 balanced: bool) -> np.ndarray:
    """Each fold's predictions by a regression fitted on the other folds. The folds are
    fitted side by side on the cores this process may use (joblib counts CPU quotas and
    affinity; inside a daemon process it falls back to one after the other): `train`
    takes about half the time on two cores, most of it being these fits. Each fold's fit
    is the one it would be in turn, up to the maths library's threading; on the machine
    of docs/performance.md the artefact was the same array for array."""
    from joblib import Parallel, cpu_count, delayed

    workers = min(len(splits), cpu_count())
    held_predictions = Parallel(n_jobs=workers)(
        delayed(_fit_predict)(x[train], y[train], x[held], c, balanced)
        for train, held in splits)
    predicted = np.zeros(len(y), dtype=int)
    for (_, held), values in zip(splits, held_predictions, strict=True):
        predicted[held] = values
    return predicted


def _fit_predict(x: Any, y: np.ndarray, x_held: Any, c: float, balanced: bool) -> np.ndarray:
    """One fold's work, in a worker process: fit on the other folds, predict this one."""
    return _fit(x, y, c, balanced).predict(x_held)


def _figures(y: np.ndarray, predicted: np.ndarray, langs: np.ndarray) -> dict[str, Any]:
    out = {}
    for name, mask in [("all", np.ones(len(y), dtype=bool))] + \
            [(lang, langs == lang) for lang in sorted(set(langs))]:
        tp = int(((predicted == 1) & (y == 1) & mask).sum())
        fp = int(((predicted == 1) & (y == 0) & mask).sum())
        fn = int(((predicted == 0) & (y == 1) & mask).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = {"precision": round(precision, 3), "recall": round(recall, 3),
                     "f1": round(f1, 3), "examples": int(mask.sum())}
    return out


def cited_agreements(taxonomy: Taxonomy, directories: list[Path]) -> set[str]:
    """File names of the agreements that a labelled set's held-out or test items cite."""
    return {item.tota[0] for directory in directories
            for item in load_eval_set(directory, taxonomy)
            if item.tota is not None and not trainable(item.split)}


def first_pass_centres(pipeline: Pipeline, background: Path, exclude: set[str],
                       unreadable: Unreadable | None = None,
                       ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Per language, the centre of the static vectors of up to `CENTRE_AGREEMENTS`
    agreements of `background` (in name order, those in `exclude` left out), and a card.
    Files that cannot be read go to `unreadable` (`background.py`)."""
    vectors: dict[str, list[np.ndarray]] = {}
    agreements: dict[str, int] = {}
    paths = sorted(p for p in background.iterdir() if p.is_file() and p.name not in exclude)
    for _, document, clauses in background_agreements(
            pipeline, paths, {} if unreadable is None else unreadable):
        lang = document.language
        if lang not in pipeline.taxonomy.modality or \
                agreements.get(lang, 0) >= CENTRE_AGREEMENTS:
            continue
        agreements[lang] = agreements.get(lang, 0) + 1
        vectors.setdefault(lang, []).append(pipeline.static.encode([c.text for c in clauses]))
    centres = {lang: language_centre(np.vstack(rows)) for lang, rows in vectors.items()}
    card = {lang: {"agreements": agreements[lang],
                   "clauses": int(sum(len(r) for r in vectors[lang]))}
            for lang in sorted(vectors)}
    return centres, {"background": background.name, "languages": card}


def _design(examples: list[Example], features: dict[str, Any], vectors: np.ndarray,
            category: str, scale: float) -> tuple[Any, np.ndarray, np.ndarray]:
    """The design matrix, labels and example rows of one category, vectors times `scale`."""
    rows = np.asarray([i for i, e in enumerate(examples) if category in e.labels])
    x = design_matrix([features["texts"][i] for i in rows], vectors[rows] * scale,
                      [features["signals"][category][i] for i in rows])
    return x, np.asarray([examples[i].labels[category] for i in rows]), rows


def _cross_validate_head(examples: list[Example], features: dict[str, Any],
                         vectors: np.ndarray, categories: list[str], scale: float,
                         judged: set[str] | None = None, balanced: bool = True,
                         ) -> tuple[dict[str, Any], float]:
    """Per category, the chosen C and the card's figures; and the mean out-of-fold F1 over
    the `judged` languages (all if None)."""
    langs = np.asarray([e.lang for e in examples])
    report, f1s = {}, []
    for category in categories:
        x, y, rows = _design(examples, features, vectors, category, scale)
        c, figures, predicted = _cross_validated(x, y, langs[rows], balanced)
        mask = np.isin(langs[rows], sorted(judged)) if judged else np.ones(len(y), bool)
        f1s.append(_figures(y[mask], predicted[mask], langs[rows][mask])["all"]["f1"])
        report[category] = {"C": c, "examples": int(len(y)), "positives": int(y.sum()),
                            "cross_validated": figures}
    return report, float(np.mean(f1s))


def _fit_head(examples: list[Example], features: dict[str, Any], vectors: np.ndarray,
              report: dict[str, Any], scale: float, encoder_id: str,
              balanced: bool = True) -> TopicHead:
    """One regression per category of `report`, with the C it chose, on `vectors * scale`."""
    weights, intercepts = [], []
    for category, body in report.items():
        x, y, _ = _design(examples, features, vectors, category, scale)
        model = _fit(x, y, body["C"], balanced)
        weights.append(model.coef_.ravel())
        intercepts.append(float(model.intercept_[0]))
    return TopicHead(np.vstack(weights), np.asarray(intercepts), vectors.shape[1],
                     encoder_id, scale)


def _multilingual_head(examples: list[Example], features: dict[str, Any],
                       categories: list[str], pipeline: Pipeline, balanced: bool = True,
                       ) -> tuple[TopicHead, dict[str, Any]]:
    """The head that reads the multilingual encoder, for `MULTILINGUAL_LANGUAGES`; its
    vector scale is the one with the best out-of-fold F1 in those languages."""
    encoder = pipeline.multilingual
    vectors = embed_with_cache([e.text for e in examples], encoder, pipeline.cache)
    tried: dict[str, float] = {}
    best: tuple[float, float, dict[str, Any]] = (-1.0, 1.0, {})
    for scale in _SCALE_GRID:
        report, f1 = _cross_validate_head(examples, features, vectors, categories, scale,
                                          set(MULTILINGUAL_LANGUAGES), balanced)
        tried[f"{scale:g}"] = round(f1, 3)
        if f1 > best[0]:
            best = (f1, scale, report)
    _, scale, report = best
    head = _fit_head(examples, features, vectors, report, scale, encoder.weights_id,
                     balanced)
    return head, {"encoder": encoder.weights_id, "languages": list(MULTILINGUAL_LANGUAGES),
                  "scale": scale, "scales_tried": tried, "categories": report}


def train(pipeline: Pipeline, directories: list[Path], out: Path | None = None,
          background: Path | None = None, multilingual: bool = True,
          recipe: Recipe = Recipe(), progress: bool = False) -> dict[str, Any]:
    """Fit one logistic regression per category (and, with `multilingual`, a second set on
    the multilingual encoder's vectors for Spanish and French), compute the first pass's
    language centres from `background` (if given) and write the artefact; its card."""
    labelled = [*directories, *recipe.read_blind]
    unreadable: Unreadable = {}
    examples = _material(pipeline, directories, recipe, background, progress, unreadable)
    features = _features(examples, pipeline)
    categories = list(pipeline.taxonomy.categories)
    report, _ = _cross_validate_head(examples, features, features["vectors"], categories,
                                     1.0, balanced=recipe.balanced)
    card = {
        "what": "TradeLens topic model: P(clause is about category), logistic regression",
        "feature_version": FEATURE_VERSION,
        "encoder": pipeline.encoder.model_id,
        **_material_card(examples, recipe),
        "categories": report,
    }
    head = _fit_head(examples, features, features["vectors"], report, 1.0,
                     pipeline.encoder.model_id, recipe.balanced)
    second = None
    if multilingual:
        second, card["multilingual"] = _multilingual_head(examples, features, categories,
                                                          pipeline, recipe.balanced)
    centres: dict[str, np.ndarray] = {}
    if background is not None:
        centres, card["first_pass_centres"] = first_pass_centres(
            pipeline, background, cited_agreements(pipeline.taxonomy, labelled), unreadable)
        card["background_unreadable"] = unreadable
    final = out or artefact_path()
    final.parent.mkdir(parents=True, exist_ok=True)
    # Every part is written beside the artefact first and moved into place at the end, so
    # that a step that fails (the screen, the commitment reader) leaves the old one whole.
    with tempfile.TemporaryDirectory(dir=final.parent, prefix=".training-") as work:
        path = Path(work) / final.name
        save_topic_model(path, categories, head, card, centres, second,
                         MULTILINGUAL_LANGUAGES if second else ())
        if background is not None:
            refit_screen(pipeline, labelled, background, path, progress, examples, unreadable)
        card = refit_commitment(pipeline, directories, list(recipe.commitment_from), path)
        os.replace(path, final)
        os.replace(path.with_name(CARD), final.with_name(CARD))
    card["path"] = final.name
    pipeline.use_topic_model(load_topic_model(final))
    return card


def _material(pipeline: Pipeline, directories: list[Path], recipe: Recipe,
              background: Path | None, progress: bool, unreadable: Unreadable,
              ) -> list[Example]:
    """The examples `recipe` names: the development files of `directories` and the
    exemplars, the read blind sets' items, the corpus examples of `background`."""
    examples = training_examples(pipeline.taxonomy, directories, list(recipe.read_blind))
    if recipe.corpus:
        if background is None:
            raise SetupError("corpus examples need background agreements (--background)")
        cited = cited_agreements(pipeline.taxonomy,
                                 [*directories, *recipe.read_blind, *recipe.cited_from])
        examples += corpus_examples(pipeline, background, cited, progress, unreadable)
    if len(examples) < 50:
        raise SetupError(f"only {len(examples)} training examples: name the labelled sets")
    return examples


def _material_card(examples: list[Example], recipe: Recipe) -> dict[str, Any]:
    """What the card says of a head's material and weighting."""
    return {"trained_on": sorted({e.source for e in examples}),
            "examples": len(examples),
            "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
            "class_weight": "balanced" if recipe.balanced else "none"}


def refit_multilingual(pipeline: Pipeline, directories: list[Path], recipe: Recipe,
                       background: Path | None = None, path: Path | None = None,
                       progress: bool = False) -> dict[str, Any]:
    """Fit the multilingual head alone (the topic decision in Spanish and French) on the
    material `recipe` names, and write the artefact at `path` (the model refitted is the
    one already there, or the shipped one when `path` is None or not yet written) with
    it. The English head, the first pass's centres, the English screen and the commitment
    reader stay as they are, so that English is read exactly as before; the Spanish and
    French screen is derived from the new weights. The reader was fitted on the old
    head's decisions (`--commitment-only` refits it to the new one, English included).
    The updated card."""
    source, path, model = _to_refit(pipeline, path, "a multilingual head")
    if set(model.categories) != set(pipeline.taxonomy.categories):
        raise SetupError(f"{source.name} decides {', '.join(model.categories)}, the taxonomy "
                         f"has {', '.join(pipeline.taxonomy.categories)}: run `tradelens "
                         "train` for the whole model")
    unreadable: Unreadable = dict(json.loads(source.with_name(CARD).read_text(
        encoding="utf-8")).get("background_unreadable") or {})
    examples = _material(pipeline, directories, recipe, background, progress, unreadable)
    features = _features(examples, pipeline)
    head, card = _multilingual_head(examples, features, list(model.categories), pipeline,
                                    recipe.balanced)
    card.update(_material_card(examples, recipe))
    languages = model.multilingual_languages or MULTILINGUAL_LANGUAGES
    return _rewrite(pipeline, source, path,
                    dataclasses.replace(model, multilingual=head,
                                        multilingual_languages=languages),
                    {"multilingual": card,
                     "background_unreadable": dict(sorted(unreadable.items()))})


def refit_screen(pipeline: Pipeline, directories: list[Path], background: Path,
                 path: Path | None = None, progress: bool = False,
                 examples: list[Example] | None = None,
                 unreadable: Unreadable | None = None) -> dict[str, Any]:
    """Fit the topic screen to the artefact at `path` (the shipped one when `path` is None
    or not yet written) on the `background` agreements and the labelled training clauses
    (`examples`, or those of `directories`), and write the artefact with it to `path`,
    the weights untouched; the updated card, which lists the background files that could
    not be read (with those already in `unreadable`)."""
    from tradelens.commands.screen_fit import fit_screen

    source, path, model = _to_refit(pipeline, path, "a screen")
    if examples is None:
        examples = training_examples(pipeline.taxonomy, directories)
    unreadable = {} if unreadable is None else unreadable
    screen, screen_card = fit_screen(
        pipeline, background, cited_agreements(pipeline.taxonomy, directories),
        [(e.text, e.lang) for e in examples], progress, unreadable)
    return _rewrite(pipeline, source, path, dataclasses.replace(model, screen=screen),
                    {"topic_screen": screen_card,
                     "background_unreadable": dict(sorted(unreadable.items()))})


def refit_commitment(pipeline: Pipeline, directories: list[Path], read_blind: list[Path],
                     path: Path | None = None) -> dict[str, Any]:
    """Fit the learned commitment reader (`commitment_fit.py`) to the artefact at `path`
    (the shipped one when `path` is None or not yet written) on the labelled sets, and
    write the artefact with it to `path`, the topic weights and screen untouched; the
    updated card."""
    from tradelens.commands.commitment_fit import fit_commitment

    source, path, model = _to_refit(pipeline, path, "a commitment reader")
    reader, reader_card = fit_commitment(
        pipeline, directories, read_blind,
        commitment_setting(pipeline.taxonomy, "commitment_threshold"))
    return _rewrite(pipeline, source, path, dataclasses.replace(model, commitment=reader),
                    {"commitment_reader": reader_card})


def _to_refit(pipeline: Pipeline, path: Path | None, part: str,
              ) -> tuple[Path, Path, TopicModel]:
    """(the artefact read, the one to write, its model) for a refit of one part: the
    artefact at `path`, or the shipped one when `path` is None or not yet written. The
    pipeline uses that model from now on, since the part is fitted to it."""
    source = path if path is not None and path.is_file() else artefact_path()
    model = load_topic_model(source)
    if model is None:
        raise SetupError(f"{source.name}: no topic model to fit {part} to")
    card = source.with_name(CARD)
    try:
        described = json.loads(card.read_text(encoding="utf-8")).get("sha256")
    except (OSError, ValueError, AttributeError):
        described = None
    if described != model.sha256:
        # Cards have one name per folder: another artefact's card would be copied over.
        raise SetupError(f"{card.name} beside {source.name} does not describe it (another "
                         "artefact was written to the same folder?): refit a model in a "
                         "folder of its own")
    pipeline.use_topic_model(model)
    return source, path or source, model


def _rewrite(pipeline: Pipeline, source: Path, path: Path, model: TopicModel,
             card_updates: dict[str, Any]) -> dict[str, Any]:
    """Write `model` (every part of it) to `path`, with the card of `source` updated; the
    pipeline uses the written model. The new card."""
    card = json.loads(source.with_name(CARD).read_text(encoding="utf-8"))
    card.update(card_updates)
    card.pop("sha256", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    card["sha256"] = save_topic_model(path, list(model.categories), model.head, card,
                                      model.centres, model.multilingual,
                                      model.multilingual_languages, model.screen,
                                      model.commitment)
    card["path"] = path.name
    pipeline.use_topic_model(load_topic_model(path))
    return card


def render_card(card: dict[str, Any]) -> str:
    lines = [f"topic model written ({card['path']}, sha256 {card['sha256'][:16]}...), "
             f"{card['examples']} examples from {', '.join(card['trained_on'])}"]
    centres = card.get("first_pass_centres")
    if centres:
        lines.append("  first-pass centres from " + centres["background"] + ": " + ", ".join(
            f"{lang} {v['agreements']} agreements, {v['clauses']} clauses"
            for lang, v in centres["languages"].items()))
    else:
        lines.append("  no first-pass centres (no background agreements): the first pass by "
                     "meaning uses raw similarity")
    lines += _category_lines(card["categories"])
    second = card.get("multilingual")
    if second:
        tried = ", ".join(f"x{k} {v:.3f}" for k, v in second["scales_tried"].items())
        lines.append(f"  multilingual head ({', '.join(second['languages'])}: "
                     f"{second['encoder']}), vectors x{second['scale']:g} "
                     f"(5-fold F1 in those languages: {tried})")
        if "trained_on" in second:  # refitted alone (`refit_multilingual`)
            lines.append(f"    refitted alone on {second['examples']} examples from "
                         f"{', '.join(second['trained_on'])} ({second['trained_at']}, "
                         f"class weights {second['class_weight']}); the English head, "
                         "centres, English screen and commitment reader kept (the "
                         "reader's figures below are of the head it was fitted with)")
        lines += _category_lines(second["categories"], "    ")
    lines += _screen_lines(card.get("topic_screen"))
    lines += _commitment_lines(card.get("commitment_reader"))
    unreadable = card.get("background_unreadable")
    if unreadable:
        lines.append(f"  {len(unreadable)} background file(s) could not be read and were "
                     f"left out: {', '.join(printable(n) for n in sorted(unreadable))}")
    return "\n".join(lines)


def _screen_lines(screen: dict[str, Any] | None) -> list[str]:
    if not screen:
        return ["  no topic screen (no background agreements): every candidate is read fully"]
    lines = [f"  topic screen from {screen['background']} (margin = largest shortfall "
             f"+ {screen['safety']:g}):"]
    for name, head in screen["heads"].items():
        check = head["checking"]
        lines.append(
            f"    {name} head, reads {head['reads']}: margin {head['margin']:.2f}; on "
            f"{check.get('texts', 0)} texts of the checking half it keeps "
            f"{check.get('kept_share', 0):.1%} ({check.get('kept_word_share', 0):.1%} of the "
            f"words) and drops {check.get('of_which_dropped', 0)} of the "
            f"{check.get('reaching_a_threshold', 0)} that reach a threshold")
    return lines


def _commitment_lines(reader: dict[str, Any] | None) -> list[str]:
    if not reader:
        return ["  no commitment reader: a topic clause without binding wording the rules "
                "know is no finding"]
    held = reader["leave_one_set_out"]
    return [f"  commitment reader on {reader['decisions_without_wording']} decisions without "
            f"wording ({reader['of_which_commitments']} commitments) and "
            f"{reader['commitments_for_strength']} commitments for strength; each set held "
            f"out in turn, at {held['threshold']:g} it takes {held['taken']} of the "
            f"{held['commitments_missed_by_the_rules']} commitments the rules miss, "
            f"{held['taken_wrongly']} wrongly, {held['strength_right']} with the right "
            "strength"]


def _category_lines(categories: dict[str, Any], indent: str = "  ") -> list[str]:
    lines = []
    for category, body in categories.items():
        cv = body["cross_validated"]
        per_lang = ", ".join(f"{lang} F1 {v['f1']:.3f}" for lang, v in cv.items() if lang != "all")
        lines.append(f"{indent}{category}: C={body['C']:g}, {body['positives']}/"
                     f"{body['examples']} positive; 5-fold P {cv['all']['precision']:.3f} "
                     f"R {cv['all']['recall']:.3f} F1 {cv['all']['f1']:.3f} ({per_lang})")
    return lines
