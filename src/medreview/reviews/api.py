"""`POST /api/v1/referrals/{id}/assignments`: give a referral's peer review or IME to a
physician of the network (docs/api.md). A coordinator or a scheduler may; a
physician who breaks a hard rule answers 409 naming the rule."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from medreview.claims.access import referral_or_404
from medreview.reviews.actions import do_assign_physician
from medreview.reviews.schemas import AssignmentIn, AssignmentOut

router = Router(tags=["assignments"])


@router.post("/{referral_id}/assignments", response={201: AssignmentOut})
def assign(request: HttpRequest, referral_id: str, body: AssignmentIn) -> Status[AssignmentOut]:
    referral = referral_or_404(request.user, referral_id)
    made = do_assign_physician(
        referral,
        actor=request.user,  # type: ignore[arg-type]
        service=body.service,
        npi=body.npi,
    )
    return Status(
        201, AssignmentOut(id=made.pk, service=made.service, npi=made.physician.npi, due=made.due)
    )
