"""Parallel batch workers: whole files analysed in worker processes, stored by one writer.

Every stage of one file (read, segment, first pass, sentence model, classify, score,
report) runs inside a worker, so a batch keeps every core busy; only the SQLite writes stay
in the main process, one agreement per transaction, in the order the files were given.
The runner takes any `concurrent.futures.Executor`: the default is a local process pool
sized to the machine; an executor from a distributed engine (docs/scaling.md) plugs into
the same seam, since a task is a plain function of picklable arguments.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from tradelens.errors import InputError
from tradelens.taxonomy import Taxonomy


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs to build the same pipeline as the main process."""

    store_dir: Path
    model_path: Path | None
    taxonomy: Taxonomy


#: One pipeline per worker process, built on its first task and reused.
_PIPELINE: dict[str, object] = {}


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def make_executor(workers: int) -> Executor:
    """A local process pool. Workers are spawned, not forked: the main process may hold
    torch's thread pools, which do not survive a fork. Each worker is told to keep few
    malloc arenas: with many, freed activation memory stays mapped and the workers' sum
    grows well past what they use."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def _worker_pipeline(config: WorkerConfig, threads: int):  # noqa: ANN202 - an Analyser
    from tradelens.pipeline import Analyser

    key = f"{config.store_dir}|{config.model_path}|{config.taxonomy.fingerprint}"
    analyser = _PIPELINE.get(key)
    if analyser is None:
        analyser = Analyser(config.store_dir, config.model_path, config.taxonomy,
                            read_only=True)
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
    analyser.embedder.threads = default_workers()  # type: ignore[attr-defined]
    analyser.prepare_shared(unload=False)  # type: ignore[attr-defined]
    analyser.embedder.threads = threads  # type: ignore[attr-defined]
    torch.set_num_threads(threads)
    return analyser.cache.take()  # type: ignore[attr-defined]


def analyse_in_worker(config: WorkerConfig, path: Path, sha: str, threads: int = 1):  # noqa: ANN201
    """Worker task: the finished analysis of one file, or the InputError that stopped it."""
    analyser = _worker_pipeline(config, threads)
    try:
        return analyser.build(path, sha)  # type: ignore[attr-defined]
    except InputError as error:
        return error
