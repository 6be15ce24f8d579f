"""Pages: the work queue, the referral form and the case page. Each view parses, calls one
action, renders; a referral outside the user's reach is a 404, as one that does not exist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from medreview.claims.access import referral_or_404
from medreview.claims.actions import ActionError, Upload, do_create_referral
from medreview.claims.forms import PROVIDER_SLOTS, QUESTION_SLOTS, QUESTION_TYPES, ReferralForm
from medreview.claims.models import Referral
from medreview.network.api import candidates_for
from medreview.records.actions import KINDS_CORRECTABLE
from medreview.records.corrections import corrected, document_name, gap_provider, missing_item
from medreview.records.models import RecordsRequest
from medreview.reviews.actions import ASSIGNERS
from medreview.triage.actions import do_decide_triage
from medreview.triage.models import PATHS

CANDIDATES_SHOWN = 5
PATH_LABELS = {
    "peer_review_first": "Peer review first",
    "ime_first": "IME first",
    "obtain_records_first": "Obtain records first",
    "concurrent": "Peer review and IME together",
}


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    rows = Referral.objects.visible_to(request.user).select_related("organisation")
    if status in dict(Referral.STATUSES):
        rows = rows.filter(status=status)
    today = timezone.localdate()
    items = []
    for r in rows.order_by("due", "-created")[:200]:
        late = r.due is not None and r.due < today and r.status != Referral.CLOSED
        soon = not late and r.due is not None and r.due <= today + timedelta(days=2)
        path = str((r.triage or {}).get("path") or "")
        items.append({"r": r, "late": late, "soon": soon, "path": PATH_LABELS.get(path, path)})
    return render(
        request,
        "claims/work_queue.html",
        {"items": items, "statuses": Referral.STATUSES, "status": status},
    )


@login_required
def new_referral(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_client:  # type: ignore[union-attr]
        return render(request, "claims/forbidden.html", status=403)
    form = ReferralForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        uploads = [Upload(f.name or "record", f.read()) for f in request.FILES.getlist("records")]
        try:
            made = do_create_referral(
                user.organisation,  # type: ignore[union-attr]
                actor=user,  # type: ignore[arg-type]
                referral_text=form.referral_json(),
                uploads=uploads,
            )
        except ActionError as exc:
            error = str(exc)
        else:
            return redirect("case", referral_id=made.pk)
    invalid = request.method == "POST" and (error is not None or not form.is_valid())
    return render(
        request,
        "claims/new_referral.html",
        {
            "form": form,
            "error": error,
            "question_types": QUESTION_TYPES,
            "providers": [
                [form[f"provider_{n}_{f}"] for f in ("name", "specialty", "npi")]
                for n in range(1, PROVIDER_SLOTS + 1)
            ],
            "questions": [
                (form[f"question_{n}_type"], form[f"question_{n}_text"])
                for n in range(1, QUESTION_SLOTS + 1)
            ],
        },
        status=422 if invalid else 200,
    )


@login_required
def case_page(request: HttpRequest, referral_id: object) -> HttpResponse:
    return render_case(request, referral_or_404(request.user, referral_id))


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
        RecordsRequest.objects.filter(
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
        "claims/case.html",
        {
            "r": referral,
            "triage": triage,
            "candidates": candidates,
            "candidates_error": candidates_error,
            "service": service,
            "decisions": referral.triage_decisions.select_related("decided_by"),
            "files": referral.record_files.all(),
            "paths": [(p, PATH_LABELS[p]) for p in PATHS],
            "path_label": PATH_LABELS.get(triage.get("path", ""), ""),
            "decision_error": decision_error,
            "posted_path": request.POST.get("path", "") if decision_error else "",
            "posted_reason": request.POST.get("reason", "") if decision_error else "",
            "error": error,
            "kinds": KINDS_CORRECTABLE,
            "requests": requests,
            "request_statuses": RecordsRequest.STATUSES,
            "assignments": assignments,
            "assigned_services": {a.service for a in assignments},
            "may_assign": getattr(request.user, "role", None) in ASSIGNERS,
            "assign_error": assign_error,
        },
        status=422 if decision_error else status if (error or assign_error) else 200,
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
        return render_case(request, referral, decision_error=str(exc))
    return redirect("case", referral_id=referral.pk)


def _candidates(
    request: HttpRequest, referral: Referral, triage: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None, str]:
    """For the review desk, when asked (`?service=peer_review|ime`): the physicians who may
    take the review or the exam, best first. Not on every view of the page: a match reads
    part of the network."""
    service = request.GET.get("service", "")
    if not getattr(request.user, "is_review_staff", False) or not triage:
        return None, None, ""
    if service not in ("peer_review", "ime"):
        return None, None, "ime" if triage.get("path") == "ime_first" else "peer_review"
    try:
        return candidates_for(referral, request.user, service, CANDIDATES_SHOWN), None, service
    except ActionError as exc:
        return None, str(exc), service
