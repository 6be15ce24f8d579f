"""The exams' background work (django-tasks): the reminder of an IME, e-mailed two business
days before the exam to its examiner (the physician user of that NPI, if any) and to the
client's people. It takes the appointment's id, and is safe to run twice, late or for an
appointment moved since: an exam no longer booked, or reminded already, is left alone."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from medreview.audit.actions import record
from medreview.claims.permissions import BACKGROUND
from medreview.core.review.notice_letter import when
from medreview.exams.models import Appointment
from medreview.outbox.actions import mail_people, people_of


@task()
def remind_of_exam(appointment_id: int) -> int | None:
    """E-mail the reminder of a booked exam, once; returns how many e-mails were queued
    (None when there was nothing to remind of)."""
    with transaction.atomic():
        found = (
            Appointment.objects.select_for_update(no_key=True)
            .select_related("referral", "physician")
            .filter(pk=appointment_id)
            .first()
        )
        if found is None or found.status != Appointment.BOOKED or found.reminded is not None:
            return None
        referral = found.referral
        subject = f"Claim {referral.claim_number}: IME reminder, {found.day:%d %b %Y}"
        text = (
            f"Reminder: the independent medical examination of claim {referral.claim_number}"
            f" is on {when(found.start)}, at {found.address} (ZIP {found.zip}), with"
            f" {found.physician.name}."
        )
        people = people_of(referral, npi=found.physician.npi)
        sent = mail_people(people, subject, text, referral=referral)
        found.reminded = timezone.now()
        found.save(update_fields=["reminded"])
        record(
            "appointment.reminded",
            actor=BACKGROUND,
            referral=referral,
            detail={"appointment": found.pk, "emails": sent},
        )
    return sent
