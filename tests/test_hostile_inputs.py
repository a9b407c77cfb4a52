"""Each bad input of issue 15 gets one line naming the file and the reason, the right exit
code, and the batch goes on, in every command (analyse, segment, explain, compare, check,
search, lineage)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import ROOT, SAMPLES, run_cli
from tests.docx_maker import Para, write_docx

GOOD = SAMPLES / "cooperation_framework.txt"
LONG_NAME = "a" * 246 + ".txt"
FORGED = "evil\nerror: forged line\x1b[2J\x1b]0;pwned\x07.txt"


def _docx(path: Path) -> bytes:
    write_docx(path, [Para([("text", "Article 1. Each Party shall allow the cross-border "
                                     "transfer of information by electronic means.")])])
    return path.read_bytes()


def bad_deflate_docx(path: Path) -> None:
    """A zip whose directory is sound but whose document.xml deflate stream is damaged."""
    _docx(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start, start + min(info.compress_size, 64)):
        data[at] = 0xFF
    path.write_bytes(bytes(data))


def bad_header_docx(path: Path) -> None:
    """A zip whose central directory lists word/document.xml but whose local header for
    it is broken."""
    _docx(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo("word/document.xml").header_offset
    data[offset:offset + 4] = b"XXXX"
    path.write_bytes(bytes(data))


def bad_crc_docx(path: Path) -> None:
    """A zip whose data inflates cleanly but whose recorded CRC-32 does not match."""
    _docx(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    wrong = (info.CRC ^ 0xFFFFFFFF).to_bytes(4, "little")
    local = info.header_offset + 14
    data[local:local + 4] = wrong
    name = info.filename.encode()
    central = next(at for at in range(len(data)) if data[at:at + 4] == b"PK\x01\x02"
                   and data[at + 46:at + 46 + len(name)] == name)
    data[central + 16:central + 20] = wrong
    path.write_bytes(bytes(data))


def unreadable_file(path: Path) -> None:
    """Permission denied for a user; root reads anything, so root gets a file whose read
    fails in the kernel (/proc/self/mem at offset 0 raises EIO)."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("Article 1. Locked away.")
        path.chmod(0)


def unreadable_folder(path: Path) -> None:
    """A folder that cannot be listed: mode 000 for a user; for root (who may list
    anything) a folder of /proc that even root may not list."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/1/map_files")
    else:
        path.mkdir()
        (path / "inside.txt").write_text("Article 1. Hidden.")
        path.chmod(0)


def utf16_copy(source: Path, target: Path, agreement_id: str) -> None:
    text = source.read_text(encoding="utf-8")
    text = "\n".join(line if not line.startswith("Id:") else f"Id: {agreement_id}"
                     for line in text.splitlines())
    target.write_bytes(text.encode("utf-16"))


def errors_of(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path, Path]:
    """One in-process batch over a folder of bad and good files, plus bad arguments."""
    base = tmp_path_factory.mktemp("hostile")
    folder, out, store = base / "in", base / "out", base / "store"
    folder.mkdir()
    shutil.copy(GOOD, folder / GOOD.name)
    bad_deflate_docx(folder / "bad-deflate.docx")
    bad_header_docx(folder / "bad-header.docx")
    utf16_copy(SAMPLES / "eastern_regional_partnership.txt", folder / "wide.txt", "wide_text")
    (folder / LONG_NAME).write_text(
        "\n".join(line for line in GOOD.read_text().splitlines() if not line.startswith("Id:")))
    (folder / FORGED).write_text("")
    os.mkfifo(folder / "pipe.txt")
    (base / "empty").mkdir()
    unreadable_file(base / "locked.txt")
    unreadable_folder(base / "locked-folder")
    result = run_cli("analyse", str(folder), str(base / "locked.txt"), str(base / "empty"),
                     str(base / "locked-folder"), str(base / "missing.txt"), "--out", str(out),
                     "--store", str(store), "--format", "json,md,csv,html", "--workers", "1")
    return result, base, out, store


def test_batch_goes_on_past_every_bad_input(batch) -> None:
    result, base, out, _store = batch
    assert result.exit_code == 1, result.output
    assert (out / "cooperation_framework.json").is_file()
    assert len(errors_of(result)) == 8, result.stderr
    for line in result.stderr.splitlines():
        # unknown-party warnings are notes on files that were read, not errors
        assert line.startswith(("error:", "warning:")), line


@pytest.mark.parametrize("name, reason", [
    ("in/bad-deflate.docx", "damaged DOCX"),
    ("in/bad-header.docx", "damaged DOCX"),
    ("locked.txt", "cannot be read"),
    ("empty", "folder holds no agreement file"),
    ("locked-folder", "folder cannot be read"),
    ("missing.txt", "no such file"),
    ("in/pipe.txt", "not a regular file (a named pipe)"),
])
def test_each_bad_input_has_its_line(batch, name: str, reason: str) -> None:
    result, base, _out, _store = batch
    mine = [line for line in errors_of(result) if line.startswith(f"error: {base / name}: ")]
    assert len(mine) == 1, result.stderr
    assert reason in mine[0], mine[0]


def test_utf16_text_is_read(batch) -> None:
    result, _base, out, _store = batch
    assert (out / "wide_text.json").is_file(), result.stderr
    assert "binary" not in result.stderr


def test_250_character_file_name_still_gets_its_outputs(batch) -> None:
    result, _base, out, _store = batch
    long_outputs = [p for p in out.iterdir() if p.name.startswith("a" * 40)]
    assert {p.suffix for p in long_outputs} == {".json", ".md", ".html"}, result.stderr
    assert all(len(p.name) < 120 for p in long_outputs)


def test_file_name_cannot_forge_lines_or_drive_the_terminal(batch) -> None:
    result, _base, _out, _store = batch
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    forged = [line for line in result.stderr.splitlines() if "forged line" in line]
    assert len(forged) == 1 and "evil\\nerror: forged line\\x1b[2J" in forged[0]
    assert forged[0].endswith("the file is empty")


@pytest.mark.parametrize("maker", [bad_deflate_docx, bad_header_docx])
@pytest.mark.parametrize("command", ["segment", "explain", "compare", "check"])
def test_every_command_answers_a_corrupt_docx_in_one_line(batch, tmp_path: Path, maker,
                                                          command: str) -> None:
    _result, _base, _out, store = batch
    bad = tmp_path / "draft.docx"
    maker(bad)
    args = {"segment": ["segment", str(bad)],
            "explain": ["explain", str(bad), "--store", str(store)],
            "compare": ["compare", str(bad), "cooperation_framework", "--store", str(store)],
            "check": ["check", str(bad), "--against", "cooperation_framework",
                      "--store", str(store)]}[command]
    result = run_cli(*args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: damaged DOCX"), lines


@pytest.mark.parametrize("maker, words", [(bad_header_docx, "Bad magic number"),
                                          (bad_crc_docx, "Bad CRC-32"),
                                          (bad_deflate_docx, "while decompressing")])
def test_docx_damage_found_by_the_fuzzer_is_an_input_error(tmp_path: Path, maker,
                                                           words: str) -> None:
    """bench/fuzz_readers.py found these three as tracebacks (BadZipFile, zlib.error)."""
    from tradelens.errors import InputError
    from tradelens.text import read_document

    bad = tmp_path / "fuzzed.docx"
    maker(bad)
    with pytest.raises(InputError, match=f"damaged DOCX .*{words}"):
        read_document(bad)


def test_unexpected_reader_error_is_one_line_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tradelens.text.html_reader as html_reader

    def broken(path: Path):  # noqa: ANN202 - stands in for a reader defect
        raise KeyError("w:numId")

    monkeypatch.setattr(html_reader, "read_html", broken)
    monkeypatch.delenv("TRADELENS_STRICT", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text("<html><body><p>Article 1. Trade.</p></body></html>")
    shutil.copy(GOOD, folder / GOOD.name)
    result = run_cli("analyse", str(folder), "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--format", "json", "--quiet")
    assert result.exit_code == 1
    assert errors_of(result) == [f"error: {folder / 'page.html'}: could not be analysed "
                                 "(KeyError: 'w:numId'); please report this file"]
    assert (tmp_path / "out" / "cooperation_framework.json").is_file()
    # The test suite's strict mode shows such a defect with its traceback instead.
    monkeypatch.setenv("TRADELENS_STRICT", "1")
    with pytest.raises(KeyError):
        run_cli("analyse", str(folder / "page.html"), "--out", str(tmp_path / "out2"),
                "--store", str(tmp_path / "store"), "--format", "json", "--quiet")


def test_file_vanishing_between_discovery_and_reading(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tradelens import batch as batch_module

    folder = tmp_path / "in"
    folder.mkdir()
    names = ["cooperation_framework.txt", "draft_digital_chapter.txt",
             "eastern_regional_partnership.txt", "goods_trade_agreement.xml"]
    for name in names:
        shutil.copy(SAMPLES / name, folder / name)
    doomed = folder / "draft_digital_chapter.txt"
    real = batch_module.stored_report

    def hash_then_lose(store, pipeline, path, force=False):  # noqa: ANN001, ANN202
        found = real(store, pipeline, path, force)
        if path == doomed:
            path.unlink()  # another process moved it away after it was listed
        return found

    monkeypatch.setattr(batch_module, "stored_report", hash_then_lose)
    result = run_cli("analyse", str(folder), "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--format", "json", "--quiet", "--workers", "2")
    assert result.exit_code == 1
    assert errors_of(result) == [f"error: {doomed}: no such file"]
    assert len(list((tmp_path / "out").glob("*.json"))) == 3


def test_named_pipe_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "agreement.txt"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["segment", str(fifo)],
                 ["analyse", str(fifo), "--out", str(tmp_path / "out"), "--store",
                  str(tmp_path / "store"), "--quiet"]):
        result = subprocess.run([sys.executable, "-m", "tradelens.cli", *args], env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip() == f"error: {fifo}: not a regular file (a named pipe); " \
                                        "refused"


def test_unknown_search_category_is_a_usage_error(batch) -> None:
    _result, _base, _out, store = batch
    result = run_cli("search", "transfer of information", "--category", "server_locaton",
                     "--store", str(store))
    assert result.exit_code == 2
    assert "unknown category 'server_locaton'" in result.stderr
    assert "server_location" in result.stderr


def test_lineage_of_free_text_is_a_clear_error(batch) -> None:
    _result, _base, _out, store = batch
    result = run_cli("lineage", "transfer of information", "--store", str(store))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a clause id" in lines[0], result.stderr


def test_unwritable_out_fails_before_any_work(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = tmp_path / "store"
    result = run_cli("analyse", str(GOOD), "--out", str(blocker / "reports"),
                     "--store", str(store))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {blocker / 'reports'}: cannot "
                                                   "write reports there")
    assert not store.exists()  # nothing was analysed


@pytest.mark.parametrize("content, words", [
    (b"scoring:\n  strength:\n    soft: \xff\xfe90\n", "is not UTF-8"),
    (b"scoring:\n  strength:\n    soft: .nan\n", "weights must be finite"),
    (b"scoring:\n  category_weights:\n    data_free_flow: .inf\n", "weights must be finite"),
])
def test_bad_weights_file_is_one_line(tmp_path: Path, content: bytes, words: str) -> None:
    weights = tmp_path / "weights.yaml"
    weights.write_bytes(content)
    result = run_cli("analyse", str(GOOD), "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--weights", str(weights), "--quiet")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {weights}: "), lines
    assert words in lines[0]


def test_document_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("Title: Draft \x1b]0;pwned\x07\x1b[2J chapter\n\n"
                    "Article 1: Transfer\x1b[31m\nEach Party shall allow transfers.\n")
    result = run_cli("segment", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout
