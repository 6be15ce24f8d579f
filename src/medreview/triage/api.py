"""`POST /api/v1/referrals/{id}/triage-decision`: accept or override the recommended path."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from medreview.claims.access import referral_or_404
from medreview.triage.actions import do_decide_triage
from medreview.triage.schemas import DecisionIn, DecisionOut

router = Router(tags=["triage"])


@router.post("/{referral_id}/triage-decision", response=DecisionOut)
def decide(request: HttpRequest, referral_id: str, body: DecisionIn) -> DecisionOut:
    referral = referral_or_404(request.user, referral_id)
    made = do_decide_triage(
        referral,
        actor=request.user,  # type: ignore[arg-type]
        decision=body.decision,
        path=body.path,
        reason=body.reason or "",
    )
    return DecisionOut(
        decision=made.decision,
        path=made.path,
        recommended_path=made.recommended_path,
        reason=made.reason,
    )
