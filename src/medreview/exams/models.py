"""The appointments of IMEs (docs/workflow.md, "IME"): an examiner, an office and an hour
booked for a confirmed IME referral, with the interpreter and transport booked, the notice
letter sent to the claimant, a reminder, and what became of it (attended, a no-show and its
fee, a late cancellation, a reschedule to another appointment).

The day and hour are the office's wall clock (`day`, `at`), as the examiner's hours are
(`network.Availability`): an exam at 9:00 is at 9:00 where it is held, whatever the server's
time zone; the API writes them as one ISO date-time without an offset ("2026-12-14T09:00").
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

from medreview.encryption import EncryptedTextField


class Appointment(models.Model):
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    LATE_CANCEL = "late_cancel"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"
    STATUSES = [
        (BOOKED, "Booked"),
        (ATTENDED, "Attended"),
        (NO_SHOW, "No-show"),
        (LATE_CANCEL, "Cancelled late"),
        (CANCELLED, "Cancelled"),
        (RESCHEDULED, "Rescheduled"),
    ]
    # The outcomes a scheduler records (a late cancellation outside the jurisdiction's window
    # is kept as a plain cancellation).
    OUTCOMES = (ATTENDED, NO_SHOW, LATE_CANCEL, RESCHEDULED)
    # Whether the claimant came: recorded from the exam's day on (`do_record_outcome`).
    ON_THE_DAY = (ATTENDED, NO_SHOW)
    # An exam held or still to be held: it counts against the claim's frequency limits and
    # holds its examiner's hour.
    HELD_OR_BOOKED = (BOOKED, ATTENDED)

    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="appointments"
    )
    ime_referral = models.ForeignKey(
        "reports.ImeReferral", on_delete=models.PROTECT, related_name="appointments"
    )
    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="appointments"
    )
    physician = models.ForeignKey(
        "network.Physician", on_delete=models.PROTECT, related_name="appointments"
    )
    day = models.DateField()
    at = models.TimeField()
    minutes = models.PositiveIntegerField(default=60)
    address = models.CharField(max_length=300)
    zip = models.CharField(max_length=5)
    distance_miles = models.FloatField(null=True, blank=True)
    interpreter = models.BooleanField(default=False)
    transport = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=STATUSES, default=BOOKED)
    outcome_note = EncryptedTextField(blank=True)
    outcome_by = models.ForeignKey(
        "claims.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded = models.DateTimeField(null=True, blank=True)
    fee = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    fee_citation = models.TextField(blank=True)
    rescheduled_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_from"
    )
    booked_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    booked = models.DateTimeField(auto_now_add=True)
    # The claimant's notice letter as sent: a PDF stored encrypted (`records.storage`).
    notice_letter = models.CharField(max_length=64, blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    reminded = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "at", "id"]
        indexes = [
            models.Index(fields=["physician", "status", "day"], name="appointment_examiner_day")
        ]
        constraints = [
            # One exam booked per referral at a time; the others ended (held, missed, moved).
            models.UniqueConstraint(
                fields=["referral"], condition=models.Q(status="booked"), name="one_booked_exam"
            )
        ]

    def __str__(self) -> str:
        return f"IME of {self.referral_id} on {self.start:%Y-%m-%d %H:%M}"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.day, self.at)

    @property
    def start_iso(self) -> str:
        return self.start.isoformat(timespec="minutes")
