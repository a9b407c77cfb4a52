"""The training-only clauses (tests/data/train): schema, originality, and who reads them.

They exist to be trained on: `tradelens train` reads them when their directory is named
(the shipped model is not trained on them), no command reads them by default, and no text
may copy or nearly copy an evaluation item (whose figures would then be partly training
figures) or an exemplar.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.conftest import ROOT
from tests.test_eval_ood_data import _load, assert_original, assert_written_item
from tradelens.commands.evaluate import load_eval_set
from tradelens.commands.train import training_examples
from tradelens.taxonomy import CORE_CATEGORIES, load_taxonomy

TRAIN_DIR = ROOT / "tests" / "data" / "train"
EVALUATED = [ROOT / "tests" / "data" / "eval", ROOT / "tests" / "data" / "eval_ood"]
TAXONOMY = load_taxonomy()
LANGUAGES = ("en", "es", "fr")


def _files() -> dict[str, dict]:
    return {p.name: _load(p) for p in sorted(TRAIN_DIR.glob("*.yaml"))}


def _evaluated_items() -> list[dict]:
    """Every item of the evaluation sets, written or ToTA-referenced."""
    return [item for directory in EVALUATED for path in sorted(directory.glob("*.yaml"))
            for item in _load(path)["items"]]


def test_one_training_file_per_language_and_every_item_follows_the_schema():
    files = _files()
    assert set(files) == {f"{batch}.{lang}.yaml" for batch in ("train", "train4")
                          for lang in LANGUAGES}
    for name, data in files.items():
        batch, lang = name.split(".")[:2]
        assert data["lang"] == lang, name
        for item in data["items"]:
            assert_written_item(item, batch, lang, f"{name}: {item.get('id')}")


def test_each_language_has_positives_of_every_core_category_and_tempting_negatives():
    for name, data in _files().items():
        items = data["items"]
        labels = Counter((c, s) for i in items for c, s in (i.get("expect") or {}).items())
        for category in CORE_CATEGORIES:
            assert labels[(category, "hard")] >= 3 and labels[(category, "soft")] >= 2, \
                (name, category)
        assert sum(not i.get("expect") for i in items) >= len(items) // 3, name


def test_no_training_text_copies_an_evaluation_item_an_exemplar_or_another_item():
    known = [e.text for e in TAXONOMY.exemplars]
    known += [e.text for m in TAXONOMY.modifiers.values() for e in m.exemplars]
    known += [str(i["text"]) for i in _evaluated_items() if "text" in i]
    assert_original([str(i["text"]) for data in _files().values() for i in data["items"]],
                    known)


def test_ids_are_unique_across_the_training_and_evaluation_sets():
    ids = [i["id"] for data in _files().values() for i in data["items"]]
    ids += [i["id"] for i in _evaluated_items()]
    assert not [i for i, n in Counter(ids).items() if n > 1]


def test_training_reads_them_when_named_and_no_command_reads_them_by_default():
    items = load_eval_set(TRAIN_DIR, TAXONOMY)
    examples = training_examples(TAXONOMY, [*EVALUATED, TRAIN_DIR])
    from_train = [e for e in examples if e.source.startswith("train/")]
    assert len(from_train) == len(items) > 0
    assert {e.text for e in from_train} == {i.text for i in items}
    from tradelens.cli import _EVAL_SETS

    # `tradelens eval` and `tradelens train` default to these sets only
    assert TRAIN_DIR.relative_to(ROOT) not in {Path(d) for _, d in _EVAL_SETS}
    card = json.loads((ROOT / "tradelens" / "classify" / "topic_model.json").read_text())
    assert "train/train" not in card["trained_on"]  # the shipped model: docs/evaluation.md
