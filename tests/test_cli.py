"""The command line as users meet it: start-up, exit codes, bad input, no network."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLES, run_cli
from tradelens import __version__

GOOD = SAMPLES / "cooperation_framework.txt"


def test_help_does_not_import_torch():
    code = ("import sys; from click.testing import CliRunner; from tradelens.cli import main; "
            "r = CliRunner().invoke(main, ['analyse', '--help']); assert r.exit_code == 0; "
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'spacy', 'faiss') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("args", [["analyse"], ["analyse", str(GOOD), "--format", "pdf"],
                                  ["nonsense"]])
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.exit_code == 2


def test_missing_file_fails_but_others_are_reported(tmp_path):
    result = run_cli("analyse", str(tmp_path / "nope.pdf"), str(GOOD),
                     "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store"))
    assert result.exit_code == 1
    assert "nope.pdf: no such file" in result.stderr
    assert (tmp_path / "out" / "cooperation_framework.json").is_file()


def test_format_is_sniffed_not_taken_from_the_extension(tmp_path):
    disguised = tmp_path / "northern.txt"
    shutil.copy(SAMPLES / "northern_trade_accord.xml", disguised)
    result = run_cli("analyse", str(disguised), "--out", str(tmp_path / "out"),
                     "--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "northern.json").read_text())
    assert report["agreement"]["format"] == "xml-tota"
    assert report["categories"]["server_location"]["status"] == "hard"


def test_rerun_answers_from_the_store_and_keeps_it(tmp_path):
    args = ["analyse", str(GOOD), "--out", str(tmp_path / "out"), "--store",
            str(tmp_path / "store"), "--format", "json"]
    first = run_cli(*args)
    assert "0 unchanged" in first.output
    second = run_cli(*args)
    assert second.exit_code == 0
    assert "1 unchanged" in second.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    third = run_cli("analyse", str(bad), "--out", str(tmp_path / "out"), "--store",
                    str(tmp_path / "store"))
    assert third.exit_code == 1
    assert "1 unchanged" in run_cli(*args).output


def test_analyse_works_with_the_network_cut(tmp_path):
    """Every socket connection raises: the run must not need one."""
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network is cut for this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import os\n"
        "for k in ('HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'): os.environ.pop(k, None)\n"
        "from tradelens.cli import main\n"
        f"sys.argv = ['tradelens', 'analyse', {str(GOOD)!r}, '--out', {str(tmp_path / 'o')!r},"
        f" '--store', {str(tmp_path / 's')!r}, '--quiet']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "cooperation_framework.json").is_file()
