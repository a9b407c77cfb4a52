"""`tradelens doctor`: check a workspace as SQLite and the index facts allow, and repair
what is derived or dangling.

Checked: the database opens and passes `PRAGMA integrity_check`; its schema version; rows
that point at nothing; stored reports that are not JSON; the clause index against the
store's generation, its recorded size and SHA-256 and its vector count. `--repair`
rebuilds the index, upgrades an older schema and deletes orphan rows; a damaged database
or report cannot be repaired here, and the check says what to do instead.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tradelens.errors import SetupError, damaged_workspace, no_workspace
from tradelens.fileio import file_sha256
from tradelens.workspace.index import INDEX_FILE, problem, read_facts, rebuild_index
from tradelens.workspace.store import DATABASE_FILE, SCHEMA_VERSION, Store


@dataclass
class Check:
    """One line of the doctor's answer."""

    name: str
    state: str  # "ok", "problem", "repaired"
    detail: str

    @property
    def ok(self) -> bool:
        return self.state != "problem"


def diagnose(directory: Path, repair: bool = False, model_path: Path | None = None,
             ) -> list[Check]:
    """Every check on the workspace in `directory`, repairing what can be when asked."""
    directory = Path(directory)
    path = directory / DATABASE_FILE
    if not path.is_file():
        return [Check("database", "problem", no_workspace(directory, DATABASE_FILE))]
    try:
        store = Store(directory, read_only=not repair)
    except SetupError as error:
        return [Check("database", "problem", f"{error}. It cannot be repaired in place: "
                      f"`sqlite3 {path} .recover | sqlite3 recovered.sqlite` saves what is "
                      "readable; or move it aside and re-run `tradelens analyse`")]
    try:
        return _checks(store, repair, model_path)
    except sqlite3.DatabaseError as exc:  # a damaged page found while checking
        return [Check("database", "problem", f"{damaged_workspace(path, exc)}; it cannot "
                      "be repaired in place")]
    finally:
        store.close()


def _checks(store: Store, repair: bool, model_path: Path | None) -> list[Check]:
    checks = []
    damage = store.integrity_problems()
    checks.append(Check("database", "problem" if damage else "ok",
                        "; ".join(damage) + ": cannot be repaired in place; move "
                        f"{store.path} aside and re-run `tradelens analyse`"
                        if damage else f"{DATABASE_FILE}: integrity check passed"))
    version = store.schema_version()
    checks.append(Check("schema", "ok" if version == SCHEMA_VERSION else "problem",
                        f"version {version}" + ("" if version == SCHEMA_VERSION
                                                else f", expected {SCHEMA_VERSION}")))
    orphans = {name: n for name, n in store.orphan_counts().items() if n}
    if orphans and repair:
        checks.append(Check("orphan rows", "repaired",
                            f"deleted {store.delete_orphans()} rows ("
                            + ", ".join(f"{n} {name}" for name, n in orphans.items()) + ")"))
    else:
        checks.append(Check("orphan rows", "problem" if orphans else "ok",
                            ", ".join(f"{n} {name}" for name, n in orphans.items())
                            or "none"))
    bad = store.unreadable_reports()
    checks.append(Check("reports", "problem" if bad else "ok",
                        f"not valid JSON: {', '.join(bad[:10])}; re-analyse their files with "
                        "--force" if bad else f"{store.agreement_count()} agreements readable"))
    checks.append(_index_check(store, repair, model_path))
    return checks


def _index_check(store: Store, repair: bool, model_path: Path | None) -> Check:
    from tradelens.vectors.sentence import SentenceEncoder
    from tradelens.vectors.static import StaticEncoder

    model_id = StaticEncoder(SentenceEncoder(model_path)).model_id
    facts = read_facts(store.directory)
    reason = problem(store, facts, model_id)
    if reason is None and facts and facts.get("vectors"):
        reason = _index_file_problem(store.directory, facts)
    if reason is None:
        return Check("clause index", "ok", f"generation {facts['generation']}, "  # type: ignore[index]
                     f"{facts['vectors']} clauses")  # type: ignore[index]
    if not repair:
        return Check("clause index", "problem", f"{reason}; `tradelens doctor --repair` "
                     "rebuilds it (search and lineage also do, on their way)")
    if store.read_only:
        return Check("clause index", "problem", f"{reason}; the folder is read-only")
    count = rebuild_index(store, model_id)
    return Check("clause index", "repaired", f"was {reason}; rebuilt ({count} clauses)")


def _index_file_problem(directory: Path, facts: dict) -> str | None:
    """The deep check of the index file: its hash and what FAISS reads from it."""
    import faiss

    path = directory / INDEX_FILE
    if facts.get("sha256") != file_sha256(path):
        return "damaged (its SHA-256 is not the recorded one)"
    try:
        index = faiss.read_index(str(path))
    except RuntimeError:
        return "unreadable"
    if index.ntotal != facts.get("vectors"):
        return f"damaged (holds {index.ntotal} vectors, expected {facts.get('vectors')})"
    return None


def render(directory: Path, checks: list[Check]) -> str:
    """The doctor's answer, one line per check."""
    lines = [f"workspace {directory}"]
    for check in checks:
        lines.append(f"  {check.state.upper():9} {check.name}: {check.detail}")
    problems = sum(not c.ok for c in checks)
    lines.append("healthy" if not problems else
                 f"{problems} problem{'s' if problems > 1 else ''} left")
    return "\n".join(lines)
