"""Organisations (tenants), users with their roles, API tokens, and referrals.

Roles and tenants are those of docs/architecture.md, "Who uses it": client users (adjuster, nurse case manager, risk
manager) see their own organisation's referrals only; the review organisation's coordinators,
schedulers, QA nurses and administrators act on every client's; a physician sees only the
cases assigned to them. `Referral.objects.visible_to(user)` is the one place that rule lives.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from medreview.claims.roles import CLIENT_ROLES, REVIEW_ROLES, ROLE_LABELS, ROLES
from medreview.core.case.folder import referral_data
from medreview.core.referral import ReferralData
from medreview.core.triage.stages import Allowance
from medreview.encryption import EncryptedJSONField, EncryptedTextField, search_tokens


class Organisation(models.Model):
    """A tenant: a client (carrier, TPA, self-insured employer) or the review organisation."""

    CLIENT = "client"
    REVIEWER = "reviewer"
    KINDS = [(CLIENT, "client"), (REVIEWER, "reviewer")]

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=KINDS)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class EmailUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who signs in with an email address, in one organisation, with one role."""

    username = models.CharField(max_length=254, unique=True)  # kept equal to the email
    email = models.EmailField(unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=30, choices=[(r, ROLE_LABELS[r]) for r in ROLES])
    npi = models.CharField(max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()

    @property
    def is_client(self) -> bool:
        return self.role in CLIENT_ROLES

    @property
    def is_review_staff(self) -> bool:
        return self.role in REVIEW_ROLES

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def user_for(self, token: str) -> User | None:
        """The active user a presented token belongs to, or None (unknown, revoked, or older
        than `MEDREVIEW_TOKEN_DAYS`)."""
        from django.conf import settings
        from django.utils import timezone

        since = timezone.now() - timedelta(days=settings.TOKEN_DAYS)
        found = (
            self.select_related("user__organisation")
            .filter(
                digest=_token_digest(token),
                revoked__isnull=True,
                user__is_active=True,
                created__gte=since,
            )
            .first()
        )
        return found.user if found else None


class ApiToken(models.Model):
    """A token for integrations: only its SHA-256 digest is stored; revoking keeps the row."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # shown to people to tell tokens apart
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    @staticmethod
    def new_secret() -> tuple[str, str]:
        token = "mr_" + secrets.token_urlsafe(32)
        return token, _token_digest(token)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """The referrals a user may see: their organisation's, every client's for the review
        staff, none for anyone else (physicians see assignments, not referrals)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_review_staff:
            return self.all()
        if user.is_client:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Referral(models.Model):
    """A claim's medical questions and records, sent by a client, and what became of them.

    `payload` is the referral as sent (referral.schema.json); `triage` the case-folder output
    of the records engine once processed, with people's corrections applied on top.
    """

    RECEIVED = "received"
    PROCESSING = "processing"
    TRIAGED = "triaged"
    DECIDED = "decided"
    IN_REVIEW = "in_review"
    CLOSED = "closed"
    STATUSES = [
        (RECEIVED, "Received"),
        (PROCESSING, "Processing records"),
        (TRIAGED, "Triaged: waiting for a decision"),
        (DECIDED, "Decided: waiting for a physician"),
        (IN_REVIEW, "In review"),
        (CLOSED, "Closed"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    claim_number = models.CharField(max_length=64, db_index=True)
    # Patient data, encrypted in the database (`claims.fields`); the claimant's name is
    # searched by its keyed tokens, and the recommended path is kept apart for the queue.
    claimant_name = EncryptedTextField(blank=True)
    claimant_search = models.TextField(blank=True, editable=False)
    jurisdiction = models.CharField(max_length=10)
    line_of_business = models.CharField(max_length=40, blank=True)
    received = models.DateField()
    due = models.DateField(null=True, blank=True)
    payload = EncryptedJSONField()
    status = models.CharField(max_length=20, choices=STATUSES, default=RECEIVED, db_index=True)
    triage = EncryptedJSONField(null=True, blank=True)
    recommended_path = models.CharField(max_length=40, blank=True, editable=False)
    # The path of the triage decision in force (`triage.TriageDecision`, the latest), set by
    # the door that records a decision; empty until someone decides.
    decided_path = models.CharField(max_length=40, blank=True)
    processing_error = models.TextField(blank=True)
    # The day the claim began to wait on records (a records request open), while it waits:
    # kept by `claims.clocks`, which pauses the referral's clocks meanwhile.
    records_awaited_since = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["organisation", "status", "due"])]

    def __str__(self) -> str:
        return f"Referral {self.claim_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the columns drawn from encrypted fields in step with them: the claimant's
        search tokens, and the path the triage recommends (which the queue shows and SQL
        cannot read from the encrypted triage)."""
        self.claimant_search = search_tokens(self.claimant_name or "")
        self.recommended_path = str((self.triage or {}).get("path") or "")[:40]
        fields = kwargs.get("update_fields")
        if fields is not None:
            drawn = {"claimant_name": "claimant_search", "triage": "recommended_path"}
            kwargs["update_fields"] = {*fields, *(drawn[f] for f in fields if f in drawn)}
        super().save(*args, **kwargs)

    @property
    def questions(self) -> list[dict[str, Any]]:
        return list(self.payload.get("questions", []))

    def as_data(self) -> ReferralData:
        """The referral as the core's rules read it: the one translation of a stored
        referral (validated when it was received, so a failure here is a bug)."""
        return referral_data(self.payload, today=self.received, source=f"referral {self.pk}")

    @property
    def path_in_force(self) -> str:
        """The triage path that now decides what is done: the one a person decided, else the
        one recommended ("" before the records are read)."""
        return self.decided_path or str((self.triage or {}).get("path") or "")


class Notice(models.Model):
    """An in-app notice: to a client organisation's people (on their work queue) or to a
    physician (by NPI, on the portal), about one referral. Written by the action that has
    news, in its transaction."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    npi = models.CharField(max_length=10, blank=True, db_index=True)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    text = models.CharField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]


class Clock(models.Model):
    """The turnaround clock of one stage of a referral (docs/workflow.md, "Turnaround
    clocks"), in business days of the claim's jurisdiction, kept by `claims.clocks`: started
    and stopped by the doors of the stage, paused while the claim waits on records.

    The allowance is business days (the client's service level, or the desk's default) or a
    jurisdiction's limit in business or calendar days, whichever ends first when it starts;
    `source` names it with its citation. `due` counts the pauses ended; a pause running
    (`paused_since`) moves it further when it ends. A stage of one assignment or addendum
    names it (`subject`, in words; `about`, `assignment:<id>` or `addendum:<id>`, for its
    doors) and its physician (`npi`), who is told when it runs late.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="clocks")
    stage = models.CharField(max_length=20)
    subject = models.CharField(max_length=200, blank=True)
    about = models.CharField(max_length=40, blank=True)
    npi = models.CharField(max_length=10, blank=True)
    started = models.DateField()
    business_days = models.PositiveIntegerField(null=True, blank=True)
    calendar_days = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300)
    due = models.DateField()
    paused_since = models.DateField(null=True, blank=True)
    paused_business_days = models.PositiveIntegerField(default=0)
    stopped = models.DateField(null=True, blank=True)
    nearly_late_notified = models.BooleanField(default=False)
    late_notified = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started", "id"]
        indexes = [models.Index(fields=["stopped", "due"])]

    def __str__(self) -> str:
        return f"{self.stage} clock of {self.referral_id}"

    @property
    def allowance(self) -> Allowance:
        if self.calendar_days is not None:
            return Allowance(self.calendar_days, calendar=True, source=self.source)
        return Allowance(self.business_days or 0, source=self.source)


class ServiceLevel(models.Model):
    """A client's turnaround for one stage, in business days, set by an administrator
    (`/settings/service-levels/`); a stage without one has the desk's default
    (`data/service_levels.toml`). A clock already running keeps what it started with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="service_levels"
    )
    stage = models.CharField(max_length=20)
    business_days = models.PositiveIntegerField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "stage"], name="one_service_level_per_stage"
            )
        ]


class JurisdictionRuleEdit(models.Model):
    """An administrator's correction of the shipped jurisdiction rules
    (`data/jurisdiction_rules.csv`): it replaces the row of the same jurisdiction, service
    and rule, adds a row the file lacks, or removes the file's row (`removes`). The rules in
    force are the file's rows with these over them (`claims.rules.current_rules`); restoring
    the shipped row deletes the edit. Each change is in the audit trail."""

    jurisdiction = models.CharField(max_length=10)
    service = models.CharField(max_length=20)
    rule = models.CharField(max_length=60)
    value = models.CharField(max_length=40, blank=True)
    citation = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(max_length=1, blank=True)
    note = models.CharField(max_length=500, blank=True)
    removes = models.BooleanField(default=False)
    edited_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    edited = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jurisdiction", "service", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "service", "rule"], name="one_edit_per_rule"
            )
        ]
