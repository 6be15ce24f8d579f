"""`GET /api/v1/referrals/{id}/audit`: a referral's events and whether their chain is whole."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from medreview.audit.actions import verify
from medreview.audit.models import AuditEvent
from medreview.claims.access import referral_or_404

router = Router(tags=["audit"])


class Event(Schema):
    at: str
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str
    prev_hash: str


class Trail(Schema):
    events: list[Event]
    verified: bool


@router.get("/{referral_id}/audit", response=Trail)
def audit_trail(request: HttpRequest, referral_id: str) -> Trail:
    referral = referral_or_404(request.user, referral_id)
    events = list(AuditEvent.objects.filter(chain=f"referral:{referral.pk}").order_by("seq"))
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
        verified=verify(events),
    )
