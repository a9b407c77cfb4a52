"""Benchmark: `tradelens serve` answering a draft check with the model warm.

Builds a workspace from the sample corpus (the real CLI), starts the app in-process
(Starlette's TestClient: the same routes, multipart parsing, analysis and page rendering
as under uvicorn, without the socket), checks one draft to warm up, then times 10 checks of
a new 30-clause draft and 10 of a new 300-clause chapter (upload + analysis + check against
the closest precedents + the result page), and 10 what-if rescorings. Prints medians of
wall time and of the process's CPU time (a figure less at the mercy of a busy machine);
asserts nothing.

    python bench/bench_serve.py
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serve_drafts import draft_text  # noqa: E402

RUNS = 10
SAMPLES = ROOT / "corpora" / "samples"


def build_workspace(store: Path) -> None:
    files = [str(p) for p in sorted(SAMPLES.iterdir())
             if p.suffix in (".txt", ".xml", ".pdf") and p.stem != "draft_digital_chapter"]
    subprocess.run([sys.executable, "-m", "tradelens.cli", "analyse", *files, "--out",
                    str(store.parent / "out"), "--store", str(store), "--format", "json",
                    "--quiet", "--workers", "1"], check=True)


def main() -> None:
    from starlette.testclient import TestClient

    from tradelens.serve.app import create_app
    from tradelens.serve.engine import Settings

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        build_workspace(store)
        started = time.perf_counter()
        client = TestClient(create_app(Settings(store)), base_url="http://127.0.0.1")
        with client:
            print(f"start-up (session, models, precedents): {time.perf_counter() - started:.2f} s")
            page = client.get("/").text
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
            headers = {"origin": "http://127.0.0.1"}

            def check(text: str) -> tuple[float, float, str]:
                began, cpu = time.perf_counter(), time.process_time()
                response = client.post("/check", data={"csrf": csrf}, headers=headers,
                                       files={"file": ("draft.txt", text.encode(), "text/plain")})
                assert response.status_code == 200, response.text[:500]
                return time.perf_counter() - began, time.process_time() - cpu, response.text

            check(draft_text(30, run=999))  # warm-up: loads the sentence model
            print(f"{'draft':<22}{'clauses':>8}{'median s':>10}{'min s':>8}{'max s':>8}"
                  f"{'CPU s (median)':>16}")
            last = ""
            for clauses in (30, 300):
                times, cpus = [], []
                for run in range(RUNS):
                    seconds, cpu, last = check(draft_text(clauses, run))
                    times.append(seconds)
                    cpus.append(cpu)
                print(f"{'check (upload->page)':<22}{clauses:>8}{statistics.median(times):>10.3f}"
                      f"{min(times):>8.3f}{max(times):>8.3f}{statistics.median(cpus):>16.3f}")
            url = re.search(r'action="(/draft/[^/]+)/whatif"', last).group(1)
            keys = re.findall(r'name="finding" value="([^"]+)"', last)
            body = {"findings": [{"category": k.split("|")[0], "clause_id": k.split("|", 1)[1],
                                  "mods": ["no_dispute_settlement"]} for k in keys]}
            times = []
            for _ in range(RUNS):
                began = time.perf_counter()
                response = client.post(url + "/whatif", json=body,
                                       headers={**headers, "x-csrf-token": csrf})
                assert response.status_code == 200
                times.append(time.perf_counter() - began)
            print(f"{'what-if rescoring':<22}{300:>8}{statistics.median(times):>10.3f}"
                  f"{min(times):>8.3f}{max(times):>8.3f}  ({len(keys)} hard findings toggled)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(CPU s: this process's CPU time, all threads, for one check)")


if __name__ == "__main__":
    main()
