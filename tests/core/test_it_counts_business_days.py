"""Business days: counted from the day after receipt through the due date, weekends and the
jurisdiction's holidays skipped (docs/rules.md)."""

from __future__ import annotations

from datetime import date

from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days, business_days_between

NO_HOLIDAYS: frozenset[date] = frozenset()


def test_it_counts_from_the_day_after_receipt_through_the_due_date() -> None:
    # Monday to the Friday of the same week: Tuesday..Friday.
    assert business_days_between(date(2026, 9, 14), date(2026, 9, 18), NO_HOLIDAYS) == 4


def test_it_skips_weekends() -> None:
    # Friday to the next Monday: only the Monday counts.
    assert business_days_between(date(2026, 9, 18), date(2026, 9, 21), NO_HOLIDAYS) == 1
    assert business_days_between(date(2026, 9, 1), date(2026, 9, 29), NO_HOLIDAYS) == 20


def test_it_skips_federal_holidays() -> None:
    us = holidays_for("FL", 2026, 2026)
    assert date(2026, 9, 7) in us  # Labor Day
    # 2026-09-02 (Wed) to 2026-10-09 (Fri): 27 weekdays, one of them Labor Day.
    assert business_days_between(date(2026, 9, 2), date(2026, 10, 9), us) == 26


def test_it_skips_a_states_own_holidays() -> None:
    illinois = holidays_for("IL", 2026, 2026)
    federal_only = holidays_for("FL", 2026, 2026)
    election_day = date(2026, 11, 3)
    assert election_day in illinois and election_day not in federal_only
    start, end = date(2026, 10, 30), date(2026, 11, 6)
    assert (
        business_days_between(start, end, illinois)
        == business_days_between(start, end, federal_only) - 1
    )


def test_it_counts_zero_when_due_is_not_after_receipt() -> None:
    assert business_days_between(date(2026, 9, 18), date(2026, 9, 18), NO_HOLIDAYS) == 0
    assert business_days_between(date(2026, 9, 18), date(2026, 9, 1), NO_HOLIDAYS) == 0


def test_it_agrees_with_a_day_by_day_count_over_long_spans() -> None:
    holidays = holidays_for("CA", 2026, 2027)
    start = date(2026, 1, 2)
    for length in (3, 17, 45, 200, 400):
        end = date.fromordinal(start.toordinal() + length)
        slow = sum(
            1
            for n in range(1, length + 1)
            if (d := date.fromordinal(start.toordinal() + n)).weekday() < 5 and d not in holidays
        )
        assert business_days_between(start, end, holidays) == slow


def test_it_adds_business_days_over_a_weekend_and_a_holiday() -> None:
    holidays = holidays_for("CA", 2026, 2026)
    # Friday 2026-09-04 + 1 business day: Monday is Labor Day, so Tuesday.
    assert add_business_days(date(2026, 9, 4), 1, holidays) == date(2026, 9, 8)
