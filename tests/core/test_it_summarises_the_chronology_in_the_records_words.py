"""Each chronology entry says what the record concluded (its assessment, impression,
diagnoses or interpretation, whether written after a label or under a heading), or else what
the record is (its title); never the letterhead of the practice that sent it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medreview.core.case.pipeline import triage_folder
from medreview.core.records.chronology import summarize

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LETTERHEAD = (
    "PERIMETER FOOT & ANKLE ORTHOPAEDICS\n1150 Hammond Drive, Suite 430, Atlanta, GA 30328\n"
)


def test_the_assessment_under_its_heading_not_the_letterhead() -> None:
    note = (
        LETTERHEAD + "FOLLOW-UP VISIT - WORK STATUS REPORT\nPatient: A. B.  DOB: 11/02/1988\n"
        "INTERVAL HISTORY\nStill sore.\nASSESSMENT\nPatient: A. B.  Claim #: GA-1\n"
        "Left Lisfranc ligament sprain, improving. Continue therapy.\nPLAN\nReturn in 4 weeks.\n"
    )
    assert summarize(note, "progress_note") == "Left Lisfranc ligament sprain, improving."


def test_without_a_conclusion_the_title_not_the_letterhead() -> None:
    note = LETTERHEAD + "EMERGENCY DEPARTMENT RECORD\nChief complaint: left foot pain.\n"
    assert summarize(note, "emergency_record") == "EMERGENCY DEPARTMENT RECORD"


def test_the_label_on_the_line_still_wins() -> None:
    note = "RADIOLOGY REPORT\nEXAM: MRI right knee\nIMPRESSION: Medial meniscal tear. Effusion."
    assert summarize(note, "imaging_report") == "Medial meniscal tear."


@pytest.mark.parametrize("case", sorted(p.name for p in EXAMPLES.glob("e0*")))
def test_no_example_entry_is_a_letterhead(case: str) -> None:
    result = triage_folder(EXAMPLES / case, today=date(2026, 12, 3))
    firsts = {d.name: d.text.strip().splitlines()[0].strip() for d in result.documents if d.text}
    for d in result.documents:
        if d.live and d.date is not None and d.name in firsts:
            letterhead = firsts[d.name]
            assert d.summary != letterhead or "FORM" in letterhead, (d.name, d.summary)
