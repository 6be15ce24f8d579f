"""Assignments of a referral's peer review or IME to a physician of the network (docs/workflow.md,
"Assignment"; `POST /api/v1/referrals/{id}/assignments`), one at a time or a
whole queue at once (`AssignmentBatch`: the cheapest assignment under every physician's
capacity, proposed by OR-Tools beside a greedy one, reviewed and applied by a coordinator).
"""

from __future__ import annotations

from django.db import models

from medreview.core import vocabulary

SERVICES = list(vocabulary.SERVICES.items())


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active(self) -> AssignmentQuerySet:
        """Assignments in force: every one but those cancelled."""
        return self.exclude(status=Assignment.CANCELLED)


class Assignment(models.Model):
    """A referral's peer review or exam given to one physician, due in business days.

    `score` and `reasons` are the matcher's at the time of assignment: why this physician,
    kept for the claim file. A referral has at most one assignment per service.
    """

    ASSIGNED = "assigned"
    CANCELLED = "cancelled"
    STATUSES = [(ASSIGNED, "Assigned"), (CANCELLED, "Cancelled")]

    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="assignments"
    )
    service = models.CharField(max_length=20, choices=SERVICES)
    physician = models.ForeignKey(
        "network.Physician", on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=ASSIGNED)
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

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["assigned", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "service"],
                condition=~models.Q(status="cancelled"),
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
