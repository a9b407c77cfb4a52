"""TradeLens: how much digital industrial-policy space trade agreements leave.

The Python API (`tradelens.analyse`, `tradelens.open_workspace`, ...) lives in
`tradelens/api.py`; it is imported on first use so that `import tradelens` (and the CLI's
`--help`) stays instant.
"""

from typing import Any

__version__ = "0.17.28"

_API = ("analyse", "analyse_paths", "check", "compare", "explain", "open_session",
        "open_workspace")


def __getattr__(name: str) -> Any:
    if name in _API:
        from tradelens import api

        return getattr(api, name)
    raise AttributeError(f"module 'tradelens' has no attribute {name!r}")
