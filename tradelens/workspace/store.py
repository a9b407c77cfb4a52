"""The workspace store: one SQLite database beside the FAISS index files.

SQLite is the source of truth (agreements, clauses, findings, reports, embedding cache);
the FAISS index is derived from it and can always be rebuilt. Each agreement is written
in one transaction, so an interrupted batch leaves only whole agreements behind and a
re-run resumes where it stopped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from tradelens.errors import SetupError
from tradelens.models import Clause

DATABASE_FILE = "tradelens.sqlite"
SCHEMA_VERSION = 1
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
CREATE TABLE IF NOT EXISTS embeddings (
    text_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (text_hash, model_id)
) WITHOUT ROWID;
"""


class Store:
    """A workspace directory: `tradelens.sqlite` plus index files."""

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        """Open (creating it if needed) a workspace; `read_only` is for batch workers,
        which read the embedding cache while the main process writes."""
        self.directory = Path(directory)
        path = self.directory / DATABASE_FILE
        try:
            if read_only:
                self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                          isolation_level=None, timeout=30)
                return
            self.directory.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        except (OSError, sqlite3.Error) as exc:
            raise SetupError(f"{self.directory}: cannot open workspace ({exc})") from exc
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise SetupError(f"{self.directory}: workspace schema {version} is not supported "
                             f"(expected {SCHEMA_VERSION}); use a new --store directory")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- agreements -----------------------------------------------------------------------

    def cached_report(self, source: str, file_sha256: str, config: str) -> dict | None:
        """The stored report if this exact file was analysed with this exact configuration."""
        row = self.db.execute(
            "SELECT report FROM agreements WHERE source=? AND file_sha256=? AND config=?",
            (source, file_sha256, config),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def save_agreement(self, report: dict[str, Any], clauses: list[Clause], file_sha256: str,
                       config: str, text_hashes: list[str]) -> None:
        """Replace everything stored for this agreement, atomically.

        Deleting the agreement row removes its clauses and findings (ON DELETE CASCADE).
        """
        agreement = report["agreement"]
        with self.transaction() as db:
            db.execute("DELETE FROM agreements WHERE agreement_id=?", (agreement["id"],))
            db.execute(
                "INSERT INTO agreements (agreement_id, source, file_sha256, config, title, "
                "language, date_signed, score, report) VALUES (?,?,?,?,?,?,?,?,?)",
                (agreement["id"], agreement["source"], file_sha256, config, agreement["title"],
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

    def clause_texts(self) -> list[tuple[str, str]]:
        """(clause id, text) of every stored clause."""
        return self.db.execute("SELECT clause_id, text FROM clauses").fetchall()

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
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings (text_hash, model_id, vector) VALUES (?,?,?)",
                [(h, model_id, np.asarray(v, dtype=np.float32).tobytes())
                 for h, v in vectors.items()],
            )

    def clause_vectors(self, model_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every stored clause that has an embedding for this model,
        read in chunks into one preallocated array (a corpus is 100 000+ vectors)."""
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


def _id_vector_arrays(rows: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]) if rows \
        else np.zeros((0, 0), dtype=np.float32)
    return ids, vectors
