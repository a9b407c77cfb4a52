"""Where derived model data (the static token table, the exported ONNX graph) is kept
between runs and workspaces: `$TRADELENS_CACHE`, else `$XDG_CACHE_HOME/tradelens`, else
`~/.cache/tradelens`."""

from __future__ import annotations

import os
from pathlib import Path


def cache_directory() -> Path:
    """Where derived model data is kept between runs and workspaces."""
    if os.environ.get("TRADELENS_CACHE"):
        return Path(os.environ["TRADELENS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tradelens"
