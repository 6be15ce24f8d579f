"""Accepting or overriding a referral's recommended triage path (DESIGN.md section 2, step 3).
An override names its path and a reason; both kinds of decision are kept and audited."""

from __future__ import annotations

from django.db import transaction

from medreview.audit.actions import record
from medreview.claims.actions import ActionError
from medreview.claims.models import Referral, User
from medreview.triage.models import PATHS, TriageDecision

DECIDERS = ("adjuster", "nurse_case_manager", "risk_manager", "coordinator", "admin")


def do_decide_triage(
    referral: Referral, *, actor: User, decision: str, path: str | None = None, reason: str = ""
) -> TriageDecision:
    if actor.role not in DECIDERS:
        raise ActionError("your role cannot decide a referral's triage", status=403)
    reason = (reason or "").strip()
    if decision not in (TriageDecision.ACCEPT, TriageDecision.OVERRIDE):
        raise ActionError("decision must be 'accept' or 'override'", field="decision")
    if decision == TriageDecision.OVERRIDE:
        if path not in PATHS:
            raise ActionError(f"path must be one of: {', '.join(PATHS)}", field="path")
        if not reason:
            raise ActionError("an override needs a reason", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
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
        record(
            "triage.accepted" if decision == TriageDecision.ACCEPT else "triage.overridden",
            actor=actor,
            referral=referral,
            detail={"recommended": recommended, "path": chosen, "reason": reason},
        )
    return made
