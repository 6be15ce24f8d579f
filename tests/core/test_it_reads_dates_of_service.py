"""Dates of service: every common format, the visit's date chosen over birth, injury,
signature and fax dates."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from medreview.core.records.dates import (
    DATE_RE,
    date_matches,
    filename_date,
    find_dates,
    service_date,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-20", date(2026, 5, 20)),
        ("05/20/2026", date(2026, 5, 20)),
        ("5/20/26", date(2026, 5, 20)),
        ("May 20, 2026", date(2026, 5, 20)),
        ("Sept. 3, 2026", date(2026, 9, 3)),
        ("26-May-2026", date(2026, 5, 26)),
        ("3 September 2026", date(2026, 9, 3)),
    ],
)
def test_it_reads_the_formats_records_use(text: str, expected: date) -> None:
    assert [d.value for d in find_dates(f"seen on {text}.")] == [expected]


def test_it_does_not_read_pain_scores_codes_or_times_as_dates() -> None:
    assert find_dates("Pain 5/10, S63.592A, 4-6 weeks, 16:40, 555-0142, ratio 3-4/10") == ()


def test_it_prefers_the_labelled_date_of_service_to_birth_and_injury() -> None:
    text = "Patient: A B   DOB: 09/14/1983\nDate of injury: 04/27/2026     Date of service: 04/29/2026\n"
    assert service_date(text) == date(2026, 4, 29)


@pytest.mark.parametrize(
    "label",
    [
        "Date of examination:",
        "Visit date:",
        "EXAM DATE:",
        "Arrival:",
        "DOS:",
        "Evaluation date:",
        "Date of consultation:",
        "Date completed:",
    ],
)
def test_it_knows_the_labels_of_a_visit(label: str) -> None:
    text = f"CLINIC\nDOB: 01/02/1970\n{label} 06/24/2026\n"
    assert service_date(text) == date(2026, 6, 24)


def test_it_ignores_the_fax_stamp_of_a_refaxed_note() -> None:
    text = "07/08/2026 14:22 FROM: SVHWC 509-555-0154 TO: CLAIMS P. 1/1\nPROGRESS NOTE\nDOB: 01/25/1986\n"
    assert service_date(text) is None
    assert service_date(text + "Date of service: June 24, 2026\n") == date(2026, 6, 24)


def test_it_falls_back_to_an_unlabelled_header_date() -> None:
    assert service_date("PROGRESS NOTE\n06/10/2026\nDOB 01/01/1960\nBack pain.") == date(
        2026, 6, 10
    )


def test_it_reads_the_discharge_date_of_a_discharge_summary() -> None:
    text = "DISCHARGE SUMMARY\nAdmission date: 03/01/2026\nDischarge date: 03/05/2026\n"
    assert service_date(text, discharge=True) == date(2026, 3, 5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("records/SVI_MRI_L_wrist_2026-04-20.pdf", date(2026, 4, 20)),
        ("records/HarrisburgOpenMRI_C-spine_20260903.txt", date(2026, 9, 3)),
        ("records/WOH_visit_05062026.txt", date(2026, 5, 6)),
        ("records/VMPT_daily_051226.txt", date(2026, 5, 12)),
        ("records/GHUEA_followup_06-18-2026.txt", date(2026, 6, 18)),
        ("records/notes.txt", None),
    ],
)
def test_it_reads_dates_in_file_names(name: str, expected: date | None) -> None:
    assert filename_date(name) == expected


def test_the_injury_told_in_the_header_is_not_the_visit() -> None:
    text = "He fell from a ladder at work on 04/30/2026 and hurt his wrist.\nSeen 05/04/2026.\n"
    assert service_date(text) == date(2026, 5, 4)


TRICKY_DATES = (
    "1/05/20/2026 12-05-2026/3 05/20/2026-2026-05-21 May 20,\n2026 20th-March-2024 1999-1-1 "
    "3/4/99 13/05/2026 05.20.2026 05/20.2026 5/20/20261 Sept. 3rd 2025, 3 Sep 2025 DOS:05/20/26"
)


def test_dates_are_found_exactly_where_the_date_pattern_finds_them() -> None:
    texts = [TRICKY_DATES, *(p.read_text() for p in sorted(EXAMPLES.rglob("*.txt")))]
    for text in texts:
        expected = [m.span() for m in DATE_RE.finditer(text)]
        assert [m.span() for m in date_matches(text)] == expected, text[:80]


def test_dates_in_real_transcriptions_are_found_where_the_pattern_finds_them(
    shared_dir: Path,
) -> None:
    with (shared_dir / "data" / "mtsamples" / "mtsamples.csv").open(newline="") as f:
        texts = [row["transcription"] for row in csv.DictReader(f)]
    for text in texts:
        assert [m.span() for m in date_matches(text)] == [
            m.span() for m in DATE_RE.finditer(text)
        ], text[:80]
