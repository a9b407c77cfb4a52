"""The documented Python API, as a researcher would use it."""

from __future__ import annotations

import pytest

import tradelens
from tests.conftest import SAMPLES
from tradelens.errors import InputError, SetupError


def test_analyse_returns_the_report_and_the_workspace_answers(tmp_path):
    store = tmp_path / "ws"
    report = tradelens.analyse(SAMPLES / "eastern_regional_partnership.txt", store=store)
    assert report["schema"] == "tradelens.report/1"
    assert report["agreement"]["id"] == "eastern_regional_partnership"
    assert report["categories"]["server_location"]["status"] == "hard"
    with tradelens.open_workspace(store) as workspace:
        assert workspace.agreement_ids() == ["eastern_regional_partnership"]
        assert workspace.report("eastern_regional_partnership") == report
        hits = workspace.similar_clauses("No Party shall require a covered person to use or "
                                         "locate computing facilities in its territory", k=3)
        assert hits and hits[0]["agreement_id"] == "eastern_regional_partnership"
        assert "server_location" in {c for h in hits for c in h["categories"]}


def test_api_errors_are_typed(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        tradelens.analyse(tmp_path / "missing.txt", store=tmp_path / "ws")
    with pytest.raises(SetupError, match="no TradeLens workspace"):
        tradelens.open_workspace(tmp_path / "empty")
