"""The physician network: physicians with their specialties (NUCC codes), licences, office,
services, capacity, record of turnaround and QA, affiliations and fees (docs/command-line.md,
"The physician network"), and their credentialing (docs/rules.md, "Matching physicians"; URAC: licence, board
certification and sanctions verified, re-verified at least every three years).

The network belongs to the review desk; no client sees it. A physician is keyed by NPI.
"""

from __future__ import annotations

from django.db import models


class Physician(models.Model):
    """A reviewing or examining physician of the network."""

    npi = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    board_certified = models.BooleanField(default=False)
    board_verified_on = models.DateField(null=True, blank=True)
    sanctions_checked_on = models.DateField(null=True, blank=True)
    sanctioned = models.BooleanField(default=False)
    zip = models.CharField(max_length=5)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    offers_peer_review = models.BooleanField(default=False)
    offers_ime = models.BooleanField(default=False)
    languages = models.JSONField(default=list)
    weekly_capacity = models.PositiveIntegerField(default=0)
    # A physician's load is two counts: the assignments medreview gave that are still open,
    # kept by the reviews app's actions alone (up when one is given, down when one is
    # cancelled), and the work outside medreview, the roster's `open_assignments` column,
    # which an import replaces. An import never touches medreview's own count.
    open_assignments = models.PositiveIntegerField(
        default=0, help_text="assignments medreview gave that are still open"
    )
    outside_assignments = models.PositiveIntegerField(
        default=0,
        help_text="the roster's open_assignments column: work outside medreview",
    )
    median_turnaround_days = models.FloatField(default=5.0)
    qa_score = models.FloatField(default=0.0)
    # Once medreview's QA has decided on a review of theirs, `qa_score` is medreview's own
    # first-pass rate, which a roster import no longer overwrites.
    qa_measured = models.BooleanField(default=False)
    affiliations = models.JSONField(default=list)
    fee_peer_review = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    fee_ime = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (NPI {self.npi})"

    @property
    def services(self) -> list[str]:
        return [
            s
            for s, offered in (("peer_review", self.offers_peer_review), ("ime", self.offers_ime))
            if offered
        ]

    @property
    def load(self) -> int:
        """The assignments that take the physician's weekly slots: the outside work the
        roster reports plus medreview's own still open."""
        return self.outside_assignments + self.open_assignments


class PhysicianSpecialty(models.Model):
    """One NUCC taxonomy code of a physician (indexed: the matcher reads by specialty)."""

    physician = models.ForeignKey(Physician, on_delete=models.CASCADE, related_name="specialties")
    code = models.CharField(max_length=10, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["physician", "code"], name="one_code_per_physician")
        ]


class Licence(models.Model):
    """A state licence, with its expiry and the day it was last verified."""

    physician = models.ForeignKey(Physician, on_delete=models.CASCADE, related_name="licences")
    state = models.CharField(max_length=2)
    expires = models.DateField()
    verified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["state"]
        constraints = [
            models.UniqueConstraint(fields=["physician", "state"], name="one_licence_per_state")
        ]


class Availability(models.Model):
    """A block of an examiner's bookable hours for IMEs at one office on one day
    (docs/command-line.md, "medreview network availability import"). The day and times are
    the office's wall clock, as an exam is held at 9:00 where it is held; the office's ZIP
    centroid is kept for the claimant's distance to it. Read in order of day and start (the
    index) when the earliest slots are looked for."""

    physician = models.ForeignKey(Physician, on_delete=models.CASCADE, related_name="availability")
    day = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    zip = models.CharField(max_length=5)
    address = models.CharField(max_length=300)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        ordering = ["day", "start", "id"]
        indexes = [models.Index(fields=["day", "start"], name="availability_day_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="availability_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.start:%H:%M}-{self.end:%H:%M} at {self.zip}"
