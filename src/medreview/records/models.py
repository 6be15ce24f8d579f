"""A record file of a referral, as received: its name in the case folder (`records/…`), its
size and digest, and where its encrypted content is stored (records.storage)."""

from __future__ import annotations

from django.db import models


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
