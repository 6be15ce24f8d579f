"""Assignments of a referral's peer review or IME to a physician of the network (docs/workflow.md,
"Assignment"; `POST /api/v1/referrals/{id}/assignments`), one at a time or a
whole queue at once (`AssignmentBatch`: the cheapest assignment under every physician's
capacity, proposed by OR-Tools beside a greedy one, reviewed and applied by a coordinator).
An assignment's life (docs/workflow.md, "Peer review"): open, attested, submitted, returned or
passed, closed; or declined, or cancelled by a new triage decision. What the physician writes
is the `reports` app's.
"""

from __future__ import annotations

from django.db import models

from medreview.core import vocabulary

SERVICES = list(vocabulary.SERVICES.items())


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self) -> AssignmentQuerySet:
        """Assignments in force: every one but those cancelled or declined."""
        return self.exclude(status__in=Assignment.ENDED)

    def open(self) -> AssignmentQuerySet:
        """The physician's work still to do: what counts in a physician's load."""
        return self.filter(status__in=Assignment.OPEN_STATUSES)

    def of_physician(self, user: object) -> AssignmentQuerySet:
        """A physician user's own assignments (none for anyone else)."""
        npi = getattr(user, "npi", "")
        if getattr(user, "role", None) != "physician" or not npi or not user.is_active:  # type: ignore[attr-defined]
            return self.none()
        return self.filter(physician__npi=npi)


class Assignment(models.Model):
    """A referral's peer review or exam given to one physician, due in business days.

    `score` and `reasons` are the matcher's at the time of assignment: why this physician,
    kept for the claim file. A referral has at most one assignment per service.
    """

    OPEN = "open"
    ATTESTED = "attested"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PASSED = "passed"
    CLOSED = "closed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    STATUSES = [
        (OPEN, "Open: waiting for the attestation"),
        (ATTESTED, "Attested: in review"),
        (SUBMITTED, "Submitted: waiting for QA"),
        (RETURNED, "Returned by QA"),
        (PASSED, "Passed QA: report delivered"),
        (CLOSED, "Closed"),
        (DECLINED, "Declined"),
        (CANCELLED, "Cancelled"),
    ]
    # The physician's work still to do (a physician's load), and the assignments no longer
    # in force (their service may be given again).
    OPEN_STATUSES = (OPEN, ATTESTED, SUBMITTED, RETURNED)
    ENDED = (DECLINED, CANCELLED)
    # Where the physician may still change the answers.
    EDITABLE = (ATTESTED, RETURNED)

    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="assignments"
    )
    service = models.CharField(max_length=20, choices=SERVICES)
    physician = models.ForeignKey(
        "network.Physician", on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=OPEN)
    due = models.DateField()
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    batch = models.ForeignKey(
        "reviews.AssignmentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    assigned = models.DateTimeField(auto_now_add=True)
    # A triage decision that no longer calls for the service cancels it, with its reason.
    cancelled = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    attested = models.DateTimeField(null=True, blank=True)
    attestation = models.TextField(blank=True)
    submitted = models.DateTimeField(null=True, blank=True)
    delivered = models.DateTimeField(null=True, blank=True)  # QA passed: the report went out
    closed = models.DateTimeField(null=True, blank=True)
    declined = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    recused = models.BooleanField(default=False)  # declined for a conflict found later

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["assigned", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "service"],
                condition=~models.Q(status__in=["cancelled", "declined"]),
                name="one_assignment_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} of {self.referral_id} by {self.physician_id}"


class AssignmentBatch(models.Model):
    """A proposal for the queue of waiting reviews: the optimal assignment and a greedy one,
    computed in the background, then applied (all of it or nothing) by a coordinator.

    `proposal` holds both, each with its assignments, unassigned reviews, total cost and,
    for the optimal one, the proven lower bound (`core.network.assignment.Proposal`).
    """

    COMPUTING = "computing"
    READY = "ready"
    APPLIED = "applied"
    FAILED = "failed"
    STATUSES = [
        (COMPUTING, "Computing"),
        (READY, "Ready to apply"),
        (APPLIED, "Applied"),
        (FAILED, "Failed"),
    ]

    status = models.CharField(max_length=20, choices=STATUSES, default=COMPUTING)
    proposal = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        "claims.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]


class ClientSettings(models.Model):
    """What a client allows of the desk's reviews beyond the rules: for now, whether the
    physician who did a referral's peer review may also examine the claimant (docs/workflow.md,
    "IME": the IME is an independent second opinion, so not unless the client says so)."""

    organisation = models.OneToOneField(
        "claims.Organisation", on_delete=models.CASCADE, related_name="review_settings"
    )
    ime_by_peer_reviewer = models.BooleanField(
        default=False, help_text="the peer reviewer may also do the IME"
    )
    updated = models.DateTimeField(auto_now=True)
