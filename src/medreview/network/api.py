"""`GET /api/v1/referrals/{id}/candidates?service=peer_review|ime&top=10`: the physicians of
the network who may take the referral's review or exam, best first, with the count
excluded by each rule (INTERFACES.md, "Physician network"). For the review desk only: a
client sees the physician assigned, not the network."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from medreview.claims.access import referral_or_404
from medreview.claims.actions import ActionError
from medreview.core.case.folder import parse_referral
from medreview.network.pool import match_referral
from medreview.network.schemas import CandidatesOut

router = Router(tags=["network"])


class CandidatesQuery(Schema):
    service: Literal["peer_review", "ime"]
    top: int = 10


def candidates_for(referral: Any, user: Any, service: str, top: int) -> dict[str, Any]:
    """The match of a referral, for a member of the review desk."""
    if not getattr(user, "is_review_staff", False):
        raise ActionError("only the review desk sees the physician network", status=403)
    if not 1 <= top <= 100:
        raise ActionError("top must be between 1 and 100", field="top")
    parsed = parse_referral(json.dumps(referral.payload), today=referral.received)
    if service == "ime" and not parsed.claimant_zip:
        raise ActionError("the claimant's ZIP is needed to match an IME", field="service")
    return match_referral(parsed, service, top=top).as_json()


@router.get("/{referral_id}/candidates", response=CandidatesOut)
def candidates(
    request: HttpRequest, referral_id: str, query: Query[CandidatesQuery]
) -> dict[str, Any]:
    referral = referral_or_404(request.user, referral_id)
    return candidates_for(referral, request.user, query.service, query.top)
