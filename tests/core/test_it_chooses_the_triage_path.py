"""The four path rules of docs/rules.md, first that applies wins, on plain dataclasses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from medreview.core.records.model import Document
from medreview.core.referral import Question, ReferralData
from medreview.core.thresholds import Thresholds
from medreview.core.triage.recommend import triage

NO_HOLIDAYS: frozenset[date] = frozenset()
RECEIVED = date(2026, 9, 1)  # a Tuesday


def doc(kind: str, day: date | None = date(2026, 8, 20), **kw: object) -> Document:
    name = kw.pop("name", f"records/{kind}_{day}.txt")
    return Document(str(name), str(name), kind, day, "Maren Holt, MD", (1,), **kw)  # type: ignore[arg-type]


def referral(*types: str, due: date | None = None) -> ReferralData:
    return ReferralData(
        claim_number="C1",
        line_of_business="workers_comp",
        jurisdiction="CA",
        questions=tuple(Question(f"q{i}", t, "?") for i, t in enumerate(types, 1)),
        received=RECEIVED,
        due=due,
    )


def due_in(business_days: int) -> date:
    day, left = RECEIVED, business_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


RECORDS = [doc("progress_note"), doc("consult_report", date(2026, 8, 25))]


def path(ref: ReferralData, docs: list[Document], settings: Thresholds | None = None) -> str:
    return triage(ref, docs, [], NO_HOLIDAYS, settings or Thresholds()).path


def test_rule_1_obtains_records_when_no_treating_physician_has_examined() -> None:
    therapy_only = [
        doc("therapy_note"),
        doc("therapy_note", date(2026, 8, 27)),
        doc("imaging_report"),
    ]
    result = triage(
        referral("medical_necessity", due=due_in(20)), therapy_only, [], NO_HOLIDAYS, Thresholds()
    )
    assert result.path == "obtain_records_first"
    assert result.rationale[0].startswith("Records missing: the records hold no evaluation")
    assert result.rationale[0].endswith("so obtain the records first.")
    assert "20 business days" in result.rationale[0]


def test_rule_1_counts_a_duplicate_once_and_bills_not_at_all() -> None:
    note = doc("progress_note")
    copy = doc("progress_note", name="records/copy.pdf", duplicate_of=note.name)
    sparse = [note, copy, doc("billing"), doc("other")]
    assert path(referral("causation", due=due_in(20)), sparse) == "obtain_records_first"


@pytest.mark.parametrize(("days", "expected"), [(9, "ime_first"), (10, "obtain_records_first")])
def test_rule_1_goes_to_the_ime_when_there_is_no_time_to_obtain_records(
    days: int, expected: str
) -> None:
    assert path(referral("causation", due=due_in(days)), [doc("progress_note")]) == expected


def test_rule_2_goes_to_the_ime_when_every_question_needs_an_exam() -> None:
    assert (
        path(referral("functional_capacity", "range_of_motion", due=due_in(30)), RECORDS)
        == "ime_first"
    )


@pytest.mark.parametrize(("days", "expected"), [(17, "concurrent"), (18, "peer_review_first")])
def test_rule_3_runs_both_at_once_when_there_is_no_time_for_one_after_the_other(
    days: int, expected: str
) -> None:
    ref = referral("causation", "neurological_evaluation", due=due_in(days))
    assert path(ref, RECORDS) == expected


def test_rule_3_turnaround_and_lead_time_are_settings() -> None:
    ref = referral("causation", "impairment_rating", due=due_in(17))
    assert path(ref, RECORDS, Thresholds(peer_review_turnaround_days=2)) == "peer_review_first"


def test_rule_4_peer_review_when_every_question_is_answered_from_records() -> None:
    result = triage(
        referral("causation", "medical_necessity", due=due_in(30)),
        RECORDS,
        [],
        NO_HOLIDAYS,
        Thresholds(),
    )
    assert result.path == "peer_review_first"
    assert result.rationale[0].startswith("Every question can be answered from the records")
    assert "(q1: causation, q2: medical necessity)" in result.rationale[0]
    assert "_" not in " ".join(result.rationale)  # words, never codes


def test_without_a_due_date_there_is_always_time() -> None:
    assert path(referral("causation"), [doc("progress_note")]) == "obtain_records_first"
    assert path(referral("causation", "range_of_motion"), RECORDS) == "peer_review_first"


def test_the_rationale_names_the_documents_and_business_days() -> None:
    result = triage(
        referral("causation", "impairment_rating", due=due_in(13)),
        RECORDS,
        [],
        NO_HOLIDAYS,
        Thresholds(),
    )
    text = " ".join(result.rationale)
    assert "13 business days" in text and "3 + IME lead time 15 = 18" in text
    assert "Maren Holt, MD" in text
    assert result.business_days_to_due == 13
