"""Mutation fuzzing of the readers: any exception other than InputError is a defect.

Seeds are made here (a reportlab PDF, compressed and not; a DOCX from tests/docx_maker.py;
ToTA-like XML; HTML; plain text), then Hypothesis mutates them: byte flips, insertions,
deletions, truncation, repeated chunks, and for DOCX the XML inside the zip as well as the
zip bytes. Each mutant is read with `read_document` and segmented, as a batch would. A
reader may refuse a file only with `InputError`; anything else (or a read slower than
`--per-file` seconds) is a crash, saved with its traceback to the reproducer folder.

Runs in a process capped at 2 GB of address space, so a bomb shows up as MemoryError.

    python bench/fuzz_readers.py --seconds 600 [--formats pdf,docx,xml,html,text]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import logging
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tradelens.errors import InputError  # noqa: E402
from tradelens.text import read_document  # noqa: E402
from tradelens.text.segment import segment  # noqa: E402

SUFFIX = {"pdf": ".pdf", "docx": ".docx", "xml": ".xml", "html": ".html", "text": ".txt"}
_ARTICLES = [
    ("Article 1", "Cross-Border Transfer of Information",
     "1. Each Party shall allow the cross-border transfer of information by electronic "
     "means, including personal information, for the conduct of a covered business."),
    ("Article 2", "Location of Computing Facilities",
     "1. No Party shall require a covered person to use or locate computing facilities in "
     "that Party's territory as a condition for conducting business in that territory."),
    ("Article 3", "Source Code",
     "1. No Party shall require the transfer of, or access to, source code of software "
     "owned by a person of another Party, as a condition for the import of such software."),
]


class SlowRead(Exception):
    """A read that took longer than the per-file budget."""


# -- seeds --------------------------------------------------------------------------------

def seed_pdf(compressed: bool) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1 if compressed else 0)
    pdf.setTitle("Fuzz Partnership Agreement")
    y = 780
    for key, title, body in _ARTICLES:
        pdf.drawString(72, y, f"{key}: {title}")
        y -= 16
        for start in range(0, len(body), 80):
            pdf.drawString(72, y, body[start:start + 80])
            y -= 14
        y -= 10
    pdf.showPage()
    pdf.drawString(72, 780, "Article 4. Cooperation")
    pdf.drawString(72, 764, "The Parties shall endeavour to cooperate on electronic commerce.¹")
    pdf.setFont("Helvetica", 6)
    pdf.drawString(72, 60, "1 For greater certainty, this Article does not apply to services.")
    pdf.save()
    return buffer.getvalue()


def seed_docx() -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from docx_maker import Para, write_docx

    paragraphs = [Para([("text", "Digital Trade Chapter")], style="Title")]
    for key, title, body in _ARTICLES:
        paragraphs.append(Para([("text", f"{key}: {title}")], style="Heading1"))
        paragraphs.append(Para([("text", body[:60]), ("ins", " [or transmit]"),
                                ("del", " electronically"), ("note", "A footnote."),
                                ("text", body[60:])], num=(1, 0)))
        paragraphs.append(Para([("text", "subject to paragraph 3"),
                                ("comment", "Party B objects")], num=(1, 1)))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "seed.docx"
        write_docx(target, paragraphs, title="Fuzz draft")
        return target.read_bytes()


def seed_xml() -> bytes:
    articles = "".join(
        f'<article article_identifier="a{n}"><title>{title}</title><content>{body}</content>'
        "</article>" for n, (_key, title, body) in enumerate(_ARTICLES, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><treaty><meta><name>Fuzz Agreement</name>'
            f"<date_signed>2020-01-01</date_signed><parties><partyisocode>AAA</partyisocode>"
            f"<partyisocode>BBB</partyisocode></parties><language>en</language></meta><body>"
            f'<chapter chapter_identifier="14" name="Electronic Commerce">{articles}'
            f"</chapter></body></treaty>").encode()


def seed_html() -> bytes:
    body = "".join(f"<h2>{key}: {title}</h2><p>{text}<sup><a href='#fn1'>1</a></sup></p>"
                   for key, title, text in _ARTICLES)
    return (f"<!DOCTYPE html><html><head><title>Fuzz</title><script>x()</script></head><body>"
            f"<nav>menu</nav><h1>Chapter 14 Electronic Commerce</h1>{body}"
            f"<ol id='fn'><li id='fn1'>A footnote.</li></ol></body></html>").encode()


def seed_text() -> bytes:
    lines = ["Id: fuzz-text", "Title: Fuzz Text Agreement", "Date signed: 2021-02-03", ""]
    lines += ["CHAPTER 14", "ELECTRONIC COMMERCE", ""]
    for key, title, body in _ARTICLES:
        lines += [f"{key}: {title}", body, "(a) a first point; and", "(b) a second point.", ""]
    return "\n".join(lines).encode()


def seeds() -> dict[str, list[bytes]]:
    return {"pdf": [seed_pdf(False), seed_pdf(True)], "docx": [seed_docx()],
            "xml": [seed_xml()], "html": [seed_html()], "text": [seed_text()]}


# -- mutation -----------------------------------------------------------------------------

_INTERESTING = [b"\x00", b"\xff", b"<", b">", b"&", b"]]>", b"<!ENTITY", b"obj", b"endobj",
                b"stream", b"/Length 99999999", b"/FlateDecode", b"(", b")", b"\\", b"\n",
                b"\r", b"\xef\xbb\xbf", b"\xfe\xff", b"Article", b"1.", b"(a)", b"[", b"]",
                b"\xe2\x80\xa8", b"-2147483648", b"1e308", b"NaN"]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few random edits."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat", "token"]))
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if op == "flip" and buf:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 64))]
        elif op == "truncate" and buf:
            del buf[at:]
        elif op == "repeat":
            chunk = bytes(buf[at:at + draw(st.integers(1, 256))])
            buf[at:at] = chunk * draw(st.integers(1, 50))
        elif op == "token":
            buf[at:at] = draw(st.sampled_from(_INTERESTING))
    return bytes(buf)


@st.composite
def mutated_docx(draw: st.DrawFn, data: bytes) -> bytes:
    """Either the zip bytes mutated, or one XML part mutated and the zip rebuilt."""
    if draw(st.booleans()):
        return draw(mutated(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    victim = draw(st.sampled_from(sorted(parts)))
    parts[victim] = draw(mutated(parts[victim]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


# -- one execution ------------------------------------------------------------------------

class Fuzzer:
    def __init__(self, out_dir: Path, per_file: float) -> None:
        self.out_dir = out_dir
        self.per_file = per_file
        self.executions: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.crashes: dict[str, Path] = {}
        self.work = Path(tempfile.mkdtemp(prefix="fuzz-work-"))

    def run_one(self, fmt: str, data: bytes) -> None:
        path = self.work / f"mutant{SUFFIX[fmt]}"
        path.write_bytes(data)
        self.executions[fmt] += 1

        def too_slow(_signum: int, _frame: object) -> None:
            raise SlowRead(f"read took over {self.per_file} s")

        signal.signal(signal.SIGALRM, too_slow)
        signal.setitimer(signal.ITIMER_REAL, self.per_file)
        try:
            segment(read_document(path))
        except InputError:
            self.refused[fmt] += 1
        except Exception as exc:  # noqa: BLE001 - what we are looking for
            self.record(fmt, data, exc)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def record(self, fmt: str, data: bytes, exc: BaseException) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)
                      if "tradelens" in f.filename), frames[-1].name if frames else "?")
        signature = f"{fmt} {type(exc).__name__} at {where}"
        if signature in self.crashes:
            return
        digest = hashlib.sha256(data).hexdigest()[:12]
        target = self.out_dir / f"{fmt}-{type(exc).__name__}-{digest}{SUFFIX[fmt]}"
        target.write_bytes(data)
        target.with_suffix(target.suffix + ".txt").write_text(
            signature + "\n\n" + "".join(traceback.format_exception(exc)))
        self.crashes[signature] = target
        print(f"CRASH {signature}: {str(exc)[:160]!r} -> {target}", flush=True)


def fuzz_format(fuzzer: Fuzzer, fmt: str, seed_list: list[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    strategy = st.sampled_from(seed_list).flatmap(
        mutated_docx if fmt == "docx" else mutated)

    @settings(max_examples=200, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(strategy)
    def one(data: bytes) -> None:
        if time.monotonic() < deadline:
            fuzzer.run_one(fmt, data)

    while time.monotonic() < deadline:
        one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300, help="total time budget")
    parser.add_argument("--formats", default="pdf,docx,xml,html,text")
    parser.add_argument("--per-file", type=float, default=30.0,
                        help="a read slower than this is reported")
    parser.add_argument("--out", type=Path, default=None,
                        help="reproducer folder (default: a new temporary folder)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pdfminer's warnings on every damaged mutant
    two_gb = 2 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (two_gb, two_gb))
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="tradelens-fuzz-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    all_seeds = seeds()
    fuzzer = Fuzzer(out_dir, args.per_file)
    for fmt, list_ in all_seeds.items():  # the seeds themselves must read cleanly
        for data in list_:
            fuzzer.run_one(fmt, data)
    started = time.monotonic()
    share = args.seconds / len(formats)
    for fmt in formats:
        fuzz_format(fuzzer, fmt, all_seeds[fmt], share)
    elapsed = time.monotonic() - started
    print(f"\nfuzzed {elapsed:.0f} s, pid {os.getpid()}, reproducers in {out_dir}")
    print(f"{'format':8} {'executions':>10} {'refused':>8}")
    for fmt in formats:
        print(f"{fmt:8} {fuzzer.executions[fmt]:>10} {fuzzer.refused[fmt]:>8}")
    print(f"total executions {sum(fuzzer.executions.values())}, "
          f"distinct crashes {len(fuzzer.crashes)}")
    for signature, path in sorted(fuzzer.crashes.items()):
        print(f"  {signature} -> {path.name}")
    sys.exit(1 if fuzzer.crashes else 0)


if __name__ == "__main__":
    main()
