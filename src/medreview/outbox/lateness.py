"""Late work told by e-mail too: the background check of the turnaround clocks
(docs/workflow.md, "Turnaround clocks"), which `medreview serve` queues on a schedule. The
clocks and their in-app notices are the base's (`claims.lateness`); this adds the e-mail.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from medreview.claims.clocks import stage_label
from medreview.claims.lateness import notify_late_clocks, send_clock_notice
from medreview.claims.models import Clock
from medreview.claims.permissions import BACKGROUND
from medreview.core.triage.stages import ClockState
from medreview.outbox.actions import mail_people, people_of

# The desk's people told of late work by e-mail (the in-app notice reaches the whole desk).
CLOCK_DESK_ROLES = ("coordinator", "scheduler")


@task()
def check_clocks() -> dict[str, int]:
    """Tell, once, of every turnaround clock that became nearly late or late since the last
    check, in the application and by e-mail."""
    return notify_late_clocks(today=timezone.localdate(), actor=BACKGROUND, tell=tell_clock)


def tell_clock(clock: Clock, state: ClockState) -> str:
    """A turnaround clock's news (`claims.lateness.send_clock_notice`: in-app, to the client,
    to the physician whose work it is and to the desk), and the same words by e-mail to the
    people each notice reaches: the client's users, the physician's user, and the desk's
    coordinators and schedulers. Inside the transaction that marks the clock told."""
    text = send_clock_notice(clock, state)
    referral = clock.referral
    people = people_of(referral, npi=clock.npi, desk_roles=CLOCK_DESK_ROLES)
    what = f"{stage_label(clock.stage).lower()} {state.state.replace('_', ' ')}"
    mail_people(people, f"Claim {referral.claim_number}: {what}", text, referral=referral)
    return text
