"""Labelled clauses as files really deliver them: does each read like its plain twin?

Real drafts arrive decomposed (macOS, some PDF producers), with soft hyphens, ligatures,
zero-width or no-break spaces, hard-wrapped with hyphenated line ends, in capitals, or
with footnote numbers glued to words. This writes the out-of-domain development items that
expect a category (the first `--items` of each development file; `--part test`: of the
test part) as text files, once as written and once per disguise below, runs `tradelens
analyse` once over all of them (a new workspace), and prints per disguise: how many texts
it changed, how many of those read differently from their plain twin (any category's
status, strengths or exception types) and how many were refused. Figures in docs/ingestion.md.

    python bench/disguised_text.py [--items 80] [--part dev|test] [--only capitals,...]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "eval_ood"


def _hyphen_wrapped(text: str, width: int = 50) -> str:
    """Lines of `width` characters; a word that does not fit is broken with a hyphen."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + 1 + len(word) <= width:
            line = f"{line} {word}".strip()
            continue
        room = width - len(line) - 2
        if room >= 3 and len(word) - room >= 3 and word[:room].isalpha():
            lines.append(f"{line} {word[:room]}-".strip())
            line = word[room:]
        else:
            lines.append(line)
            line = word
    return "\n".join([*lines, line])


def _glued_notes(text: str) -> str:
    """A footnote number run into every seventeenth word, as `pdftotext` leaves them."""
    rng = random.Random(len(text))
    words = text.split(" ")
    for i in range(4, len(words), 17):
        if words[i].isalpha():
            words[i] += str(rng.randint(1, 40))
    return " ".join(words)


DISGUISES: dict[str, Callable[[str], str]] = {
    "decomposed": lambda t: unicodedata.normalize("NFD", t),
    "soft_hyphens": lambda t: re.sub(r"(\w{4})(\w{3,})", "\\1\u00ad\\2", t),
    "ligatures": lambda t: t.replace("ffi", "\ufb03").replace("fi", "\ufb01")
    .replace("fl", "\ufb02").replace("ff", "\ufb00"),
    "zero_width": lambda t: t.replace("-", "-\u200b").replace("cross", "cross\u200b"),
    "no_break_spaces": lambda t: t.replace(" ", "\u00a0"),
    "wrapped_hyphenated": _hyphen_wrapped,
    "wrapped": lambda t: "\n".join(textwrap.wrap(t, 50)),
    "capitals": str.upper,
    "glued_notes": _glued_notes,
}


def labelled_texts(per_file: int, part: str = "dev") -> list[str]:
    """The texts of the first `per_file` items of each file of `part` that expect a
    category, as `tradelens eval` reads them."""
    from tradelens.commands.evaluate import load_eval_set
    from tradelens.taxonomy import load_taxonomy

    seen: dict[str, int] = {}
    texts = []
    for item in load_eval_set(DEV, load_taxonomy()):
        if item.split != part:
            continue
        seen[item.file] = seen.get(item.file, 0) + 1
        if seen[item.file] <= per_file and item.expect and item.text:
            texts.append(item.text)
    return texts


def reading(report: dict) -> dict:
    return {category: (body["status"], sorted(
        (f["strength"], tuple(sorted(e["type"] for e in f["exceptions"])))
        for f in body["findings"])) for category, body in report["categories"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=80,
                        help="items read from the start of each development file")
    parser.add_argument("--only", default="", help="comma-separated disguises")
    parser.add_argument("--part", choices=("dev", "test"), default="dev",
                        help="the out-of-domain set's part the clauses come from")
    args = parser.parse_args()
    chosen = [d for d in args.only.split(",") if d] or list(DISGUISES)
    texts = labelled_texts(args.items, args.part)
    with tempfile.TemporaryDirectory() as work:
        drafts, out = Path(work) / "drafts", Path(work) / "out"
        drafts.mkdir()
        changed: dict[str, list[int]] = {}
        for n, text in enumerate(texts):
            (drafts / f"t{n:04d}_plain.txt").write_text(text + "\n", encoding="utf-8")
            for name in chosen:
                disguised = DISGUISES[name](text)
                if disguised != text:
                    changed.setdefault(name, []).append(n)
                    (drafts / f"t{n:04d}_{name}.txt").write_text(disguised + "\n",
                                                                 encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tradelens.cli", "analyse", str(drafts),
                        "--format", "json", "--out", str(out), "--store",
                        str(Path(work) / "store"), "-q"], cwd=ROOT, capture_output=True,
                       text=True)
        copies = sum(map(len, changed.values()))
        print(f"{len(texts)} labelled texts ({args.part} part), {copies} disguised copies, "
              f"analysed in {time.perf_counter() - started:.0f} s")
        print(f"{'disguise':20} {'changed':>8} {'read differently':>17} {'refused':>8}")
        for name in chosen:
            rows = changed.get(name, [])
            refused = differ = 0
            for n in rows:
                mine = out / f"t{n:04d}_{name}.json"
                if not mine.is_file():
                    refused += 1
                    continue
                plain = json.loads((out / f"t{n:04d}_plain.json").read_text())
                differ += reading(json.loads(mine.read_text())) != reading(plain)
            print(f"{name:20} {len(rows):>8} {differ + refused:>17} {refused:>8}")


if __name__ == "__main__":
    main()
