"""A test-only hook: kill this process at a named step of a batch.

The crash tests (tests/test_crash.py) set `TRADELENS_TEST_CRASH_AT=STEP` or `STEP:N` and run
the real CLI; when the batch reaches STEP (for the Nth time, counting from 1) the process
sends itself SIGKILL, as an out-of-memory killer or a pulled plug would. Steps:
`after_parse` (a file analysed, nothing stored), `after_store` (an agreement stored, the
index not rebuilt), `index_save` (the new index file in place, its facts file not yet).
Nothing else reads the variable; unset, this is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "TRADELENS_TEST_CRASH_AT"
_seen: dict[str, int] = {}


def crash_point(step: str) -> None:
    """Die here if the test hook asks for this step (and this is its Nth arrival)."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != step:
        return
    _seen[step] = _seen.get(step, 0) + 1
    if _seen[step] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
