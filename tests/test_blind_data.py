"""The blind evaluation set (tests/data/eval_blind): schema, originality, and who reads it.

It was written without sight of the classifier, its rules or the other sets, to measure the
classifier on text nobody tuned it for (README.md there). These tests check the data and
that nothing trains on it; they never run the classifier.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.conftest import ROOT
from tests.test_eval_ood_data import _load, assert_original, assert_written_item
from tradelens.commands.evaluate import load_eval_set
from tradelens.commands.train import training_examples
from tradelens.taxonomy import CORE_CATEGORIES, load_taxonomy

BLIND_DIR = ROOT / "tests" / "data" / "eval_blind"
OTHERS = [ROOT / "tests" / "data" / d for d in ("eval", "eval_ood", "train")]
TAXONOMY = load_taxonomy()
LANGUAGES = ("en", "es", "fr")


def _items() -> list[dict]:
    return [item for lang in LANGUAGES
            for item in _load(BLIND_DIR / f"blind.{lang}.yaml")["items"]]


def test_one_file_per_language_and_every_item_follows_the_schema():
    assert {p.name for p in BLIND_DIR.glob("*.yaml")} == {f"blind.{lang}.yaml"
                                                         for lang in LANGUAGES}
    for lang in LANGUAGES:
        data = _load(BLIND_DIR / f"blind.{lang}.yaml")
        assert data["lang"] == lang
        for item in data["items"]:
            assert_written_item(item, "blind", lang, f"{lang}: {item.get('id')}")


def test_every_language_has_positives_of_each_strength_tempting_negatives_and_modifiers():
    for lang in LANGUAGES:
        items = _load(BLIND_DIR / f"blind.{lang}.yaml")["items"]
        labels = Counter((c, s) for i in items for c, s in (i.get("expect") or {}).items())
        for category in CORE_CATEGORIES:
            assert labels[(category, "hard")] >= 8 and labels[(category, "soft")] >= 5, \
                (lang, category)
        assert sum(not i.get("expect") for i in items) >= 30, lang
        carried = {m for i in items for m in i.get("modifiers") or []}
        assert carried == set(TAXONOMY.modifiers), (lang, set(TAXONOMY.modifiers) - carried)


def test_no_blind_text_copies_an_exemplar_or_an_item_of_another_set():
    known = [e.text for e in TAXONOMY.exemplars]
    known += [e.text for m in TAXONOMY.modifiers.values() for e in m.exemplars]
    known += [str(i["text"]) for d in OTHERS for p in sorted(d.glob("*.yaml"))
              for i in _load(p)["items"] if "text" in i]
    assert_original([str(i["text"]) for i in _items()], known)


def test_ids_are_unique_across_every_labelled_set():
    ids = [i["id"] for i in _items()]
    ids += [i["id"] for d in OTHERS for p in sorted(d.glob("*.yaml")) for i in _load(p)["items"]]
    assert not [i for i, n in Counter(ids).items() if n > 1]


def test_eval_reads_it_by_default_and_training_never_does():
    from tradelens.cli import _EVAL_SETS, _TRAINING_SETS

    items = load_eval_set(BLIND_DIR, TAXONOMY)
    assert len(items) == len(_items()) >= 240
    assert {i.split for i in items} == {"blind"}
    assert BLIND_DIR.relative_to(ROOT) in {Path(d) for _, d in _EVAL_SETS}
    assert BLIND_DIR.relative_to(ROOT) not in {Path(d) for _, d in _TRAINING_SETS}
    # named on purpose, `tradelens train` still takes nothing from it
    examples = training_examples(TAXONOMY, [BLIND_DIR])
    assert {e.source for e in examples} == {"exemplar"}
    blind_texts = {i.text for i in items}
    assert not blind_texts & {e.text for e in training_examples(TAXONOMY, OTHERS)}
