"""The classifier on Spanish and French typed without accents (docs/evaluation.md).

Writes the out-of-domain test part's written Spanish and French items twice, as they are
and with every accent removed (Unicode decomposition, combining marks dropped), and runs
`tradelens eval` on each copy with one workspace; prints each run's table by category and
by language. The bare copies' vectors are computed on first use, so a new workspace can
move an item that sits at a threshold.

    python bench/accents_stripped.py [--store DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("test.es.yaml", "test.fr.yaml")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))


def write_copies(out: Path) -> int:
    """The two copies under `out`/as_written and `out`/bare; the number of items."""
    count = 0
    for name in PARTS:
        data = yaml.safe_load((ROOT / "tests" / "data" / "eval_ood" / name).read_text("utf-8"))
        items = [i for i in data["items"] if "text" in i]
        count += len(items)
        for folder, change in (("as_written", str), ("bare", strip_accents)):
            (out / folder).mkdir(parents=True, exist_ok=True)
            copy = {**data, "items": [{**i, "text": change(i["text"])} for i in items]}
            (out / folder / name).write_text(yaml.safe_dump(copy, allow_unicode=True),
                                             encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None,
                        help="workspace for the vectors (default: a new one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        print(f"{write_copies(out)} Spanish and French items of the test part")
        store = args.store or out / "store"
        for folder in ("as_written", "bare"):
            result = subprocess.run(
                [sys.executable, "-m", "tradelens.cli", "eval", str(out / folder),
                 "--store", str(store)], capture_output=True, text=True, cwd=ROOT,
                check=True)
            lines = result.stdout.splitlines()
            table = lines[lines.index(next(line for line in lines
                                           if line.startswith("category"))):][:5]
            print(f"\n== {folder}")
            print("\n".join(table))
            print("\n".join(line for line in lines if line.startswith("language ")))


if __name__ == "__main__":
    main()
