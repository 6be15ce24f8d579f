"""A record file of a referral, as received: its name in the case folder (`records/…`), its
size and digest, and where its encrypted content is stored (records.storage)."""

from __future__ import annotations

from django.db import models

from medreview.encryption import EncryptedTextField


class RecordFile(models.Model):
    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="record_files"
    )
    name = models.CharField(max_length=255)  # "records/FILE", as in a case folder
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=64, unique=True)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "name"], name="record_file_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Correction(models.Model):
    """A person's correction of a machine judgement (docs/workflow.md, "Records audit"): a
    document's kind or date, or a gap dismissed. Kept whole, audited, and applied over the
    engine's output wherever the referral is shown; the latest for a target and field wins."""

    DOCUMENT = "document"
    GAP = "gap"

    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="corrections"
    )
    target = models.CharField(max_length=10, choices=[(DOCUMENT, "document"), (GAP, "gap")])
    key = models.CharField(max_length=300)  # the document's name, or the gap's key
    field = models.CharField(max_length=20)  # kind | date | dismissed
    value = models.CharField(max_length=100, blank=True)
    machine_value = models.CharField(max_length=100, blank=True)
    detail = EncryptedTextField(blank=True)  # what the corrected gap said
    reason = EncryptedTextField()
    made_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    made = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made", "id"]


class RecordsRequest(models.Model):
    """A request to a provider for records a gap showed missing: one per claim, provider and
    missing item, never twice (docs/workflow.md, "Records audit"). A client's user asks the
    review desk for it (`asked`); the desk sends it to the provider (`requested`), or makes it
    itself; then the records come in, or the request is cancelled."""

    ASKED = "asked"
    REQUESTED = "requested"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    STATUSES = [
        (ASKED, "Asked of the review desk"),
        (REQUESTED, "Requested from the provider"),
        (RECEIVED, "Received"),
        (CANCELLED, "Cancelled"),
    ]

    organisation = models.ForeignKey(
        "claims.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    claim_number = models.CharField(max_length=64)
    referral = models.ForeignKey(
        "claims.Referral", on_delete=models.PROTECT, related_name="records_requests"
    )
    provider = models.CharField(max_length=200)
    item = models.CharField(max_length=300)
    gap_key = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=STATUSES, default=REQUESTED)
    requested_by = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    requested = models.DateTimeField(auto_now_add=True)
    # Who at the review desk sent it to the provider, and when (the one who made it, for a
    # request the desk made itself; nobody yet for one a client asked for).
    sent_by = models.ForeignKey(
        "claims.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "claim_number", "provider", "item"],
                name="records_request_once_per_item",
            )
        ]


class PendingUpload(models.Model):
    """A record file attached to a referral form that was refused (a field to correct), kept
    encrypted as records are (records.storage) so that the person need not attach it again:
    theirs alone, until they send the corrected form, remove it, or a day has passed."""

    owner = models.ForeignKey("claims.User", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)  # the file's cleaned name, without `records/`
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=64, unique=True)
    kept = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["kept", "id"]

    def __str__(self) -> str:
        return self.name
