"""The background agreements `tradelens train` reads: unlabelled, and hostile until read.

Training reads the background folder up to three times (the first pass's centres, the
topic screen, the corpus examples). A file that cannot be read is left out, since it only
makes the material smaller, but never silently: it is named on stderr in one line with its
reason, once however often it is met, and listed on the artefact's card, so that a model
trained on a smaller corpus than intended says so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from tradelens.analysis import Pipeline
from tradelens.errors import InputError, TradeLensError, printable
from tradelens.models import Clause, Document

#: file name -> why it could not be read; shared by every pass over one background.
Unreadable = dict[str, str]


def agreement_bar(paths: list[Path], progress: bool, desc: str = "topic screen",
                  ) -> Iterable[Path]:
    """`paths`, behind a progress bar when `progress`."""
    if not progress:
        return paths
    from tqdm import tqdm

    return tqdm(paths, desc=desc, unit="agreement", leave=False)


def background_agreements(pipeline: Pipeline, paths: list[Path], unreadable: Unreadable,
                          progress: bool = False, desc: str = "background",
                          ) -> Iterator[tuple[Path, Document, list[Clause]]]:
    """(path, document, clauses) of each agreement of `paths` that can be read, in order.
    One that cannot is added to `unreadable`, named on stderr the first time, and skipped."""
    for path in agreement_bar(paths, progress, desc):
        try:
            document, clauses = pipeline.read(path)
        except TradeLensError as error:
            reason = error.reason if isinstance(error, InputError) else printable(str(error))
            if path.name not in unreadable:
                unreadable[path.name] = reason
                _warn(f"warning: {printable(path.name)}: {reason}; left out of the "
                      "background agreements", progress)
            continue
        yield path, document, clauses


def _warn(line: str, progress: bool) -> None:
    if progress:  # above the bar, not through it
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)
