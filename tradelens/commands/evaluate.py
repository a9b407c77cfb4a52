"""Measure the classifier against a labelled set of clauses (`tradelens eval`).

A finding is only useful if a trade lawyer would sign it, so quality is measured, per
category: precision and recall of "this clause binds or softly commits on the category",
strength accuracy (hard vs soft) among the clauses found, a confusion table of expected
against predicted status, and precision and recall for each exception, scope and
enforceability type. Sets are YAML files of team-written clauses (tests/data/eval/).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tradelens.errors import SetupError
from tradelens.models import STRENGTH_ORDER, Clause
from tradelens.taxonomy import Taxonomy
from tradelens.text.normal_form import normal_text

if TYPE_CHECKING:
    from tradelens.analysis import Pipeline

STATUSES = ("hard", "soft", "none")


#: Which labelled files may be trained on, by split (the file name's first part): these,
#: and every batch of training-only clauses (`train`, `train4`: tests/data/train).
TRAINING_SPLITS = ("dev", "corpus", "train")


def trainable(split: str) -> bool:
    """Whether a labelled file of this split may be trained on."""
    return split in TRAINING_SPLITS or split.startswith("train")

@dataclass(frozen=True)
class EvalItem:
    id: str
    split: str
    lang: str
    text: str
    chapter: str | None
    expect: dict[str, str]
    modifiers: frozenset[str]
    note: str | None = None
    style: str | None = None
    #: A ToTA article labelled as a whole: (file name, article source_ref); `text` is empty
    #: and the article is read from the corpus at evaluation time, never stored here.
    tota: tuple[str, str] | None = None
    #: The file it came from, without `.yaml` ("test.long"): a row of its own in the
    #: figures, so a set mixed into a language row (long paragraphs, ToTA) reads apart.
    file: str = ""


@dataclass
class Prediction:
    item: EvalItem
    status: dict[str, str]
    modifiers: frozenset[str]


@dataclass
class _Counts:
    """True and false positives and false negatives, with precision and recall."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class CategoryMetrics(_Counts):
    category: str = ""
    strength_right: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def strength_accuracy(self) -> float:
        return self.strength_right / self.tp if self.tp else 1.0


@dataclass
class ModifierMetrics(_Counts):
    modifier: str = ""


@dataclass
class EvalResult:
    predictions: list[Prediction]
    categories: dict[str, CategoryMetrics]
    modifiers: dict[str, ModifierMetrics]

    @property
    def strength_accuracy(self) -> float:
        found = sum(m.tp for m in self.categories.values())
        right = sum(m.strength_right for m in self.categories.values())
        return right / found if found else 1.0

    def errors(self) -> list[tuple[Prediction, list[str]]]:
        wrong = []
        for p in self.predictions:
            problems = [f"{c}: expected {p.item.expect.get(c, 'none')}, got {p.status[c]}"
                        for c in self.categories if p.item.expect.get(c, "none") != p.status[c]]
            if missing := sorted(p.item.modifiers - p.modifiers):
                problems.append(f"modifiers missed: {', '.join(missing)}")
            if extra := sorted(p.modifiers - p.item.modifiers):
                problems.append(f"modifiers not expected: {', '.join(extra)}")
            if problems:
                wrong.append((p, problems))
        return wrong


def load_eval_set(directory: Path, taxonomy: Taxonomy) -> list[EvalItem]:
    """Every `*.yaml` under `directory`; the split is the file name's first part (dev, heldout)."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise SetupError(f"{directory}: no evaluation files (*.yaml)")
    items: list[EvalItem] = []
    seen: set[str] = set()
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SetupError(f"{path}: cannot read evaluation file ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise SetupError(f"{path}: expected a mapping with 'lang' and 'items'")
        for raw in data["items"]:
            items.append(_item(raw, path, data.get("lang", "en"), taxonomy, seen))
    return items


def _item(raw: dict[str, Any], path: Path, lang: str, taxonomy: Taxonomy,
          seen: set[str]) -> EvalItem:
    item_id = str(raw.get("id", ""))
    where = f"{path}: item {item_id or '(no id)'}"
    if not item_id or item_id in seen:
        raise SetupError(f"{where}: every item needs a unique id")
    seen.add(item_id)
    tota = raw.get("tota")
    if tota is not None:
        if not isinstance(tota, dict) or not tota.get("file") or not tota.get("source_ref"):
            raise SetupError(f"{where}: 'tota' needs a file and a source_ref")
        tota = (str(tota["file"]), str(tota["source_ref"]))
    elif not str(raw.get("text", "")).strip():
        raise SetupError(f"{where}: no text")
    expect = dict(raw.get("expect") or {})
    for category, status in expect.items():
        if category not in taxonomy.categories or status not in ("hard", "soft"):
            raise SetupError(f"{where}: bad expectation {category}: {status}")
    modifiers = frozenset(raw.get("modifiers") or [])
    if unknown := modifiers - set(taxonomy.modifiers):
        raise SetupError(f"{where}: unknown modifiers {sorted(unknown)}")
    return EvalItem(id=item_id, split=path.stem.split(".")[0], lang=raw.get("lang", lang),
                    text=normal_text(" ".join(str(raw.get("text", "")).split())),
                    chapter=raw.get("chapter"), expect=expect, modifiers=modifiers,
                    note=raw.get("note"), style=raw.get("style"), tota=tota,
                    file=path.stem)


def item_clause(item: EvalItem, index: int) -> Clause:
    """Each item stands alone: its own article and chapter, so nothing links across items."""
    return Clause(clause_id=item.id, agreement_id="eval", text=item.text, chapter=item.chapter,
                  article=None, article_key=item.id, paragraph=None, location=item.id,
                  chapter_index=index + 1)


def predict(items: list[EvalItem], pipeline: Pipeline,
            tota_dir: Path | None = None) -> list[Prediction]:
    """Run the pipeline's classification (first pass included) over the items, one
    language at a time; ToTA articles through the whole agreement they belong to."""
    by_id = {}
    taxonomy = pipeline.taxonomy
    written = [i for i in items if i.tota is None]
    if tota_dir is not None:
        by_id.update(_predict_tota([i for i in items if i.tota], pipeline, tota_dir))
    for lang in sorted({i.lang for i in written}):
        rows = [n for n, i in enumerate(items) if i.lang == lang and i.tota is None]
        clauses = [item_clause(items[n], n) for n in rows]
        result, _vectors = pipeline.classify_clauses(clauses, lang)
        for clause, n in zip(clauses, rows, strict=True):
            mine = [f for f in result.findings if f.clause is clause]
            status = {c: max((f.strength for f in mine if f.category == c),
                             key=STRENGTH_ORDER.__getitem__, default="none")
                      for c in taxonomy.categories}
            # Items are classified together but stand alone: a modifier that reaches across
            # chapters (general exceptions) counts only for its own item.
            linked = {h.modifier for f in mine for h in f.modifiers
                      if h.reach != "agreement" or h.clause_id == clause.clause_id}
            # A clause-level scope (a sector) only counts where it narrows a finding; the
            # others are statements about their article or chapter and count on their own.
            stated = {h.modifier for h in result.modifier_hits
                      if h.clause_id == clause.clause_id and h.reach != "clause"}
            by_id[items[n].id] = Prediction(items[n], status, frozenset(linked | stated))
    return [by_id[i.id] for i in items if i.id in by_id]


def _predict_tota(items: list[EvalItem], pipeline: Pipeline,
                  tota_dir: Path) -> dict[str, Prediction]:
    """Each referenced agreement analysed whole (its chapters and exceptions matter); an
    article's status per category is the strongest finding among its clauses, its
    modifiers those its own clauses state (a sector scope, which is a clause's own, where
    it narrows one of the article's findings). The labels name the modifiers an article
    carries (tests/data/eval_ood/README.md), so one that reaches it from a scope or
    exceptions article elsewhere is the product's right answer but not the label's:
    `tests/test_modifiers.py` checks that reach."""
    found: dict[str, Prediction] = {}
    for name in sorted({i.tota[0] for i in items if i.tota}):
        path = tota_dir / name
        if not path.is_file():
            raise SetupError(f"{path}: ToTA file named by the evaluation set is missing")
        analysis = pipeline.analyse(path)
        result = analysis.classification
        for item in (i for i in items if i.tota and i.tota[0] == name):
            source_ref = item.tota[1]  # type: ignore[index]
            keys = {c.article_key for c in analysis.clauses if c.source_ref == source_ref}
            if not keys:
                raise SetupError(f"{path}: no article {source_ref} (evaluation item {item.id})")
            mine = [f for f in result.findings if f.clause.article_key in keys]
            status = {c: max((f.strength for f in mine if f.category == c),
                             key=STRENGTH_ORDER.__getitem__, default="none")
                      for c in pipeline.taxonomy.categories}
            linked = {h.modifier for f in mine for h in f.modifiers if h.article_key in keys}
            stated = {h.modifier for h in result.modifier_hits
                      if h.article_key in keys and h.reach != "clause"}
            found[item.id] = Prediction(item, status, frozenset(linked | stated))
    return found


def score_predictions(predictions: list[Prediction], taxonomy: Taxonomy) -> EvalResult:
    categories = {c: CategoryMetrics(category=c) for c in taxonomy.categories}
    modifiers = {m: ModifierMetrics(modifier=m) for m in taxonomy.modifiers}
    for p in predictions:
        for category, metrics in categories.items():
            expected, got = p.item.expect.get(category, "none"), p.status[category]
            metrics.confusion[(expected, got)] += 1
            if expected != "none" and got != "none":
                metrics.tp += 1
                metrics.strength_right += expected == got
            elif got != "none":
                metrics.fp += 1
            elif expected != "none":
                metrics.fn += 1
        for modifier, metrics in modifiers.items():
            expected, got = modifier in p.item.modifiers, modifier in p.modifiers
            metrics.tp += expected and got
            metrics.fp += got and not expected
            metrics.fn += expected and not got
    return EvalResult(predictions, categories, modifiers)


def render(result: EvalResult, title: str, show_errors: bool = False) -> str:
    """The printed report: metrics table, confusion tables, modifier table, errors."""
    items = result.predictions
    langs = Counter(p.item.lang for p in items)
    lines = [f"{title}: {len(items)} clauses ("
             + ", ".join(f"{n} {lang}" for lang, n in sorted(langs.items())) + ")", "",
             f"{'category':<22}{'P':>7}{'R':>7}{'strength':>10}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for m in result.categories.values():
        lines.append(f"{m.category:<22}{m.precision:7.3f}{m.recall:7.3f}"
                     f"{m.strength_accuracy:10.3f}{m.tp:5d}{m.fp:5d}{m.fn:5d}")
    lines.append(f"{'strength accuracy, all':<36}{result.strength_accuracy:10.3f}")
    for m in result.categories.values():
        lines += ["", f"confusion, {m.category} (rows expected, columns predicted)",
                  f"{'':<10}" + "".join(f"{s:>7}" for s in STATUSES)]
        for expected in STATUSES:
            lines.append(f"{expected:<10}" + "".join(f"{m.confusion[(expected, got)]:7d}"
                                                      for got in STATUSES))
    lines += ["", f"{'modifier':<36}{'P':>7}{'R':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for mod in result.modifiers.values():
        lines.append(f"{mod.modifier:<36}{mod.precision:7.3f}{mod.recall:7.3f}"
                     f"{mod.tp:5d}{mod.fp:5d}{mod.fn:5d}")
    errors = result.errors()
    lines += ["", f"{len(errors)} clauses with at least one error"]
    if show_errors:
        for prediction, problems in errors:
            lines.append(f"  {prediction.item.id}: {'; '.join(problems)}")
            lines.append(f"      {prediction.item.text[:160]}")
    return "\n".join(lines)


def worst(result: EvalResult, core: tuple[str, ...]) -> float:
    """The lowest of the headline figures: P and R per core category, strength accuracy."""
    figures = [result.strength_accuracy]
    for category in core:
        m = result.categories[category]
        figures += [m.precision, m.recall]
    return min(figures)


def headline(result: EvalResult, core: tuple[str, ...]) -> str:
    """One line: P/R per core category and strength accuracy, for split and language rows."""
    parts = [f"{c} P {result.categories[c].precision:.3f} R {result.categories[c].recall:.3f}"
             for c in core]
    return " | ".join(parts) + f" | strength {result.strength_accuracy:.3f}"


def default_tota_dir() -> Path | None:
    """The ToTA corpus beside the repository (`../shared/corpora/tota/xml`), if there."""
    candidate = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "tota" / "xml"
    return candidate if candidate.is_dir() else None


def evaluate_sets(sets: list[tuple[str, Path]], store_dir: Path, model_path: Path | None,
                  taxonomy_dir: Path | None, show_errors: bool, splits: set[str] | None = None,
                  tota_dir: Path | None = None) -> tuple[str, float]:
    """Evaluate each (title, directory) set; the printed report (each set on its own) and
    the lowest headline figure over all of them."""
    from tradelens.session import Session
    from tradelens.taxonomy import CORE_CATEGORIES, load_taxonomy

    taxonomy = load_taxonomy(taxonomy_dir)
    core = tuple(c for c in CORE_CATEGORIES if c in taxonomy.categories)
    loaded = []
    for title, directory in sets:
        items = [i for i in load_eval_set(directory, taxonomy)
                 if splits is None or i.split in splits]
        loaded.append((title, directory, items))
    if tota_dir is not None and not tota_dir.is_dir():
        tota_dir = None
    lines: list[str] = []
    lowest = 1.0
    with Session(store_dir, model_path, taxonomy) as session:
        for title, directory, items in loaded:
            skipped = [i for i in items if i.tota] if tota_dir is None else []
            if skipped:
                lines.append(f"note: {len(skipped)} ToTA-referenced items of {directory} "
                             "not measured: the ToTA corpus was not found (--tota DIR)")
            items = [i for i in items if i not in skipped]
            if not items:
                continue
            predictions = predict(items, session.pipeline, tota_dir)
            overall = score_predictions(predictions, taxonomy)
            lowest = min(lowest, worst(overall, core))
            lines += [f"== {title} ==", render(overall, f"{directory}", show_errors), ""]
            for label, key in (("split", "split"), ("language", "lang"),
                               ("split x language", None), ("file", "file")):
                values = sorted({_group(p.item, key) for p in predictions})
                for value in values:
                    subset = [p for p in predictions if _group(p.item, key) == value]
                    result = score_predictions(subset, taxonomy)
                    lines.append(f"{label} {value} ({len(subset)}): {headline(result, core)}")
            lines.append("")
    return "\n".join(lines).rstrip(), lowest


def _group(item: EvalItem, key: str | None) -> str:
    if key is None:
        return f"{item.split}/{item.lang}"
    return str(getattr(item, key))
