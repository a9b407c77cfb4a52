"""The analyse pipeline: files -> Documents -> Clauses -> vectors -> findings -> reports.

This module wires the stages together and owns the batch rules: one bad file is reported
on one line and the batch goes on; each agreement is stored atomically; an unchanged file
analysed with the same configuration is answered from the store.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens import __version__
from tradelens.embed import (
    Embedder,
    embed_with_cache,
    file_sha256,
    text_hash,
)
from tradelens.errors import InputError
from tradelens.ingest import discover, read_document
from tradelens.ingest.options import ReaderOptions
from tradelens.models import Clause, Document
from tradelens.report import FORMATS
from tradelens.segment import segment
from tradelens.static_embed import StaticEmbedder
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


@dataclass
class AnalysedFile:
    """One file's finished analysis, ready to store: what a worker hands back."""

    path: Path
    file_sha256: str
    report: dict[str, Any]
    clauses: list[Clause]
    hashes: list[str]
    #: Embeddings computed for this file and not yet in the store: model id -> hash -> vector.
    new_vectors: dict[str, dict[str, np.ndarray]]


class PendingCache:
    """The store's embedding cache as a read-only worker sees it: lookups go to the store,
    new vectors are kept here for the main process to write (SQLite has one writer)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[str, dict[str, np.ndarray]] = {}

    def get_embeddings(self, hashes: Sequence[str], model_id: str) -> dict[str, np.ndarray]:
        mine = self.pending.get(model_id, {})
        found = {h: mine[h] for h in hashes if h in mine}
        found.update(self.store.get_embeddings([h for h in hashes if h not in found], model_id))
        return found

    def put_embeddings(self, vectors: dict[str, np.ndarray], model_id: str) -> None:
        self.pending.setdefault(model_id, {}).update(vectors)

    def take(self) -> dict[str, dict[str, np.ndarray]]:
        taken, self.pending = self.pending, {}
        return taken


class Analyser:
    """One configured pipeline (taxonomy, model, workspace), reused across files.

    With `read_only=True` (a batch worker) it never writes to the store: new embeddings
    travel back with each `AnalysedFile` and the main process stores them.
    """

    def __init__(self, store_dir: Path, model_path: Path | None = None,
                 taxonomy: Taxonomy | None = None, progress: bool = False,
                 read_only: bool = False, reader_options: ReaderOptions | None = None) -> None:
        self.progress = progress
        self.reader_options = reader_options or ReaderOptions()
        self.taxonomy = taxonomy or load_taxonomy()
        self.embedder = Embedder(model_path)
        self.store = Store(store_dir, read_only=read_only)
        self.cache: Store | PendingCache = PendingCache(self.store) if read_only else self.store
        self.static = StaticEmbedder(self.embedder)
        self.config = f"{__version__}|{self.taxonomy.fingerprint}|{self.embedder.model_id}"
        if self.reader_options.fingerprint:
            self.config += f"|{self.reader_options.fingerprint}"
        self._classifier = None

    def close(self) -> None:
        self.store.close()

    @property
    def classifier(self):  # noqa: ANN201 - imported lazily with faiss and spaCy
        if self._classifier is None:
            from tradelens.classify import Classifier

            texts = [e.text for e in self.taxonomy.exemplars]
            vectors = embed_with_cache(texts, self.embedder, self.cache)
            self._classifier = Classifier(self.taxonomy, vectors)
        return self._classifier

    def prepare_shared(self) -> None:
        """Compute once what every batch worker would otherwise compute at the same time
        on a new workspace: the static token table and the exemplar vectors."""
        self.static.ensure_table()
        embed_with_cache([e.text for e in self.taxonomy.exemplars], self.embedder, self.cache)

    def stored_report(self, path: Path, force: bool = False) -> tuple[str, dict | None]:
        """(file hash, the stored report if this exact file was analysed with this exact
        configuration and `force` is off)."""
        from tradelens.ingest.manifest import manifest_path, manifest_sha256

        try:
            sha = manifest_sha256(path) if manifest_path(path) else \
                file_sha256(path) if path.is_file() else ""
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
        if sha and not force:
            return sha, self.store.cached_report(str(path), sha, self.config)
        return sha, None

    def analyse_file(self, path: Path, force: bool = False) -> tuple[dict[str, Any], bool]:
        """The report for one file, and whether it came from the store unchanged."""
        sha, cached = self.stored_report(path, force)
        if cached is not None:
            return cached, True
        done = self.build(path, sha)
        self.save(done)
        return done.report, False

    def build(self, path: Path, sha: str) -> AnalysedFile:
        """Read, classify, score and report one file, without writing to the store."""
        from tradelens.report.json_report import build_report, validate_report
        from tradelens.score import score_agreement

        started = time.perf_counter()
        run = self.classify_file(path)
        document, clauses, classification = run.document, run.clauses, run.classification
        score = score_agreement(classification.findings, self.taxonomy)
        report = build_report(document, clauses, score, classification.modifier_hits,
                              self.taxonomy,
                              self.embedder.name, self.embedder.sha256,
                              time.perf_counter() - started)
        validate_report(report)
        # The first-pass vectors of every clause feed the workspace's search index.
        embed_with_cache([c.text for c in clauses], self.static, self.cache, hashes=run.hashes)
        pending = self.cache.take() if isinstance(self.cache, PendingCache) else {}
        return AnalysedFile(path, sha, report, clauses, run.hashes, pending)

    def save(self, done: AnalysedFile) -> None:
        """Store one file's analysis (and the embeddings a worker computed for it)."""
        for model_id, vectors in done.new_vectors.items():
            self.store.put_embeddings(vectors, model_id)
        self.store.save_agreement(done.report, done.clauses, done.file_sha256, self.config,
                                  done.hashes)

    def classify_file(self, path: Path, trace: bool = False) -> ClassifiedFile:
        """Read, segment, embed (from the cache where it can) and classify one file."""
        document = read_document(path, self.reader_options)
        clauses = segment(document)
        if not clauses:
            raise InputError(path, "no clauses found in the text")
        hashes = [text_hash(c.text) for c in clauses]
        classification, vectors = self.classify_clauses(clauses, document.language, trace,
                                                        hashes)
        return ClassifiedFile(document, clauses, hashes, classification, vectors)

    def classify_clauses(self, clauses: list[Clause], language: str | None,
                         trace: bool = False, hashes: list[str] | None = None,
                         ) -> tuple[Classification, np.ndarray]:
        """First pass, then sentence-model vectors (from the cache where it can) for the
        clauses it keeps, then the classifier. Rows of the returned vectors for clauses the
        first pass settled are zeros."""
        candidates = self.classifier.first_pass(clauses, language)
        rows = np.flatnonzero(candidates)
        vectors = np.zeros((len(clauses), 0), dtype=np.float32)
        if len(rows):  # with nothing to embed, the sentence model is not even loaded
            show = self.progress and len(rows) >= _PROGRESS_MIN_CLAUSES and sys.stderr.isatty()
            chosen = embed_with_cache([clauses[i].text for i in rows], self.embedder,
                                      self.cache, progress=show,
                                      hashes=[hashes[i] for i in rows] if hashes else None)
            vectors = np.zeros((len(clauses), chosen.shape[1]), dtype=np.float32)
            vectors[rows] = chosen
        classification = self.classifier.classify(clauses, vectors, language, trace=trace,
                                                  candidates=candidates)
        return classification, vectors



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
                  on_failure: Callable[[InputError], None] | None = None,
                  workers: int = 1, executor: Executor | None = None) -> BatchResult:
    """Analyse every file under `paths`; bad inputs are collected, never fatal.

    Unchanged files are answered from the store first. The others are analysed in this
    process (`workers=1`), in a local process pool of `workers`, or on `executor` (any
    concurrent.futures executor); either way the main process stores each agreement as
    its result arrives, so a batch that is stopped keeps every agreement finished so far
    and the next run resumes from there.
    """
    from tqdm import tqdm

    from tradelens.batch import analyse_files

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    result = BatchResult()
    producer: dict[str, str] = {}

    def fail(error: InputError) -> None:
        result.failures.append(error)
        if on_failure:
            on_failure(error)

    def accept(path: Path, report: dict[str, Any]) -> bool:
        agreement_id = report["agreement"]["id"]
        if agreement_id in producer:
            fail(InputError(path, f"agreement id '{agreement_id}' is already used by "
                                  f"{producer[agreement_id]}; rename the file or give it "
                                  "an 'Id:' header"))
            return False
        producer[agreement_id] = str(path)
        result.reports.append(report)
        return True

    to_do: list[tuple[Path, str]] = []
    files = discover(paths)
    for path in files:
        try:
            sha, cached = analyser.stored_report(path, force)
        except InputError as error:
            fail(error)
            continue
        if cached is None:
            to_do.append((path, sha))
        elif accept(path, cached):
            result.from_store += 1

    changed = False
    with tqdm(total=len(to_do), desc="analysing", unit="file",
              disable=not progress or None, leave=False) as bar:
        for outcome in analyse_files(analyser, to_do, workers, executor):
            bar.update()
            if isinstance(outcome, InputError):
                fail(outcome)
            elif accept(outcome.path, outcome.report):
                analyser.save(outcome)
                changed = True
    # Reports in the order the files were given, however the workers finished them.
    position = {str(path): n for n, path in enumerate(files)}
    result.reports.sort(key=lambda r: position.get(producer[r["agreement"]["id"]], 0))
    if changed:
        from tradelens.index import rebuild_index

        result.indexed = rebuild_index(analyser.store, analyser.static.model_id)
    result.written = write_outputs(result.reports, out_dir, formats, analyser.taxonomy)
    result.seconds = time.perf_counter() - started
    return result

