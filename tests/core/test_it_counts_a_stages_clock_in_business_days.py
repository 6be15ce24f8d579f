"""A stage's clock (docs/rules.md, "Turnaround clocks"): its due day in business days (weekends
and the jurisdiction's holidays skipped) or, for a jurisdiction's limit, in calendar days
moved off a weekend or holiday; paused while the claim waits on records, the due day moving
later by the business days paused; on time, nearly late, late, paused, or done on time or
late. Pure: the day and the holidays are passed in."""

from __future__ import annotations

from datetime import date

import pytest

from medreview.core.thresholds import Thresholds
from medreview.core.triage.stages import (
    LATE,
    MET,
    MISSED,
    NEARLY_LATE,
    ON_TIME,
    PAUSED,
    Allowance,
    Pause,
    clock_state,
    most_urgent,
    parse_service_levels,
    service_levels,
    stricter,
)

NONE: frozenset[date] = frozenset()
THANKSGIVING = frozenset({date(2026, 11, 26), date(2026, 11, 27)})  # Thursday and Friday


def _state(**changes: object) -> object:
    given: dict[str, object] = {
        "started": date(2026, 11, 23),  # a Monday
        "allowance": Allowance(3),
        "today": date(2026, 11, 23),
        "holidays": THANKSGIVING,
        "margin": 1,
    }
    given.update(changes)
    return clock_state(**given)  # type: ignore[arg-type]


def test_a_weekend_and_a_holiday_inside_the_window_move_the_due_day() -> None:
    # Monday + 3 business days: Tuesday, Wednesday, then Thanksgiving, its Friday and the
    # weekend are skipped: the next Monday.
    found = _state()
    assert found.due == date(2026, 11, 30)
    assert (found.left, found.state) == (3, ON_TIME)
    assert Allowance(3).due(date(2026, 11, 23), NONE) == date(2026, 11, 26)


def test_it_is_nearly_late_within_the_margin_and_late_the_day_after_its_due_day() -> None:
    tuesday = _state(today=date(2026, 11, 24))
    assert (tuesday.left, tuesday.state) == (2, ON_TIME)  # Wednesday and Monday left
    # One business day left (the due day itself, past the holiday and the weekend).
    wednesday = _state(today=date(2026, 11, 25))
    assert (wednesday.left, wednesday.state) == (1, NEARLY_LATE)
    assert _state(today=date(2026, 11, 25), margin=0).state == ON_TIME
    due_day = _state(today=date(2026, 11, 30))
    assert (due_day.left, due_day.state) == (0, NEARLY_LATE)
    after = _state(today=date(2026, 12, 2))
    assert (after.left, after.state) == (-2, LATE)
    # Late on the Saturday after a Friday due day, though no business day has passed.
    saturday = _state(started=date(2026, 12, 1), allowance=Allowance(3), today=date(2026, 12, 5))
    assert saturday.due == date(2026, 12, 4) and saturday.state == LATE and saturday.left == 0


def test_a_pause_moves_the_due_day_by_the_business_days_paused() -> None:
    # Paused on Tuesday 24th, resumed Tuesday 1 December: Wednesday 25th, Monday 30th and
    # Tuesday 1st are not counted (Thanksgiving and its Friday were no business days anyway).
    pause = Pause(date(2026, 11, 24), date(2026, 12, 1))
    found = _state(pauses=[pause], today=date(2026, 12, 1))
    assert found.paused_business_days == 3
    assert found.due == date(2026, 12, 3)  # Monday 30th plus three business days
    assert found.state == ON_TIME
    # The same, kept as a sum of business days already counted.
    kept = _state(paused_business_days=3, today=date(2026, 12, 1))
    assert kept == found


def test_a_running_pause_holds_the_business_days_left() -> None:
    waiting = Pause(date(2026, 11, 24))
    first = _state(pauses=[waiting], today=date(2026, 11, 25))
    later = _state(pauses=[waiting], today=date(2026, 12, 8))
    assert first.state == later.state == PAUSED
    assert first.left == later.left == 2  # what was left when the pause began
    assert later.due > first.due


def test_a_calendar_day_limit_ends_n_days_later_moved_off_a_weekend_or_holiday() -> None:
    # California's QME report: 30 days after the exam (8 CCR 38).
    thirty = Allowance(30, calendar=True, source="CA: 8 CCR 38")
    assert thirty.due(date(2026, 6, 1), NONE) == date(2026, 7, 1)  # a Wednesday
    # Exam on Friday 2 October 2026: 30 days fall on Sunday 1 November: Monday 2 November.
    assert thirty.due(date(2026, 10, 2), NONE) == date(2026, 11, 2)
    # Exam on Tuesday 27 October: 30 days fall on Thanksgiving: the Friday off too, so Monday.
    assert thirty.due(date(2026, 10, 27), THANKSGIVING) == date(2026, 11, 30)
    found = _state(started=date(2026, 10, 27), allowance=thirty, today=date(2026, 11, 25))
    assert found.due == date(2026, 11, 30) and found.left == 1


def test_the_stricter_allowance_is_the_one_ending_first() -> None:
    exam = date(2026, 6, 1)
    client = Allowance(10, source="service level of Acme")
    california = Allowance(30, calendar=True, source="CA: 8 CCR 38")
    assert stricter(exam, [california, client], NONE) == client
    assert stricter(exam, [Allowance(25, source="slow client"), california], NONE) == california
    # Ending the same day, the first given is kept.
    same = Allowance(22, source="22 business days")  # 1 June + 22 business days = 1 July
    assert same.due(exam, NONE) == california.due(exam, NONE)
    assert stricter(exam, [california, same], NONE) == california


def test_a_stopped_clock_is_done_on_time_or_late() -> None:
    met = _state(stopped=date(2026, 11, 30), today=date(2026, 12, 10))
    assert (met.state, met.left) == (MET, 0)
    missed = _state(stopped=date(2026, 12, 2), today=date(2026, 12, 10))
    assert (missed.state, missed.left) == (MISSED, -2)
    # A pause still open when the clock stopped ends on the stop day.
    paused = _state(pauses=[Pause(date(2026, 11, 24))], stopped=date(2026, 12, 2))
    assert paused.state == MET and paused.paused_business_days == 4


def test_the_most_urgent_clock_is_the_latest_then_the_nearest_to_late() -> None:
    late = _state(today=date(2026, 12, 2))
    soon = _state(today=date(2026, 11, 30))
    calm = _state()
    paused = _state(pauses=[Pause(date(2026, 11, 23))])
    done = _state(stopped=date(2026, 11, 24))
    assert most_urgent([("a", calm), ("b", soon), ("c", late), ("d", paused)]) == ("c", late)
    assert most_urgent([("a", calm), ("d", paused), ("b", soon)]) == ("b", soon)
    assert most_urgent([("d", paused), ("e", done)]) == ("d", paused)
    assert most_urgent([("e", done)]) is None


def test_the_stages_are_data_each_with_its_source() -> None:
    levels = service_levels()
    assert list(levels.stages) == [
        "records",
        "triage",
        "peer_review",
        "qa",
        "scheduling",
        "exam",
        "report",
        "addendum",
    ]
    assert all(s.source and s.label for s in levels.stages.values())
    assert levels.stage("report").rules == ("ime_report_business_days", "ime_report_days")
    # The defaults a threshold also sets agree with it, and follow its setting.
    defaults = Thresholds()
    assert (
        levels.stage("peer_review").default_days(defaults)
        == 3
        == defaults.peer_review_turnaround_days
    )
    assert levels.stage("addendum").default_days(defaults) == 2
    assert levels.stage("peer_review").default_days(Thresholds(peer_review_turnaround_days=5)) == 5
    assert levels.stage("qa").default_days(defaults) == levels.stage("qa").business_days


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("nearly_late_business_days = 1\n[stages.qa]\nlabel='QA'\nsource='x'\nbusiness_days=0",
         "stage qa: 0 is not a number of business days from 1 to 365"),
        ("nearly_late_business_days = 1\n[stages.qa]\nlabel='QA'\nsource='x'\nbusiness_days='2'",
         "stage qa: business_days is a whole number"),
        ("nearly_late_business_days = -1\n", "nearly_late_business_days"),
    ],
)  # fmt: skip
def test_a_bad_entry_of_the_data_is_named(text: str, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        parse_service_levels(text)
