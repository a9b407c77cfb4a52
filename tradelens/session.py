"""A session: one configured pipeline over one workspace, what every command holds.

The CLI builds one per command, a long-running app one for its life; either way the
taxonomy and models are loaded once and the workspace store serves as the embedding cache
and the place analysed agreements are kept. Agreements a session stores outside a batch
(`compare` on new files, say) are added to the clause index when the session closes: the
index is rebuilt whenever its recorded generation is not the store's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from tradelens import batch
from tradelens.analysis import Pipeline
from tradelens.errors import InputError
from tradelens.taxonomy import Taxonomy, load_taxonomy, load_weights_file
from tradelens.text.options import ReaderOptions
from tradelens.workspace.store import Store

DEFAULT_STORE = Path(".tradelens")


def configured_taxonomy(taxonomy_dir: Path | None = None,
                        weights_file: Path | None = None) -> Taxonomy:
    """The taxonomy (bundled, or from `taxonomy_dir`) with a weights file applied."""
    taxonomy = load_taxonomy(taxonomy_dir)
    if weights_file:
        taxonomy = taxonomy.with_scoring(load_weights_file(weights_file), str(weights_file))
    return taxonomy


class Session:
    """A pipeline and the workspace store it reads and writes."""

    def __init__(self, store_dir: Path = DEFAULT_STORE, model_path: Path | None = None,
                 taxonomy: Taxonomy | None = None, progress: bool = False,
                 reader_options: ReaderOptions | None = None) -> None:
        self.store = Store(Path(store_dir))
        self.pipeline = Pipeline(model_path, taxonomy, cache=self.store, progress=progress,
                                 reader_options=reader_options)

    @property
    def taxonomy(self) -> Taxonomy:
        return self.pipeline.taxonomy

    def close(self) -> None:
        """Bring the clause index up to date with the store (by generation), then close."""
        try:
            if not self.store.read_only:
                from tradelens.workspace.index import is_current, rebuild_index

                model_id = self.pipeline.static.model_id
                if not is_current(self.store, model_id):
                    rebuild_index(self.store, model_id)
        finally:
            self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def analyse(self, path: Path, force: bool = False) -> dict[str, Any]:
        """One file's report: from the store if unchanged, else analysed and stored."""
        report, _from_store = batch.analyse_one(self.pipeline, self.store, Path(path), force)
        return report

    def analyse_paths(self, paths: Sequence[Path], out_dir: Path, formats: Sequence[str],
                      force: bool = False, progress: bool = True,
                      on_failure: Callable[[InputError], None] | None = None,
                      workers: int = 1, executor: Executor | None = None,
                      full_paths: bool = False) -> batch.BatchResult:
        """A batch (see `batch.analyse_paths`): files and folders in, reports written."""
        return batch.analyse_paths(paths, out_dir, formats, self.pipeline, self.store,
                                   force=force, progress=progress, on_failure=on_failure,
                                   workers=workers, executor=executor,
                                   full_paths=full_paths)
