"""OCR speed and memory per page: a generated agreement, scanned, read back through OCR.

The sample PDF (corpora/samples, typeset by reportlab) is rasterised to an image-only PDF
at 200 and 300 dpi in a temporary directory, then read by `read_document` with OCR, once
with the three languages a pure scan gets (eng+spa+fra) and once with English alone.
Each configuration runs in a fresh process, so the peak resident memory reported for the
OCR engine (the largest child process: OCRmyPDF or Tesseract) and for the reader itself
belongs to that configuration alone. Figures are printed, not asserted.

    python bench/bench_ocr.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "samples" / "pacific_rim_digital_partnership.pdf"
CONFIGS = [(200, "eng+spa+fra"), (200, "eng"), (300, "eng+spa+fra"), (300, "eng")]


def one(scan: Path, languages: str) -> dict:
    """Read `scan` with OCR in this process; time and peak memory."""
    sys.path.insert(0, str(ROOT))
    from tradelens.text import read_document
    from tradelens.text.options import ReaderOptions
    from tradelens.text.segment import segment

    started = time.perf_counter()
    document = read_document(scan, ReaderOptions(ocr_languages=languages))
    seconds = time.perf_counter() - started
    clauses = segment(document)
    confidences = [c.ocr_confidence for c in clauses if c.ocr_confidence is not None]
    return {
        "pages": document.pages, "seconds": seconds, "clauses": len(clauses),
        "mean_confidence": sum(confidences) / max(1, len(confidences)),
        "engine_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "reader_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("SCAN", "LANGUAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one[0]), args.one[1])))
        return
    sys.path.insert(0, str(ROOT))
    from tests.scan_maker import rasterise

    print(f"{'dpi':>4} {'languages':<12} {'pages':>5} {'s/page':>7} {'engine MB':>10} "
          f"{'reader MB':>10} {'confidence':>10}")
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        for dpi, languages in CONFIGS:
            scan = Path(tmp) / f"scan_{dpi}.pdf"
            if not scan.exists():
                rasterise(SAMPLE, scan, dpi=dpi)
            out = subprocess.run([sys.executable, __file__, "--one", str(scan), languages],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{dpi:>4} {languages:<12} {r['pages']:>5} "
                  f"{r['seconds'] / r['pages']:>7.2f} {r['engine_peak_mb']:>10.0f} "
                  f"{r['reader_peak_mb']:>10.0f} {r['mean_confidence']:>10.3f}")


if __name__ == "__main__":
    main()
