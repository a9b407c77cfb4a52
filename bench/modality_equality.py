"""Modality read by spaCy and by the pure-Python matcher, clause by clause, over ToTA.

Every clause of the chosen agreements (segmented by the product's own reader and
segmenter, cross-references blanked as the classifier blanks them) is read by both
backends of `tradelens/classify/modality.py`, with no focus and with the focus of the
first place a modal word occurs; `read_strength` must give the same strength and the
same evidence spans. Prints clauses compared per language, how many are identical, the
first differences, and the time per 1,000 clauses of each backend (tokenize, split and
match; spaCy's import and build are not counted).

    PYTHONPATH=$PWD nice .venv/bin/python bench/modality_equality.py [--per-language 20]
        [--files pta_1,pta_2] [--with-big] [--tokens]

`--tokens` also compares the token boundaries themselves (stricter than needed).
ToTA is read from ../shared/corpora/tota/xml beside the repository, never copied.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from tradelens.classify import modality
from tradelens.classify.clauses import blank_cross_references
from tradelens.taxonomy import load_taxonomy
from tradelens.text import read_document
from tradelens.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
TOTA = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
BIG = ("pta_449", "pta_450")
_MODAL = re.compile(r"\b(shall|must|may|should|deber[áa]n?|podr[áa]n?|doit|doivent|peut|"
                    r"peuvent)\b", re.I)


def tota_language(path: Path) -> str:
    found = re.search(r"<language>(\w+)</language>", path.read_text(errors="replace")[:4000])
    return found.group(1) if found else "?"


def pick_files(per_language: int, with_big: bool) -> dict[str, list[Path]]:
    """Agreements of each language spread over file size: every k-th file of the
    language sorted by size, so small and large drafts both appear."""
    by_lang: dict[str, list[Path]] = {}
    for path in sorted(TOTA.glob("pta_*.xml")):
        if path.stem in BIG:  # added below, once, when asked for
            continue
        by_lang.setdefault(tota_language(path), []).append(path)
    chosen = {}
    for lang in ("en", "es", "fr"):
        files = sorted(by_lang.get(lang, []), key=lambda p: p.stat().st_size)
        step = max(1, len(files) // per_language)
        chosen[lang] = files[::step][:per_language]
    if with_big:
        for stem in BIG:
            path = TOTA / f"{stem}.xml"
            chosen.setdefault(tota_language(path), []).append(path)
    return chosen


def clause_texts(path: Path) -> list[str]:
    return [blank_cross_references(c.text) for c in segment(read_document(path))]


def focus_of(text: str) -> list[tuple[int, int]]:
    found = _MODAL.search(text)
    return [found.span()] if found else [(0, min(len(text), 12))]


def reading(tools: object, text: str, focus: list[tuple[int, int]] | None) -> tuple:
    strength, spans = modality.read_strength(tools, tools.nlp(text), focus)  # type: ignore[attr-defined]
    return strength, [(s.start, s.end, s.text, s.cue) for s in spans]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-language", type=int, default=20)
    parser.add_argument("--files", help="comma-separated ToTA stems instead of the pick")
    parser.add_argument("--with-big", action="store_true", help="add pta_449 and pta_450")
    parser.add_argument("--tokens", action="store_true", help="compare token boundaries too")
    parser.add_argument("--show", type=int, default=5, help="differences to print")
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    if args.files:
        files: dict[str, list[Path]] = {}
        for stem in args.files.split(","):
            path = TOTA / f"{stem}.xml"
            files.setdefault(tota_language(path), []).append(path)
    else:
        files = pick_files(args.per_language, args.with_big)
    compared: Counter[str] = Counter()
    identical: Counter[str] = Counter()
    token_diffs: Counter[str] = Counter()
    seconds = {"spacy": 0.0, "python": 0.0}
    shown = 0
    for lang, paths in files.items():
        spacy_tools = modality.spacy_tools(lang, taxonomy)
        python_tools = modality.python_tools(lang, taxonomy)
        print(f"{lang}: {len(paths)} files", file=sys.stderr)
        for path in paths:
            for text in clause_texts(path):
                if not text.strip():
                    continue
                focus = focus_of(text)
                results = {}
                for name, tools in (("spacy", spacy_tools), ("python", python_tools)):
                    began = time.perf_counter()
                    results[name] = (reading(tools, text, None), reading(tools, text, focus))
                    seconds[name] += time.perf_counter() - began
                compared[lang] += 1
                if results["spacy"] == results["python"]:
                    identical[lang] += 1
                elif shown < args.show:
                    shown += 1
                    print(f"DIFFERENCE {path.stem} ({lang}): {text[:300]!r}\n"
                          f"  spacy : {results['spacy']}\n  python: {results['python']}")
                if args.tokens:
                    theirs = [(t.idx, t.idx + len(t)) for t in spacy_tools.nlp(text)]
                    mine = python_tools.nlp(text).tokens
                    if theirs != mine:
                        token_diffs[lang] += 1
                        if token_diffs[lang] <= args.show:
                            pairs = list(zip(theirs, mine, strict=False))
                            at = next((i for i, (a, b) in enumerate(pairs) if a != b),
                                      len(pairs))
                            lo = theirs[max(0, at - 2)][0] if theirs else 0
                            print(f"TOKENS {path.stem}: {text[lo:lo + 80]!r}\n"
                                  f"  spacy : {[text[s:e] for s, e in theirs[at:at + 6]]}\n"
                                  f"  python: {[text[s:e] for s, e in mine[at:at + 6]]}")
    total = sum(compared.values())
    print(f"files: {', '.join(f'{k} {len(v)}' for k, v in files.items())}")
    for lang in compared:
        extra = f", token lists differ in {token_diffs[lang]}" if args.tokens else ""
        print(f"{lang}: {compared[lang]} clauses compared, {identical[lang]} identical{extra}")
    print(f"all: {total} clauses, {total - sum(identical.values())} differences")
    for name, spent in seconds.items():
        print(f"{name}: {1000 * spent / max(total, 1):.1f} s per 1,000 clauses "
              "(two readings each: no focus, one focus)")
    return 0 if total == sum(identical.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
