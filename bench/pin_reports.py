"""Compare two folders of JSON reports field by field: the behaviour pin for refactors.

    python bench/pin_reports.py BEFORE_DIR AFTER_DIR [--ignore stats.seconds ...]

Prints, per agreement, every path whose value differs (or exists on one side only), then a
summary of which paths changed and how often. Exit 1 if anything not ignored differs.
Reports of real agreements stay outside the repository; this script only reads them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths (dotted, with [i] for list items) where `a` and `b` differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            here = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                out.append(f"{here} ({'added' if key not in a else 'removed'})")
            else:
                out += differences(a[key], b[key], here)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path} (length {len(a)} -> {len(b)})"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [path]


def _general(path: str) -> str:
    """`categories.x.findings[3].policy_space` -> `categories.*.findings[].policy_space`."""
    parts = []
    for part in path.split(" (")[0].split("."):
        parts.append(part.split("[")[0] + ("[]" if "[" in part else ""))
    if parts and parts[0] == "categories" and len(parts) > 1:
        parts[1] = "*"
    return ".".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", nargs="*", default=["stats.seconds"],
                        help="generalised paths to leave out (default: stats.seconds)")
    args = parser.parse_args()
    before = {p.name: p for p in args.before.glob("*.json")}
    after = {p.name: p for p in args.after.glob("*.json")}
    summary: Counter[str] = Counter()
    failed = False
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            print(f"{name}: only in {'after' if name not in before else 'before'}")
            failed = True
            continue
        found = [d for d in differences(json.loads(before[name].read_text()),
                                         json.loads(after[name].read_text()))
                 if _general(d) not in args.ignore]
        summary.update(_general(d) for d in found)
        if found:
            failed = True
            print(f"{name}: {len(found)} differences, e.g. {', '.join(found[:4])}")
    print(f"{len(set(before) & set(after))} reports compared; "
          + ("no difference" if not summary else "differences by field:"))
    for path, count in summary.most_common():
        print(f"  {count:6d}  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
