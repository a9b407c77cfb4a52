"""ToTA agreements printed to PDF by a browser read like their XML: the share of provisions
with the same status and the same cited article.

A sample of ToTA agreements with digital rules is segmented from the XML,
written as HTML the way a publisher prints a treaty (two columns, a running head on every
page, a diagonal CONFIDENTIAL DRAFT watermark, notes gathered as endnotes at the end of each
chapter with raised markers), printed to PDF by headless Chromium (Debian `chromium`) in a
temporary directory, and both the XML and the PDFs are analysed by the CLI. A provision is
one (agreement, category, article) of the XML's findings; it is kept when the PDF's report
has a finding of the same category, strength and article. The target is 95 %.

    python bench/bench_printed_tota.py [--sample 8] [--max-bytes 300000]
        [--agreements pta_425,pta_10] [--keep DIR] [--xml-reports DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.print_maker import print_css  # noqa: E402

TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
_ARTICLE = re.compile(r"Article ([^\s,()]+)")
_STRONG = re.compile(r"computing facilities|source code")
_WEAK = re.compile(r"cross-border (?:transfer|flow)|flows? of information|free flow"
                   r"|electronic commerce|personal (?:data|information)")

#: The test fixtures' print style, with the bench's endnotes and note markers.
_CSS = print_css(2) + """
sup { font-size: 6pt; }
h4 { font-size: 9.5pt; margin: 8pt 0 2pt; }
.notes p { font-size: 8pt; }
"""


def render_html(xml: Path) -> tuple[str, int]:
    """The agreement as printable HTML, and how many notes it prints as endnotes."""
    sys.path.insert(0, str(ROOT))
    from tradelens.text import read_document
    from tradelens.text.segment import segment

    document = read_document(xml)
    clauses = [c for c in segment(document) if c.article]
    out, notes, chapter, article, notes_total = [], [], object(), None, 0

    def close_chapter() -> None:
        nonlocal notes, notes_total
        if notes:
            out.append("<h4>Notes</h4><div class='notes'>" + "".join(
                f"<p>{n} {html.escape(text)}</p>" for n, text in enumerate(notes, 1))
                + "</div>")
            notes_total += len(notes)
        notes = []

    for clause in clauses:
        if clause.chapter != chapter:
            close_chapter()
            chapter = clause.chapter
            if chapter:
                out.append(f"</div><h2>{html.escape(chapter)}</h2><div class='cols'>")
        if clause.article_key != article:
            article = clause.article_key
            out.append(f"<h3>Article {html.escape(clause.article or '')}</h3>")
            if clause.article_title:
                out.append(f"<p class='title'>{html.escape(clause.article_title)}</p>")
        label = f"{clause.paragraph}. " if clause.paragraph and clause.paragraph.isdigit() \
            and clause.paragraph != "0" else ""
        markers = ""
        for note in clause.footnotes:
            notes.append(note.split(" ", 1)[-1])
            markers += f"<sup>{len(notes)}</sup>"
        out.append(f"<p>{html.escape(label + clause.text)}{markers}</p>")
    close_chapter()
    title = html.escape(document.title or xml.stem)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{_CSS}</style></head><body><div class='head'>{title} - printed copy"
            "</div><div class='mark'>CONFIDENTIAL DRAFT</div>"
            f"<div class='cols'>{''.join(out)}</div></body></html>")
    return page, notes_total


def print_pdf(page: Path, target: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("chromium is not installed (make browser)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={target}",
                    page.as_uri()], check=True, capture_output=True, timeout=300)


def provisions(report: dict, category_filter: set[str] | None = None) -> dict[tuple, str]:
    """(category, article) -> strongest strength among the findings citing that article."""
    found: dict[tuple, str] = {}
    for name, category in report["categories"].items():
        for finding in category["findings"]:
            match = _ARTICLE.search(finding["location"])
            key = (name, match.group(1) if match else finding["location"])
            if found.get(key) != "hard":
                found[key] = finding["strength"]
    return found


def select(size: int, max_bytes: int) -> list[Path]:
    """Agreements with digital rules: those naming computing facilities or source code
    first (the rarest), then those that mention digital trade most often (e-commerce,
    personal data, cross-border flows of information)."""
    strong, weak = [], []
    for path in sorted(TOTA.glob("*.xml"), key=lambda p: p.stat().st_size):
        if path.stat().st_size > max_bytes:
            continue
        text = path.read_text(errors="ignore").lower()
        if _STRONG.search(text):
            strong.append(path)
        else:
            count = len(_WEAK.findall(text))
            if count:
                weak.append((-count, path.stat().st_size, path))
    return (strong + [path for _, _, path in sorted(weak)])[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=8)
    parser.add_argument("--max-bytes", type=int, default=300_000)
    parser.add_argument("--agreements", default="",
                        help="comma-separated ToTA ids (pta_425,...) instead of the selection")
    parser.add_argument("--xml-reports", type=Path, default=None,
                        help="reuse the XML reports of an earlier --keep folder (out_xml): "
                             "the XML reading does not depend on the PDF reader")
    parser.add_argument("--keep", type=Path, default=None,
                        help="copy the HTML, PDFs and reports to this folder for a look")
    args = parser.parse_args()
    if args.agreements:
        sample = [TOTA / f"{name.strip()}.xml" for name in args.agreements.split(",")]
    else:
        sample = select(args.sample, args.max_bytes)
    print("sample:", ",".join(p.stem for p in sample))
    with tempfile.TemporaryDirectory(prefix="bench-printed-") as tmp:
        base = Path(tmp)
        (base / "pdf").mkdir()
        started = time.perf_counter()
        notes = 0
        for xml in sample:
            page, count = render_html(xml)
            notes += count
            (base / f"{xml.stem}.html").write_text(page, encoding="utf-8")
            print_pdf(base / f"{xml.stem}.html", base / "pdf" / f"{xml.stem}.pdf")
        printed = time.perf_counter() - started
        tradelens = [str(Path(sys.executable).parent / "tradelens")]
        readings = [("xml", [str(p) for p in sample]), ("pdf", [str(base / "pdf")])]
        if args.xml_reports:
            shutil.copytree(args.xml_reports / "out_xml", base / "out_xml")
            readings = readings[1:]
        for name, inputs in readings:
            subprocess.run(tradelens + ["analyse", *inputs, "--out", str(base / f"out_{name}"),
                                        "--store", str(base / f"store_{name}"), "--format", "json",
                                        "--workers", "1", "--quiet"],
                           cwd=ROOT, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
        total = kept = extra = 0
        statuses = same_status = 0
        print(f"{'agreement':<10} {'provisions':>10} {'kept':>5} {'pdf-only':>8}  statuses")
        for xml in sample:
            try:
                a = json.loads((base / "out_xml" / f"{xml.stem}.json").read_text())
                b = json.loads((base / "out_pdf" / f"{xml.stem}.json").read_text())
            except FileNotFoundError:
                print(f"{xml.stem:<10} no report (see the errors above)")
                continue
            pa, pb = provisions(a), provisions(b)
            mine = sum(1 for key, strength in pa.items() if pb.get(key) == strength)
            total, kept, extra = total + len(pa), kept + mine, extra + len(set(pb) - set(pa))
            cats = [(a["categories"][c]["status"], b["categories"][c]["status"])
                    for c in a["categories"]]
            statuses += len(cats)
            same_status += sum(x == y for x, y in cats)
            print(f"{xml.stem:<10} {len(pa):>10} {mine:>5} {len(set(pb) - set(pa)):>8}  "
                  + " ".join(f"{x}/{y}" for x, y in cats))
        print(f"sample: {len(sample)} agreements, {notes} notes printed as endnotes, "
              f"printed in {printed:.1f} s")
        print(f"provisions with the same status and article: {kept}/{total} = "
              f"{100 * kept / max(1, total):.1f} % (target 95 %); "
              f"provisions found only in the PDFs: {extra}")
        print(f"category statuses equal: {same_status}/{statuses}")
        if args.keep:
            shutil.copytree(base, args.keep, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("store_*"))


if __name__ == "__main__":
    main()
