"""The analyse pipeline: files -> Documents -> Clauses -> vectors -> findings -> reports.

This module wires the stages together and owns the batch rules: one bad file is reported
on one line and the batch goes on; each agreement is stored atomically; an unchanged file
analysed with the same configuration is answered from the store.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens import __version__
from tradelens.embed import Embedder, embed_with_cache, file_sha256, text_hash
from tradelens.errors import InputError
from tradelens.ingest import discover, read_document
from tradelens.models import Clause, Document
from tradelens.report import FORMATS
from tradelens.segment import segment
from tradelens.store import Store
from tradelens.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from tradelens.classify import Classification

#: A file with at least this many clauses gets its own embedding progress bar.
_PROGRESS_MIN_CLAUSES = 500


@dataclass
class BatchResult:
    reports: list[dict[str, Any]] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    from_store: int = 0
    indexed: int = 0
    seconds: float = 0.0

    @property
    def clauses(self) -> int:
        return sum(r["stats"]["clauses"] for r in self.reports)


@dataclass
class ClassifiedFile:
    document: Document
    clauses: list[Clause]
    hashes: list[str]
    classification: Classification
    vectors: np.ndarray


class Analyser:
    """One configured pipeline (taxonomy, model, workspace), reused across files."""

    def __init__(self, store_dir: Path, model_path: Path | None = None,
                 taxonomy: Taxonomy | None = None, progress: bool = False) -> None:
        self.progress = progress
        self.taxonomy = taxonomy or load_taxonomy()
        self.embedder = Embedder(model_path)
        self.store = Store(store_dir)
        self.config = f"{__version__}|{self.taxonomy.fingerprint}|{self.embedder.model_id}"
        self._classifier = None

    def close(self) -> None:
        self.store.close()

    @property
    def classifier(self):  # noqa: ANN201 - imported lazily with faiss and spaCy
        if self._classifier is None:
            from tradelens.classify import Classifier

            texts = [e.text for e in self.taxonomy.exemplars]
            vectors = embed_with_cache(texts, self.embedder, self.store)
            self._classifier = Classifier(self.taxonomy, vectors)
        return self._classifier

    def analyse_file(self, path: Path, force: bool = False) -> tuple[dict[str, Any], bool]:
        """The report for one file, and whether it came from the store unchanged."""
        from tradelens.report.json_report import build_report, validate_report
        from tradelens.score import score_agreement

        started = time.perf_counter()
        try:
            sha = file_sha256(path) if path.is_file() else ""
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
        if sha and not force:
            cached = self.store.cached_report(str(path), sha, self.config)
            if cached is not None:
                return cached, True
        run = self.classify_file(path)
        document, clauses, classification = run.document, run.clauses, run.classification
        score = score_agreement(classification.findings, self.taxonomy)
        report = build_report(document, clauses, score, classification.modifier_hits,
                              self.taxonomy,
                              self.embedder.name, self.embedder.sha256,
                              time.perf_counter() - started)
        validate_report(report)
        self.store.save_agreement(report, clauses, sha, self.config, run.hashes)
        return report, False

    def classify_file(self, path: Path, trace: bool = False) -> ClassifiedFile:
        """Read, segment, embed (from the cache where it can) and classify one file."""
        document = read_document(path)
        clauses = segment(document)
        if not clauses:
            raise InputError(path, "no clauses found in the text")
        texts = [c.text for c in clauses]
        hashes = [text_hash(t) for t in texts]
        show = self.progress and len(texts) >= _PROGRESS_MIN_CLAUSES and sys.stderr.isatty()
        vectors = embed_with_cache(texts, self.embedder, self.store, progress=show,
                                   hashes=hashes)
        classification = self.classifier.classify(clauses, vectors, document.language,
                                                  trace=trace)
        return ClassifiedFile(document, clauses, hashes, classification, vectors)



def write_outputs(reports: list[dict[str, Any]], out_dir: Path,
                  formats: Sequence[str], taxonomy: Taxonomy) -> list[Path]:
    """Per-agreement files plus batch tables (CSV), an index (Markdown) and the scorecard
    site (HTML, whose methodology page lists `taxonomy`'s weights)."""
    from tradelens.report.csv_report import write_csv
    from tradelens.report.json_report import write_json
    from tradelens.report.markdown import write_markdown, write_markdown_index

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for report in reports:
        if "json" in formats:
            written.append(write_json(report, out_dir))
        if "md" in formats:
            written.append(write_markdown(report, out_dir))
    if reports and "md" in formats:
        written.append(write_markdown_index(reports, out_dir))
    if reports and "csv" in formats:
        written.extend(write_csv(reports, out_dir))
    if reports and "html" in formats:
        from tradelens.report.html_site import write_site

        written.extend(write_site(reports, out_dir, taxonomy))
    return written


def analyse_paths(paths: Sequence[Path], out_dir: Path, formats: Sequence[str],
                  analyser: Analyser, force: bool = False, progress: bool = True,
                  on_failure: Callable[[InputError], None] | None = None) -> BatchResult:
    """Analyse every file under `paths`; bad inputs are collected, never fatal."""
    from tqdm import tqdm

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    result = BatchResult()
    files = discover(paths)
    producer: dict[str, str] = {}
    changed = False

    def fail(error: InputError) -> None:
        result.failures.append(error)
        if on_failure:
            on_failure(error)

    for path in tqdm(files, desc="analysing", unit="file", disable=not progress or None,
                     leave=False):
        try:
            report, from_store = analyser.analyse_file(path, force=force)
        except InputError as error:
            fail(error)
            continue
        agreement_id = report["agreement"]["id"]
        if agreement_id in producer:
            fail(InputError(path, f"agreement id '{agreement_id}' is already used by "
                                  f"{producer[agreement_id]}; rename the file or give it "
                                  "an 'Id:' header"))
            continue
        producer[agreement_id] = str(path)
        result.reports.append(report)
        result.from_store += from_store
        changed = changed or not from_store
    if changed:
        from tradelens.index import rebuild_index

        result.indexed = rebuild_index(analyser.store, analyser.embedder.model_id)
    result.written = write_outputs(result.reports, out_dir, formats, analyser.taxonomy)
    result.seconds = time.perf_counter() - started
    return result
