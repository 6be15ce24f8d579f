"""Without --json, `medreview triage` prints a report a nurse case manager can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases import note, referral, write_case

from medreview.cli import main


def test_it_shows_the_recommendation_questions_gaps_documents_and_chronology(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dr = "Maren Holt, MD"
    records = {
        "a.txt": note(
            "PROGRESS NOTE",
            "03/10/2026",
            dr,
            "ASSESSMENT: medial meniscal tear.\nPLAN: CT of the right knee ordered.",
        ),
        "b.txt": note(
            "PROGRESS NOTE", "04/07/2026", dr, "ASSESSMENT: improving.\nPLAN: continue therapy."
        ),
    }
    questions = [
        {"id": "q1", "type": "causation", "text": "Is the tear work related?"},
        {"id": "q2", "type": "range_of_motion", "text": "Measure knee motion."},
    ]
    assert main(["triage", str(write_case(tmp_path, referral(questions=questions), records))]) == 0
    out = capsys.readouterr().out
    assert "RECOMMENDATION: Peer review first" in out
    assert "q1 causation: RECORDS" in out and "q2 range_of_motion: EXAM" in out
    assert "missing_diagnostic_report [records/a.txt p.1]" in out
    assert "2026-03-10  progress_note" in out
    assert "medial meniscal tear" in out  # the chronology's summary
    assert "{" not in out.splitlines()[0]
