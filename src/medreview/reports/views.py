"""The pages of a review: the physician's portal (its own assignments, one assignment with
the records, chronology and gaps, the answers, the peer-to-peer log, addenda), the QA queue
and its checklist page, and the report as a download. Each form's view parses, calls one action and goes back to
its page; a refusal shows the page again with the error."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import referral_or_404, refuse_unless, row_id
from medreview.claims.actions import do_view_referral
from medreview.claims.errors import ActionError
from medreview.claims.models import Notice, User
from medreview.claims.permissions import Permission
from medreview.claims.rules import current_rules
from medreview.core.review.rules import missing_for_submission, peer_to_peer_due, qa_checklist
from medreview.core.triage.calendars import holidays_for
from medreview.core.vocabulary import DETERMINATIONS, PEER_TO_PEER_OUTCOMES
from medreview.records.corrections import corrected, document_name
from medreview.records.views import record_png, render_record_page
from medreview.reports import actions
from medreview.reports.api import own_or_404, physician_assignments
from medreview.reports.models import Addendum, ImeReferral, PeerToPeer, QaReview
from medreview.reports.review import questions_of, record_pages, review_of
from medreview.reviews.actions import ATTESTATION, do_attest_assignment, do_decline_assignment
from medreview.reviews.models import Assignment


@login_required
@require_safe
def portal(request: HttpRequest) -> HttpResponse:
    """A physician's assignments: those to do first, then those done."""
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    found = list(physician_assignments(request.user))
    # Each assignment answers its own questions: an IME those of its IME referral (one query).
    narrowed = dict(
        ImeReferral.objects.filter(
            referral_id__in=[a.referral_id for a in found if a.service == "ime"],
            status=ImeReferral.CONFIRMED,
        ).values_list("referral_id", "questions")
    )
    for a in found:
        asked = narrowed.get(a.referral_id) if a.service == "ime" else None
        a.questions_asked = len(asked if asked is not None else a.referral.questions)
    todo = [a for a in found if a.status in Assignment.OPEN_STATUSES or _open_addendum(a)]
    done = [a for a in found if a not in todo]
    notices = Notice.objects.filter(npi=request.user.npi).select_related("referral")[:10]  # type: ignore[union-attr]
    return render(
        request,
        "reports/portal.html",
        {"todo": todo, "done": done, "notices": notices, "today": timezone.localdate()},
    )


def _open_addendum(a: Assignment) -> Addendum | None:
    return next(
        (x for x in a.addenda.all() if x.status in (Addendum.OPEN, Addendum.RETURNED)), None
    )


def _own(request: HttpRequest, assignment_id: int) -> Assignment:
    return own_or_404(request.user, assignment_id)


@login_required
@require_safe
def assignment_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    assignment = _own(request, assignment_id)
    do_view_referral(assignment.referral, actor=request.user, via="physician's portal")
    return _render_assignment(request, assignment)


def _render_assignment(
    request: HttpRequest, a: Assignment, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    referral = a.referral
    opened = a.status not in (Assignment.OPEN, Assignment.DECLINED, Assignment.CANCELLED)
    answers = {d.question_id: d for d in a.determinations.all()}
    questions = [
        {
            **q,
            "answer": answers.get(str(q.get("id"))),
            "disputes_text": "\n".join(getattr(answers.get(str(q.get("id"))), "disputes", [])),
        }
        for q in questions_of(a)
    ]
    pages = record_pages(referral)
    triage: dict[str, Any] = {}
    if opened:
        triage = corrected(referral.triage, list(referral.corrections.all())) or {}
        for doc in triage.get("documents", []):
            doc["name"] = document_name(doc)
    review = review_of(a) if opened else None
    missing = (
        missing_for_submission(review, current_rules())
        if review is not None and a.status in Assignment.EDITABLE
        else ()
    )
    returned = next((q for q in a.qa.all() if q.decision == QaReview.RETURN), None)
    offer_due = None
    if review is not None and a.delivered is not None:
        day = timezone.localdate(a.delivered)
        offer_due = peer_to_peer_due(
            review,
            current_rules(),
            delivered=day,
            holidays=holidays_for(referral.jurisdiction, day.year, day.year + 1),
        )
    return render(
        request,
        "reports/assignment.html",
        {
            "a": a,
            "r": referral,
            "opened": opened,
            "editable": a.status in Assignment.EDITABLE,
            "questions": questions,
            "records": [(f, pages.get(f.name, 0)) for f in referral.record_files.all()],
            "triage": triage,
            "calls": PeerToPeer.objects.filter(assignment=a),
            "determinations": list(DETERMINATIONS.items()),
            "outcomes": list(PEER_TO_PEER_OUTCOMES.items()),
            "missing": missing,
            "returned": returned if a.status == Assignment.RETURNED else None,
            "offer_due": offer_due,
            "addenda": list(a.addenda.all()),
            "attestation": ATTESTATION,
            "error": error,
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
        status=status,
    )


def _door(request: HttpRequest, assignment_id: int, call: Any, anchor: str = "") -> HttpResponse:
    """Run one action on the physician's own assignment; back to its page, or the page
    again with the refusal."""
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    found = _own(request, assignment_id)
    try:
        call(found, request.user)
    except ActionError as exc:
        return _render_assignment(
            request, _own(request, assignment_id), error=str(exc), status=exc.status
        )
    return redirect(f"/portal/{assignment_id}/{anchor}")


@login_required
@require_POST
def attest(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _door(
        request,
        assignment_id,
        lambda a, user: do_attest_assignment(
            a,
            actor=user,
            no_conflict=request.POST.get("no_conflict") == "yes",
            statement=request.POST.get("statement", ""),
        ),
    )


@login_required
@require_POST
def decline(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    found = _own(request, assignment_id)
    try:
        do_decline_assignment(
            found,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
            conflict=request.POST.get("conflict") == "yes",
        )
    except ActionError as exc:
        return _render_assignment(request, found, error=str(exc), status=exc.status)
    return redirect("portal")


@login_required
@require_POST
def answer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A question's answer from its form: the determination, the rationale, the disputes
    (one a line), the pages cited so far, and a guideline named in the form."""
    question_id = request.POST.get("question_id", "")

    def call(a: Assignment, user: User) -> None:
        current = next((d for d in a.determinations.all() if d.question_id == question_id), None)
        citations = list(current.citations) if current is not None else []
        guideline = request.POST.get("guideline", "").strip()
        if guideline:
            citations.append(
                {
                    "guideline": guideline,
                    "edition": request.POST.get("edition", ""),
                    "section": request.POST.get("section", ""),
                }
            )
        actions.do_record_determination(
            a,
            actor=user,
            question_id=question_id,
            determination=request.POST.get("determination", ""),
            rationale=request.POST.get("rationale", ""),
            citations=citations,
            disputes=request.POST.get("disputes", "").splitlines(),
        )

    return _door(request, assignment_id, call, f"#question-{question_id}")


@login_required
@require_POST
def cite(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """ "Cite this page" in the page viewer: the page goes to the question chosen."""
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    found = _own(request, assignment_id)
    question_id = request.POST.get("question_id", "")
    file = request.POST.get("file", "")
    raw = request.POST.get("page", "")
    if not raw.isdigit():
        return _render_assignment(request, found, error="no page to cite", status=422)
    page = int(raw)
    try:
        actions.do_cite_page(
            found,
            actor=request.user,  # type: ignore[arg-type]
            question_id=question_id,
            file=file,
            page=page,
        )
    except ActionError as exc:
        return _render_assignment(request, found, error=str(exc), status=exc.status)
    query = urlencode({"file": file, "page": page, "cited": question_id})
    return redirect(f"/portal/{assignment_id}/records/?{query}")


@login_required
@require_POST
def uncite(request: HttpRequest, assignment_id: int) -> HttpResponse:
    question_id = request.POST.get("question_id", "")
    index = request.POST.get("index", "")
    return _door(
        request,
        assignment_id,
        lambda a, user: actions.do_remove_citation(
            a, actor=user, question_id=question_id, index=int(index) if index.isdigit() else -1
        ),
        f"#question-{question_id}",
    )


@login_required
@require_POST
def peer_to_peer(request: HttpRequest, assignment_id: int) -> HttpResponse:
    def call(a: Assignment, user: User) -> None:
        try:
            at = datetime.fromisoformat(request.POST.get("at", ""))
        except ValueError:
            raise ActionError("when: a date and a time", field="at") from None
        actions.do_log_peer_to_peer(
            a,
            actor=user,
            at=at,
            with_whom=request.POST.get("with", ""),
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )

    return _door(request, assignment_id, call, "#peer-to-peer")


@login_required
@require_POST
def submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    return _door(request, assignment_id, lambda a, user: actions.do_submit_review(a, actor=user))


@login_required
@require_POST
def answer_addendum(request: HttpRequest, assignment_id: int, number: int) -> HttpResponse:
    def call(a: Assignment, user: User) -> None:
        found = next((x for x in a.addenda.all() if x.number == number), None)
        if found is None:
            raise Http404("no such addendum")
        current = list(found.citations)
        actions.do_answer_addendum(
            found, actor=user, response=request.POST.get("response", ""), citations=current
        )

    return _door(request, assignment_id, call, "#addenda")


@login_required
@require_safe
def record_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A page of the records, as the physician reads it, with "Cite this page"."""
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    a = _own(request, assignment_id)
    if a.status in (Assignment.OPEN, Assignment.DECLINED, Assignment.CANCELLED):
        raise Http404("the records open once the attestation is signed")
    return render_record_page(
        request,
        a.referral,
        "reports/page.html",
        {
            "a": a,
            "questions": questions_of(a),
            "editable": a.status in Assignment.EDITABLE,
            "cited": request.GET.get("cited", ""),
            "image_base": f"/portal/{a.pk}/records/page.png",
        },
    )


@login_required
@require_safe
def record_image(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.REVIEW_ASSIGNMENTS)) is not None:
        return denied
    a = _own(request, assignment_id)
    if a.status in (Assignment.OPEN, Assignment.DECLINED, Assignment.CANCELLED):
        raise Http404("the records open once the attestation is signed")
    return record_png(request, a.referral)


# QA


@login_required
@require_safe
def qa_queue(request: HttpRequest) -> HttpResponse:
    """What waits for QA: submitted reviews and answered addenda, oldest first."""
    if (denied := refuse_unless(request, Permission.PASS_QA)) is not None:
        return denied
    waiting = (
        Assignment.objects.filter(
            Q(status=Assignment.SUBMITTED) | Q(addenda__status=Addendum.SUBMITTED)
        )
        .distinct()
        .select_related("referral__organisation", "physician")
        .order_by("submitted", "id")
    )
    return render(request, "reports/qa_queue.html", {"waiting": waiting})


@login_required
@require_safe
def qa_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.PASS_QA)) is not None:
        return denied
    assignment = _for_qa(assignment_id)
    do_view_referral(assignment.referral, actor=request.user, via="QA page")
    return _render_qa(request, assignment)


def _for_qa(assignment_id: int) -> Assignment:
    found = (
        Assignment.objects.select_related("referral__organisation", "physician")
        .prefetch_related("physician__specialties", "physician__licences")
        .filter(pk=row_id(assignment_id))
        .first()
    )
    if found is None:
        raise Http404("no such assignment")
    return found


def _render_qa(
    request: HttpRequest, a: Assignment, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    review = review_of(a)
    addendum = Addendum.objects.filter(assignment=a, status=Addendum.SUBMITTED).first()
    answers = {x.question_id: x for x in review.answers}
    return render(
        request,
        "reports/qa.html",
        {
            "a": a,
            "r": a.referral,
            "review": review,
            "sections": [(q, answers.get(q.id)) for q in review.questions],
            "checklist": qa_checklist(review, current_rules()) if addendum is None else (),
            "addendum": addendum,
            "history": QaReview.objects.filter(assignment=a).select_related("reviewed_by"),
            "waiting": a.status == Assignment.SUBMITTED or addendum is not None,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def qa_decide(request: HttpRequest, assignment_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.PASS_QA)) is not None:
        return denied
    found = _for_qa(assignment_id)
    try:
        actions.do_qa_review(
            found,
            actor=request.user,  # type: ignore[arg-type]
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
        )
    except ActionError as exc:
        return _render_qa(request, _for_qa(assignment_id), error=str(exc), status=exc.status)
    return redirect("qa-queue")


# The case page's report


@login_required
@require_safe
def report(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    if (denied := refuse_unless(request, Permission.SEE_REPORTS)) is not None:
        return denied
    try:
        found, pdf = actions.do_view_report(referral, actor=request.user)  # type: ignore[arg-type]
    except ActionError:
        raise Http404("no report yet") from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-v{found.version}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
