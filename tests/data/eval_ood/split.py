"""Split the out-of-domain evaluation set into dev (about 40%) and test (about 60%) parts.

The split is made once, before anyone tunes on the set, and must never be redone to move
an item between parts. It is a seeded shuffle, stratified by label and by style (see
`assign`), so it is reproducible:

- with `_all.<lang>.yaml` present (the unsplit file of one language, or of the ToTA
  items), the script writes `dev.<lang>.yaml` and `test.<lang>.yaml` from it and deletes
  it, so `tradelens eval` never sees an item twice;
- without it, the script rewrites the existing dev and test files in their canonical form
  and never moves an item between them, so running it again changes nothing, and fixing a
  mislabelled item in place (which changes its stratum) does not reshuffle the split;
  `--check` only verifies the files are canonical and exits 1 when they are not.

At split time the assignment depends only on the seed and on each item's id, style and
label (`assign`), so anyone can confirm that the files are the seeded split
(tests/test_eval_ood_data.py does, allowing for a few labels fixed after splitting).

Usage (from anywhere): python tests/data/eval_ood/split.py [--check]
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SEED = "tradelens-eval-ood-2026-12-02"
DEV_SHARE = 0.4
SETS = ("en", "es", "fr", "tota", "long")
KEY_ORDER = ("id", "lang", "tota", "chapter", "text", "expect", "modifiers", "style", "note")
HEADERS = {
    "dev": "# Out-of-domain evaluation set, dev part: may be read while developing rules.\n",
    "test": "# Out-of-domain evaluation set, TEST part: measure only; never tune rules or\n"
            "# train on it (README.md).\n",
}


def label(item: dict[str, Any]) -> str:
    """The expected outcome as one string: categories with strengths, or none."""
    expect = item.get("expect") or {}
    return "+".join(f"{c}:{expect[c]}" for c in sorted(expect)) or "none"


def assign(items: list[dict[str, Any]], name: str) -> dict[str, str]:
    """Item id -> "dev" or "test". Items are grouped by label; within a label they are
    ordered by style, each style's ids shuffled by a generator seeded with the set and the
    label, and every item whose position crosses a multiple of 1 / DEV_SHARE (from a seeded
    random start) goes to dev: systematic sampling, so every label and every style within
    it gets its share to within one item."""
    by_label: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        by_label[label(item)][item["style"]].append(item["id"])
    split: dict[str, str] = {}
    for name_label in sorted(by_label):
        rng = random.Random(f"{SEED}|{name}|{name_label}")
        order: list[str] = []
        for style in sorted(by_label[name_label]):
            ids = sorted(by_label[name_label][style])
            rng.shuffle(ids)
            order += ids
        start = rng.random()
        for k, item_id in enumerate(order):
            crossed = int((k + 1) * DEV_SHARE + start) > int(k * DEV_SHARE + start)
            split[item_id] = "dev" if crossed else "test"
    return split


def ordered(item: dict[str, Any]) -> dict[str, Any]:
    known = {k: item[k] for k in KEY_ORDER if k in item}
    return known | {k: v for k, v in item.items() if k not in known}


def dump(path: Path, part: str, lang: str, items: list[dict[str, Any]]) -> str:
    """YAML in the style of tests/data/eval: one block per item, inline expect and modifiers."""
    lines = [HEADERS[part], f"lang: {lang}\n", "items:\n"]
    for item in sorted(items, key=lambda i: i["id"]):
        first = True
        for key, value in ordered(item).items():
            if isinstance(value, (dict, list)):
                text = f"{key}: " + yaml.safe_dump(value, allow_unicode=True, width=10**6,
                                                   default_flow_style=True,
                                                   sort_keys=False).strip()
            else:
                text = yaml.safe_dump({key: value}, allow_unicode=True, width=10**6,
                                      sort_keys=False).rstrip("\n")
            lines.append(("  - " if first else "    ") + text + "\n")
            first = False
    return "".join(lines)


def load(path: Path) -> tuple[str, list[dict[str, Any]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["lang"], data["items"]


def run(check: bool) -> int:
    status = 0
    for name in SETS:
        source = HERE / f"_all.{name}.yaml"
        targets = {part: HERE / f"{part}.{name}.yaml" for part in ("dev", "test")}
        if source.exists():
            lang, items = load(source)
            split = None
        elif all(p.exists() for p in targets.values()):
            lang, dev = load(targets["dev"])
            test = load(targets["test"])[1]
            items = dev + test
            split = {i["id"]: "dev" for i in dev} | {i["id"]: "test" for i in test}
        else:
            print(f"{name}: no _all.{name}.yaml and no split files", file=sys.stderr)
            return 2
        ids = [i["id"] for i in items]
        if len(ids) != len(set(ids)):
            print(f"{name}: duplicate ids", file=sys.stderr)
            return 2
        if split is None:
            split = assign(items, name)
        for part, path in targets.items():
            text = dump(path, part, lang, [i for i in items if split[i["id"]] == part])
            if check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    print(f"{path.name}: differs from the seeded split", file=sys.stderr)
                    status = 1
            else:
                path.write_text(text, encoding="utf-8")
        if not check and source.exists():
            source.unlink()
        dev = sum(1 for v in split.values() if v == "dev")
        print(f"{name}: {dev} dev, {len(split) - dev} test")
    return status


if __name__ == "__main__":
    sys.exit(run("--check" in sys.argv[1:]))
