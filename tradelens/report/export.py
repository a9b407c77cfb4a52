"""Research tables from a workspace: agreements, parties, findings and a country panel.

Researchers put TradeLens next to trade and investment data, so the tables are tidy (one
observation per row, one variable per column), the same in CSV and Parquet, and carry the
taxonomy version and model hash that produced them: Parquet in its key-value metadata,
CSV in a `metadata.json` beside the files (CSV has no place for it). `docs/data.md` is the
data dictionary, with the formula for the panel's row count.

Python API: `tables(store_dir)` returns the same tables as pandas DataFrames.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tradelens.errors import SetupError, TradeLensError
from tradelens.ledger import AgreementRecord, records
from tradelens.models import STRENGTH_ORDER
from tradelens.report.csv_report import FINDING_COLUMNS, FORMULA_START
from tradelens.text.parties import country_name

if TYPE_CHECKING:
    import pandas as pd

EXPORT_SCHEMA = "tradelens.export/1"
EXPORT_FORMATS = ("csv", "parquet")
TABLES = ("agreements", "parties", "findings", "panel")
_STATUS = np.array(["none", "soft", "hard"], dtype=object)
#: A cell starting with one of csv_report's formula characters (the OWASP rule).
_FORMULA_START = "^[" + re.escape("".join(FORMULA_START)) + "]"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell that a spreadsheet would run as a formula prefixed
    with an apostrophe (numbers stay numbers)."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            labels = series.cat.categories.astype(str)
            risky = labels.str.contains(_FORMULA_START, regex=True)
            if risky.any():
                out[column] = series.cat.rename_categories(
                    [f"'{v}" if r else v for v, r in zip(labels, risky, strict=True)])
        elif series.dtype == object or str(series.dtype).startswith("str"):
            risky = series.astype("string").str.contains(_FORMULA_START, regex=True,
                                                         na=False)
            if risky.any():
                out[column] = series.where(~risky, "'" + series.astype("string"))
    return out


def csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """Rows as CSV text, neutralised against formula injection (the ledger's CSV)."""
    import pandas as pd

    return neutralise(pd.DataFrame(rows, columns=columns)).to_csv(index=False)


def load_reports(store_dir: Path) -> list[dict[str, Any]]:
    """Every report stored in a workspace; SetupError when there is none."""
    from tradelens.workspace import open_workspace

    with open_workspace(store_dir) as workspace:
        return list(workspace.reports())


def metadata(reports: list[dict[str, Any]], until: int, as_of: dt.date) -> dict[str, Any]:
    """What produced the tables: every file carries this."""
    def distinct(key: str) -> str:
        return ";".join(sorted({str(r["provenance"][key]) for r in reports}))

    return {"schema": EXPORT_SCHEMA, "tradelens_version": distinct("tradelens_version"),
            "taxonomy_version": distinct("taxonomy_version"), "model": distinct("model"),
            "model_sha256": distinct("model_sha256"), "as_of": as_of.isoformat(),
            "panel_until": until, "agreements": len(reports)}


def _agreements(reports: list[dict[str, Any]], recs: list[AgreementRecord],
                as_of: dt.date) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for report, rec in zip(reports, recs, strict=True):
        agreement = report["agreement"]
        row = {"agreement_id": rec.id, "title": agreement.get("title"),
               "date_signed": rec.date_signed, "date_into_force": rec.date_into_force,
               "date_inactive": rec.date_inactive, "treaty_status": rec.treaty_status,
               "year_start": rec.start_year, "basis": rec.basis,
               "in_force_today": rec.in_force_on(as_of),
               "language": agreement.get("language"), "format": agreement.get("format"),
               "source_file": Path(agreement.get("source") or "").name,
               "parties": ";".join(agreement.get("parties") or []),
               "party_codes": ";".join(rec.codes), "n_parties": len(rec.codes),
               "score": report["policy_space"]["score"]}
        for category, result in rec.categories.items():
            row[f"{category}_status"] = result.status
            row[f"{category}_score"] = result.policy_space
            row[f"{category}_clause_id"] = result.clause_id
        row.update({"clauses": report["stats"]["clauses"],
                    "taxonomy_version": report["provenance"]["taxonomy_version"],
                    "model_sha256": report["provenance"]["model_sha256"]})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if len(frame):
        frame["year_start"] = frame["year_start"].astype("Int64")
    return frame


def _parties(recs: list[AgreementRecord]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [{"agreement_id": r.id, "party_code": code, "country_name": country_name(code),
          "side": r.sides.get(code, code)} for r in recs for code in r.codes],
        columns=["agreement_id", "party_code", "country_name", "side"])


FINDINGS_COLUMNS = [c for c in FINDING_COLUMNS if c != "text"] + [
    "decisive", "modifier_clauses", "text"]


def _findings(reports: list[dict[str, Any]], recs: list[AgreementRecord]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for report, rec in zip(reports, recs, strict=True):
        for category, body in report["categories"].items():
            decisive = rec.categories[category].clause_id
            for f in body["findings"]:
                scope = f.get("scope_clauses") or [{"type": t, "clause_id": None}
                                                    for t in f["scope"]]
                hits = list(f["exceptions"]) + list(scope) + list(f.get("enforceability", []))
                rows.append({
                    "agreement_id": rec.id, "category": category, "clause_id": f["clause_id"],
                    "source_ref": f["source_ref"], "location": f["location"],
                    "page": f.get("page"), "strength": f["strength"],
                    "confidence": f["confidence"], "policy_space": f.get("policy_space"),
                    "scope": ";".join(f["scope"]),
                    "exceptions": ";".join(e["type"] for e in f["exceptions"]),
                    "enforceability": ";".join(e["type"] for e in f.get("enforceability", [])),
                    "decisive": f["clause_id"] == decisive,
                    "modifier_clauses": ";".join(f"{h['type']}={h.get('clause_id') or ''}"
                                                 for h in hits),
                    "text": f["text"]})
    frame = pd.DataFrame(rows, columns=FINDINGS_COLUMNS)
    frame["page"] = frame["page"].astype("Int64")
    return frame


PANEL_COLUMNS = ["country", "partner", "year", "category", "status", "score",
                 "agreement_id", "clause_id", "agreements_in_force"]


def panel(recs: list[AgreementRecord], until: int) -> pd.DataFrame:
    """country x partner x year x category, from the first year the two share an agreement
    in force up to `until`: the most binding commitment between them that year.

    A year counts for an agreement when it was in force on any day of it (from the year
    of entry into force to the year it became inactive). Vectorised with numpy: the whole
    corpus is a few million rows.
    """
    import pandas as pd

    dated = [r for r in recs if r.start_year is not None and r.start_year <= until]
    categories = list(recs[0].categories) if recs else []
    # one entry per (ordered pair on different sides, agreement)
    pair_index: dict[tuple[str, str], int] = {}
    entry_pair, entry_agreement = [], []
    for n, rec in enumerate(dated):
        for country in rec.codes:
            own = rec.sides.get(country)
            for partner in rec.codes:
                if rec.sides.get(partner) != own:
                    entry_pair.append(pair_index.setdefault((country, partner),
                                                            len(pair_index)))
                    entry_agreement.append(n)
    if not entry_pair:
        return pd.DataFrame(columns=PANEL_COLUMNS)
    # pairs numbered in (country, partner) order, so the grid comes out sorted
    ordered = sorted(pair_index)
    renumber = np.empty(len(ordered), dtype=np.int64)
    renumber[[pair_index[k] for k in ordered]] = np.arange(len(ordered))
    pairs = renumber[np.array(entry_pair, dtype=np.int64)]
    agreements = np.array(entry_agreement, dtype=np.int64)
    start = np.array([r.start_year for r in dated], dtype=np.int64)[agreements]
    last = np.array([min(r.end_year if r.end_year is not None else until, until)
                     for r in dated], dtype=np.int64)[agreements]
    last = np.maximum(last, start)
    e_pair, e_year = _explode(pairs, start, last - start + 1)
    e_agreement = np.repeat(agreements, last - start + 1)
    # the grid: every pair from its first year to `until`
    first = np.full(len(ordered), until + 1, dtype=np.int64)
    np.minimum.at(first, pairs, start)
    g_pair, g_year = _explode(np.arange(len(ordered)), first, until - first + 1)
    g_key = g_pair * 10_000 + g_year
    e_key = e_pair * 10_000 + e_year
    in_force = np.bincount(np.searchsorted(g_key, e_key), minlength=len(g_key))
    starts = np.array([r.start.toordinal() for r in dated], dtype=np.int64)  # type: ignore
    # text columns are categoricals built from integer codes: a few million rows of
    # strings would otherwise dominate the export's time
    clause_names = sorted({r.categories[c].clause_id for r in dated for c in categories
                           if r.categories[c].clause_id})
    clause_index = {name: n for n, name in enumerate(clause_names)}
    columns: dict[str, list[np.ndarray]] = {"status": [], "score": [], "agreement_id": [],
                                            "clause_id": []}
    for category in categories:
        rank = np.array([STRENGTH_ORDER[r.categories[category].status] for r in dated])[e_agreement]
        score = np.array([r.categories[category].policy_space for r in dated])[e_agreement]
        clause = np.array([clause_index.get(r.categories[category].clause_id or "", -1)
                           for r in dated], dtype=np.int64)
        order = np.lexsort((e_agreement, starts[e_agreement], score, -rank, e_key))
        keys = e_key[order]
        head = np.ones(len(keys), dtype=bool)
        head[1:] = keys[1:] != keys[:-1]
        best = order[head]
        best = best[rank[best] > 0]  # status none: no commitment, no agreement named
        at = np.searchsorted(g_key, e_key[best])
        status = np.zeros(len(g_key), dtype=np.int64)
        value = np.full(len(g_key), 100.0)
        agreement = np.full(len(g_key), -1, dtype=np.int64)
        clause_id = np.full(len(g_key), -1, dtype=np.int64)
        status[at], value[at] = rank[best], score[best]
        agreement[at] = e_agreement[best]
        clause_id[at] = clause[e_agreement[best]]
        for name, array in (("status", status), ("score", value),
                            ("agreement_id", agreement), ("clause_id", clause_id)):
            columns[name].append(array)
    k = len(categories)
    codes = sorted({c for pair in ordered for c in pair})
    code_index = {c: n for n, c in enumerate(codes)}
    countries = np.array([code_index[c] for c, _ in ordered], dtype=np.int64)
    partners = np.array([code_index[p] for _, p in ordered], dtype=np.int64)
    stacked = {name: np.stack(arrays, axis=1).ravel() for name, arrays in columns.items()}
    ids = [r.id for r in dated]
    # rows in (country, partner, year, category) order: categories vary fastest
    return pd.DataFrame({
        "country": pd.Categorical.from_codes(np.repeat(countries[g_pair], k), codes),
        "partner": pd.Categorical.from_codes(np.repeat(partners[g_pair], k), codes),
        "year": np.repeat(g_year, k),
        "category": pd.Categorical.from_codes(np.tile(np.arange(k), len(g_key)), categories),
        "status": pd.Categorical.from_codes(stacked["status"], list(_STATUS)),
        "score": stacked["score"],
        "agreement_id": pd.Categorical.from_codes(stacked["agreement_id"], ids),
        "clause_id": pd.Categorical.from_codes(stacked["clause_id"], clause_names),
        "agreements_in_force": np.repeat(in_force, k)}, columns=PANEL_COLUMNS)


def _explode(keys: np.ndarray, first: np.ndarray, lengths: np.ndarray,
             ) -> tuple[np.ndarray, np.ndarray]:
    """(key, year) for every year of every run `first .. first + length - 1`."""
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    years = np.repeat(first, lengths) + (np.arange(lengths.sum()) - offsets)
    return np.repeat(keys, lengths), years


def tables(store_dir: Path | str, until: int | None = None,
           as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The four research tables of a workspace as pandas DataFrames (with
    `frame.attrs["tradelens"]` holding the metadata every exported file carries)."""
    as_of = as_of or dt.date.today()
    until = until or as_of.year
    reports = load_reports(Path(store_dir))
    if not reports:
        raise TradeLensError(f"{store_dir}: the workspace has no agreements to export")
    recs = records(reports)
    result = {"agreements": _agreements(reports, recs, as_of), "parties": _parties(recs),
              "findings": _findings(reports, recs), "panel": panel(recs, until)}
    meta = metadata(reports, until, as_of)
    for frame in result.values():
        frame.attrs["tradelens"] = meta
    return result


def write_export(store_dir: Path, to_dir: Path, formats: tuple[str, ...] = EXPORT_FORMATS,
                 until: int | None = None, as_of: dt.date | None = None) -> list[Path]:
    """Write every table in every format into `to_dir`; returns the files written."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    frames = tables(store_dir, until, as_of)
    meta = frames["agreements"].attrs["tradelens"]
    to_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    files: dict[str, Any] = {}
    for name, frame in frames.items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        files[name] = {"rows": len(frame), "columns": list(frame.columns)}
        if "parquet" in formats:
            tagged = table.replace_schema_metadata({
                **(table.schema.metadata or {}),
                b"tradelens": json.dumps(meta).encode(),
                b"taxonomy_version": str(meta["taxonomy_version"]).encode(),
                b"model_sha256": str(meta["model_sha256"]).encode()})
            path = to_dir / f"{name}.parquet"
            pq.write_table(tagged, _tmp(path))
            written.append(_commit(path))
        if "csv" in formats:
            path = to_dir / f"{name}.csv"
            pacsv.write_csv(pa.Table.from_pandas(neutralise(frame), preserve_index=False),
                            _tmp(path))
            written.append(_commit(path))
    if "csv" in formats:
        path = to_dir / "metadata.json"
        _tmp(path).write_text(json.dumps({**meta, "tables": files}, indent=2) + "\n")
        written.append(_commit(path))
    return written


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _commit(path: Path) -> Path:
    """Rename the finished temporary file into place, so readers never see half a table."""
    _tmp(path).replace(path)
    return path


def run_export(store_dir: Path, to_dir: Path, formats: str, until: int | None) -> int:
    """`tradelens export`: write the tables; returns the exit code (0 written, 1 the
    workspace is empty, 2 usage or set-up error)."""
    import sys
    import time

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in EXPORT_FORMATS]
    if unknown or not chosen:
        print(f"error: --format {formats!r}: choose from {', '.join(EXPORT_FORMATS)}",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        written = write_export(Path(store_dir), Path(to_dir), chosen, until)
    except TradeLensError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, SetupError) else 1
    print(f"{len(written)} files written to {to_dir}/ in {time.perf_counter() - started:.1f} s")
    return 0
