"""Many documents: discovery, the workspace cache, worker processes, storing results.

The rules of a batch run live here. One bad file is reported on one line and the batch goes
on. An unchanged file analysed with the same configuration is answered from the store.
Every stage of one file (read, segment, first pass, sentence model, classify, score,
report) runs in a `Pipeline`, in this process or inside a worker, so a batch keeps every
core busy; only the SQLite writes stay in the main process, one agreement per transaction,
so a batch that is stopped keeps every agreement finished so far and the next run resumes.

Workers run on any `concurrent.futures.Executor`: a local process pool by default; an
executor from a distributed engine (docs/scaling.md) plugs into the same seam, since a task
is a plain function of picklable arguments.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.analysis import Pipeline
from tradelens.crashpoints import crash_point
from tradelens.errors import InputError, SetupError, id_taken, read_only_workspace, unreadable
from tradelens.fileio import file_sha256, locked_folder
from tradelens.models import Clause
from tradelens.taxonomy import Taxonomy
from tradelens.text import discover_with_errors
from tradelens.text.limits import guarded_file
from tradelens.text.options import ReaderOptions
from tradelens.workspace.store import Store

#: Below this much input a batch runs in-process: starting workers would cost more.
POOL_MIN_BYTES = 2_000_000
#: A file whose task crashed (its worker died, or it raised) is submitted again until it
#: has been tried this often; then it is one failed input.
ATTEMPTS = 2


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
    #: The file's other language versions when it is a parallel bilingual print
    #: (text/parallel.py): each an agreement of its own, stored and reported beside this one.
    other_versions: list[AnalysedFile] = field(default_factory=list)

    def versions(self) -> list[AnalysedFile]:
        """This analysis and the file's other language versions, in print order."""
        return [self, *self.other_versions]


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


# -- one file -----------------------------------------------------------------------------

def stored_report(store: Store, pipeline: Pipeline, path: Path,
                  force: bool = False) -> tuple[str, list[dict[str, Any]] | None]:
    """(file hash, the stored reports if this exact file was analysed with this exact
    configuration and `force` is off): one report, or one per language version of a
    parallel bilingual file, and then only if every version was stored (a run stopped
    between two versions analyses the file again)."""
    from tradelens.text.manifest import manifest_path, manifest_sha256

    try:
        sha = (manifest_sha256(path) if manifest_path(path)
               else file_sha256(path) if path.is_file() else "")
    except OSError as exc:
        raise InputError(path, unreadable(exc)) from exc
    if sha and not force:
        return sha, whole_file(store.cached_reports(str(path), sha, pipeline.config))
    return sha, None


def whole_file(reports: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The reports one file gave, in print order, if none is missing; else None."""
    if not reports:
        return None
    parallel = reports[0]["agreement"].get("parallel")
    if not parallel:
        return reports[:1]
    by_id = {r["agreement"]["id"]: r for r in reports}
    wanted = [version["id"] for version in parallel["versions"]]
    return [by_id[i] for i in wanted] if all(i in by_id for i in wanted) else None


def build(pipeline: Pipeline, path: Path, sha: str) -> AnalysedFile:
    """Read, classify, score and report one file (each language version of a parallel
    bilingual file), and compute its index vectors, without writing to a store."""
    done = []
    for analysis in pipeline.analyse_versions(path):
        report = pipeline.report(analysis)
        pipeline.index_vectors(analysis)
        done.append(AnalysedFile(path, sha, report, analysis.clauses, analysis.hashes, {}))
    cache = pipeline.cache
    done[0].new_vectors = cache.take() if isinstance(cache, PendingCache) else {}
    done[0].other_versions = done[1:]
    return done[0]


def build_or_error(pipeline: Pipeline, path: Path, sha: str) -> AnalysedFile | InputError:
    """One file's analysis, or the InputError that stopped it (returned, not raised, so it
    travels back from a worker like a result), within the file's time budget; an
    exception no reader anticipated becomes the file's error (`limits.guarded_file`)."""
    try:
        with guarded_file(path):
            return build(pipeline, path, sha)
    except InputError as error:
        return error


def save(store: Store, done: AnalysedFile, config: str) -> None:
    """Store one file's analysis (and the embeddings a worker computed for it); an
    InputError if the store holds its id for a different text from another file."""
    for model_id, vectors in done.new_vectors.items():
        store.put_embeddings(vectors, model_id)
    store.save_agreement(done.report, done.clauses, done.file_sha256, config, done.hashes,
                         source=str(done.path))


def analyse_one(pipeline: Pipeline, store: Store, path: Path,
                force: bool = False) -> tuple[dict[str, Any], bool]:
    """The report for one file, and whether it came from the store unchanged (a new one
    is stored). Of a parallel bilingual file, every version is stored and the first
    version's report returned."""
    sha, cached = stored_report(store, pipeline, path, force)
    if cached is not None:
        return cached[0], True
    done = build_or_error(pipeline, path, sha)
    if isinstance(done, InputError):
        raise done
    if not store.read_only:  # a read-only workspace answers, and keeps nothing new
        for version in done.versions():
            save(store, version, pipeline.config)
    return done.report, False


# -- workers ------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to build the same pipeline as the main process."""

    store_dir: Path
    model_path: Path | None
    taxonomy: Taxonomy
    reader_options: ReaderOptions | None = None


#: One pipeline per worker process, built on its first task and reused.
_PIPELINE: dict[str, Pipeline] = {}


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def make_executor(workers: int) -> Executor:
    """A local process pool. Workers are spawned, not forked: the main process may hold
    torch's thread pools, which do not survive a fork. Each worker is told to keep few
    malloc arenas: with many, freed activation memory stays mapped and the workers' sum
    grows well past what they use."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def _worker_pipeline(config: WorkerConfig, threads: int) -> Pipeline:
    key = (f"{config.store_dir}|{config.model_path}|{config.taxonomy.fingerprint}"
           f"|{config.reader_options}")
    pipeline = _PIPELINE.get(key)
    if pipeline is None:
        cache = PendingCache(Store(config.store_dir, read_only=True))
        pipeline = Pipeline(config.model_path, config.taxonomy, cache=cache,
                            reader_options=config.reader_options)
        pipeline.encoder.threads = threads
        _PIPELINE.clear()
        _PIPELINE[key] = pipeline
    return pipeline


def prepare_in_worker(config: WorkerConfig, threads: int = 1):  # noqa: ANN201
    """Worker task, run once before the files: distil the static table and embed the
    exemplars, so the main process never loads the model; returns the new vectors."""
    pipeline = _worker_pipeline(config, threads)
    # The other workers wait for this step, so it may use every core.
    _set_threads(pipeline, default_workers())
    pipeline.prepare()
    _set_threads(pipeline, threads)
    return pipeline.cache.take()  # type: ignore[union-attr]


def _set_threads(pipeline: Pipeline, threads: int) -> None:
    """Threads for the sentence model; torch's pool only if torch was loaded (the ONNX
    backend never imports it)."""
    pipeline.encoder.threads = threads
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


def analyse_in_worker(config: WorkerConfig, path: Path, sha: str,
                      threads: int = 1) -> AnalysedFile | InputError:
    """Worker task: the finished analysis of one file, or the InputError that stopped it."""
    return build_or_error(_worker_pipeline(config, threads), path, sha)


def analyse_files(pipeline: Pipeline, store: Store, to_do: list[tuple[Path, str]],
                  workers: int = 1, executor: Executor | None = None,
                  ) -> Iterator[AnalysedFile | InputError]:
    """Each (file, hash) analysed, in this process, in a local pool of `workers`, or on
    `executor`; results are yielded as the caller should store them."""
    own_pool = (executor is None and workers > 1 and len(to_do) >= 2 * workers
                and sum(_size(path) for path, _ in to_do) >= POOL_MIN_BYTES)
    if own_pool:
        executor = make_executor(min(workers, len(to_do)))
    if executor is None:
        for path, sha in to_do:
            yield build_or_error(pipeline, path, sha)
        return
    try:
        # Resolved: a worker of a cluster may start in another directory.
        config = WorkerConfig(store.directory.resolve(), pipeline.encoder.requested_path,
                              pipeline.taxonomy, pipeline.reader_options)
        threads = max(1, default_workers() // max(1, workers))
        # One worker prepares what all share; this process never loads the model.
        for model_id, vectors in executor.submit(prepare_in_worker, config,
                                                 threads).result().items():
            store.put_embeddings(vectors, model_id)
        # Largest files first, so no worker is left with a big one at the end.
        ordered = sorted(to_do, key=lambda item: -_size(item[0]))

        def submit(path: Path, sha: str) -> Future:
            return executor.submit(analyse_in_worker, config, path, sha, threads)

        pending = {submit(path, sha): (path, sha, 1) for path, sha in ordered}
        # Stored as they arrive: a slow file does not hold back the ones behind it.
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                path, sha, attempt = pending.pop(future)
                if attempt < ATTEMPTS and _crashed(future):
                    # its worker died or the task raised: once more, perhaps elsewhere
                    try:
                        pending[submit(path, sha)] = (path, sha, attempt + 1)
                        continue
                    except Exception:  # noqa: BLE001 - a broken pool takes no more work
                        pass
                yield _outcome(future, path)
    finally:
        if own_pool:
            executor.shutdown(cancel_futures=True)


def _size(path: Path) -> int:
    """A file's size for scheduling; 0 if it vanished since discovery (its reader then
    says so on its own line)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _crashed(future: Future) -> bool:
    """Whether a finished task failed other than with an InputError (a dead worker, a
    killed process, an unexpected exception)."""
    if future.cancelled():
        return True
    error = future.exception()
    return error is not None and not isinstance(error, InputError)


def _outcome(future: Future, path: Path) -> AnalysedFile | InputError:
    """A worker's result; a worker that died is one failed file, not a failed batch."""
    try:
        return future.result()
    except InputError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - a crashed worker must not end the batch
        return InputError(path, f"analysis failed in a worker ({type(exc).__name__}: {exc})")


# -- the batch ----------------------------------------------------------------------------

def analyse_paths(paths: Sequence[Path], out_dir: Path, formats: Sequence[str],
                  pipeline: Pipeline, store: Store, force: bool = False,
                  progress: bool = True,
                  on_failure: Callable[[InputError], None] | None = None,
                  workers: int = 1, executor: Executor | None = None,
                  full_paths: bool = False) -> BatchResult:
    """Analyse every file under `paths`, store each agreement, rebuild the clause index and
    write the outputs; bad inputs are collected, never fatal.

    Outputs name each input by its file name only, unless `full_paths`.
    Unchanged files are answered from the store first. The others are analysed in this
    process (`workers=1`), in a local process pool of `workers`, or on `executor`.
    """
    from tqdm import tqdm

    from tradelens.report import FORMATS
    from tradelens.report.writers import write_outputs
    from tradelens.workspace.index import is_current, rebuild_index

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    if store.read_only:
        raise SetupError(read_only_workspace(store.directory))
    started = time.perf_counter()
    result = BatchResult()
    producer: dict[str, str] = {}

    def fail(error: InputError) -> None:
        result.failures.append(error)
        if on_failure:
            on_failure(error)

    def accept(path: Path, report: dict[str, Any], store_it: AnalysedFile | None = None,
               ) -> bool:
        """Keep one report unless its id is taken in this batch (or, when it is to be
        stored, in the store by a different text)."""
        agreement_id = report["agreement"]["id"]
        if agreement_id in producer:
            fail(InputError(path, id_taken(agreement_id, producer[agreement_id])))
            return False
        if store_it is not None:
            try:
                save(store, store_it, pipeline.config)
            except InputError as error:
                fail(error)
                return False
        producer[agreement_id] = str(path)
        result.reports.append(report)
        return True

    to_do: list[tuple[Path, str]] = []
    files, unreadable_folders = discover_with_errors(paths)
    for error in unreadable_folders:
        fail(error)
    for path in files:
        try:
            sha, cached = stored_report(store, pipeline, path, force)
        except InputError as error:
            fail(error)
            continue
        if cached is None:
            to_do.append((path, sha))
            continue
        for report in cached:
            if accept(path, report):
                result.from_store += 1

    changed = False
    with tqdm(total=len(to_do), desc="analysing", unit="file",
              disable=not progress or None, leave=False) as bar:
        for outcome in analyse_files(pipeline, store, to_do, workers, executor):
            bar.update()
            if isinstance(outcome, InputError):
                fail(outcome)
                continue
            crash_point("after_parse")
            for version in outcome.versions():
                if accept(version.path, version.report, store_it=version):
                    changed = True
                    crash_point("after_store")
    # Reports in the order the files were given, however the workers finished them.
    position = {str(path): n for n, path in enumerate(files)}
    result.reports.sort(key=lambda r: position.get(producer[r["agreement"]["id"]], 0))
    # Generation-based: also repairs an index a killed or concurrent run left behind.
    if changed or not is_current(store, pipeline.static.model_id):
        result.indexed = rebuild_index(store, pipeline.static.model_id)
    # One run's files together: concurrent runs into one --out never interleave their
    # tables, and the last to finish leaves a folder that describes one whole run.
    out_dir.mkdir(parents=True, exist_ok=True)
    with locked_folder(out_dir):
        result.written = write_outputs(result.reports, out_dir, formats, pipeline.taxonomy,
                                       full_paths)
    result.seconds = time.perf_counter() - started
    return result
