"""Business-day clocks (docs/rules.md, "Business days").

Business days are counted from the day after the start through the end, skipping weekends
and the holidays passed in (the jurisdiction's, from `calendars.holidays_for`). The day after
receipt is day 1, as 8 CCR 9792.9.1 counts it for California utilization review.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta


def is_business_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def business_days_between(start: date, end: date, holidays: Container[date]) -> int:
    """Business days after `start` up to and including `end`; 0 when `end` is not after `start`."""
    if end <= start:
        return 0
    total = 0
    day = start + timedelta(days=1)
    # Whole weeks first: five weekdays each, minus the holidays that fall on them.
    whole_weeks = (end - day).days // 7
    if whole_weeks:
        week_end = day + timedelta(days=7 * whole_weeks)
        total += 5 * whole_weeks
        total -= sum(
            1
            for offset in range((week_end - day).days)
            if (d := day + timedelta(days=offset)).weekday() < 5 and d in holidays
        )
        day = week_end
    while day <= end:
        if is_business_day(day, holidays):
            total += 1
        day += timedelta(days=1)
    return total


def add_business_days(start: date, count: int, holidays: Container[date]) -> date:
    """The business day that is `count` business days after `start`."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            remaining -= 1
    return day
