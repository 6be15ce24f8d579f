"""`GET /api/v1/referrals/{id}/audit`: a referral's audit trail.

A referral outside the caller's reach answers 404, exactly as one that does not exist."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from medreview.audit.actions import chain_of, verify_chain
from medreview.audit.models import AuditEvent
from medreview.claims.access import referral_or_404
from medreview.claims.schemas import Event, Trail

router = Router(tags=["referrals"])


@router.get("/{referral_id}/audit", response=Trail, summary="A referral's audit trail")
def audit_trail(request: HttpRequest, referral_id: str) -> Trail:
    """Every event of the referral, in order, and whether their chain of hashes is whole."""
    referral = referral_or_404(request.user, referral_id)
    events = list(AuditEvent.objects.filter(chain=chain_of(referral=referral)).order_by("seq"))
    return Trail(
        events=[
            Event(
                at=e.at.isoformat(),
                actor=e.actor,
                action=e.action,
                detail=e.detail,
                hash=e.hash,
                prev_hash=e.prev_hash,
            )
            for e in events
        ],
        verified=verify_chain(chain_of(referral=referral), events),
    )
