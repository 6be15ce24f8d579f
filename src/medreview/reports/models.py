"""What a physician makes of an assignment (docs/workflow.md, "Peer review" to "Report and
QA"): a determination per question, the peer-to-peer log, QA's decisions, the report as
delivered, the addenda a client asks for, and the IME referral narrowed to what a passed peer
review left open. The assignment itself, with its attestation and its life, is the `reviews`
app's.
"""

from __future__ import annotations

from django.db import models

from medreview.encryption import EncryptedJSONField, EncryptedTextField


class Determination(models.Model):
    """The physician's answer to one question of the referral; a new one replaces the old
    (the audit trail keeps every version)."""

    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="determinations"
    )
    question_id = models.CharField(max_length=64)
    determination = models.CharField(max_length=30)
    rationale = EncryptedTextField()
    # [{"file", "page"}] or [{"guideline", "edition", "section"}]: record pages picked in the
    # page viewer, or named guidelines (never their text).
    citations = models.JSONField(default=list)
    disputes = EncryptedJSONField(default=list)
    answered = models.DateTimeField()

    class Meta:
        ordering = ["assignment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "question_id"], name="one_determination_per_question"
            )
        ]


class PeerToPeer(models.Model):
    """One offer, attempt or call with a treating provider, as the physician logged it."""

    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="calls"
    )
    at = models.DateTimeField()
    with_whom = models.CharField(max_length=200)
    outcome = models.CharField(max_length=20)
    note = EncryptedTextField(blank=True)
    logged = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Addendum(models.Model):
    """A client's request for more on a delivered report, answered by the same physician
    with its own clock, through QA again; the report then gains it, numbered."""

    OPEN = "open"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PASSED = "passed"
    STATUSES = [
        (OPEN, "Asked: waiting for the physician"),
        (SUBMITTED, "Answered: waiting for QA"),
        (RETURNED, "Returned by QA"),
        (PASSED, "Passed QA: delivered"),
    ]

    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="addenda"
    )
    number = models.PositiveIntegerField()
    question_id = models.CharField(max_length=64, blank=True)
    request = EncryptedTextField()
    requested_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    requested = models.DateTimeField(auto_now_add=True)
    due = models.DateField()
    status = models.CharField(max_length=20, choices=STATUSES, default=OPEN)
    response = EncryptedTextField(blank=True)
    citations = models.JSONField(default=list)
    submitted = models.DateTimeField(null=True, blank=True)
    delivered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="one_addendum_number")
        ]


class QaReview(models.Model):
    """QA's decision on a submitted review or addendum, with the checklist as it stood."""

    PASS = "pass"
    RETURN = "return"
    DECISIONS = [(PASS, "Passed"), (RETURN, "Returned")]

    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="qa"
    )
    addendum = models.ForeignKey(
        Addendum, on_delete=models.PROTECT, null=True, blank=True, related_name="qa"
    )
    decision = models.CharField(max_length=10, choices=DECISIONS)
    note = EncryptedTextField(blank=True)
    checklist = models.JSONField(default=list)
    reviewed_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    reviewed = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed", "id"]


class Report(models.Model):
    """A delivered report: the PDF as it went out, encrypted at rest; a new version for each
    addendum delivered."""

    assignment = models.ForeignKey(
        "reviews.Assignment", on_delete=models.PROTECT, related_name="reports"
    )
    version = models.PositiveIntegerField()
    stored_as = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    made = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "version"], name="one_report_version")
        ]


class ImeReferral(models.Model):
    """The IME a passed peer review leaves: only the questions still needing an exam, the
    disputes the reviewer named and the same records; or the IME avoided, with its cost."""

    DRAFT = "draft"
    CONFIRMED = "confirmed"
    AVOIDED = "avoided"
    STATUSES = [
        (DRAFT, "Drafted: waiting for the coordinator"),
        (CONFIRMED, "Confirmed"),
        (AVOIDED, "IME avoided"),
    ]

    referral = models.OneToOneField(
        "claims.Referral", on_delete=models.PROTECT, related_name="ime_referral"
    )
    assignment = models.ForeignKey("reviews.Assignment", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=STATUSES)
    questions = EncryptedJSONField(default=list)  # the referral's question objects left
    disputes = EncryptedJSONField(default=list)
    records = models.JSONField(default=list)  # names of the same record files
    cost_avoided = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    fee_citation = models.TextField(blank=True)
    drafted = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        "claims.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed = models.DateTimeField(null=True, blank=True)
