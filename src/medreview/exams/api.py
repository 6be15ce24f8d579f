"""The IME's endpoints (docs/api.md, "IME appointments"): the earliest lawful slots of a
confirmed IME referral, booking one, and an appointment's outcome. The review desk's
scheduler, coordinator and administrator only; another client's referral answers 404, as one
that does not exist."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from medreview.claims.access import referral_or_404, row_id
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral
from medreview.claims.permissions import Permission, require
from medreview.exams.actions import do_book_appointment, do_record_outcome
from medreview.exams.models import Appointment
from medreview.exams.schedule import Offered, booking_of, lawful_slots
from medreview.exams.schemas import (
    AppointmentIn,
    AppointmentOut,
    OutcomeIn,
    SlotOut,
    SlotsOut,
    SlotsQuery,
)
from medreview.reports.models import ImeReferral

referrals = Router(tags=["IME appointments"])
appointments = Router(tags=["IME appointments"])


def confirmed_ime(referral: Referral) -> ImeReferral:
    """The referral's confirmed IME referral; 409 while there is none."""
    found = ImeReferral.objects.filter(referral=referral).first()
    if found is None or found.status != ImeReferral.CONFIRMED:
        raise ActionError(
            "no confirmed IME referral: a coordinator confirms the IME a peer review left first",
            status=409,
        )
    return found


def offered(referral: Referral, *, npi: str | None, interpreter: bool) -> Offered:
    ime = confirmed_ime(referral)
    booking = booking_of(referral, ime, today=timezone.localdate())
    return lawful_slots(booking, npi=(npi or "").strip() or None, interpreter=interpreter)


def slots_out(found: Offered, *, named: bool) -> SlotsOut:
    window = found.slots.window
    return SlotsOut(
        slots=[
            SlotOut(
                start=s.start.isoformat(timespec="minutes"),
                location=f"{s.address} ({s.zip})",
                zip=s.zip,
                distance_miles=s.distance_miles,
                npi=s.npi if named else None,
                name=found.examiners[s.npi].name if named else None,
            )
            for s in found.slots.slots
        ],
        earliest_allowed=window.earliest,
        latest_allowed=window.latest,
        because=[r.cited() for r in window.because],
        closed=window.closed.message if window.closed else None,
        why_none=found.why_none,
    )


@referrals.get("/{referral_id}/ime/slots", response=SlotsOut, summary="The earliest lawful slots")
def slots(request: HttpRequest, referral_id: str, query: Query[SlotsQuery]) -> SlotsOut:
    referral = referral_or_404(request.user, referral_id)
    require(request.user, Permission.SCHEDULE_EXAMS)
    found = offered(referral, npi=query.npi, interpreter=query.interpreter)
    return slots_out(found, named=not (query.npi or "").strip())


def appointment_out(made: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=made.pk,
        npi=made.physician.npi,
        name=made.physician.name,
        start=made.start_iso,
        location=f"{made.address} ({made.zip})",
        zip=made.zip,
        distance_miles=made.distance_miles,
        interpreter=made.interpreter,
        transport=made.transport,
        status=made.status,
        fee=float(made.fee) if made.fee is not None else None,
        fee_citation=made.fee_citation or None,
        rescheduled_to=made.rescheduled_to_id,
        assignment=made.assignment_id,
    )


@referrals.post(
    "/{referral_id}/ime/appointments", response={201: AppointmentOut}, summary="Book the IME"
)
def book(request: HttpRequest, referral_id: str, body: AppointmentIn) -> Status[AppointmentOut]:
    referral = referral_or_404(request.user, referral_id)
    require(request.user, Permission.SCHEDULE_EXAMS)
    confirmed_ime(referral)
    made = do_book_appointment(
        referral,
        actor=request.user,  # type: ignore[arg-type]
        npi=body.npi,
        start=body.start,
        interpreter=body.interpreter,
        transport=body.transport,
    )
    return Status(201, appointment_out(made))


def appointment_or_404(user: Any, appointment_id: int) -> Appointment:
    """The appointment, if its referral is within the user's reach; 404 otherwise."""
    found = (
        Appointment.objects.select_related("physician", "referral")
        .filter(pk=row_id(appointment_id), referral__in=Referral.objects.visible_to(user))
        .first()
    )
    if found is None:
        raise Http404("no such appointment")
    return found


@appointments.post(
    "/{appointment_id}/outcome", response=AppointmentOut, summary="Record what became of it"
)
def outcome(request: HttpRequest, appointment_id: int, body: OutcomeIn) -> AppointmentOut:
    found = appointment_or_404(request.user, appointment_id)
    require(request.user, Permission.SCHEDULE_EXAMS)
    made = do_record_outcome(
        found,
        actor=request.user,  # type: ignore[arg-type]
        outcome=body.outcome,
        note=body.note,
        start=body.start,
    )
    return appointment_out(made)
