"""The first pass on its own: what share of the labelled positives it lets through, and
what share of real agreement clauses it sends to the sentence model (what it costs).

Per split and language of the labelled sets (written items; ToTA-cited items have no text
of their own), the positives kept by the words (topic cues and first-pass words), by
meaning, and by either; per language of ToTA, the clauses kept. "Meaning" is shown two
ways: centred (the shipped language centres, `semantic_first_pass_centred`) and raw
(`semantic_first_pass` on uncentred vectors, the rule before the centres).

    python bench/first_pass_recall.py [--tota ../shared/corpora/tota/xml] [--files 12]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tradelens.analysis import Pipeline  # noqa: E402
from tradelens.classify.semantic_pass import best_similarity, centred_exemplars  # noqa: E402
from tradelens.commands.evaluate import item_clause, load_eval_set  # noqa: E402
from tradelens.commands.train import CENTRE_AGREEMENTS, cited_agreements  # noqa: E402

SETS = [ROOT / "tests" / "data" / "eval", ROOT / "tests" / "data" / "eval_ood"]


class Meaning:
    """Centred and raw best similarity of static vectors to the positive exemplars."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        positives = [e for e in pipeline.taxonomy.exemplars if e.strength != "none"]
        self.raw = pipeline.static.encode([e.text for e in positives])
        self.centres = pipeline.topic_model.centres if pipeline.topic_model else {}
        self.centred = centred_exemplars(self.raw, [e.lang for e in positives], self.centres)
        settings = pipeline.taxonomy.classifier
        self.raw_threshold = float(settings["semantic_first_pass"])
        self.centred_threshold = settings.get("semantic_first_pass_centred") or {}

    def kept(self, texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.pipeline.static.encode(texts)
        raw = best_similarity(vectors, self.raw) >= self.raw_threshold
        if lang not in self.centres or lang not in self.centred_threshold:
            return raw, raw
        centred = best_similarity(vectors, self.centred, self.centres[lang]) >= \
            float(self.centred_threshold[lang])
        return centred, raw


def labelled(pipeline: Pipeline, meaning: Meaning) -> None:
    items = [i for d in SETS for i in load_eval_set(d, pipeline.taxonomy) if not i.tota]
    print("| split | language | positives | words | meaning (centred) | either (centred) "
          "| either (raw) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for split in ("dev", "corpus", "heldout", "test"):
        for lang in ("en", "es", "fr"):
            chosen = [i for i in items if i.split == split and i.lang == lang
                      and any(v != "none" for v in i.expect.values())]
            if not chosen:
                continue
            words = pipeline.classifier.first_pass(
                [item_clause(i, n) for n, i in enumerate(chosen)], lang)
            centred, raw = meaning.kept([i.text for i in chosen], lang)
            n = len(chosen)

            def share(mask: np.ndarray, n: int = n) -> str:
                return f"{int(mask.sum())} ({mask.mean():.3f})"
            print(f"| {split} | {lang} | {n} | {share(words)} | {share(centred)} "
                  f"| {share(words | centred)} | {share(words | raw)} |")


def agreements(pipeline: Pipeline, meaning: Meaning, tota: Path, files: int) -> None:
    """Measured on agreements the centres were not computed from: those `tradelens train`
    left out (cited by test items, or past its quota per language)."""
    skip = cited_agreements(pipeline.taxonomy, SETS)
    print("\n| ToTA language (not in the centres) | agreements | clauses | words "
          "| either (centred) | either (raw) |")
    print("|---|---:|---:|---:|---:|---:|")
    background: dict[str | None, int] = {}
    by_lang: dict[str | None, list] = {}
    for path in sorted(p for p in tota.iterdir() if p.is_file()):
        document, clauses = pipeline.read(path)
        lang = document.language
        if path.name not in skip and background.get(lang, 0) < CENTRE_AGREEMENTS:
            background[lang] = background.get(lang, 0) + 1
        elif len(by_lang.setdefault(lang, [])) < files:
            by_lang[lang].append(clauses)
    for lang in ("en", "es", "fr"):
        clauses = [c for group in by_lang.get(lang, []) for c in group]
        if not clauses:
            continue
        words = pipeline.classifier.first_pass(clauses, lang)
        centred, raw = meaning.kept([c.text for c in clauses], lang)
        print(f"| {lang} | {len(by_lang[lang])} | {len(clauses)} | {words.mean():.3f} "
              f"| {(words | centred).mean():.3f} | {(words | raw).mean():.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "tota" / "xml")
    parser.add_argument("--files", type=int, default=12,
                        help="ToTA agreements measured per language (name order)")
    args = parser.parse_args()
    pipeline = Pipeline()
    meaning = Meaning(pipeline)
    print(f"thresholds: raw {meaning.raw_threshold}, centred {meaning.centred_threshold}; "
          f"centres for {sorted(meaning.centres)}\n")
    labelled(pipeline, meaning)
    if args.tota.is_dir():
        agreements(pipeline, meaning, args.tota, args.files)


if __name__ == "__main__":
    main()
