"""Each question type's route (docs/rules.md), from data/question_routes.toml."""

from __future__ import annotations

from datetime import date

import pytest

from medreview.core.records.model import Document
from medreview.core.referral import QUESTION_TYPES, Question
from medreview.core.thresholds import Thresholds
from medreview.core.triage.recommend import question_routes, route_questions

RECEIVED = date(2026, 9, 21)


def exam(kind: str, day: date) -> Document:
    return Document(f"records/{kind}.txt", f"records/{kind}.txt", kind, day, "Dr A", (1,))


def route(qtype: str, docs: list[Document], settings: Thresholds | None = None) -> str:
    return route_questions([Question("q1", qtype, "?")], docs, RECEIVED, settings or Thresholds())[
        0
    ].route


def test_every_question_type_of_the_contract_has_a_route() -> None:
    assert set(question_routes()["routes"]) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    "qtype",
    [
        "causation",
        "medical_necessity",
        "treatment_appropriateness",
        "diagnosis_support",
        "billing_alignment",
        "future_care",
        "apportionment",
    ],
)
def test_record_questions_go_to_records(qtype: str) -> None:
    assert route(qtype, []) == "records"


@pytest.mark.parametrize(
    "qtype",
    ["functional_capacity", "impairment_rating", "neurological_evaluation", "range_of_motion"],
)
def test_exam_questions_go_to_the_exam_whatever_the_records(qtype: str) -> None:
    assert route(qtype, [exam("progress_note", date(2026, 9, 1))]) == "exam"


@pytest.mark.parametrize("qtype", ["mmi", "work_status"])
@pytest.mark.parametrize(
    ("kind", "days_before", "expected"),
    [
        ("progress_note", 25, "records"),
        ("consult_report", 90, "records"),
        ("progress_note", 91, "exam"),
        ("therapy_note", 10, "exam"),  # a therapist's note is not a treating physician's exam
        ("imaging_report", 10, "exam"),
        ("emergency_record", 10, "exam"),  # docs/rules.md: a progress note or consult report
    ],
)
def test_mmi_and_work_status_need_a_recent_treating_exam(
    qtype: str, kind: str, days_before: int, expected: str
) -> None:
    day = date.fromordinal(RECEIVED.toordinal() - days_before)
    assert route(qtype, [exam(kind, day)]) == expected


def test_the_recent_exam_window_is_a_setting() -> None:
    old = [exam("progress_note", date(2026, 5, 1))]
    assert route("mmi", old) == "exam"
    assert route("mmi", old, Thresholds(recent_exam_days=180)) == "records"


def test_the_reason_names_the_exam_it_relied_on() -> None:
    docs = [exam("progress_note", date(2026, 8, 27))]
    reason = route_questions([Question("q1", "mmi", "?")], docs, RECEIVED, Thresholds())[0].reason
    assert "2026-08-27" in reason and "25 days" in reason
