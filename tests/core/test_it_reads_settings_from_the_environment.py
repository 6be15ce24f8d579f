"""Thresholds are settings from the environment, and a bad value stops with a message naming
the variable (one settings module, failing loudly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import note, referral, write_case

from medreview.cli import main
from medreview.core.config import ConfigError, rule_thresholds
from medreview.core.thresholds import Thresholds


def test_defaults_are_the_design_thresholds() -> None:
    assert rule_thresholds({}) == Thresholds(
        recent_exam_days=90,
        min_business_days_to_obtain_records=10,
        min_clinical_documents=2,
        peer_review_turnaround_days=3,
        ime_lead_time_days=15,
        treatment_gap_days=45,
    )


def test_a_variable_overrides_its_threshold() -> None:
    assert rule_thresholds({"MEDREVIEW_TREATMENT_GAP_DAYS": "60"}).treatment_gap_days == 60


@pytest.mark.parametrize("value", ["sixty", "-3", "0", "4.5"])
def test_a_bad_value_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="MEDREVIEW_TREATMENT_GAP_DAYS"):
        rule_thresholds({"MEDREVIEW_TREATMENT_GAP_DAYS": value})


def test_the_command_uses_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dr = "Maren Holt, MD"
    records = {
        "a.txt": note("PROGRESS NOTE", "03/10/2026", dr, "PLAN: continue."),
        "b.txt": note("PROGRESS NOTE", "05/10/2026", dr, "PLAN: continue."),
    }
    folder = write_case(tmp_path, referral(), records)
    assert main(["triage", str(folder), "--json"]) == 0
    assert '"treatment_gap"' in capsys.readouterr().out
    monkeypatch.setenv("MEDREVIEW_TREATMENT_GAP_DAYS", "90")
    assert main(["triage", str(folder), "--json"]) == 0
    assert '"treatment_gap"' not in capsys.readouterr().out
    monkeypatch.setenv("MEDREVIEW_TREATMENT_GAP_DAYS", "ninety")
    assert main(["triage", str(folder), "--json"]) == 2
    assert "MEDREVIEW_TREATMENT_GAP_DAYS" in capsys.readouterr().err
