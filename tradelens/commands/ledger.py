"""`tradelens ledger COUNTRY`: a country's commitments, read from a workspace's reports."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from tradelens.errors import TradeLensError
from tradelens.ledger import LEDGER_COLUMNS, ledger, ledger_rows, records, render_ledger
from tradelens.report.export import csv_text, load_reports
from tradelens.text.parties import country_code, parse_date


def run_ledger(country: str, store_dir: Path, fmt: str, on_date: str | None) -> int:
    """`tradelens ledger`: print the ledger; returns the exit code (docs in the CLI)."""

    code = country_code(country)
    if code is None:
        print(f"error: unknown country {country!r} (an ISO 3166 alpha-3 code or a name in "
              "English, Spanish or French)", file=sys.stderr)
        return 2
    day = parse_date(on_date) if on_date else dt.date.today()
    if day is None:
        print(f"error: --on {on_date!r} is not a YYYY-MM-DD date", file=sys.stderr)
        return 2
    try:
        reports = load_reports(store_dir)
    except TradeLensError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    data = ledger(code, records(reports), day)
    if not data["agreements"]:
        print(f"error: {store_dir}: no agreement of {data['name']} ({code}) in the workspace "
              f"({len(reports)} agreements)", file=sys.stderr)
        return 1
    if fmt == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(csv_text(ledger_rows(data), LEDGER_COLUMNS))
    else:
        print(render_ledger(data))
    return 0
