"""Audit events: who did what, when, to which referral, each chained to the one before.

An event's hash covers its content and the hash of the event before it in the same chain (a
referral's events, or an organisation's events that concern no referral), so editing or
deleting an old event breaks every later link: `verify` finds it. The hash is keyed
(HMAC-SHA256, `settings.AUDIT_KEY`, kept outside the database), so that nobody who can only
write to the database can recompute a chain after rewriting it. Events are appended by
`medreview.audit.actions.record` only, inside the transaction of the change they describe.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models

from medreview.encryption import EncryptedJSONField


class AuditEvent(models.Model):
    chain = models.CharField(max_length=80, db_index=True)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.CharField(max_length=254)  # the user's email, or "system"
    organisation = models.ForeignKey(
        "claims.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "claims.Referral", null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=80)
    # Free words (a rationale, a reason) may quote a record: encrypted like them.
    detail = EncryptedJSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            # Two writers appending to one chain at once: one of them fails, none forks it.
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]

    def content(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self, key: str | None = None) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), default=str)
        secret = (key if key is not None else settings.AUDIT_KEY).encode()
        return hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()
