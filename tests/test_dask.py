"""The Dask executor: a real two-process LocalCluster on real ToTA files gives the same
reports as one process, and a worker killed mid-batch costs no agreement and stores none
twice. Counts and equalities only; speed is bench/bench_cold.py's job."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli
from tests.test_scale import SMALL_TOTA, _stable
from tradelens.cluster import chosen_executor, dask_client
from tradelens.session import Session


@pytest.fixture(scope="module")
def client():
    """A real cluster: two single-threaded worker processes on 127.0.0.1."""
    client = dask_client(None, 2)
    yield client
    cluster = client.cluster
    client.close()
    cluster.close()


def test_the_cluster_listens_on_loopback_only_and_leaves_port_8787_free(client):
    """Every socket the cluster listens on (scheduler here, workers and nannies in child
    processes) is on 127.0.0.1, and the scheduler's HTTP routes are not on Dask's default
    dashboard port, which a user's own cluster may hold."""
    import psutil

    me = psutil.Process()
    listening = [c.laddr for p in [me, *me.children(recursive=True)]
                 for c in p.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
    assert len(listening) >= 3  # the scheduler, and at least the two workers
    assert {address.ip for address in listening} == {"127.0.0.1"}
    assert 8787 not in {address.port for address in listening}
    assert client.scheduler_info()["services"].get("dashboard") != 8787


def _counts(store: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        agreements, distinct_agreements = db.execute(
            "SELECT count(*), count(DISTINCT agreement_id) FROM agreements").fetchone()
        clauses, distinct = db.execute(
            "SELECT count(*), count(DISTINCT clause_id) FROM clauses").fetchone()
    return agreements, distinct_agreements, clauses, distinct


def test_a_dask_cluster_gives_the_same_reports_as_one_process(tmp_path, tota_dir, client):
    files = [tota_dir / f"{name}.xml" for name in SMALL_TOTA[:4]]
    serial = Session(tmp_path / "serial")
    one = serial.analyse_paths(files, tmp_path / "out1", ["json"], progress=False)
    serial.close()
    on_dask = Session(tmp_path / "dask")
    two = on_dask.analyse_paths(files, tmp_path / "out2", ["json"], progress=False,
                                workers=2, executor=client.get_executor(pure=False))
    on_dask.close()
    assert not one.failures and not two.failures
    assert [r["agreement"]["id"] for r in two.reports] == [r["agreement"]["id"]
                                                           for r in one.reports]
    assert [_stable(r) for r in two.reports] == [_stable(r) for r in one.reports]
    assert any(b["findings"] for r in one.reports for b in r["categories"].values())
    assert two.indexed == one.indexed == one.clauses
    # both workers took part: each built its own pipeline and kept it
    ran = client.run(lambda: len(__import__("tradelens.batch").batch._PIPELINE))
    assert sorted(ran.values()) == [1, 1]


def test_a_worker_killed_mid_batch_loses_no_agreement(tmp_path, tota_dir, client):
    files = [tota_dir / f"{name}.xml" for name in SMALL_TOTA]
    store = tmp_path / "store"
    killed: dict[str, object] = {}
    finished = threading.Event()

    def kill_a_busy_worker() -> None:
        """Once one agreement is stored, SIGKILL a worker that is analysing a file."""
        while not finished.is_set():
            time.sleep(0.1)
            try:
                with sqlite3.connect(store / "tradelens.sqlite") as db:
                    stored = db.execute("SELECT count(*) FROM agreements").fetchone()[0]
            except sqlite3.Error:
                continue
            if stored < 1:
                continue
            busy = {address: keys for address, keys in client.processing().items()
                    if any(str(key).startswith("analyse_in_worker") for key in keys)}
            if busy:
                address = next(iter(busy))
                pid = client.run(os.getpid, workers=[address])[address]
                killed.update(address=address, pid=pid, stored=stored,
                              tasks=[str(k) for k in busy[address]])
                os.kill(pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=kill_a_busy_worker, daemon=True)
    watcher.start()
    session = Session(store)
    try:
        result = session.analyse_paths(files, tmp_path / "out", ["json"], progress=False,
                                       workers=2,
                                       executor=client.get_executor(pure=False))
    finally:
        finished.set()
        watcher.join()
        session.close()
    assert killed, "no worker was busy after the first agreement was stored"
    assert killed["stored"] < len(files) and killed["tasks"]
    assert not result.failures, [str(f) for f in result.failures]
    assert sorted(r["agreement"]["id"] for r in result.reports) == sorted(SMALL_TOTA)
    agreements, distinct_agreements, clauses, distinct = _counts(store)
    assert agreements == distinct_agreements == len(files)
    assert clauses == distinct == result.clauses
    # the killed process is gone from the cluster; the nanny started a new one in its place
    assert killed["pid"] not in client.run(os.getpid).values()


def test_the_cli_runs_on_a_local_dask_cluster(tmp_path):
    files = [str(SAMPLES / name) for name in ("cooperation_framework.txt",
                                              "eastern_regional_partnership.txt")]
    result = run_cli("analyse", *files, "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--format", "json", "--executor", "dask",
                     "--workers", "2")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 agreements (0 unchanged")
    assert len(list((tmp_path / "out").glob("*.json"))) == 2


def test_scheduler_needs_the_dask_executor(tmp_path):
    result = run_cli("analyse", str(SAMPLES), "--executor", "local", "--scheduler",
                     "tcp://127.0.0.1:1", "--store", str(tmp_path / "s"))
    assert result.exit_code == 2 and "--scheduler needs --executor dask" in result.output
    with pytest.raises(ValueError, match="unknown executor"), chosen_executor("ray", 2):
        pass
