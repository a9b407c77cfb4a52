"""The classifier's evaluation: the team's labelled set, measured through `tradelens eval`."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, run_cli
from tradelens.commands.evaluate import load_eval_set
from tradelens.taxonomy import CORE_CATEGORIES, default_taxonomy_dir, load_taxonomy

EVAL_DIR = ROOT / "tests" / "data" / "eval"
TAXONOMY = load_taxonomy()
ITEMS = load_eval_set(EVAL_DIR, TAXONOMY)
_ROW = re.compile(r"^(\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\d+\s+\d+\s+\d+$", re.M)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def test_the_set_is_large_multilingual_and_covers_every_label():
    assert len(ITEMS) >= 200
    assert set(Counter(i.lang for i in ITEMS)) == {"en", "es", "fr"}
    for lang in ("en", "es", "fr"):
        mine = [i for i in ITEMS if i.lang == lang]
        for category in CORE_CATEGORIES:
            for strength in ("hard", "soft"):
                assert any(i.expect.get(category) == strength for i in mine), \
                    (lang, category, strength)
        assert sum(not i.expect for i in mine) >= 20, lang  # hard negatives and modifiers
    for modifier in TAXONOMY.modifiers:
        assert any(modifier in i.modifiers for i in ITEMS), modifier
    assert {"dev", "heldout", "corpus"} == {i.split for i in ITEMS}


def test_no_item_is_a_copy_of_a_taxonomy_exemplar():
    """The set measures generalisation, so no clause may be one the classifier was given."""
    from tradelens.vectors.sentence import SentenceEncoder

    exemplars = [e.text for e in TAXONOMY.exemplars]
    exemplars += [e.text for m in TAXONOMY.modifiers.values() for e in m.exemplars]
    assert not {_norm(i.text) for i in ITEMS} & {_norm(t) for t in exemplars}
    embedder = SentenceEncoder()
    items = embedder.encode([i.text for i in ITEMS])
    known = embedder.encode(exemplars)
    closest = (np.asarray(items) @ np.asarray(known).T).max(axis=1)
    assert closest.max() < 0.97, ITEMS[int(closest.argmax())].id


@pytest.fixture(scope="module")
def eval_output(tmp_path_factory) -> str:
    store = tmp_path_factory.mktemp("eval-store")
    result = run_cli("eval", str(EVAL_DIR), "--store", str(store), "--fail-under", "0.95",
                     )
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_eval_meets_the_acceptance_thresholds(eval_output):
    rows = {m.group(1): tuple(map(float, m.groups()[1:])) for m in _ROW.finditer(eval_output)}
    for category in CORE_CATEGORIES:
        precision, recall, _strength = rows[category]
        assert precision >= 0.95 and recall >= 0.95, (category, precision, recall)
    overall = float(re.search(r"strength accuracy, all\s+([\d.]+)", eval_output).group(1))
    assert overall >= 0.95


def test_eval_prints_confusion_tables_modifiers_and_splits(eval_output):
    for category in CORE_CATEGORIES:
        assert f"confusion, {category}" in eval_output
    for modifier in TAXONOMY.modifiers:
        assert re.search(rf"^{modifier}\s+[\d.]+\s+[\d.]+", eval_output, re.M), modifier
    assert re.search(r"^split heldout \(\d+\):", eval_output, re.M)
    assert re.search(r"^language fr \(\d+\):", eval_output, re.M)


def test_eval_fails_when_the_taxonomy_loses_its_cues(tmp_path: Path):
    """--fail-under is a real gate: with the hand-written gate alone (no topic model) and
    without its English cues, data flows are missed."""
    broken = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), broken,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = broken / "categories" / "data_free_flow.yaml"
    text = path.read_text()
    start, end = text.index("  en:\n"), text.index("  es:\n")
    path.write_text(text[:start] + "  en:\n    - 'no such words appear anywhere'\n" + text[end:])
    settings = broken / "taxonomy.yaml"
    settings.write_text(settings.read_text().replace("topic_model: true", "topic_model: false"))
    result = run_cli("eval", str(EVAL_DIR), "--taxonomy", str(broken), "--store",
                     str(tmp_path / "store"), "--fail-under", "0.95")
    assert result.exit_code == 1
    assert "FAIL" in result.stderr
    recall = float(re.search(r"^data_free_flow\s+[\d.]+\s+([\d.]+)", result.stdout, re.M).group(1))
    assert recall < 0.8


def test_a_bad_label_is_a_one_line_error(tmp_path: Path):
    (tmp_path / "dev.en.yaml").write_text(
        "lang: en\nitems:\n  - id: x1\n    text: Each Party shall allow it.\n"
        "    expect: {data_flows: hard}\n")
    result = run_cli("eval", str(tmp_path), "--store", str(tmp_path / "store"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "dev.en.yaml" in result.stderr
    assert "data_flows" in result.stderr
