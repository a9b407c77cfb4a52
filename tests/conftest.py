"""Shared fixtures: real CLI runs over the sample corpus and ToTA files, done once per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from tradelens.cli import main

# An exception no reader anticipated is a defect: in the tests it surfaces with its
# traceback instead of becoming the file's one-line error (tradelens/text/limits.py).
os.environ.setdefault("TRADELENS_STRICT", "1")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def load_reports(out_dir: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in out_dir.glob("*.json")}


@pytest.fixture(scope="session")
def manifest() -> dict:
    return yaml.safe_load((SAMPLES / "manifest.yaml").read_text())


@pytest.fixture(scope="session")
def tota_dir() -> Path:
    if not (TOTA / "pta_449.xml").is_file():
        pytest.fail(f"the ToTA corpus is expected at {TOTA} (shared/ beside the repository)")
    return TOTA


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """`tradelens analyse corpora/samples` once: (result, out dir, store dir)."""
    base = tmp_path_factory.mktemp("samples")
    out, store = base / "out", base / "store"
    result = run_cli("analyse", str(SAMPLES), "--out", str(out), "--store", str(store),
                     "--format", "json,md,csv,html")
    return result, out, store


@pytest.fixture(scope="session")
def sample_reports(samples_run: tuple[Result, Path, Path]) -> dict[str, dict]:
    result, out, _ = samples_run
    assert result.exit_code == 0, result.output
    return load_reports(out)


@pytest.fixture(scope="session")
def tota_run(tmp_path_factory: pytest.TempPathFactory, tota_dir: Path) -> dict[str, dict]:
    """A handful of real ToTA agreements through the CLI, JSON only, one shared store."""
    base = tmp_path_factory.mktemp("tota")
    files = [tota_dir / f"{name}.xml" for name in TOTA_SAMPLE]
    result = run_cli("analyse", *map(str, files), "--out", str(base / "out"),
                     "--store", str(base / "store"), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    return load_reports(base / "out")


#: TPP in English and Spanish, Japan-Mongolia (an early localisation and source-code rule),
#: and three goods-era agreements with no digital rules.
TOTA_SAMPLE = ("pta_449", "pta_450", "pta_425", "pta_300", "pta_1", "pta_100")


@pytest.fixture(scope="session")
def ledger_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """The generated party-named agreements (tests/ledger_fixture.py) through the CLI
    once, JSON and the site: (result, out dir, store dir)."""
    from tests.ledger_fixture import write_fixture

    base = tmp_path_factory.mktemp("ledger")
    out, store = base / "out", base / "store"
    result = run_cli("analyse", str(write_fixture(base / "in")), "--out", str(out),
                     "--store", str(store), "--format", "json,csv,html", "--quiet")
    return result, out, store


def strip_accents(text: str) -> str:
    """The text as typed without accents (capitals too): Unicode decomposition, combining
    marks dropped."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


def classify_alone(pipeline, lang: str, text: str):
    """One clause standing alone (id "t:a1:p1"), classified with its decisions traced."""
    from tradelens.models import Clause

    clause = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                    article_key="a1", paragraph="1", location="x", text=text)
    result, _ = pipeline.classify_clauses([clause], lang, trace=True)
    return result


def decision_alone(pipeline, lang: str, text: str, category: str):
    """The traced decision on `category` for one clause standing alone."""
    return next(d for d in classify_alone(pipeline, lang, text).decisions["t:a1:p1"]
                if d.category == category)


def taxonomy_without(folder: Path, *markers: str) -> Path:
    """A copy of the bundled taxonomy at `folder` without the list entries written under
    a comment `# <marker>` in taxonomy.yaml, modifiers.yaml or a category's file (at any
    indentation; an entry's continuation lines, and the other keys of a rule written as a
    mapping, go with it): the taxonomy as it was before a change, so that a test can show
    the change is what decides."""
    import shutil

    from tradelens.taxonomy import default_taxonomy_dir

    shutil.copytree(default_taxonomy_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    comments = {f"# {marker}" for marker in markers}
    for path in [folder / "taxonomy.yaml", folder / "modifiers.yaml",
                 *sorted((folder / "categories").glob("*.yaml"))]:
        kept, entry = [], None
        for line in path.read_text().splitlines():
            if line.strip() in comments:
                entry = line[:len(line) - len(line.lstrip())] + "- "
                continue
            if entry is not None and (line.startswith(entry)
                                      or line.startswith(" " * len(entry))):
                continue
            entry = None
            kept.append(line)
        path.write_text("\n".join(kept) + "\n")
    return folder


def taxonomy_replaced(folder: Path, replace: str, by: str) -> Path:
    """A copy of the bundled taxonomy at `folder` with one passage of taxonomy.yaml (which
    must be there) replaced: a setting removed or spoilt, for a test."""
    import shutil

    from tradelens.taxonomy import default_taxonomy_dir

    shutil.copytree(default_taxonomy_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    settings = folder / "taxonomy.yaml"
    text = settings.read_text()
    assert replace in text
    settings.write_text(text.replace(replace, by))
    return folder


@pytest.fixture(scope="module")
def pipelines(request, tmp_path_factory):
    """For a test module that names its taxonomy entries in `MARKERS`: the bundled
    pipeline and one without those entries (`pipelines_before`). Modules that compare
    with another taxonomy define their own `pipelines`."""
    return pipelines_before(tmp_path_factory, *request.module.MARKERS)


def pipelines_before(tmp_path_factory, *markers: str):
    """The bundled taxonomy's pipeline, and one without the entries under `markers`
    (`taxonomy_without`), for `assert_read_only_now`."""
    from tradelens.analysis import Pipeline
    from tradelens.taxonomy import load_taxonomy

    before = taxonomy_without(tmp_path_factory.mktemp("before") / "taxonomy", *markers)
    return Pipeline(taxonomy=load_taxonomy()), Pipeline(taxonomy=load_taxonomy(before))


def by_the_rules(decision) -> bool:
    """A finding whose wording the phrase rules read (not the learned commitment reader)."""
    return decision.outcome == "finding" and decision.finding.read_by is None


def assert_read_only_now(pipelines, lang: str, text: str, category: str,
                         strength: str) -> None:
    """The rules read `text` as a `strength` finding with the bundled taxonomy (the first
    of `pipelines`) and not with the taxonomy before the change (the second)."""
    bundled, before = pipelines
    found = decision_alone(bundled, lang, text, category)
    assert by_the_rules(found) and found.finding.strength == strength, found.reason
    assert not by_the_rules(decision_alone(before, lang, text, category))


def assert_modifier_read(lang: str, modifier: str, text: str, present: bool) -> None:
    """The bundled taxonomy's cues for `modifier` find it in `text` (or, with `present`
    False, do not)."""
    from tradelens.classify.modifiers import modifier_evidence
    from tradelens.taxonomy import load_taxonomy

    evidence = modifier_evidence(load_taxonomy().modifiers[modifier], None, text, lang)
    assert bool(evidence) is present, evidence
