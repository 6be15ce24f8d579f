"""Accepting or overriding a referral's recommended triage path (docs/workflow.md, "Triage").
An override names its path and a reason; both kinds of decision are kept and audited, and the
decision in force is the latest. A decision that no longer calls for a review already given
to a physician cancels that assignment in the same step, with its reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.clocks import stop_clock
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral, User
from medreview.claims.permissions import Permission, require
from medreview.core.triage.model import PATHS, SERVICES_CALLED_FOR
from medreview.core.vocabulary import words
from medreview.reviews.actions import do_cancel_assignments
from medreview.triage.models import TriageDecision


def do_decide_triage(
    referral: Referral, *, actor: User, decision: str, path: str | None = None, reason: str = ""
) -> TriageDecision:
    require(actor, Permission.DECIDE_TRIAGE)
    reason = (reason or "").strip()
    if decision not in (TriageDecision.ACCEPT, TriageDecision.OVERRIDE):
        raise ActionError("decision must be 'accept' or 'override'", field="decision")
    if decision == TriageDecision.OVERRIDE:
        if path not in PATHS:
            raise ActionError(f"path must be one of: {', '.join(PATHS)}", field="path")
        if not reason:
            raise ActionError("an override needs a reason", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
        if referral.triage is None:
            raise ActionError(
                "the records are still being read: there is no triage to decide on yet",
                status=409,
            )
        recommended = str(referral.triage["path"])
        chosen = recommended if decision == TriageDecision.ACCEPT else str(path)
        made = TriageDecision.objects.create(
            referral=referral,
            decision=decision,
            recommended_path=recommended,
            path=chosen,
            reason=reason,
            decided_by=actor,
        )
        referral.decided_path = chosen
        if referral.status == Referral.TRIAGED:
            referral.status = Referral.DECIDED
        referral.save(update_fields=["decided_path", "status", "updated"])
        stop_clock(referral, "triage", today=timezone.localdate())  # the first decision ends it
        record(
            "triage.accepted" if decision == TriageDecision.ACCEPT else "triage.overridden",
            actor=actor,
            referral=referral,
            detail={"recommended": recommended, "path": chosen, "reason": reason},
        )
        because = f"the triage decision in force is now {words(chosen)}"
        do_cancel_assignments(
            referral,
            actor=actor,
            keep=SERVICES_CALLED_FOR[chosen],
            reason=f"{because}: {reason}" if reason else because,
        )
    return made
