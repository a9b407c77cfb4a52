"""Print the README's count tables: items per split and language, expected strength per
category, modifiers and styles. Reads the split files only; labels, never predictions.

Usage: python tests/data/eval_ood/counts.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CATEGORIES = ("data_free_flow", "server_location", "source_code_secrecy")
SETS = ("en", "es", "fr", "tota", "long")


def rows() -> list[tuple[str, str, dict]]:
    """(split, language, item) for every item; ToTA and long-paragraph items carry their
    own language."""
    out = []
    for part in ("dev", "test"):
        for name in SETS:
            data = yaml.safe_load((HERE / f"{part}.{name}.yaml").read_text(encoding="utf-8"))
            for item in data["items"]:
                lang = item.get("lang", data["lang"])
                out.append((part, lang if name not in ("tota", "long") else f"{name}-{lang}",
                            item))
    return out


def main() -> None:
    items = rows()
    groups = sorted({(p, lang) for p, lang, _ in items},
                    key=lambda g: (g[0], SETS.index(g[1].split("-")[0]), g[1]))
    head = "| split | lang | items | " + " | ".join(
        f"{c} {s}" for c in CATEGORIES for s in ("hard", "soft", "none")) + " |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    totals: Counter[str] = Counter()
    for part, lang in groups + [("all", "all")]:
        mine = [i for p, g, i in items if (p, g) == (part, lang) or part == "all"]
        cells = [part, lang, str(len(mine))]
        for category in CATEGORIES:
            got = Counter((i.get("expect") or {}).get(category, "none") for i in mine)
            cells += [str(got[s]) for s in ("hard", "soft", "none")]
        print("| " + " | ".join(cells) + " |")
        totals[part] += len(mine)
    print()
    print("| modifier | dev | test |")
    print("|---|---:|---:|")
    mods = Counter((p, m) for p, _, i in items for m in i.get("modifiers") or [])
    for modifier in sorted({m for _, m in mods}):
        print(f"| {modifier} | {mods[('dev', modifier)]} | {mods[('test', modifier)]} |")
    print()
    print("| style | " + " | ".join(SETS) + " |")
    print("|---|" + "---:|" * len(SETS))
    styles = Counter((i["style"], g.split("-")[0]) for _, g, i in items)
    for style in sorted({s for s, _ in styles}):
        print(f"| {style} | " + " | ".join(str(styles[(style, n)]) for n in SETS) + " |")


if __name__ == "__main__":
    main()
