"""JSON writer: one `<agreement_id>.json` per agreement, the report contract as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tradelens.fileio import write_atomically
from tradelens.taxonomy import Taxonomy


def write_json(report: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / f"{report['agreement']['id']}.json"
    write_atomically(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path


def write(reports: list[dict[str, Any]], out_dir: Path, _taxonomy: Taxonomy) -> list[Path]:
    return [write_json(report, out_dir) for report in reports]
