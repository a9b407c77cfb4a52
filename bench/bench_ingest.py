"""Benchmark: ingestion + segmentation throughput over the whole ToTA corpus, and PDF reading.

Prints a table; asserts nothing. Target (issue 3): the 450 ToTA XML files in under 60 s.
The PDF figure reads a two-column, footnoted rendering of a ToTA chapter made with the
test renderer (needs reportlab, installed by the dev extra).

    python bench/bench_ingest.py [--tota ../shared/corpora/tota/xml]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tradelens.text import read_document  # noqa: E402
from tradelens.text.segment import segment  # noqa: E402


def bench_xml(tota: Path) -> dict[str, float]:
    files = sorted(tota.glob("*.xml"))
    read_seconds = segment_seconds = 0.0
    clauses = articles = footnotes = 0
    largest = ("", 0)
    for path in files:
        started = time.perf_counter()
        document = read_document(path)
        read_done = time.perf_counter()
        found = segment(document)
        segment_seconds += time.perf_counter() - read_done
        read_seconds += read_done - started
        clauses += len(found)
        footnotes += sum(len(c.footnotes) for c in found)
        articles += sum(1 for b in document.blocks if b.kind == "article")
        if len(found) > largest[1]:
            largest = (path.stem, len(found))
    return {"files": len(files), "articles": articles, "clauses": clauses,
            "footnotes": footnotes, "read_s": read_seconds, "segment_s": segment_seconds,
            "largest": largest}


def bench_pdf(tota: Path) -> dict[str, float]:
    from tests.pdf_maker import articles_from_clauses, render_pdf

    clauses = [c for c in segment(read_document(tota / "pta_449.xml"))
               if c.chapter and "Investment" in c.chapter]
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "tpp_investment.pdf"
        pages = max(render_pdf(articles_from_clauses(clauses), target, "TPP").values())
        started = time.perf_counter()
        found = segment(read_document(target))
        seconds = time.perf_counter() - started
    return {"pages": pages, "clauses": len(found), "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path, default=ROOT.parent / "shared/corpora/tota/xml")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    xml = bench_xml(args.tota)
    total = xml["read_s"] + xml["segment_s"]
    pdf = bench_pdf(args.tota)
    rows = [
        ("ToTA XML files", f"{xml['files']}"),
        ("articles / clauses / footnotes lifted",
         f"{xml['articles']} / {xml['clauses']} / {xml['footnotes']}"),
        ("read (lxml)", f"{xml['read_s']:.1f} s"),
        ("segment", f"{xml['segment_s']:.1f} s"),
        ("ingest + segment, whole corpus", f"{total:.1f} s (target < 60 s)"),
        ("throughput", f"{xml['files'] / total:.1f} files/s, {xml['clauses'] / total:.0f} "
                       f"clauses/s"),
        ("largest agreement", f"{xml['largest'][0]} ({xml['largest'][1]} clauses)"),
        ("two-column PDF (TPP ch. 9)",
         f"{pdf['pages']} pages, {pdf['clauses']} clauses, {pdf['seconds']:.2f} s "
         f"({pdf['pages'] / pdf['seconds']:.1f} pages/s)"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
