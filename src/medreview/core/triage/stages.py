"""Turnaround clocks of a referral's stages (docs/rules.md, "Turnaround clocks").

The stages and the desk's default turnaround of each are data (`data/service_levels.toml`,
each with its source). A clock starts on a day with an allowance: business days (the desk's
default or the client's service level) or a jurisdiction's limit, in business days or in
calendar days. Business days are counted as `clocks.py` counts them: the day after the start
is day 1, weekends and the jurisdiction's holidays skipped. A limit in calendar days ends N
days after the start; a last day that falls on a weekend or a holiday moves to the next
business day, as courts count a deadline (California Code of Civil Procedure §12a; Federal
Rule of Civil Procedure 6(a)(1)(C)).

While the claim waits on records (a records request open) the clock is paused: each business
day paused moves the due day one business day later. A pause counts the business days after
the day it began through the day it ended, as a clock counts: paused on Monday and resumed on
Wednesday, Tuesday and Wednesday are not counted.

Everything here is pure: the day (`today`) and the holidays are passed in.
"""

from __future__ import annotations

import tomllib
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from medreview.core.thresholds import Thresholds
from medreview.core.triage.clocks import add_business_days, business_days_between, is_business_day

K = TypeVar("K")

# The states of a clock, and the words people read for them.
ON_TIME = "on_time"
NEARLY_LATE = "nearly_late"
LATE = "late"
PAUSED = "paused"
MET = "met"
MISSED = "missed"
STATE_WORDS = {
    ON_TIME: "on time",
    NEARLY_LATE: "nearly late",
    LATE: "late",
    PAUSED: "paused: waiting on records",
    MET: "done on time",
    MISSED: "done late",
}
# The most business days a stage may be given (a client's service level, or a default).
MOST_BUSINESS_DAYS = 365


@dataclass(frozen=True)
class Stage:
    """A stage of a referral and the desk's default turnaround for it."""

    code: str
    label: str
    runs: str
    business_days: int
    source: str
    threshold: str = ""  # a threshold of the triage rules that sets the same number
    service: str = ""  # the service whose jurisdiction rules may limit the stage
    rules: tuple[str, ...] = ()  # those rules, in business days or in calendar days

    def default_days(self, thresholds: Thresholds | None = None) -> int:
        """The desk's default: the threshold's setting where the stage names one."""
        if self.threshold and thresholds is not None:
            return int(getattr(thresholds, self.threshold))
        return self.business_days


@dataclass(frozen=True)
class ServiceLevels:
    """Every stage, in the order a referral goes through them, and the "nearly late" margin."""

    stages: Mapping[str, Stage]
    nearly_late_business_days: int
    nearly_late_source: str

    def stage(self, code: str) -> Stage:
        try:
            return self.stages[code]
        except KeyError:
            raise ValueError(f"unknown stage {code!r}") from None


def parse_service_levels(text: str) -> ServiceLevels:
    """The service levels of a TOML text; a bad entry raises `ValueError` naming it."""
    raw = tomllib.loads(text)
    stages: dict[str, Stage] = {}
    for code, entry in raw.get("stages", {}).items():
        days = entry.get("business_days")
        if not isinstance(days, int) or isinstance(days, bool):
            raise ValueError(f"service levels, stage {code}: business_days is a whole number")
        if problem := days_problem(days):
            raise ValueError(f"service levels, stage {code}: {problem}")
        if not entry.get("source") or not entry.get("label"):
            raise ValueError(f"service levels, stage {code}: a label and a source are needed")
        threshold = str(entry.get("threshold", ""))
        if threshold and threshold not in Thresholds.__dataclass_fields__:
            raise ValueError(f"service levels, stage {code}: unknown threshold {threshold!r}")
        stages[code] = Stage(
            code=code,
            label=str(entry["label"]),
            runs=str(entry.get("runs", "")),
            business_days=days,
            source=str(entry["source"]),
            threshold=threshold,
            service=str(entry.get("service", "")),
            rules=tuple(str(r) for r in entry.get("rules", ())),
        )
    margin = raw.get("nearly_late_business_days")
    if not isinstance(margin, int) or isinstance(margin, bool) or margin < 0:
        raise ValueError("service levels: nearly_late_business_days is a whole number, 0 or more")
    return ServiceLevels(stages, margin, str(raw.get("nearly_late_source", "")))


@lru_cache(maxsize=1)
def service_levels() -> ServiceLevels:
    text = resources.files("medreview.data").joinpath("service_levels.toml").read_text()
    return parse_service_levels(text)


def days_problem(days: int) -> str | None:
    """What is wrong with a number of business days for a stage, in words; None if nothing."""
    if not 1 <= days <= MOST_BUSINESS_DAYS:
        return f"{days} is not a number of business days from 1 to {MOST_BUSINESS_DAYS}"
    return None


@dataclass(frozen=True)
class Allowance:
    """The time a stage is given: business days, or a jurisdiction's limit in calendar days;
    `source` says whose it is, with its citation ("NY: WCL 137(1)(a)", "service level of
    Acme Insurance")."""

    days: int
    calendar: bool = False
    source: str = ""

    def due(self, start: date, holidays: Container[date]) -> date:
        """The last day of the allowance, with no pause."""
        if not self.calendar:
            return add_business_days(start, self.days, holidays)
        day = start + timedelta(days=self.days)
        while not is_business_day(day, holidays):
            day += timedelta(days=1)  # a deadline on a weekend or holiday: the next business day
        return day

    @property
    def words(self) -> str:
        unit = "day" if self.calendar else "business day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'}"


def stricter(start: date, allowances: Iterable[Allowance], holidays: Container[date]) -> Allowance:
    """The allowance that ends first (the first given, of those ending the same day)."""
    found: Allowance | None = None
    found_due: date | None = None
    for allowance in allowances:
        due = allowance.due(start, holidays)
        if found_due is None or due < found_due:
            found, found_due = allowance, due
    if found is None:
        raise ValueError("no allowance to choose from")
    return found


@dataclass(frozen=True)
class Pause:
    """An interval the claim waited on records: from `since` through `until` (None: still)."""

    since: date
    until: date | None = None


def signed_business_days(today: date, due: date, holidays: Container[date]) -> int:
    """Business days from today through the due day; negative, counted back, once past it."""
    if due >= today:
        return business_days_between(today, due, holidays)
    return -business_days_between(due, today, holidays)


@dataclass(frozen=True)
class ClockState:
    """Where a clock stands on a day: its due day (pauses counted), the business days left
    (negative when late; for a clock stopped, how early or late it stopped), its state, and
    the business days it has been paused."""

    due: date
    left: int
    state: str
    paused_business_days: int

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def running(self) -> bool:
        return self.state in (ON_TIME, NEARLY_LATE, LATE, PAUSED)


def clock_state(
    *,
    started: date,
    allowance: Allowance,
    today: date,
    holidays: Container[date],
    margin: int,
    pauses: Sequence[Pause] = (),
    paused_business_days: int = 0,
    stopped: date | None = None,
) -> ClockState:
    """The state of a clock on `today`. `pauses` are the intervals it waited on records (one
    without an end is a pause still running); `paused_business_days`, those already counted
    (a clock kept in a database keeps their sum). A pause running when the clock stopped ends
    on the stop day."""
    end = stopped or today
    paused = paused_business_days
    waiting = False
    for pause in pauses:
        until = pause.until
        if until is None:
            waiting = stopped is None
            until = end
        paused += business_days_between(pause.since, min(until, end), holidays)
    due = add_business_days(allowance.due(started, holidays), paused, holidays)
    if stopped is not None:
        left = signed_business_days(stopped, due, holidays)
        return ClockState(due, left, MET if stopped <= due else MISSED, paused)
    left = signed_business_days(today, due, holidays)
    if waiting:
        state = PAUSED
    elif today > due:
        state = LATE
    elif left <= margin:
        state = NEARLY_LATE
    else:
        state = ON_TIME
    return ClockState(due, left, state, paused)


def most_urgent(states: Iterable[tuple[K, ClockState]]) -> tuple[K, ClockState] | None:
    """Of running clocks (each with a key), the one latest or nearest to late: late first,
    then nearly late, on time, paused; fewest business days left first within each."""
    rank = {LATE: 0, NEARLY_LATE: 1, ON_TIME: 2, PAUSED: 3}
    running = [(key, s) for key, s in states if s.state in rank]
    if not running:
        return None
    return min(running, key=lambda item: (rank[item[1].state], item[1].left, item[1].due))
