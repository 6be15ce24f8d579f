"""A person's decision on a referral's triage (docs/workflow.md, "Triage"): accept the
recommended path, or override it with another and a reason. Every decision is kept; the
latest is the one in force."""

from __future__ import annotations

from django.db import models


class TriageDecision(models.Model):
    ACCEPT = "accept"
    OVERRIDE = "override"

    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="triage_decisions"
    )
    decision = models.CharField(max_length=10, choices=[(ACCEPT, "accept"), (OVERRIDE, "override")])
    recommended_path = models.CharField(max_length=40)
    path = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    decided = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided", "-id"]
