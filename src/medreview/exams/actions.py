"""The doors of an IME's appointments (docs/workflow.md, "IME"): booking an examiner's hour
for a confirmed IME referral, recording what became of it (attended, a no-show, a late
cancellation, a reschedule), and reading the claimant's notice letter.

A booking must keep every rule: the matcher's for the examiner (specialty, credentials,
conflicts, capacity, an exam declined) and the scheduling rules of `core.scheduling` (the
notice in business days, the exam window, the claim's frequency limits, the examiner's
licence and certification, the claimant's language or an interpreter, the office's distance,
the examiner's hours, the peer reviewer kept out). A booking that breaks any is refused (422)
naming every rule broken with its citation, the first first, and nothing changes.

Each door runs in one transaction with its audit event, its clocks (`claims.clocks`), its
news (`outbox.actions.announce`) and its e-mail; the reminder is queued on commit.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.clocks import (
    drop_clocks,
    holidays_of,
    jurisdiction_limit,
    start_clock,
    stop_clock,
)
from medreview.claims.errors import ActionError, text_of
from medreview.claims.models import Referral, User
from medreview.claims.permissions import Permission, require
from medreview.claims.rules import current_rules
from medreview.core.review.narrowing import Fee, fee
from medreview.core.review.notice_letter import NoticeLetter, render_notice_letter, when
from medreview.core.scheduling import EXAM_LENGTH, Hours, booking_refusals
from medreview.core.triage.clocks import business_days_between
from medreview.exams import schedule
from medreview.exams.models import Appointment
from medreview.exams.tasks import remind_of_exam
from medreview.network import pool
from medreview.network.models import Availability, Physician
from medreview.outbox.actions import announce, mail_people
from medreview.records import storage
from medreview.reports.models import ImeReferral
from medreview.reviews.actions import do_assign_examiner, do_cancel_assignments
from medreview.reviews.models import Assignment

MAX_NOTE = 4000
# The IME assignment's states in which its examiner has not yet handed in the report: another
# examiner may still be booked instead (the first one's IME is then cancelled).
NOT_HANDED_IN = (Assignment.OPEN, Assignment.ATTESTED, Assignment.RETURNED)
OUTCOME_WORDS = {
    Appointment.ATTENDED: "was attended",
    Appointment.NO_SHOW: "was missed: the claimant did not come",
    Appointment.LATE_CANCEL: "was cancelled late",
    Appointment.CANCELLED: "was cancelled",
    Appointment.RESCHEDULED: "was moved",
}


def office_start(raw: datetime) -> datetime:
    """The exam's start as the office's wall clock: a time without an offset, to the minute."""
    if raw.tzinfo is not None:
        raise ActionError(
            "the office's own time, without an offset or a Z (2026-12-14T09:00)", field="start"
        )
    if raw.second or raw.microsecond:
        raise ActionError("a start to the minute (2026-12-14T09:00)", field="start")
    return raw


def do_book_appointment(
    referral: Referral,
    *,
    actor: User,
    npi: str,
    start: datetime,
    interpreter: bool,
    transport: bool,
) -> Appointment:
    """Book the IME of a confirmed IME referral with the examiner of `npi` at `start` (the
    office's time), if it keeps every rule; else refuse (422) naming each rule it breaks."""
    require(actor, Permission.SCHEDULE_EXAMS)
    npi = (npi or "").strip()
    start = office_start(start)
    today = timezone.localdate()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
        ime = ImeReferral.objects.select_for_update(no_key=True).filter(referral=referral).first()
        if ime is None or ime.status != ImeReferral.CONFIRMED:
            raise ActionError(
                "no confirmed IME referral: a coordinator confirms the IME a peer review left"
                " first",
                status=409,
            )
        if referral.status == Referral.CLOSED:
            raise ActionError("the referral is closed", status=409)
        live = Appointment.objects.filter(referral=referral, status=Appointment.BOOKED).first()
        if live is not None:
            raise ActionError(
                f"an exam is booked already, {when(live.start)}: record its outcome first"
                " (rescheduled, to move it)",
                status=409,
            )
        row = Physician.objects.select_for_update(no_key=True).filter(npi=npi).first()
        if row is None or not row.active:
            raise ActionError(f"no active physician of the network has NPI {npi!r}", field="npi")
        booking = schedule.booking_of(referral, ime, today=today)
        replaced = booking.assigned
        if (
            replaced is not None
            and replaced.physician_id != row.pk
            and replaced.status not in NOT_HANDED_IN
        ):
            raise ActionError(
                f"the IME by {replaced.physician.name} is"
                f" {replaced.get_status_display().lower()}: another examiner cannot be booked",
                status=409,
            )
        examiner = pool.load_physicians([npi])[npi]
        block, miles, refused = _checked(booking, examiner, row, start, interpreter=interpreter)
        if refused or block is None:
            raise ActionError("; ".join(refused))
        if replaced is not None and replaced.physician_id != row.pk:
            do_cancel_assignments(
                referral,
                actor=actor,
                keep=("peer_review",),
                reason=f"the IME was booked with {row.name} instead",
            )
            replaced = None
        assignment = replaced or do_assign_examiner(
            referral,
            actor=actor,
            row=row,
            physician=schedule.as_examiner(examiner, booking),
            request=booking.request,
            today=today,
        )
        made = Appointment.objects.create(
            referral=referral,
            ime_referral=ime,
            assignment=assignment,
            physician=row,
            day=start.date(),
            at=start.time(),
            minutes=int(EXAM_LENGTH.total_seconds() // 60),
            address=block.address,
            zip=block.zip,
            distance_miles=miles,
            interpreter=bool(interpreter),
            transport=bool(transport),
            booked_by=actor,
        )
        Appointment.objects.filter(
            referral=referral, status=Appointment.RESCHEDULED, rescheduled_to__isnull=True
        ).update(rescheduled_to=made)
        pdf = _notice_letter(made, booking, today)
        made.notice_sha256 = hashlib.sha256(pdf).hexdigest()
        _clocks_on_booking(made, today)
        record(
            "appointment.booked",
            actor=actor,
            referral=referral,
            detail={
                **_detail(made),
                "interpreter": made.interpreter,
                "transport": made.transport,
                "distance_miles": made.distance_miles,
                "notice_letter_sha256": made.notice_sha256,
            },
        )
        _tell(made, "appointment.booked", f"is booked for {when(made.start)}")
        # The letter is stored last, and removed if what follows fails: a letter of no
        # appointment is nobody's.
        made.notice_letter = storage.store(pdf)
        try:
            made.save(update_fields=["notice_letter", "notice_sha256"])
            _mail_notice_letter(made, pdf)
        except BaseException:
            storage.delete(made.notice_letter)
            raise
        remind_at = _reminder_time(made)
        transaction.on_commit(partial(remind_of_exam.using(run_after=remind_at).enqueue, made.pk))
    return made


def _checked(
    booking: schedule.Booking,
    examiner: Any,
    row: Physician,
    start: datetime,
    *,
    interpreter: bool,
) -> tuple[Hours | None, float | None, list[str]]:
    """The block of hours the exam falls in, the claimant's distance to its office, and every
    rule the booking breaks, in words with its citation: the matcher's first (the examiner),
    then the scheduling rules' (the examiner, the day, the hours, the office)."""
    found: list[str] = []
    why = schedule.matcher_refusal(examiner, booking)
    if why is not None:
        found.append(why)
    hours = [
        Hours(row.npi, h.day, h.start, h.end, h.zip, h.address, h.latitude, h.longitude)
        for h in Availability.objects.filter(physician=row, day=start.date())
    ]
    booked = [
        datetime.combine(a.day, a.at)
        for a in Appointment.objects.filter(
            physician=row, day=start.date(), status=Appointment.BOOKED
        )
    ]
    block, miles, refusals = booking_refusals(
        booking.case,
        examiner,
        start,
        hours,
        booked,
        current_rules(),
        holidays_of(booking.case.jurisdiction, booking.case.today),
        interpreter=interpreter,
    )
    return block, miles, found + [r.message for r in refusals]


def _detail(made: Appointment) -> dict[str, Any]:
    return {
        "appointment": made.pk,
        "assignment": made.assignment_id,
        "npi": made.physician.npi,
        "examiner": made.physician.name,
        "start": made.start_iso,
        "address": made.address,
        "zip": made.zip,
        "status": made.status,
    }


def _notice_letter(made: Appointment, booking: schedule.Booking, today: date) -> bytes:
    """The claimant's notice letter of the appointment, dated today."""
    referral = made.referral
    return render_notice_letter(
        NoticeLetter(
            claim_number=referral.claim_number,
            claimant=referral.claimant_name,
            jurisdiction=referral.jurisdiction,
            examiner=made.physician.name,
            start=made.start,
            minutes=made.minutes,
            address=made.address,
            zip=made.zip,
            interpreter=made.interpreter,
            language=booking.case.language,
            transport=made.transport,
            sent=today,
        )
    )


def _mail_notice_letter(made: Appointment, pdf: bytes) -> None:
    """The notice letter to the person who sent the referral, who sends it on to the
    claimant: the claim number in the e-mail, the letter attached."""
    sender = made.referral.created_by
    if not sender.is_active or not sender.email:
        return
    number = made.referral.claim_number
    mail_people(
        User.objects.filter(pk=sender.pk),
        f"Claim {number}: the claimant's IME notice letter",
        f"The notice letter of the independent medical examination of claim {number} is"
        f" attached, for the claimant: the exam is on {when(made.start)}.",
        referral=made.referral,
        attachments=[(f"ime-notice-{number}.pdf", pdf, "application/pdf")],
    )


def _tell(made: Appointment, event: str, news: str) -> None:
    """The news of an appointment, to the client (notice, e-mail, webhook: ids and status,
    never the claimant) and to its examiner (notice, e-mail)."""
    referral = made.referral
    text = f"The IME of claim {referral.claim_number} {news}."
    data = {"appointment": made.pk, "start": made.start_iso, "status": made.status}
    announce(event, referral=referral, text=text, data=data)
    announce(event, referral=referral, text=text, data=data, npi=made.physician.npi)


def _reminder_time(made: Appointment) -> datetime:
    """Nine in the morning, two business days before the exam (now, when that is past)."""
    day = schedule.reminder_day(made.day, made.referral.jurisdiction)
    at = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))
    return max(at, timezone.now())


def _clocks_on_booking(made: Appointment, today: date) -> None:
    referral = made.referral
    stop_clock(referral, "scheduling", today=today)
    start_clock(
        referral,
        "exam",
        today=today,
        subject=f"IME by {made.physician.name}",
        about=f"assignment:{made.assignment_id}",
        npi=made.physician.npi,
    )


def do_record_outcome(
    appointment: Appointment,
    *,
    actor: User,
    outcome: str,
    note: str = "",
    start: datetime | None = None,
) -> Appointment:
    """What became of a booked exam, once: attended (its report's clock starts) or a no-show
    (its fee), from the exam's day on; a late cancellation (its fee when within the
    jurisdiction's business days of the exam, else a plain cancellation); or rescheduled (the
    appointment ends; with `start` the same examiner is booked at that time in the same step,
    through the booking door). Returns the appointment as recorded."""
    require(actor, Permission.SCHEDULE_EXAMS)
    if outcome not in Appointment.OUTCOMES:
        raise ActionError(
            f"{outcome!r} is not one of {', '.join(Appointment.OUTCOMES)}", field="outcome"
        )
    note = text_of(note, field="note", limit=MAX_NOTE)
    if start is not None and outcome != Appointment.RESCHEDULED:
        raise ActionError("a new start is given only to reschedule", field="start")
    today = timezone.localdate()
    with transaction.atomic():
        found = (
            Appointment.objects.select_for_update(no_key=True)
            .select_related("referral", "physician", "assignment")
            .get(pk=appointment.pk)
        )
        if found.status != Appointment.BOOKED:
            raise ActionError(
                f"this appointment's outcome is recorded already: {found.get_status_display()}",
                status=409,
            )
        if outcome in Appointment.ON_THE_DAY and today < found.day:
            # The claim file must not say an exam was held, or missed, before its day.
            raise ActionError(
                f"the exam is on {when(found.start)}: whether the claimant came is recorded"
                " from that day on",
                field="outcome",
            )
        referral = found.referral
        status: str = outcome
        paid: Fee | None = None
        if outcome == Appointment.NO_SHOW:
            paid = fee(referral.jurisdiction, "ime_no_show")
        elif outcome == Appointment.LATE_CANCEL:
            status, paid = _cancellation(found, today)
        found.status = status
        found.outcome_note = note
        found.outcome_by = actor
        found.outcome_recorded = timezone.now()
        found.fee = Decimal(str(paid.amount)) if paid is not None else None
        found.fee_citation = paid.citation if paid is not None else ""
        found.save(
            update_fields=[
                "status", "outcome_note", "outcome_by", "outcome_recorded", "fee", "fee_citation"
            ]
        )  # fmt: skip
        _clocks_on_outcome(found, today, rebooked=start is not None)
        record(
            f"appointment.{status}",
            actor=actor,
            referral=referral,
            detail={
                **_detail(found),
                "outcome": outcome,
                "note": found.outcome_note,
                "fee": str(found.fee) if found.fee is not None else None,
                "fee_citation": found.fee_citation or None,
            },
        )
        _tell(found, "appointment.changed", f"on {when(found.start)} {OUTCOME_WORDS[status]}")
        if outcome == Appointment.RESCHEDULED and start is not None:
            moved = do_book_appointment(
                referral,
                actor=actor,
                npi=found.physician.npi,
                start=start,
                interpreter=found.interpreter,
                transport=found.transport,
            )
            found.refresh_from_db()
            assert found.rescheduled_to_id == moved.pk
    return found


def _cancellation(found: Appointment, today: date) -> tuple[str, Fee | None]:
    """A cancellation is late, and bears its fee, within the jurisdiction's
    `ime_late_cancel_business_days` of the exam; earlier, it is a plain cancellation."""
    referral = found.referral
    rule = current_rules().rule(referral.jurisdiction, "ime", "ime_late_cancel_business_days")
    days_off = holidays_of(referral.jurisdiction, today, found.day)
    left = business_days_between(today, found.day, days_off)
    if left > rule.number:
        return Appointment.CANCELLED, None
    charged = fee(referral.jurisdiction, "ime_late_cancel")
    where = (
        referral.jurisdiction if rule.jurisdiction != "*" else "where a state's rules are silent"
    )
    return Appointment.LATE_CANCEL, Fee(
        charged.amount,
        f"{charged.citation}; late: {left} business day(s) before the exam, within"
        f" {rule.number:g} ({where}: {rule.citation})",
    )


def _clocks_on_outcome(found: Appointment, today: date, *, rebooked: bool) -> None:
    """The exam's clock stops with its outcome (a cancelled exam's is withdrawn); an exam
    attended starts its report's clock from the exam's day (the jurisdiction's limit where it
    sets one); an exam not held sends the IME back to scheduling, unless it is booked again in
    the same step."""
    referral = found.referral
    about = f"assignment:{found.assignment_id}"
    if found.status in (Appointment.CANCELLED, Appointment.LATE_CANCEL):
        # The exam was called off: its clock is withdrawn, neither met nor missed.
        drop_clocks(referral, about=about)
    else:
        stop_clock(referral, "exam", today=today, about=about)
    if found.status == Appointment.ATTENDED:
        start_clock(
            referral,
            "report",
            today=found.day,
            limit=jurisdiction_limit(referral, "report", today=found.day),
            subject=f"IME report by {found.physician.name}",
            about=about,
            npi=found.physician.npi,
        )
    elif not rebooked:
        start_clock(referral, "scheduling", today=today, subject="IME scheduling")


def do_view_notice_letter(appointment: Appointment, *, actor: User) -> bytes:
    """The claimant's notice letter of an appointment, as sent; its reading logged."""
    require(actor, Permission.SEE_IME_REFERRAL)
    if not appointment.notice_letter:
        raise ActionError("this appointment has no notice letter", status=404)
    with transaction.atomic():
        record(
            "notice_letter.viewed",
            actor=actor,
            referral=appointment.referral,
            detail={"appointment": appointment.pk},
        )
    return storage.load(appointment.notice_letter)
