"""`GET /api/v1/referrals/{id}/candidates?service=peer_review|ime&top=10`: the physicians of
the network who may take the referral's review or exam, best first, with the count
excluded by each rule (docs/api.md). For the review desk only: a
client sees the physician assigned, not the network."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from medreview.claims.access import referral_or_404
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Permission, require
from medreview.core.network.matching import missing_for
from medreview.network.pool import match_referral
from medreview.network.schemas import CandidatesOut

router = Router(tags=["network"])


class CandidatesQuery(Schema):
    service: Literal["peer_review", "ime"]
    top: int = 10


def candidates_for(referral: Any, user: Any, service: str, top: int) -> dict[str, Any]:
    """The match of a referral, for a member of the review desk."""
    require(user, Permission.SEE_NETWORK)
    if not 1 <= top <= 100:
        raise ActionError("top must be between 1 and 100", field="top")
    parsed = referral.as_data()
    if (missing := missing_for(parsed, service)) is not None:
        raise ActionError(missing, field="service")
    return match_referral(parsed, service, today=timezone.localdate(), top=top).as_json()


@router.get("/{referral_id}/candidates", response=CandidatesOut)
def candidates(
    request: HttpRequest, referral_id: str, query: Query[CandidatesQuery]
) -> dict[str, Any]:
    referral = referral_or_404(request.user, referral_id)
    return candidates_for(referral, request.user, query.service, query.top)
