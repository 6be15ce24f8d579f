"""What leaves the desk for another party, and the log of each try (docs/architecture.md,
"The outbox"): the webhooks an administrator registers for a client's claim system, each
delivery of an event to one of them with every attempt, and the e-mails queued for people.

A delivery's body is kept as sent (ids, the claim number and statuses only: no patient data),
so that its signature can be checked against it. What may hold patient data is encrypted at
rest: a webhook's secret, and an e-mail's address, subject, body and attachments.
"""

from __future__ import annotations

import uuid

from django.db import models

from medreview.claims.models import Organisation, Referral
from medreview.encryption import EncryptedTextField


class Webhook(models.Model):
    """A client organisation's URL, told of the events of its referrals, signed with the
    secret shown once when it was registered. Removed, it is kept inactive with its log."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField(max_length=2000)
    secret = EncryptedTextField()
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=254)  # who registered it, as the audit trail names
    removed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.organisation_id}: {self.url}"


class WebhookDelivery(models.Model):
    """One event for one webhook: its body as sent, and where its delivery stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    STATUSES = [(PENDING, "Waiting"), (DELIVERED, "Delivered"), (FAILED, "Failed")]

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claim_number = models.CharField(max_length=64)
    event = models.CharField(max_length=40)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.TextField()  # the JSON as sent, the bytes the signature covers
    status = models.CharField(max_length=20, choices=STATUSES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # the kind of error, never PHI
    created = models.DateTimeField(auto_now_add=True)
    delivered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]


class WebhookAttempt(models.Model):
    """One try of a delivery: when, how long it took, and the answer (a status code) or the
    kind of error (no answer)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["delivery_id", "number"]

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def answer(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code is not None else self.error


class Email(models.Model):
    """An e-mail to one address, as queued, and where its sending stands. Address, subject
    and body are encrypted at rest (a document's e-mail may name a patient)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    NOT_SENT = "not_sent"
    STATUSES = [
        (PENDING, "Waiting"),
        (SENT, "Sent"),
        (FAILED, "Failed"),
        (NOT_SENT, "Not sent (no mail server)"),
    ]

    to = EncryptedTextField()
    subject = EncryptedTextField()
    body = EncryptedTextField()
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=STATUSES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # the kind of error, never PHI
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]


class EmailAttachment(models.Model):
    """A file sent with an e-mail: its name, type and content (base64), encrypted at rest."""

    email = models.ForeignKey(Email, on_delete=models.CASCADE, related_name="attachments")
    filename = EncryptedTextField()
    mimetype = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()  # base64 of the bytes

    class Meta:
        ordering = ["email_id", "id"]
