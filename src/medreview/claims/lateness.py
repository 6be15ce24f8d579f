"""Telling people, once, that a turnaround clock became nearly late or late
(docs/workflow.md, "Turnaround clocks").

`medreview serve` queues the background check (`outbox.lateness.check_clocks`, which tells by
e-mail too) when it starts and every `MEDREVIEW_CLOCK_CHECK_MINUTES` (15 by default);
`medreview clocks check` runs the same for a cron. Page loads never notify: only this. Each clock is marked told in the transaction of its
notices and its audit event, so a second run tells nothing new, and two runs at once tell
each clock once (its row is locked, then read again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from medreview.audit.actions import record
from medreview.claims.clocks import notice_due, stage_label, state_of
from medreview.claims.models import Clock, Organisation
from medreview.claims.notices import notify
from medreview.claims.permissions import Actor
from medreview.core.triage.stages import LATE, NEARLY_LATE, ClockState


def notify_late_clocks(
    *, today: date, actor: Actor, tell: Callable[[Clock, ClockState], str] | None = None
) -> dict[str, int]:
    """Tell of every clock that became nearly late or late since the last check, for a day
    and an actor, with `tell` (the in-app notices of `send_clock_notice` unless the caller
    tells more, as the outbox does by e-mail). Returns how many clocks were told late and
    nearly late."""
    tell = tell or send_clock_notice
    told = {LATE: 0, NEARLY_LATE: 0}
    for pk in (
        Clock.objects.filter(notice_due(today)).order_by("due", "id").values_list("pk", flat=True)
    ):
        with transaction.atomic():
            clock = (
                Clock.objects.select_for_update(of=("self",), no_key=True)
                .select_related("referral__organisation")
                .filter(pk=pk)
                .first()
            )
            if clock is None:
                continue
            state = state_of(clock, today, clock.referral.jurisdiction)
            if state.state == LATE and not clock.late_notified:
                clock.late_notified = clock.nearly_late_notified = True
            elif state.state == NEARLY_LATE and not clock.nearly_late_notified:
                clock.nearly_late_notified = True
            else:
                continue
            clock.save(update_fields=["late_notified", "nearly_late_notified"])
            tell(clock, state)
            record(
                f"clock.{state.state}",
                actor=actor,
                referral=clock.referral,
                detail={
                    "stage": clock.stage,
                    "subject": clock.subject,
                    "due": state.due.isoformat(),
                    "business_days_left": state.left,
                },
            )
            told[state.state] += 1
    return {"late": told[LATE], "nearly_late": told[NEARLY_LATE]}


def send_clock_notice(clock: Clock, state: ClockState) -> str:
    """The one place a clock's news goes out: an in-app notice to the client organisation
    whose referral it is, to the physician whose work the stage is (by NPI), and to the
    review desk's organisation. Inside the transaction that marks the clock told; no more of
    the patient than the claim number."""
    referral = clock.referral
    what = stage_label(clock.stage)
    if clock.subject:
        what = f"{what} ({clock.subject})"
    due = f"{state.due.day} {state.due:%b %Y}"  # as every page shows a date: 2 Jun 2026
    if state.state == LATE:
        news = f"is late: it was due {due}"
    else:
        left = "today" if state.left <= 0 else f"in {state.left} business day"
        left += "s" if state.left > 1 else ""
        news = f"is nearly late: due {due} ({left})"
    text = f"Claim {referral.claim_number}: {what} {news}."
    notify(text, referral=referral, organisation=referral.organisation)
    if clock.npi:
        notify(text, referral=referral, npi=clock.npi)
    for desk in Organisation.objects.filter(kind=Organisation.REVIEWER).order_by("pk"):
        notify(text, referral=referral, organisation=desk)
    return text
