"""Parallel batch workers: whole files analysed in worker processes, stored by one writer.

Every stage of one file (read, segment, first pass, sentence model, classify, score,
report) runs inside a worker, so a batch keeps every core busy; only the SQLite writes stay
in the main process, one agreement per transaction. The runner takes any
`concurrent.futures.Executor`: the default is a local process pool sized to the machine; an
executor from a distributed engine (docs/scaling.md) plugs into the same seam, since a task
is a plain function of picklable arguments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from tradelens.errors import InputError
from tradelens.ingest.options import ReaderOptions
from tradelens.taxonomy import Taxonomy

if TYPE_CHECKING:
    from tradelens.pipeline import AnalysedFile, Analyser

#: Below this much input a batch runs in-process: starting workers would cost more.
POOL_MIN_BYTES = 2_000_000


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to build the same pipeline as the main process."""

    store_dir: Path
    model_path: Path | None
    taxonomy: Taxonomy
    reader_options: ReaderOptions | None = None


#: One pipeline per worker process, built on its first task and reused.
_PIPELINE: dict[str, Analyser] = {}


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def make_executor(workers: int) -> Executor:
    """A local process pool. Workers are spawned, not forked: the main process may hold
    torch's thread pools, which do not survive a fork. Each worker is told to keep few
    malloc arenas: with many, freed activation memory stays mapped and the workers' sum
    grows well past what they use."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def build_or_error(analyser: Analyser, path: Path, sha: str) -> AnalysedFile | InputError:
    """One file's analysis, or the InputError that stopped it (returned, not raised, so it
    travels back from a worker like a result)."""
    try:
        return analyser.build(path, sha)
    except InputError as error:
        return error


def _worker_pipeline(config: WorkerConfig, threads: int) -> Analyser:
    from tradelens.pipeline import Analyser

    key = (f"{config.store_dir}|{config.model_path}|{config.taxonomy.fingerprint}"
           f"|{config.reader_options}")
    analyser = _PIPELINE.get(key)
    if analyser is None:
        analyser = Analyser(config.store_dir, config.model_path, config.taxonomy,
                            read_only=True, reader_options=config.reader_options)
        analyser.embedder.threads = threads
        _PIPELINE.clear()
        _PIPELINE[key] = analyser
    return analyser


def prepare_in_worker(config: WorkerConfig, threads: int = 1):  # noqa: ANN201
    """Worker task, run once before the files: distil the static table and embed the
    exemplars, so the main process never loads the model; returns the new vectors."""
    import torch

    analyser = _worker_pipeline(config, threads)
    # The other workers wait for this step, so it may use every core.
    torch.set_num_threads(default_workers())
    analyser.embedder.threads = default_workers()
    analyser.prepare_shared()
    analyser.embedder.threads = threads
    torch.set_num_threads(threads)
    return analyser.cache.take()  # type: ignore[union-attr]


def analyse_in_worker(config: WorkerConfig, path: Path, sha: str,
                      threads: int = 1) -> AnalysedFile | InputError:
    """Worker task: the finished analysis of one file, or the InputError that stopped it."""
    return build_or_error(_worker_pipeline(config, threads), path, sha)


def analyse_files(analyser: Analyser, to_do: list[tuple[Path, str]], workers: int = 1,
                  executor: Executor | None = None) -> Iterator[AnalysedFile | InputError]:
    """Each (file, hash) analysed, in this process, in a local pool of `workers`, or on
    `executor`; results are yielded as the caller should store them."""
    own_pool = (executor is None and workers > 1 and len(to_do) >= 2 * workers
                and sum(path.stat().st_size for path, _ in to_do) >= POOL_MIN_BYTES)
    if own_pool:
        executor = make_executor(min(workers, len(to_do)))
    if executor is None:
        for path, sha in to_do:
            yield build_or_error(analyser, path, sha)
        return
    try:
        config = WorkerConfig(analyser.store.directory, analyser.embedder.requested_path,
                              analyser.taxonomy, analyser.reader_options)
        threads = max(1, default_workers() // max(1, workers))
        # One worker prepares what all share; this process never loads the model.
        for model_id, vectors in executor.submit(prepare_in_worker, config,
                                                 threads).result().items():
            analyser.store.put_embeddings(vectors, model_id)
        # Largest files first, so no worker is left with a big one at the end.
        ordered = sorted(to_do, key=lambda item: -item[0].stat().st_size)
        futures = [executor.submit(analyse_in_worker, config, path, sha, threads)
                   for path, sha in ordered]
        for future, (path, _sha) in zip(futures, ordered, strict=True):
            yield _outcome(future, path)
    finally:
        if own_pool:
            executor.shutdown(cancel_futures=True)


def _outcome(future: Future, path: Path) -> AnalysedFile | InputError:
    """A worker's result; a worker that died is one failed file, not a failed batch."""
    try:
        return future.result()
    except InputError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - a crashed worker must not end the batch
        return InputError(path, f"analysis failed in a worker ({type(exc).__name__}: {exc})")
