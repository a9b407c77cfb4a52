"""Agreement ids never collide silently: an id from the content hash when the file name
gives none, an error (never an overwrite) for a different text under a stored id, and
agreement pages that cannot take the place of the site's own pages."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from tests.agreement_maker import agreement_text, write_agreement
from tests.conftest import run_cli


def _analyse(store: Path, out: Path, *paths: Path, formats: str = "json"):  # noqa: ANN202
    return run_cli("analyse", *map(str, paths), "--store", str(store), "--out", str(out),
                   "--format", formats, "--quiet", "--workers", "1")


def _stored(store: Path) -> dict[str, dict]:
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        return {i: {"source": s, "report": json.loads(r)} for i, s, r in db.execute(
            "SELECT agreement_id, source, report FROM agreements")}


def test_names_without_latin_letters_get_distinct_ids_from_their_content(tmp_path):
    chinese = write_agreement(tmp_path / "in" / "数字贸易协定.txt", 1)
    arabic = write_agreement(tmp_path / "in" / "اتفاقية.txt", 2)
    result = _analyse(tmp_path / "store", tmp_path / "out", chinese, arabic)
    assert result.exit_code == 0, result.output
    ids = sorted(_stored(tmp_path / "store"))
    assert len(ids) == 2 and all(re.fullmatch(r"agreement_[0-9a-f]{12}", i) for i in ids)
    # stable: the same text under another such name gets the same id
    copy = tmp_path / "again" / "协定.txt"
    copy.parent.mkdir()
    copy.write_bytes(chinese.read_bytes())
    result = _analyse(tmp_path / "store2", tmp_path / "out2", copy)
    assert result.exit_code == 0, result.output
    assert set(_stored(tmp_path / "store2")) <= set(ids)


def test_a_different_text_under_a_stored_id_is_an_error_and_the_stored_one_is_kept(tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    first = write_agreement(tmp_path / "a" / "one.txt", 1, agreement_id="shared_id")
    second = write_agreement(tmp_path / "b" / "two.txt", 2, agreement_id="shared_id")
    assert _analyse(store, out, first).exit_code == 0
    kept = (out / "shared_id.json").read_text()

    result = _analyse(store, tmp_path / "out2", second)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(second) in errors[0] and str(first) in errors[0], errors
    stored = _stored(store)["shared_id"]
    assert stored["source"] == str(first)
    assert stored["report"]["agreement"]["title"] == "Test Partnership Agreement number 1"
    assert (out / "shared_id.json").read_text() == kept
    # --force does not make an overwrite of a different file's agreement legitimate
    assert run_cli("analyse", str(second), "--store", str(store), "--out", str(out),
                   "--force", "--quiet").exit_code == 1
    assert _stored(store)["shared_id"]["source"] == str(first)

    # the same file, edited and analysed again, replaces itself as before
    first.write_text(agreement_text(3, agreement_id="shared_id"), encoding="utf-8")
    result = _analyse(store, out, first)
    assert result.exit_code == 0, result.output
    title = _stored(store)["shared_id"]["report"]["agreement"]["title"]
    assert title == "Test Partnership Agreement number 3"


def test_agreements_named_like_the_site_pages_get_pages_of_their_own(tmp_path):
    files = [write_agreement(tmp_path / "in" / f"{name}.txt", n)
             for n, name in enumerate(("index", "methodology", "ordinary"))]
    out = tmp_path / "out"
    result = _analyse(tmp_path / "store", out, *files, formats="json,md,html")
    assert result.exit_code == 0, result.output
    assert {p.stem for p in out.glob("*.json")} == {"index", "methodology", "ordinary"}
    site_index = (out / "index.html").read_text()
    for page in ("a-index.html", "a-methodology.html", "ordinary.html"):
        assert f'href="{page}"' in site_index
        assert "Test Partnership Agreement number" in (out / page).read_text()
    assert "Test Partnership Agreement number 0</h1>" not in site_index
    methodology = (out / "methodology.html").read_text()
    assert "Test Partnership Agreement" not in methodology and "weight" in methodology.lower()
    summary = (out / "index.md").read_text()
    assert summary.startswith("# TradeLens policy-space summary")
    assert "(a-index.md)" in summary and "(a-methodology.md)" in summary
    assert "number 0" in (out / "a-index.md").read_text()
