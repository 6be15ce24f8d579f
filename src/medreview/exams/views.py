"""The scheduler's page of an IME (`/referrals/<id>/ime/`): the confirmed IME referral's
questions, the claimant's ZIP and language, the first lawful day and the rules that set it,
the earliest lawful slots across the eligible examiners with a "Book" button each, a form to
book a chosen examiner and time, and the appointments with their outcomes and notice letters.
Each form parses, calls one door and comes back to the page; a refusal shows the page again
with every reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import referral_or_404, refuse_unless, row_id
from medreview.claims.actions import do_view_referral
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral
from medreview.claims.permissions import Permission
from medreview.core.review.notice_letter import notice_rules
from medreview.exams.actions import do_book_appointment, do_record_outcome, do_view_notice_letter
from medreview.exams.models import Appointment
from medreview.exams.schedule import booking_of, lawful_slots
from medreview.reports.models import ImeReferral

EXAMINERS_LISTED = 200
# The outcomes a scheduler records, in the words of the page's choice.
OUTCOMES = {
    Appointment.ATTENDED: "Attended",
    Appointment.NO_SHOW: "No-show: the claimant did not come",
    Appointment.LATE_CANCEL: "Cancelled (late, with its fee, within the rules' business days)",
    Appointment.RESCHEDULED: "Rescheduled",
}


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "yes", "on", "true")


@login_required
@require_safe
def schedule_page(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    if (denied := refuse_unless(request, Permission.SCHEDULE_EXAMS)) is not None:
        return denied
    do_view_referral(referral, actor=request.user, via="IME scheduling page")
    return render_schedule(request, referral, interpreter=_flag(request.GET.get("interpreter")))


def render_schedule(
    request: HttpRequest,
    referral: Referral,
    *,
    interpreter: bool,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    ime = ImeReferral.objects.filter(referral=referral).first()
    confirmed = ime is not None and ime.status == ImeReferral.CONFIRMED
    context: dict[str, Any] = {
        "r": referral,
        "ime": ime,
        "confirmed": confirmed,
        "interpreter": interpreter,
        "error": error,
        "posted": request.POST if error else {},
        "appointments": list(
            Appointment.objects.filter(referral=referral)
            .select_related("physician", "booked_by", "outcome_by")
            .order_by("-booked", "-id")
        ),
        "outcomes": list(OUTCOMES.items()),
        # Whether the claimant came is offered from the exam's day on, as the door allows.
        "on_the_day": Appointment.ON_THE_DAY,
        "today": timezone.localdate(),
    }
    claimant = referral.payload.get("claimant", {})
    language = str(claimant.get("language") or "en")
    context["claimant_zip"] = claimant.get("zip") or "not given"
    context["language"] = notice_rules().language(language)
    context["language_code"] = language
    if confirmed:
        assert ime is not None
        booking = booking_of(referral, ime, today=timezone.localdate())
        found = lawful_slots(booking, interpreter=interpreter)
        window = found.slots.window
        context |= {
            "window": window,
            "because": [r.cited() for r in window.because],
            "slots": [{"slot": s, "name": found.examiners[s.npi].name} for s in found.slots.slots],
            "examiners": sorted(
                ((p.npi, p.name) for p in found.examiners.values()), key=lambda x: x[1]
            )[:EXAMINERS_LISTED],
            "live": any(a.status == Appointment.BOOKED for a in context["appointments"]),
        }
    return render(request, "exams/schedule.html", context, status=status)


@login_required
@require_POST
def book(request: HttpRequest, referral_id: object) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    if (denied := refuse_unless(request, Permission.SCHEDULE_EXAMS)) is not None:
        return denied
    interpreter = _flag(request.POST.get("interpreter"))
    try:
        start = _start(request.POST.get("start", ""))
        do_book_appointment(
            referral,
            actor=request.user,  # type: ignore[arg-type]
            npi=request.POST.get("npi", ""),
            start=start,
            interpreter=interpreter,
            transport=_flag(request.POST.get("transport")),
        )
    except ActionError as exc:
        return render_schedule(
            request, referral, interpreter=interpreter, error=_said(exc), status=exc.status
        )
    return redirect(f"/referrals/{referral.pk}/ime/#appointments")


def _start(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ActionError(
            "a day and a time (2026-12-14T09:00), the office's own time", field="start"
        ) from None


def _said(exc: ActionError) -> str:
    text = str(exc)
    return f"{exc.field}: {text}" if exc.field and not text.startswith(exc.field) else text


def _appointment(referral: Referral, appointment_id: int) -> Appointment:
    found = (
        Appointment.objects.select_related("referral", "physician")
        .filter(pk=row_id(appointment_id), referral=referral)
        .first()
    )
    if found is None:
        raise Http404("no such appointment")
    return found


@login_required
@require_POST
def outcome(request: HttpRequest, referral_id: object, appointment_id: int) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    if (denied := refuse_unless(request, Permission.SCHEDULE_EXAMS)) is not None:
        return denied
    found = _appointment(referral, appointment_id)
    try:
        raw = request.POST.get("start", "").strip()
        do_record_outcome(
            found,
            actor=request.user,  # type: ignore[arg-type]
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            start=_start(raw) if raw else None,
        )
    except ActionError as exc:
        return render_schedule(
            request, referral, interpreter=False, error=_said(exc), status=exc.status
        )
    return redirect(f"/referrals/{referral.pk}/ime/#appointments")


@login_required
@require_safe
def notice_letter(request: HttpRequest, referral_id: object, appointment_id: int) -> HttpResponse:
    """The claimant's notice letter as sent, for the desk and the client (audited)."""
    referral = referral_or_404(request.user, referral_id)
    if (denied := refuse_unless(request, Permission.SEE_IME_REFERRAL)) is not None:
        return denied
    found = _appointment(referral, appointment_id)
    try:
        pdf = do_view_notice_letter(found, actor=request.user)  # type: ignore[arg-type]
    except ActionError:
        raise Http404("no notice letter") from None
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in referral.claim_number)
    response["Content-Disposition"] = f'attachment; filename="ime-notice-{name}-{found.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
