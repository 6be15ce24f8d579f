"""Keeping a referral's turnaround clocks (docs/workflow.md, "Turnaround clocks"): one per stage,
in business days of the claim's jurisdiction, set by the client's service level (or the
desk's default) and by the jurisdiction's rule where one gives a limit, whichever ends first;
paused while the claim waits on records. The arithmetic is the core's
(`core.triage.stages`); this module keeps the `Clock` rows.

These functions are called by the doors of each stage, inside the door's transaction; they
audit nothing themselves (the door that calls them does). In base `claims`, so every app
above may call them:

- `start_clock(referral, stage, *, today, limit=None, subject="", about="", npi="")`: a
  stage begins. Starting a stage already running (the same `about`) returns its clock.
- `stop_clock(referral, stage, *, today, about=None)`: the stage is done.
- `drop_clocks(referral, *, about)`: the work a clock measured is withdrawn (an assignment
  declined or cancelled); its clock is removed, neither met nor missed.
- `pause_clocks(referral, *, today)` / `resume_clocks(referral, *, today)`: the claim waits on
  records, then no longer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from medreview.claims.models import Clock, Organisation, Referral, ServiceLevel
from medreview.claims.rules import current_rules
from medreview.core.config import rule_thresholds
from medreview.core.network.jurisdictions import JurisdictionRule, JurisdictionRules
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days, business_days_between
from medreview.core.triage.stages import (
    LATE,
    NEARLY_LATE,
    ON_TIME,
    Allowance,
    ClockState,
    Pause,
    clock_state,
    service_levels,
    stricter,
)


def holidays_of(jurisdiction: str, *days: date) -> frozenset[date]:
    """The jurisdiction's holidays over the days given and two years after the last (a
    clock of a year's business days, paused, ends well within them)."""
    return holidays_for(jurisdiction, min(days).year, max(days).year + 2)


def margin() -> int:
    """Business days left (the due day counted) at which a running clock is nearly late."""
    return service_levels().nearly_late_business_days


def service_level(organisation: Organisation, stage: str) -> Allowance:
    """The client's turnaround for the stage, or the desk's default, with its source."""
    found = ServiceLevel.objects.filter(organisation=organisation, stage=stage).first()
    if found is not None:
        return Allowance(found.business_days, source=f"service level of {organisation.name}")
    default = service_levels().stage(stage)
    return Allowance(default.default_days(rule_thresholds(os.environ)), source=default.source)


def jurisdiction_limit(
    referral: Referral, stage: str, *, today: date, rules: JurisdictionRules | None = None
) -> Allowance | None:
    """The limit the claim's jurisdiction sets for the stage, from the rules in force, or
    None. The state's own rows win over the default rows; of several, the one ending first
    (New York's report in business days, California's in calendar days)."""
    found = service_levels().stage(stage)
    if not found.rules:
        return None
    rules = rules or current_rules()
    j = referral.jurisdiction
    rows = [r for name in found.rules if (r := rules.maybe(j, found.service, name)) is not None]
    rows = [r for r in rows if r.jurisdiction == j] or rows
    if not rows:
        return None
    limits = [_limit(r, j) for r in rows]
    return stricter(today, limits, holidays_of(j, today))


def _limit(rule: JurisdictionRule, jurisdiction: str) -> Allowance:
    calendar = not rule.rule.endswith("_business_days")
    if rule.jurisdiction == "*":
        source = f"{jurisdiction}: {rule.citation} (the default where its rules are silent)"
    else:
        source = f"{rule.jurisdiction}: {rule.citation}"
    return Allowance(int(rule.number), calendar=calendar, source=source[:300])


def _running(referral: Referral) -> QuerySet[Clock]:
    return Clock.objects.filter(referral=referral, stopped__isnull=True)


def start_clock(
    referral: Referral,
    stage: str,
    *,
    today: date,
    limit: Allowance | None = None,
    subject: str = "",
    about: str = "",
    npi: str = "",
) -> Clock:
    """Start the stage's clock on `today`: the client's service level, or the stricter
    `limit` of a jurisdiction's rule (the caller reads it, `jurisdiction_limit`). A referral
    waiting on records starts it paused."""
    service_levels().stage(stage)  # an unknown stage is a bug: it raises
    running = _running(referral).filter(stage=stage, about=about).first()
    if running is not None:
        return running
    level = service_level(referral.organisation, stage)
    holidays = holidays_of(referral.jurisdiction, today)
    # A legal limit first: kept, with its citation, when it ends the same day as the level.
    allowance = stricter(today, [limit, level] if limit else [level], holidays)
    return Clock.objects.create(
        referral=referral,
        stage=stage,
        subject=subject[:200],
        about=about,
        npi=npi,
        started=today,
        business_days=None if allowance.calendar else allowance.days,
        calendar_days=allowance.days if allowance.calendar else None,
        source=allowance.source[:300],
        due=allowance.due(today, holidays),
        paused_since=today if referral.records_awaited_since is not None else None,
    )


def stop_clock(
    referral: Referral, stage: str, *, today: date, about: str | None = None
) -> list[Clock]:
    """Stop the stage's running clocks (only the one `about` an assignment or addendum, when
    given) on `today`; a pause still running ends then."""
    found = _running(referral).filter(stage=stage)
    if about is not None:
        found = found.filter(about=about)
    stopped = list(found.select_for_update(no_key=True))
    for clock in stopped:
        _end_pause(clock, today, referral.jurisdiction)
        clock.stopped = today
        clock.save(update_fields=["stopped", "paused_since", "paused_business_days", "due"])
    return stopped


def stop_every_clock(referral: Referral, *, today: date) -> list[Clock]:
    """Stop every running clock of the referral (it is closed)."""
    stopped = list(_running(referral).select_for_update(no_key=True))
    for clock in stopped:
        _end_pause(clock, today, referral.jurisdiction)
        clock.stopped = today
        clock.save(update_fields=["stopped", "paused_since", "paused_business_days", "due"])
    return stopped


def drop_clocks(referral: Referral, *, about: str) -> int:
    """Remove the running clocks of work withdrawn (an assignment declined or cancelled):
    they measured work nobody owes any more."""
    deleted, _ = _running(referral).filter(about=about).delete()
    return deleted


def pause_clocks(referral: Referral, *, today: date) -> int:
    """The claim waits on records from `today`: every running clock of the referral pauses,
    and those started meanwhile start paused. Returns how many clocks paused."""
    if referral.records_awaited_since is None:
        referral.records_awaited_since = today
        Referral.objects.filter(pk=referral.pk).update(records_awaited_since=today)
    return _running(referral).filter(paused_since__isnull=True).update(paused_since=today)


def resume_clocks(referral: Referral, *, today: date) -> int:
    """The claim no longer waits on records: each paused clock runs again, its due day moved
    later by the business days it was paused. Returns how many clocks resumed."""
    if referral.records_awaited_since is not None:
        referral.records_awaited_since = None
        Referral.objects.filter(pk=referral.pk).update(records_awaited_since=None)
    paused = list(
        _running(referral).filter(paused_since__isnull=False).select_for_update(no_key=True)
    )
    for clock in paused:
        _end_pause(clock, today, referral.jurisdiction)
        clock.save(update_fields=["paused_since", "paused_business_days", "due"])
    return len(paused)


def _end_pause(clock: Clock, today: date, jurisdiction: str) -> None:
    if clock.paused_since is None:
        return
    holidays = holidays_of(jurisdiction, clock.started, today)
    days = business_days_between(clock.paused_since, today, holidays)
    clock.paused_business_days += days
    clock.due = add_business_days(clock.due, days, holidays)
    clock.paused_since = None


def state_of(clock: Clock, today: date, jurisdiction: str) -> ClockState:
    """Where the clock stands on `today` (`core.triage.stages.clock_state`)."""
    last = max(today, clock.stopped or today, clock.due)
    holidays = holidays_of(jurisdiction, clock.started, last)
    pauses = [Pause(clock.paused_since)] if clock.paused_since is not None else []
    return clock_state(
        started=clock.started,
        allowance=clock.allowance,
        today=today,
        holidays=holidays,
        margin=margin(),
        pauses=pauses,
        paused_business_days=clock.paused_business_days,
        stopped=clock.stopped,
    )


def left_in_words(state: ClockState) -> str:
    """Where a clock stands, as the pages say it: "late by 2 business days", "nearly late: 1
    business day left", "4 business days left", "paused: waiting on records", "done on
    time"."""

    def days(n: int) -> str:
        return f"{n} business day{'' if n == 1 else 's'}"

    if state.state == LATE:
        return f"late by {days(-state.left)}" if state.left < 0 else "late"
    if state.state == NEARLY_LATE:
        return f"nearly late: {days(state.left)} left" if state.left else "nearly late: due today"
    if state.state == ON_TIME:
        return f"{days(state.left)} left"
    return state.words


def stage_label(stage: str) -> str:
    levels = service_levels()
    return levels.stages[stage].label if stage in levels.stages else stage


def clocks_in_words(
    clocks: Iterable[Clock], today: date, jurisdiction: str
) -> list[dict[str, object]]:
    """Each clock as a page shows it: its stage in words, what it measures, its state."""
    shown = []
    for clock in clocks:
        state = state_of(clock, today, jurisdiction)
        shown.append(
            {
                "clock": clock,
                "stage": stage_label(clock.stage),
                "state": state,
                "words": left_in_words(state),
                "allowance": clock.allowance.words,
            }
        )
    return shown


def notice_due(today: date) -> Q:
    """The running clocks, not paused, that may have become nearly late or late without
    being told so: a superset, each checked exactly by `state_of`. Nearly late is within
    the margin's business days: never more calendar days than twice the margin and a week
    of holidays."""
    horizon = date.fromordinal(today.toordinal() + 2 * margin() + 7)
    return Q(stopped__isnull=True, paused_since__isnull=True) & (
        Q(late_notified=False, due__lt=today) | Q(nearly_late_notified=False, due__lte=horizon)
    )
