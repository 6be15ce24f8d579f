"""`/api/v1/referrals`: send a referral with its records, list and read referrals.

A referral outside the caller's reach answers 404, exactly as one that does not exist."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Form, Router
from ninja.responses import Status

from medreview.claims.access import referral_or_404
from medreview.claims.actions import ActionError, Upload, do_create_referral
from medreview.claims.models import Referral
from medreview.claims.schemas import Created, ReferralDetail, ReferralList, ReferralSummary

router = Router(tags=["referrals"])
PAGE_SIZE = 50


@router.post("", response={201: Created}, summary="Send a referral and its records")
def create_referral(
    request: HttpRequest,
    referral: Form[str],
) -> Status[Created]:
    # The files are read from the request itself: any number, under the field `records`.
    user = request.user
    uploads = [Upload(f.name or "record", f.read()) for f in request.FILES.getlist("records")]
    if not user.is_client:  # type: ignore[union-attr]
        raise ActionError("only a client's users send referrals", status=403)
    made = do_create_referral(
        user.organisation,  # type: ignore[union-attr]
        actor=user,  # type: ignore[arg-type]
        referral_text=referral,
        uploads=uploads,
    )
    return Status(201, Created(id=str(made.pk), status=made.status))


@router.get("", response=ReferralList, summary="The caller's referrals")
def list_referrals(
    request: HttpRequest,
    claim_number: str | None = None,
    status: str | None = None,
    page: int = 1,
) -> ReferralList:
    if page < 1:
        raise ActionError("page starts at 1", field="page")
    found = Referral.objects.visible_to(request.user)
    if claim_number:
        found = found.filter(claim_number=claim_number)
    if status:
        if status not in dict(Referral.STATUSES):
            raise ActionError(f"unknown status {status!r}", field="status")
        found = found.filter(status=status)
    count = found.count()
    rows = found.order_by("-created")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return ReferralList(
        items=[
            ReferralSummary(
                id=str(r.pk),
                claim_number=r.claim_number,
                status=r.status,
                jurisdiction=r.jurisdiction,
                received=r.received,
                due=r.due,
                path=(r.triage or {}).get("path"),
                created=r.created,
            )
            for r in rows
        ],
        count=count,
    )


@router.get("/{referral_id}", response=ReferralDetail, summary="One referral and its triage")
def get_referral(request: HttpRequest, referral_id: str) -> ReferralDetail:
    referral = referral_or_404(request.user, referral_id)
    decision = referral.triage_decisions.first()
    return ReferralDetail(
        id=str(referral.pk),
        status=referral.status,
        claim=dict(referral.payload.get("claim", {})),
        questions=referral.questions,
        triage=referral.triage,
        decision=None
        if decision is None
        else {
            "decision": decision.decision,
            "path": decision.path,
            "recommended_path": decision.recommended_path,
            "reason": decision.reason,
            "by": decision.decided_by.email,
            "at": decision.decided.isoformat(),
        },
        records=[
            {"name": f.name, "size": f.size, "sha256": f.sha256}
            for f in referral.record_files.all()
        ],
        corrections=[
            {
                "target": c.target,
                "key": c.key,
                "field": c.field,
                "value": c.value,
                "machine_value": c.machine_value,
                "reason": c.reason,
                "by": c.made_by.email,
                "at": c.made.isoformat(),
            }
            for c in referral.corrections.select_related("made_by")
        ],
        records_requests=[
            {
                "provider": q.provider,
                "item": q.item,
                "status": q.status,
                "requested": q.requested.isoformat(),
            }
            for q in referral.records_requests.all()
        ],
        processing_error=referral.processing_error or None,
    )
