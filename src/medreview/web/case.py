"""The case page (docs/workflow.md): everything known of one referral on one page, composed
from every app (its records and gaps, the triage and its decisions, the physicians who may
take it and those assigned), and the forms it posts. Each form's view parses, calls one
action and goes back to the page; a refusal shows the page again with the error and what
was typed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import referral_or_404
from medreview.claims.actions import do_view_referral
from medreview.claims.clocks import clocks_in_words
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral
from medreview.claims.permissions import Permission, may
from medreview.core.triage.model import PATHS
from medreview.core.vocabulary import DOCUMENT_KINDS, words
from medreview.exams.models import Appointment
from medreview.records.actions import (
    do_ask_for_records,
    do_correct_document,
    do_dismiss_gap,
    do_request_records,
    do_update_records_request,
)
from medreview.records.corrections import corrected, document_name, gap_provider, missing_item
from medreview.records.models import RecordsRequest
from medreview.reports.actions import (
    do_ask_for_addendum,
    do_close_referral,
    do_confirm_ime_referral,
    latest_report,
)
from medreview.reports.models import Addendum, ImeReferral
from medreview.reports.review import questions_of
from medreview.reviews.actions import do_assign_physician
from medreview.reviews.api import candidates_for
from medreview.triage.actions import do_decide_triage

CANDIDATES_SHOWN = 5


@login_required
@require_safe
def case_page(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    do_view_referral(referral, actor=request.user, via="case page")
    return render_case(request, referral)


def render_case(
    request: HttpRequest,
    referral: Referral,
    *,
    error: str | None = None,
    decision_error: str | None = None,
    assign_error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, with people's corrections applied over the engine's output."""
    corrections = list(referral.corrections.select_related("made_by"))
    triage = corrected(referral.triage, corrections) or {}
    # Records are requested once per claim: a request made from another referral of the
    # same claim answers this one's gap too.
    requests = list(
        RecordsRequest.objects.select_related("requested_by", "sent_by").filter(
            organisation=referral.organisation, claim_number=referral.claim_number
        )
    )
    by_item = {(r.provider, r.item): r for r in requests}
    for gap in triage.get("gaps", []):
        gap["request"] = by_item.get((gap_provider(triage, gap), missing_item(gap)))
    for doc in triage.get("documents", []):
        doc["name"] = document_name(doc)
    candidates, candidates_error, service = _candidates(request, referral, triage)
    assignments = list(referral.assignments.select_related("physician"))
    asked = {q.get("id"): q.get("text", "") for q in referral.questions}
    for question in triage.get("questions", []):
        question["text"] = asked.get(question.get("id"), "")
    return render(
        request,
        "web/case.html",
        {
            "r": referral,
            "triage": triage,
            "candidates": candidates,
            "candidates_error": candidates_error,
            "service": service,
            "decisions": referral.triage_decisions.select_related("decided_by"),
            "files": referral.record_files.all(),
            "paths": [(p, words(p)) for p in PATHS],
            "path_label": words(triage.get("path", "")),
            "decision_error": decision_error,
            "posted_path": request.POST.get("path", "") if decision_error else "",
            "posted_reason": request.POST.get("reason", "") if decision_error else "",
            "error": error,
            "kinds": list(DOCUMENT_KINDS),
            "requests": requests,
            "request_statuses": RecordsRequest.STATUSES,
            "assignments": assignments,
            "assigned_services": {a.service for a in assignments if a.cancelled is None},
            "may_assign": may(request.user, Permission.ASSIGN_PHYSICIANS),
            "assign_error": assign_error,
            "clocks": clocks_in_words(
                referral.clocks.all(), timezone.localdate(), referral.jurisdiction
            ),
            **_reports(request, referral),
        },
        status=status,
    )


@login_required
@require_POST
def decide(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_decide_triage(
            referral,
            actor=request.user,  # type: ignore[arg-type]
            decision=request.POST.get("decision", ""),
            path=request.POST.get("path") or None,
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return render_case(request, referral, decision_error=str(exc), status=exc.status)
    return redirect("case", referral_id=referral.pk)


def _reports(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The report delivered, its addenda, and the IME referral a peer review left."""
    report = latest_report(referral)
    return {
        "report": report if may(request.user, Permission.SEE_REPORTS) else None,
        "addenda": list(Addendum.objects.filter(assignment__referral=referral).order_by("number")),
        "ime": ImeReferral.objects.filter(referral=referral).first()
        if may(request.user, Permission.SEE_IME_REFERRAL)
        else None,
        "may_ask_addendum": report is not None and may(request.user, Permission.ASK_FOR_ADDENDUM),
        "may_confirm": may(request.user, Permission.CONFIRM_IME_REFERRAL),
        # The addendum is asked of the questions the delivered report answered (an IME's,
        # those of its IME referral).
        "report_questions": questions_of(report.assignment) if report is not None else [],
        **_exams(request, referral),
    }


def _exams(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The IME's appointments, for whoever sees the IME referral; the scheduler's page, for
    the desk that schedules exams once the IME referral is confirmed."""
    if not may(request.user, Permission.SEE_IME_REFERRAL):
        return {"appointments": [], "may_schedule": False}
    return {
        "appointments": list(
            Appointment.objects.filter(referral=referral)
            .select_related("physician")
            .order_by("-booked", "-id")
        ),
        "may_schedule": may(request.user, Permission.SCHEDULE_EXAMS),
    }


def _candidates(
    request: HttpRequest, referral: Referral, triage: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None, str]:
    """For the review desk, when asked (`?service=peer_review|ime`): the physicians who may
    take the review or the exam, best first. Not on every view of the page: a match reads
    part of the network."""
    service = request.GET.get("service", "")
    if not may(request.user, Permission.SEE_NETWORK) or not triage:
        return None, None, ""
    if service not in ("peer_review", "ime"):
        return None, None, "ime" if triage.get("path") == "ime_first" else "peer_review"
    try:
        return candidates_for(referral, request.user, service, CANDIDATES_SHOWN), None, service
    except ActionError as exc:
        return None, str(exc), service


def _back(referral: Referral, anchor: str) -> HttpResponse:
    return redirect(f"/referrals/{referral.pk}/#{anchor}")


def _failed(request: HttpRequest, referral: Referral, error: ActionError) -> HttpResponse:
    return render_case(request, referral, error=str(error), status=error.status)


@login_required
@require_POST
def correct_document(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_correct_document(
            referral,
            actor=request.user,
            document=request.POST.get("document", ""),
            kind=request.POST.get("kind") or None,
            day=request.POST.get("date") or None,
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return _failed(request, referral, exc)
    return _back(referral, "documents")


@login_required
@require_POST
def dismiss_gap(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_dismiss_gap(
            referral,
            actor=request.user,
            gap=request.POST.get("gap", ""),
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return _failed(request, referral, exc)
    return _back(referral, "gaps")


@login_required
@require_POST
def request_records(request: HttpRequest, referral_id: object) -> HttpResponse:
    """The desk sends a records request; a client's user asks the desk to send one."""
    referral = referral_or_404(request.user, referral_id)
    door = (
        do_ask_for_records if may(request.user, Permission.ASK_FOR_RECORDS) else do_request_records
    )
    try:
        door(referral, actor=request.user, gap=request.POST.get("gap", ""))  # type: ignore[arg-type]
    except ActionError as exc:
        return _failed(request, referral, exc)
    return _back(referral, "gaps")


@login_required
@require_POST
def update_request(request: HttpRequest, referral_id: object, request_id: int) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    found = RecordsRequest.objects.filter(
        pk=request_id, organisation=referral.organisation, claim_number=referral.claim_number
    ).first()
    if found is None:
        raise Http404("no such records request")
    try:
        do_update_records_request(found, actor=request.user, status=request.POST.get("status", ""))
    except ActionError as exc:
        return _failed(request, referral, exc)
    return _back(referral, "requests")


@login_required
@require_POST
def assign(request: HttpRequest, referral_id: object) -> HttpResponse:
    """The case page's "Assign" button on a candidate."""
    referral = referral_or_404(request.user, referral_id)
    service = request.POST.get("service", "")
    try:
        do_assign_physician(
            referral,
            actor=request.user,  # type: ignore[arg-type]
            service=service,
            npi=request.POST.get("npi", ""),
        )
    except ActionError as exc:
        if exc.status == 403:
            return render(request, "claims/forbidden.html", status=403)
        return render_case(request, referral, assign_error=str(exc), status=exc.status)
    return redirect(f"/referrals/{referral.pk}/#assignments")


@login_required
@require_POST
def ask_for_addendum(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_ask_for_addendum(
            referral,
            actor=request.user,  # type: ignore[arg-type]
            request=request.POST.get("request", ""),
            question_id=request.POST.get("question_id") or None,
        )
    except ActionError as exc:
        return _refused(request, referral, exc, "report")
    return _back(referral, "report")


@login_required
@require_POST
def confirm_ime_referral(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_confirm_ime_referral(referral, actor=request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        return _refused(request, referral, exc, "ime-referral")
    return _back(referral, "ime-referral")


@login_required
@require_POST
def close_referral(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    try:
        do_close_referral(
            referral,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        )
    except ActionError as exc:
        return _refused(request, referral, exc, "ime-referral")
    return _back(referral, "ime-referral")


def _refused(
    request: HttpRequest, referral: Referral, error: ActionError, where: str
) -> HttpResponse:
    if error.status == 403:
        return render(request, "claims/forbidden.html", status=403)
    return render_case(request, referral, error=str(error), status=error.status)
