"""The workspace store: one SQLite database beside the FAISS index files.

SQLite is the source of truth (agreements, clauses, findings, reports, embedding cache);
the FAISS index is derived from it and can always be rebuilt. Each agreement is written
in one transaction, so an interrupted batch leaves only whole agreements behind and a
re-run resumes where it stopped. The same transaction bumps the store's *generation* (a
counter in the `meta` table); the index records the generation it was built from, so a
reader knows when it is stale (docs/workspace.md).

A folder the user cannot write is opened read-only (no schema change, no cache writes):
commands that only read still work there.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.errors import (
    InputError,
    SetupError,
    damaged_workspace,
    id_in_store,
    read_only_workspace,
)
from tradelens.models import Clause

DATABASE_FILE = "tradelens.sqlite"
SCHEMA_VERSION = 2
#: Schema versions this code opens; older ones are brought up to date when writable.
_UPGRADABLE = (0, 1, SCHEMA_VERSION)
#: How long a writer waits for another process's transaction before giving up (seconds).
BUSY_TIMEOUT = 120
#: Bytes per database page for a new workspace (an existing file keeps its own).
PAGE_SIZE = 16_384
#: About how many bytes of write-ahead log trigger a checkpoint (SQLite's default of 1,000
#: pages, in 4 KiB pages), and how many it is cut back to after one.
WAL_CHECKPOINT_BYTES = 4_096_000
WAL_LIMIT = 64 * 1024 * 1024
_SCHEMA = """
CREATE TABLE IF NOT EXISTS agreements (
    agreement_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    config TEXT NOT NULL,
    title TEXT,
    language TEXT,
    date_signed TEXT,
    score REAL,
    report TEXT NOT NULL,
    analysed_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY,
    clause_id TEXT NOT NULL UNIQUE,
    agreement_id TEXT NOT NULL REFERENCES agreements(agreement_id) ON DELETE CASCADE,
    chapter TEXT,
    article TEXT,
    paragraph TEXT,
    location TEXT NOT NULL,
    source_ref TEXT,
    page INTEGER,
    text TEXT NOT NULL,
    text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS clauses_agreement ON clauses(agreement_id);
CREATE TABLE IF NOT EXISTS findings (
    agreement_id TEXT NOT NULL REFERENCES agreements(agreement_id) ON DELETE CASCADE,
    clause_id TEXT NOT NULL,
    category TEXT NOT NULL,
    strength TEXT NOT NULL,
    confidence REAL NOT NULL,
    policy_space REAL
);
CREATE INDEX IF NOT EXISTS findings_agreement ON findings(agreement_id);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
"""
#: The embedding cache, made only where a workspace has none. Rows are appended in the
#: order they are written and found by a unique index on their key. Before 0.13.3 the
#: table was keyed by (text_hash, model_id) itself (WITHOUT ROWID): a batch's random hashes
#: then landed all over a 180 MB tree, each agreement's commit rewrote hundreds of its
#: 16 KiB pages, and the main process spent about 15 s of CPU of a cold ToTA run on them
#: (docs/performance.md, 0.13.3). Workspaces made then keep that layout; every statement
#: below reads and writes both the same way, so nothing needs converting.
_EMBEDDINGS = """
CREATE TABLE embeddings (
    id INTEGER PRIMARY KEY,
    text_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE UNIQUE INDEX embeddings_key ON embeddings(text_hash, model_id);
"""


class Store:
    """A workspace directory: `tradelens.sqlite` plus index files."""

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        """Open (creating it if needed) a workspace; `read_only` is for batch workers,
        which read the embedding cache while the main process writes, and for folders
        the user cannot write (then nothing is created and nothing written)."""
        self.directory = Path(directory)
        self.path = self.directory / DATABASE_FILE
        self.read_only = read_only or not _writable(self.directory, self.path)
        if self.read_only and not self.path.is_file():
            raise SetupError(f"{self.directory}: cannot create a workspace here (the folder "
                             "is not writable); choose another --store")
        try:
            if self.read_only:
                self.db = _open_read_only(self.path)
            else:
                self.directory.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, isolation_level=None,
                                          timeout=BUSY_TIMEOUT)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if not self.read_only:
                self._set_up(version)
        except sqlite3.DatabaseError as exc:
            raise SetupError(damaged_workspace(self.path, exc)) from exc
        except OSError as exc:
            raise SetupError(f"{self.directory}: cannot open workspace ({exc})") from exc
        if version not in _UPGRADABLE:
            raise SetupError(f"{self.directory}: workspace schema {version} is not supported "
                             f"(expected {SCHEMA_VERSION}); use a new --store directory")

    def _set_up(self, version: int) -> None:
        """WAL journal, foreign keys, and the schema created or brought up to date."""
        if version not in _UPGRADABLE:
            return
        # Only a new, empty file takes it (before WAL): an embedding row (a 1,536-byte
        # vector and its key) then fits in its B-tree page; with SQLite's 4 KiB default
        # each spilled to an overflow page of its own, and the file was 2.2 times larger
        # and slower to read and write (docs/performance.md, 0.10.4).
        self.db.execute(f"PRAGMA page_size={PAGE_SIZE}")
        self.db.execute("PRAGMA journal_mode=WAL")
        # The WAL is checkpointed at the same size whatever the file's page size.
        page = int(self.db.execute("PRAGMA page_size").fetchone()[0])
        self.db.execute(f"PRAGMA wal_autocheckpoint={max(100, WAL_CHECKPOINT_BYTES // page)}")
        self.db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if version != SCHEMA_VERSION:
            with self.transaction() as db:
                has_cache = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                                       "AND name='embeddings'").fetchone()
                for statement in (_SCHEMA + ("" if has_cache else _EMBEDDINGS)).split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that concurrent
        writers wait on the busy timeout instead of failing on a lock upgrade."""
        if self.read_only:
            raise SetupError(read_only_workspace(self.directory))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- agreements -----------------------------------------------------------------------

    def cached_reports(self, source: str, file_sha256: str, config: str) -> list[dict]:
        """Every stored report this exact file gave with this exact configuration: one, or
        one per language version of a parallel bilingual file (text/parallel.py)."""
        return [json.loads(row[0]) for row in self.db.execute(
            "SELECT report FROM agreements WHERE source=? AND file_sha256=? AND config=? "
            "ORDER BY agreement_id", (source, file_sha256, config))]

    # -- generation -------------------------------------------------------------------------

    def generation(self) -> int | None:
        """How many times agreements were saved or deleted (None: a store from before
        generations, opened read-only)."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        except sqlite3.OperationalError:
            return None
        return int(row[0]) if row else None

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = value + 1 WHERE key='generation'")

    # -- agreements -----------------------------------------------------------------------

    def save_agreement(self, report: dict[str, Any], clauses: list[Clause], file_sha256: str,
                       config: str, text_hashes: list[str], source: str | None = None) -> None:
        """Replace everything stored for this agreement, atomically, and bump the
        generation in the same transaction.

        Deleting the agreement row removes its clauses and findings (ON DELETE CASCADE).
        An id already held by a different text from another file (`source`, default the
        report's) is an InputError naming both files; the stored agreement is kept.
        """
        agreement = report["agreement"]
        source = source or agreement["source"]
        with self.transaction() as db:
            held = db.execute("SELECT source, file_sha256 FROM agreements WHERE agreement_id=?",
                              (agreement["id"],)).fetchone()
            if held and held[1] != file_sha256 and not _same_file(held[0], source):
                raise InputError(source, id_in_store(agreement["id"], held[0]))
            self._bump(db)
            db.execute("DELETE FROM agreements WHERE agreement_id=?", (agreement["id"],))
            db.execute(
                "INSERT INTO agreements (agreement_id, source, file_sha256, config, title, "
                "language, date_signed, score, report) VALUES (?,?,?,?,?,?,?,?,?)",
                (agreement["id"], source, file_sha256, config, agreement["title"],
                 agreement["language"], agreement["date_signed"],
                 report["policy_space"]["score"], json.dumps(report)),
            )
            db.executemany(
                "INSERT INTO clauses (clause_id, agreement_id, chapter, article, paragraph, "
                "location, source_ref, page, text, text_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(c.clause_id, c.agreement_id, c.chapter, c.article, c.paragraph, c.location,
                  c.source_ref, c.page, c.text, h)
                 for c, h in zip(clauses, text_hashes, strict=True)],
            )
            db.executemany(
                "INSERT INTO findings (agreement_id, clause_id, category, strength, confidence, "
                "policy_space) VALUES (?,?,?,?,?,?)",
                [(agreement["id"], f["clause_id"], category, f["strength"], f["confidence"],
                  f.get("policy_space"))
                 for category, body in report["categories"].items() for f in body["findings"]],
            )

    def delete_agreement(self, agreement_id: str) -> bool:
        """Remove one agreement (its clauses and findings go with it); True if it was there."""
        with self.transaction() as db:
            gone = db.execute("DELETE FROM agreements WHERE agreement_id=?",
                              (agreement_id,)).rowcount
            if gone:
                self._bump(db)
        return bool(gone)

    def report(self, agreement_id: str) -> dict[str, Any] | None:
        """The stored report of one agreement, or None."""
        row = self.db.execute("SELECT report FROM agreements WHERE agreement_id=?",
                              (agreement_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def reports(self) -> Iterator[dict[str, Any]]:
        """Every stored report, in agreement id order."""
        for (text,) in self.db.execute("SELECT report FROM agreements ORDER BY agreement_id"):
            yield json.loads(text)

    def agreement_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT agreement_id FROM agreements ORDER BY agreement_id")]

    def agreement_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM agreements").fetchone()[0])

    def clause_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM clauses").fetchone()[0])

    # -- clauses ---------------------------------------------------------------------------

    def clause_key(self, clause_id: str) -> tuple[int, str] | None:
        """(row id, text hash) of a stored clause, or None."""
        row = self.db.execute("SELECT id, text_hash FROM clauses WHERE clause_id=?",
                              (clause_id,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def clause_rows(self, row_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Row id -> the clause with its agreement's title, date and score, and the
        categories it is a finding of."""
        found: dict[int, dict[str, Any]] = {}
        for start in range(0, len(row_ids), 500):
            chunk = row_ids[start:start + 500]
            for row in self.db.execute(
                "SELECT c.id, c.clause_id, c.agreement_id, a.title, a.date_signed, "
                "c.location, c.text, a.score FROM clauses c JOIN agreements a "
                f"USING (agreement_id) WHERE c.id IN ({','.join('?' * len(chunk))})", chunk):
                found[row[0]] = {"clause_id": row[1], "agreement_id": row[2], "title": row[3],
                                 "date_signed": row[4], "location": row[5], "text": row[6],
                                 "score": row[7], "categories": []}
        by_clause = {r["clause_id"]: r for r in found.values()}
        ids = list(by_clause)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for clause_id, category in self.db.execute(
                "SELECT clause_id, category FROM findings WHERE clause_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY category", chunk):
                by_clause[clause_id]["categories"].append(category)
        return found

    def finding_clause_keys(self, category: str) -> list[tuple[int, str]]:
        """(row id, text hash) of every clause that is a finding of `category`."""
        return [(int(r[0]), str(r[1])) for r in self.db.execute(
            "SELECT DISTINCT c.id, c.text_hash FROM findings f JOIN clauses c "
            "ON c.clause_id = f.clause_id WHERE f.category=?", (category,))]

    def finding_categories(self) -> set[str]:
        """Every category some stored finding belongs to."""
        return {str(r[0]) for r in self.db.execute("SELECT DISTINCT category FROM findings")}

    def clause_texts(self) -> list[tuple[str, str]]:
        """(clause id, text) of every stored clause."""
        return self.db.execute("SELECT clause_id, text FROM clauses").fetchall()

    # -- integrity (tradelens doctor) ------------------------------------------------------

    def integrity_problems(self, limit: int = 5) -> list[str]:
        """SQLite's own check of every page and index; [] when the file is sound."""
        rows = [r[0] for r in self.db.execute(f"PRAGMA integrity_check({int(limit)})")]
        return [] if rows == ["ok"] else rows

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    _ORPHANS = {
        "clauses without an agreement": "FROM clauses WHERE agreement_id NOT IN "
                                        "(SELECT agreement_id FROM agreements)",
        "findings without an agreement": "FROM findings WHERE agreement_id NOT IN "
                                         "(SELECT agreement_id FROM agreements)",
        "findings of a clause that is not stored": "FROM findings WHERE clause_id NOT IN "
                                                   "(SELECT clause_id FROM clauses)",
    }

    def orphan_counts(self) -> dict[str, int]:
        """Rows that point at nothing (a store written without foreign keys, or edited)."""
        return {name: int(self.db.execute(f"SELECT count(*) {where}").fetchone()[0])
                for name, where in self._ORPHANS.items()}

    def delete_orphans(self) -> int:
        """Remove the rows `orphan_counts` finds, in one transaction; how many went."""
        with self.transaction() as db:
            gone = sum(db.execute(f"DELETE {where}").rowcount
                       for where in self._ORPHANS.values())
            if gone:
                self._bump(db)
        return gone

    def unreadable_reports(self) -> list[str]:
        """Agreement ids whose stored report is not valid JSON."""
        bad = []
        for agreement_id, text in self.db.execute(
                "SELECT agreement_id, report FROM agreements ORDER BY agreement_id"):
            try:
                json.loads(text)
            except (TypeError, ValueError):
                bad.append(agreement_id)
        return bad

    # -- embedding cache ------------------------------------------------------------------

    def get_embeddings(self, hashes: Iterable[str], model_id: str) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        hashes = list(hashes)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for text_hash, blob in self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model_id=? "
                f"AND text_hash IN ({marks})", (model_id, *chunk),
            ):
                found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_embeddings(self, vectors: dict[str, np.ndarray], model_id: str) -> None:
        """Cache vectors; a read-only store caches nothing (a miss next time, not an error)."""
        if self.read_only:
            return
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings (text_hash, model_id, vector) VALUES (?,?,?)",
                [(h, model_id, np.asarray(v, dtype=np.float32).tobytes())
                 for h, v in vectors.items()],
            )

    def clause_vectors(self, model_id: str) -> tuple[np.ndarray, np.ndarray, int | None]:
        """(ids, vectors, generation) of every stored clause that has an embedding for this
        model, read in one snapshot (so the generation is the one the vectors come from)
        in chunks into one preallocated array (a corpus is 100 000+ vectors)."""
        self.db.execute("BEGIN")
        try:
            generation = self.generation()
            ids, vectors = self._clause_vectors(model_id)
        finally:
            self.db.execute("COMMIT")
        return ids, vectors, generation

    def vector_count(self, model_id: str) -> int:
        """How many stored clauses have an embedding for this model."""
        return int(self.db.execute(
            "SELECT count(*) FROM clauses c JOIN embeddings e ON e.text_hash = c.text_hash "
            "AND e.model_id = ?", (model_id,)).fetchone()[0])

    def _clause_vectors(self, model_id: str) -> tuple[np.ndarray, np.ndarray]:
        query = ("FROM clauses c JOIN embeddings e ON e.text_hash = c.text_hash "
                 "AND e.model_id = ?")
        count = self.db.execute(f"SELECT count(*) {query}", (model_id,)).fetchone()[0]
        if not count:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        cursor = self.db.execute(f"SELECT c.id, e.vector {query} ORDER BY c.id", (model_id,))
        ids = np.zeros(count, dtype=np.int64)
        vectors: np.ndarray | None = None
        row = 0
        while batch := cursor.fetchmany(5000):
            for clause_row, blob in batch:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vectors is None:
                    vectors = np.zeros((count, len(vector)), dtype=np.float32)
                ids[row], vectors[row] = clause_row, vector
                row += 1
        assert vectors is not None
        return ids[:row], vectors[:row]

    _VECTORS = ("FROM clauses c JOIN embeddings e ON e.text_hash = c.text_hash "
                "AND e.model_id = ?")

    def clause_vector_ids(self, model_id: str) -> np.ndarray:
        """Row ids of the stored clauses that have an embedding for this model."""
        rows = self.db.execute(f"SELECT c.id {self._VECTORS} ORDER BY c.id", (model_id,))
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def clause_vector_chunks(self, model_id: str, size: int = 50_000,
                             ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) of those clauses, `size` at a time, in row order: a whole
        workspace's vectors never sit in memory at once."""
        last = -1
        while True:
            rows = self.db.execute(f"SELECT c.id, e.vector {self._VECTORS} AND c.id > ? "
                                   "ORDER BY c.id LIMIT ?", (model_id, last, size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield _id_vector_arrays(rows)

    def clause_vectors_at(self, model_id: str, ids: Sequence[int],
                          ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of the given clause rows (a sample), in row order."""
        wanted = sorted({int(i) for i in ids})
        rows: list[tuple[int, bytes]] = []
        for start in range(0, len(wanted), 900):  # SQLite's bound-parameter limit
            part = wanted[start:start + 900]
            rows += self.db.execute(
                f"SELECT c.id, e.vector {self._VECTORS} AND c.id IN "
                f"({','.join('?' * len(part))}) ORDER BY c.id", (model_id, *part)).fetchall()
        return _id_vector_arrays(rows)

def _writable(directory: Path, path: Path) -> bool:
    """Whether this process may write the workspace (creating the folder if need be)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(directory, os.W_OK)
    parent = directory
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return os.access(parent, os.W_OK)


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL database in a folder we cannot write cannot take
    SQLite's shared-memory lock, so it is then opened as immutable: nobody can be
    writing it through this folder's permissions as we see them."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None,
                         timeout=BUSY_TIMEOUT)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _same_file(stored: str, source: str) -> bool:
    """Whether a stored source and a new one name the same file."""
    if stored == source:
        return True
    try:
        return Path(stored).resolve() == Path(source).resolve()
    except OSError:
        return False



def _id_vector_arrays(rows: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]) if rows \
        else np.zeros((0, 0), dtype=np.float32)
    return ids, vectors
