"""The training recipe's options (`tradelens train --read-blind --corpus-examples
--unbalanced --multilingual-only`, tradelens/commands/train.py): what each adds to the
material, which head learns from it, and that the reserve blind set and the checking half
of the corpus stay out of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT
from tradelens.analysis import Pipeline
from tradelens.commands.evaluate import load_eval_set
from tradelens.commands.train import (
    Recipe,
    _fit,
    cited_agreements,
    corpus_examples,
    first_pass_centres,
    in_training_half,
    training_examples,
)
from tradelens.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
#: Two small ToTA agreements with findings, one in each half of the corpus.
TRAINING_HALF, CHECKING_HALF = "pta_70", "pta_65"


def test_read_blind_sets_are_every_default_blind_set_and_never_the_reserve():
    from tests.test_blind_data import SETS
    from tradelens.cli import _read_blind_sets

    read = {d.name for d in _read_blind_sets()}
    assert read == {folder for folder, *_, by_default in SETS if by_default}
    assert {folder for folder, *_, by_default in SETS if not by_default}.isdisjoint(read)


def test_a_read_blind_set_gives_every_item_only_when_named_as_read():
    directory = ROOT / "tests" / "data" / "eval_blind13"
    items = load_eval_set(directory, TAXONOMY)
    plain = training_examples(TAXONOMY, [directory])
    named = training_examples(TAXONOMY, [], read_blind=[directory])
    assert {e.source for e in plain} == {"exemplar"}
    taken = [e for e in named if e.source == f"{directory.name}/blind13"]
    assert len(taken) == len([i for i in items if i.tota is None]) > 150
    first = next(i for i in items if i.tota is None and i.expect)
    example = next(e for e in taken if e.text == first.text)
    assert example.labels == {c: int(first.expect.get(c, "none") != "none")
                              for c in TAXONOMY.categories}


def test_no_option_is_the_shipped_recipe_and_corpus_examples_leave_out_every_cited_one():
    from tradelens.cli import _read_blind_sets, _recipe

    plain = _recipe(read_blind=False, corpus_examples=False, unbalanced=False)
    assert (plain.read_blind, plain.corpus, plain.balanced) == ((), False, True)
    assert plain.commitment_from == _read_blind_sets()  # the reader: every read set
    assert (Recipe().read_blind, Recipe().corpus, Recipe().balanced) == ((), False, True)
    # whichever sets are named, what the out-of-domain test part cites stays out
    cited = cited_agreements(TAXONOMY, list(_recipe(False, True, False).cited_from))
    assert cited >= cited_agreements(TAXONOMY, [ROOT / "tests" / "data" / "eval_ood"])
    assert len(cited) >= 10


def test_the_halves_split_the_corpus_and_are_fixed():
    names = [f"pta_{n}" for n in range(1, 451)]
    half = [n for n in names if in_training_half(n)]
    assert 180 < len(half) < 270
    assert in_training_half(TRAINING_HALF) and not in_training_half(CHECKING_HALF)


def test_corpus_examples_come_from_the_training_half_labelled_by_the_model_in_use(
        tmp_path: Path, tota_dir: Path):
    background = tmp_path / "background"
    background.mkdir()
    for name in (TRAINING_HALF, CHECKING_HALF, "pta_54"):
        shutil.copy(tota_dir / f"{name}.xml", background)
    pipeline = Pipeline()
    examples = corpus_examples(pipeline, background, exclude={"pta_54.xml"})
    document, clauses = pipeline.read(background / f"{TRAINING_HALF}.xml")
    kept = pipeline.classifier.first_pass(clauses, document.language)
    with pipeline.rules_only():
        classification, _ = pipeline.classify_clauses(clauses, document.language)
    found = {(f.clause.clause_id, f.category) for f in classification.findings}
    assert [e.text for e in examples] == [
        c.text for c, k in zip(clauses, kept, strict=True)
        if k or c.clause_id in {i for i, _ in found}]
    assert found, "the training-half agreement has findings to label positive"
    by_text = {c.text: c.clause_id for c in clauses}
    positives = {(by_text[e.text], c) for e in examples for c, y in e.labels.items() if y}
    assert positives == found
    assert all(e.source == "corpus/background" for e in examples)


def test_an_unreadable_background_file_is_named_once_and_listed_not_skipped_silently(
        tmp_path: Path, tota_dir: Path, capsys: pytest.CaptureFixture[str]):
    background = tmp_path / "background"
    background.mkdir()
    shutil.copy(tota_dir / f"{TRAINING_HALF}.xml", background)
    # a name in the training half, so both passes below meet it
    broken = next(f"broken_{n}" for n in range(100) if in_training_half(f"broken_{n}"))
    (background / f"{broken}.xml").write_bytes(b"<agreement><unclosed>\x00\xff")
    pipeline = Pipeline()
    unreadable: dict[str, str] = {}
    examples = corpus_examples(pipeline, background, set(), unreadable=unreadable)
    _, card = first_pass_centres(pipeline, background, set(), unreadable)
    assert examples, "the readable agreement still gives its clauses"
    assert card["languages"]["en"]["agreements"] == 1
    assert list(unreadable) == [f"{broken}.xml"] and unreadable[f"{broken}.xml"]
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, "named once, however many passes meet it"
    assert f"{broken}.xml" in lines[0] and unreadable[f"{broken}.xml"] in lines[0]
    assert str(tmp_path) not in lines[0]


def test_balancing_weighs_the_rare_class_up():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0.0, 1.0, (400, 3)), rng.normal(1.0, 1.0, (20, 3))])
    y = np.r_[np.zeros(400, dtype=int), np.ones(20, dtype=int)]
    balanced = _fit(x, y, 1.0, balanced=True).predict(x).sum()
    plain = _fit(x, y, 1.0, balanced=False).predict(x).sum()
    assert balanced > plain


@pytest.mark.parametrize("flag", ["--read-blind", "--corpus-examples", "--unbalanced"])
def test_screen_only_refuses_the_recipe_options(flag: str, tmp_path: Path):
    from tests.conftest import run_cli

    result = run_cli("train", "--screen-only", flag, "--store", str(tmp_path / "s"),
                     "--to", str(tmp_path / "m.npz"))
    assert result.exit_code == 2
    assert f"{flag} changes the weights" in result.output


@pytest.mark.parametrize("name", ["topic_model.json", "model"])
def test_train_refuses_a_model_path_that_is_not_a_numpy_archive(name: str, tmp_path: Path):
    """The card is written beside the model as topic_model.json; a --to of that name had
    the card overwrite the model, and the reload failed with a traceback."""
    from tests.conftest import run_cli

    result = run_cli("train", "--commitment-only", "--store", str(tmp_path / "s"),
                     "--to", str(tmp_path / name))
    assert result.exit_code == 2
    assert f"{name}: the model is a NumPy archive" in result.output
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("args, says", [((), "no labelled sets here"),
                                        (("tests/data/eval", "--read-blind"),
                                         "--read-blind finds no blind sets here")])
def test_train_outside_the_repository_names_what_it_cannot_find(
        args: tuple[str, ...], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.conftest import run_cli

    monkeypatch.chdir(tmp_path)
    named = [str(ROOT / a) if a.startswith("tests/") else a for a in args]
    result = run_cli("train", *named, "--store", str(tmp_path / "s"),
                     "--to", str(tmp_path / "m.npz"))
    assert result.exit_code == 2
    assert says in result.output
    assert not (tmp_path / "m.npz").exists()


def test_folds_fitted_side_by_side_predict_what_one_after_the_other_would():
    """`_out_of_fold` runs the folds in worker processes; each prediction must be the one
    a regression fitted in this process on the same folds gives."""
    from sklearn.model_selection import StratifiedKFold

    from tradelens.commands.train import _fit, _out_of_fold

    rng = np.random.default_rng(7)
    x = rng.normal(size=(240, 12))
    y = (x[:, 0] + 0.8 * x[:, 1] + rng.normal(scale=1.2, size=240) > 0).astype(int)
    splits = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, y))
    serial = np.zeros(len(y), dtype=int)
    for train, held in splits:
        serial[held] = _fit(x[train], y[train], 1.0).predict(x[held])
    side_by_side = _out_of_fold(x, y, splits, 1.0, True)
    np.testing.assert_array_equal(side_by_side, serial)
    assert 0 < serial.sum() < len(y) and (serial != y).any(), "a trivial problem proves nothing"


def test_refitting_the_multilingual_head_alone_keeps_every_other_part(
        tmp_path: Path, tota_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """`train --multilingual-only`: the material and weighting reach the Spanish and French
    head only; the English head, centres, English screen and commitment reader are the
    shipped model's, array for array, the shipped artefact is not touched, and an
    unreadable background file is named on the card."""
    import hashlib
    import json

    from tradelens.classify.learned import artefact_path, exact_screen, load_topic_model
    from tradelens.commands import train as training
    from tradelens.vectors.encoder import MemoryCache

    monkeypatch.setattr(training, "_SCALE_GRID", (16.0,))  # one scale: a quicker test
    shipped_bytes = hashlib.sha256(artefact_path().read_bytes()).hexdigest()
    pipeline = Pipeline(cache=MemoryCache())  # the three refits share their vectors
    sets = [ROOT / "tests" / "data" / "eval"]
    blind = (ROOT / "tests" / "data" / "eval_blind",)
    background = tmp_path / "background"
    background.mkdir()
    shutil.copy(tota_dir / f"{TRAINING_HALF}.xml", background)
    broken = next(f"broken_{n}" for n in range(100) if in_training_half(f"broken_{n}"))
    (background / f"{broken}.xml").write_bytes(b"<agreement><unclosed>\x00\xff")

    def refit(name: str, recipe: Recipe, with_background: bool = False) -> dict:
        (tmp_path / name).mkdir()
        return training.refit_multilingual(
            pipeline, sets, recipe, background if with_background else None,
            tmp_path / name / "topic_model.npz")

    plain = refit("plain", Recipe())
    weighted = refit("weighted", Recipe(read_blind=blind))
    card = refit("wide", Recipe(read_blind=blind, corpus=True, balanced=False), True)
    assert hashlib.sha256(artefact_path().read_bytes()).hexdigest() == shipped_bytes
    shipped = load_topic_model(artefact_path())
    models = {n: load_topic_model(tmp_path / n / "topic_model.npz")
              for n in ("plain", "weighted", "wide")}
    assert shipped is not None and shipped.multilingual is not None
    for model in models.values():
        assert model is not None and model.multilingual is not None
        for name in ("weights", "intercepts", "scale"):
            assert np.array_equal(getattr(shipped.head, name), getattr(model.head, name))
        assert shipped.centres.keys() == model.centres.keys()
        assert all(np.array_equal(shipped.centres[k], model.centres[k]) for k in model.centres)
        assert np.array_equal(shipped.screen["main"].weights, model.screen["main"].weights)
        assert np.array_equal(shipped.screen["main"].margin, model.screen["main"].margin)
        assert shipped.commitment is not None and model.commitment is not None
        assert np.array_equal(shipped.commitment.commit, model.commitment.commit)
        assert np.array_equal(shipped.commitment.hard, model.commitment.hard)
        assert model.multilingual_languages == shipped.multilingual_languages
        assert model.multilingual.weights.shape == shipped.multilingual.weights.shape
        assert np.array_equal(model.screen["multilingual"].weights,
                              exact_screen(model.multilingual).weights)
    # the blind set changes the head; so do the corpus examples with the weighting
    heads = [models[n].multilingual.weights for n in ("plain", "weighted", "wide")]
    assert not np.array_equal(heads[0], heads[1]) and not np.array_equal(heads[1], heads[2])
    with_blind = len(training_examples(TAXONOMY, sets, list(blind)))
    assert plain["multilingual"]["examples"] == len(training_examples(TAXONOMY, sets))
    assert weighted["multilingual"]["examples"] == with_blind
    second = card["multilingual"]
    assert second["examples"] > with_blind  # and the corpus examples
    assert any(s.startswith("eval_blind/") for s in second["trained_on"])
    assert "corpus/background" in second["trained_on"]
    assert not any(s.startswith(("eval_blind/", "corpus/")) for s in card["trained_on"])
    assert (second["class_weight"], weighted["multilingual"]["class_weight"]) == \
        ("none", "balanced")
    assert list(card["background_unreadable"]) == [f"{broken}.xml"]
    rendered = training.render_card(card)
    assert f"refitted alone on {second['examples']} examples" in rendered
    assert f"{broken}.xml" in rendered
    written = json.loads((tmp_path / "wide" / "topic_model.json").read_text())
    assert written["sha256"] == models["wide"].sha256 == card["sha256"]


def test_a_refit_refuses_a_card_that_describes_another_artefact(tmp_path: Path):
    """Cards have one name per folder: a second artefact written beside the first would
    otherwise be refitted under the first one's card."""
    from tradelens.classify.learned import artefact_path
    from tradelens.commands.train import refit_multilingual
    from tradelens.errors import SetupError

    shutil.copy(artefact_path(), tmp_path / "topic_model.npz")
    (tmp_path / "topic_model.json").write_text('{"sha256": "0000"}', encoding="utf-8")
    with pytest.raises(SetupError, match="does not describe it"):
        refit_multilingual(Pipeline(), [ROOT / "tests" / "data" / "eval"], Recipe(),
                           path=tmp_path / "topic_model.npz")


@pytest.mark.parametrize("flags, says", [
    (("--screen-only", "--multilingual-only"), "--screen-only and --multilingual-only"),
    (("--commitment-only", "--multilingual-only"),
     "--commitment-only and --multilingual-only"),
    (("--screen-only", "--commitment-only", "--multilingual-only"),
     "--screen-only and --commitment-only and --multilingual-only"),
    (("--multilingual-only", "--background", "."),
     "--multilingual-only reads --background only for --corpus-examples")])
def test_one_part_at_a_time_and_a_background_only_where_read(
        flags: tuple[str, ...], says: str, tmp_path: Path):
    """Each "only" option refits one part; a background that would be ignored is refused."""
    from tests.conftest import run_cli

    result = run_cli("train", *flags, "--store", str(tmp_path / "s"),
                     "--to", str(tmp_path / "m.npz"))
    assert result.exit_code == 2
    assert says in result.output
    assert not (tmp_path / "m.npz").exists()


def test_the_command_hands_its_options_to_the_one_head(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    """The wiring of `train --multilingual-only --read-blind --unbalanced`: the refit is
    called with every read blind set, no corpus examples and no class weighting (the
    refit itself is tested above; here it stops at once with a set-up error)."""
    from tests.conftest import run_cli
    from tradelens.cli import _read_blind_sets
    from tradelens.commands import train as training
    from tradelens.errors import SetupError

    seen: list[tuple] = []

    def refit(pipeline, directories, recipe, background, out, progress=False):  # noqa: ANN001, ANN202
        seen.append((directories, recipe, out))
        raise SetupError("stopped by the test")

    monkeypatch.setattr(training, "refit_multilingual", refit)
    monkeypatch.chdir(ROOT)
    result = run_cli("train", "--multilingual-only", "--read-blind", "--unbalanced",
                     "--store", str(tmp_path / "s"), "--to", str(tmp_path / "m.npz"))
    assert result.exit_code == 2 and "stopped by the test" in result.output
    [(directories, recipe, out)] = seen
    assert [d.name for d in directories] == ["eval", "eval_ood"]
    assert recipe.read_blind == _read_blind_sets() and len(recipe.read_blind) >= 16
    assert (recipe.corpus, recipe.balanced) == (False, False)
    assert out == tmp_path / "m.npz"
