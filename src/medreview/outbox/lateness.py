"""Late work told by e-mail too: the background check of the turnaround clocks
(docs/workflow.md, "Turnaround clocks"), which `medreview serve` queues on a schedule. The
clocks and their in-app notices are the base's (`claims.lateness`); this adds the e-mail.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from medreview.claims.clocks import stage_label
from medreview.claims.lateness import notify_late_clocks, send_clock_notice
from medreview.claims.models import Clock, Organisation, User
from medreview.claims.permissions import BACKGROUND
from medreview.claims.roles import CLIENT_ROLES
from medreview.core.triage.stages import ClockState
from medreview.outbox.actions import queue_email

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
    people = User.objects.filter(is_active=True).filter(
        Q(organisation_id=referral.organisation_id, role__in=CLIENT_ROLES)
        | Q(organisation__kind=Organisation.REVIEWER, role__in=CLOCK_DESK_ROLES)
        | (Q(npi=clock.npi, role="physician") if clock.npi else Q(pk__in=[]))
    )
    subject = f"Claim {referral.claim_number}: {stage_label(clock.stage).lower()} {state.state.replace('_', ' ')}"
    body = f"{text}\n\nClaim {referral.claim_number}: sign in to medreview to see the referral.\n"
    for email in people.order_by("email").values_list("email", flat=True).distinct():
        queue_email(email, subject, body, referral=referral)
    return text
