"""The physician's, QA's and the client's endpoints of a review (docs/api.md, "Reviews,
exams and reports"): a physician's own assignments and what it does with them, QA's pass or
return, the IME referral a peer review leaves, the report, addenda and closing.

A physician reaches only its own assignments (another's answers 404, as one that does not
exist); a role that may not make a call answers 403 before anything is looked up.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router
from ninja.responses import Status

from medreview.claims.access import referral_or_404, row_id
from medreview.claims.actions import do_view_referral
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Permission, require
from medreview.reports.actions import (
    do_answer_addendum,
    do_ask_for_addendum,
    do_close_referral,
    do_confirm_ime_referral,
    do_log_peer_to_peer,
    do_qa_review,
    do_record_determination,
    do_submit_review,
    do_view_report,
)
from medreview.reports.models import Addendum, Determination, ImeReferral, QaReview
from medreview.reports.review import questions_of, record_pages
from medreview.reports.schemas import (
    AddendumAnswerIn,
    AddendumCreated,
    AddendumIn,
    AddendumOut,
    AttestationIn,
    CheckItemOut,
    CloseIn,
    Created,
    DeclineIn,
    DeterminationIn,
    DeterminationOut,
    ImeReferralOut,
    PeerToPeerIn,
    PhysicianAssignment,
    PhysicianAssignments,
    QaIn,
    QaOut,
    RecordOut,
    StatusOut,
)
from medreview.reviews.actions import do_attest_assignment, do_decline_assignment
from medreview.reviews.models import Assignment

assignments = Router(tags=["reviews"])
referrals = Router(tags=["reports"])


def physician_assignments(user: Any) -> Any:
    """A physician's own assignments, with what their page and the list show, in a fixed
    number of queries however many there are."""
    return (
        Assignment.objects.of_physician(user)
        .select_related("referral")
        .prefetch_related(
            "referral__record_files",
            Prefetch("determinations", queryset=Determination.objects.order_by("id")),
            Prefetch("addenda", queryset=Addendum.objects.order_by("number")),
            Prefetch("qa", queryset=QaReview.objects.order_by("-reviewed", "-id")),
        )
        .order_by("due", "id")
    )


def own_or_404(user: Any, assignment_id: int) -> Assignment:
    """The physician's own assignment of this id; 404 for any other, as for none."""
    found = physician_assignments(user).filter(pk=row_id(assignment_id)).first()
    if found is None:
        raise Http404("no such assignment")
    return found


def _own(request: HttpRequest, assignment_id: int) -> Assignment:
    require(request.user, Permission.REVIEW_ASSIGNMENTS)
    return own_or_404(request.user, assignment_id)


def _out(a: Assignment) -> PhysicianAssignment:
    referral = a.referral
    pages = record_pages(referral)
    returned = (
        next((q.note for q in a.qa.all() if q.decision == QaReview.RETURN), None)
        if a.status == Assignment.RETURNED
        else None
    )
    return PhysicianAssignment(
        id=a.pk,
        service=a.service,
        status=a.status,
        due=a.due,
        assigned=a.assigned,
        attested=a.attested,
        referral=str(referral.pk),
        claim_number=referral.claim_number,
        jurisdiction=referral.jurisdiction,
        questions=questions_of(a),
        records=[
            RecordOut(name=f.name, pages=pages.get(f.name, 0), sha256=f.sha256)
            for f in referral.record_files.all()
        ],
        determinations=[
            DeterminationOut(
                question_id=d.question_id,
                determination=d.determination,
                rationale=d.rationale,
                citations=d.citations,
                disputes=d.disputes,
                answered=d.answered,
            )
            for d in a.determinations.all()
        ],
        addenda=[
            AddendumOut(
                id=x.pk,
                number=x.number,
                question_id=x.question_id or None,
                request=x.request,
                status=x.status,
                due=x.due,
                response=x.response,
            )
            for x in a.addenda.all()
        ],
        returned_note=returned,
    )


@assignments.get("", response=PhysicianAssignments, summary="A physician's own assignments")
def list_assignments(request: HttpRequest) -> PhysicianAssignments:
    require(request.user, Permission.REVIEW_ASSIGNMENTS)
    return PhysicianAssignments(items=[_out(a) for a in physician_assignments(request.user)])


@assignments.get("/{assignment_id}", response=PhysicianAssignment, summary="One assignment")
def get_assignment(request: HttpRequest, assignment_id: int) -> PhysicianAssignment:
    assignment = _own(request, assignment_id)
    do_view_referral(assignment.referral, actor=request.user, via="physician's API")
    return _out(assignment)


def _status(a: Assignment) -> StatusOut:
    return StatusOut(id=a.pk, status=a.status)


@assignments.post("/{assignment_id}/attestation", response=StatusOut, summary="Attest no conflict")
def attest(request: HttpRequest, assignment_id: int, body: AttestationIn) -> StatusOut:
    made = do_attest_assignment(
        _own(request, assignment_id),
        actor=request.user,  # type: ignore[arg-type]
        no_conflict=body.no_conflict,
        statement=body.statement,
    )
    return _status(made)


@assignments.post(
    "/{assignment_id}/peer-to-peer", response={201: Created}, summary="Log a peer-to-peer"
)
def peer_to_peer(request: HttpRequest, assignment_id: int, body: PeerToPeerIn) -> Status[Created]:
    made = do_log_peer_to_peer(
        _own(request, assignment_id),
        actor=request.user,  # type: ignore[arg-type]
        at=body.at,
        with_whom=body.with_,
        outcome=body.outcome,
        note=body.note,
    )
    return Status(201, Created(id=made.pk))


@assignments.post(
    "/{assignment_id}/determinations",
    response={201: DeterminationOut},
    summary="Answer a question (a new answer replaces the old)",
)
def determine(
    request: HttpRequest, assignment_id: int, body: DeterminationIn
) -> Status[DeterminationOut]:
    made = do_record_determination(
        _own(request, assignment_id),
        actor=request.user,  # type: ignore[arg-type]
        question_id=body.question_id,
        determination=body.determination,
        rationale=body.rationale,
        citations=[c.model_dump(exclude_none=True) for c in body.citations],
        disputes=body.disputes,
    )
    return Status(
        201,
        DeterminationOut(
            question_id=made.question_id,
            determination=made.determination,
            rationale=made.rationale,
            citations=made.citations,
            disputes=made.disputes,
            answered=made.answered,
        ),
    )


@assignments.post("/{assignment_id}/submit", response=StatusOut, summary="Submit to QA")
def submit(request: HttpRequest, assignment_id: int) -> StatusOut:
    made = do_submit_review(_own(request, assignment_id), actor=request.user)  # type: ignore[arg-type]
    return _status(made)


@assignments.post("/{assignment_id}/decline", response=StatusOut, summary="Decline or recuse")
def decline(request: HttpRequest, assignment_id: int, body: DeclineIn) -> StatusOut:
    made = do_decline_assignment(
        _own(request, assignment_id),
        actor=request.user,  # type: ignore[arg-type]
        reason=body.reason,
        conflict=body.conflict,
    )
    return _status(made)


@assignments.post(
    "/{assignment_id}/addenda/{number}", response=StatusOut, summary="Answer an addendum"
)
def answer_addendum(
    request: HttpRequest, assignment_id: int, number: int, body: AddendumAnswerIn
) -> StatusOut:
    own = _own(request, assignment_id)
    found = Addendum.objects.filter(assignment=own, number=row_id(number)).first()
    if found is None:
        raise Http404("no such addendum")
    made = do_answer_addendum(
        found,
        actor=request.user,  # type: ignore[arg-type]
        response=body.response,
        citations=[c.model_dump(exclude_none=True) for c in body.citations],
    )
    return StatusOut(id=made.pk, status=made.status)


@assignments.post("/{assignment_id}/qa", response=QaOut, summary="Pass or return (QA)")
def qa(request: HttpRequest, assignment_id: int, body: QaIn) -> QaOut:
    require(request.user, Permission.PASS_QA)
    found = Assignment.objects.filter(pk=row_id(assignment_id)).first()
    if found is None:
        raise Http404("no such assignment")
    made = do_qa_review(
        found,
        actor=request.user,  # type: ignore[arg-type]
        decision=body.decision,
        note=body.note,
    )
    found.refresh_from_db()
    return QaOut(
        id=made.pk,
        status=found.status,
        decision=made.decision,
        checklist=[CheckItemOut(**i) for i in made.checklist],
    )


@referrals.get("/{referral_id}/ime-referral", response=ImeReferralOut, summary="The IME left")
def ime_referral(request: HttpRequest, referral_id: str) -> ImeReferralOut:
    referral = referral_or_404(request.user, referral_id)
    require(request.user, Permission.SEE_IME_REFERRAL)
    found = ImeReferral.objects.filter(referral=referral).first()
    if found is None:
        raise ActionError("no peer review of this referral has passed QA yet", status=409)
    do_view_referral(referral, actor=request.user, via="API: IME referral")
    return _ime_out(found)


def _ime_out(found: ImeReferral) -> ImeReferralOut:
    return ImeReferralOut(
        status=found.status,
        ime_avoided=found.status == ImeReferral.AVOIDED,
        questions=found.questions,
        disputes=found.disputes,
        records=found.records,
        cost_avoided=float(found.cost_avoided) if found.cost_avoided is not None else None,
        fee_citation=found.fee_citation or None,
        confirmed=found.confirmed,
    )


@referrals.post(
    "/{referral_id}/ime-referral/confirm", response=ImeReferralOut, summary="Confirm the IME"
)
def confirm_ime_referral(request: HttpRequest, referral_id: str) -> ImeReferralOut:
    referral = referral_or_404(request.user, referral_id)
    made = do_confirm_ime_referral(referral, actor=request.user)  # type: ignore[arg-type]
    return _ime_out(made)


@referrals.post("/{referral_id}/close", response=dict[str, str], summary="Close the referral")
def close(request: HttpRequest, referral_id: str, body: CloseIn) -> dict[str, str]:
    referral = referral_or_404(request.user, referral_id)
    made = do_close_referral(referral, actor=request.user, reason=body.reason)  # type: ignore[arg-type]
    return {"id": str(made.pk), "status": made.status}


@referrals.get(
    "/{referral_id}/report.pdf",
    summary="The report, as delivered (with its addenda)",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The report as a PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def report_pdf(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    report, pdf = do_view_report(referral, actor=request.user)  # type: ignore[arg-type]
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"report-{referral.claim_number}-v{report.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{_safe(name)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


@referrals.post(
    "/{referral_id}/addenda", response={201: AddendumCreated}, summary="Ask for an addendum"
)
def ask_for_addendum(
    request: HttpRequest, referral_id: str, body: AddendumIn
) -> Status[AddendumCreated]:
    referral = referral_or_404(request.user, referral_id)
    made = do_ask_for_addendum(
        referral,
        actor=request.user,  # type: ignore[arg-type]
        request=body.request,
        question_id=body.question_id,
    )
    return Status(201, AddendumCreated(id=made.pk, number=made.number, due=made.due))
