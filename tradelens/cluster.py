"""Where a batch's files are analysed: in this process, a local process pool, or Dask.

`batch.analyse_files` takes any `concurrent.futures.Executor`; this module makes the one a
user asks for (`tradelens analyse --executor local|processes|dask --scheduler ADDRESS`).
The Dask executor is a `distributed.Client`'s own concurrent.futures view, so the batch
code is the same for every engine: one task per file, results stored by this process as
they arrive, in one SQLite transaction per agreement.

What Dask adds, and how it is set up here:

- a worker loads the models once: the task keeps its `Pipeline` in the worker process
  (`batch._worker_pipeline`), so every later file on that worker reuses it;
- a killed worker's files are run again: the scheduler moves a dead worker's tasks to
  another worker (a local cluster started here allows each task one such death,
  `ALLOWED_FAILURES`, after which the scheduler gives up on it), and the batch submits a
  file whose task failed once more, perhaps elsewhere (`batch.ATTEMPTS`); a file that
  fails both times is one failed input, the batch goes on;
- a killed client loses nothing stored: the next run answers finished files from the
  store and analyses the rest.

Workers read the input files and the workspace's SQLite store (read-only) by path, so on a
real cluster both must sit on a filesystem every worker mounts at the same path
(docs/scaling.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

#: The executors `tradelens analyse --executor` offers.
EXECUTORS = ("local", "processes", "dask")
#: In a cluster started here, a task may lose its worker this many times and be rerun.
ALLOWED_FAILURES = 1


def dask_client(scheduler: str | None, workers: int):  # noqa: ANN201 - distributed.Client
    """A client of the cluster at `scheduler`, or of a new local cluster of `workers`
    single-threaded worker processes bound to 127.0.0.1."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    # Set before the cluster starts: the scheduler reads it when it is created.
    dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES})
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")  # see batch.make_executor
    # No dashboard; the scheduler still serves its health routes over HTTP, so on a free
    # loopback port rather than Dask's 8787, which the user's own dashboard may hold.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None,
                           scheduler_kwargs={"dashboard": False,
                                             "dashboard_address": "127.0.0.1:0"})
    return Client(cluster)


@contextmanager
def dask_executor(scheduler: str | None = None, workers: int = 2) -> Iterator[Executor]:
    """A concurrent.futures executor over Dask; the client (and a cluster started here)
    is closed on exit."""
    client = dask_client(scheduler, workers)
    try:
        yield client.get_executor(pure=False)
    finally:
        cluster = client.cluster if not scheduler else None
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def chosen_executor(kind: str, workers: int,
                    scheduler: str | None = None) -> Iterator[tuple[int, Executor | None]]:
    """(workers, executor) for `batch.analyse_paths`: `local` runs every file in this
    process, `processes` a local pool of `workers` (the batch starts it when the input is
    large enough to pay for it), `dask` the cluster at `scheduler` or a local one."""
    if scheduler and kind != "dask":
        raise ValueError("--scheduler needs --executor dask")
    if kind not in EXECUTORS:
        raise ValueError(f"unknown executor {kind!r} (choose from {', '.join(EXECUTORS)})")
    if kind == "local":
        yield 1, None
    elif kind == "processes":
        yield workers, None
    else:
        with dask_executor(scheduler, workers) as executor:
            yield workers, executor
