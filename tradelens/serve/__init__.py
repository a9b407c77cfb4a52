"""`tradelens serve`: a local web application over one workspace (docs/serve.md).

`app.py` (routes), `engine.py` (the one session and its thread), `drafts.py` (a draft in
memory, what-if rescoring), `precedents.py`, `views.py`, `word.py` (the Word export),
`security.py` (session, CSRF, headers), `templates/` and `static/`.
"""

from __future__ import annotations

from pathlib import Path


def run(store_dir: Path, model_path: Path | None = None, taxonomy_dir: Path | None = None,
        weights_file: Path | None = None, host: str = "127.0.0.1", port: int = 8000,
        max_upload_bytes: int = 10 * 2**20) -> None:
    """Load the taxonomy, then serve until interrupted (the models load at start-up)."""
    from tradelens.serve.app import serve
    from tradelens.serve.engine import Settings
    from tradelens.session import configured_taxonomy

    settings = Settings(Path(store_dir), model_path,
                        configured_taxonomy(taxonomy_dir, weights_file), max_upload_bytes)
    serve(settings, host, port)
