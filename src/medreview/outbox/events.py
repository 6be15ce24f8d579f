"""What leaves the desk for another party, as data: the events a client's claim system is told
of by webhook, the schedule of a failed delivery's retries, and the signature of a webhook's
body.

The events and the headers are those of the product's contract for webhooks (docs/api.md,
"Webhooks"): "medreview POSTs JSON events (`referral.triaged`, `records.requested`,
`report.delivered`, `appointment.booked`, `appointment.changed`, `referral.closed`) with
`X-Medreview-Event`, a delivery id, and `X-Medreview-Signature: sha256=<HMAC-SHA256 of the body
with the secret>`; a failed delivery is retried with backoff". Plain Python, no Django.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

# Each event of the contract, and the words of an e-mail's subject for it.
EVENTS: dict[str, str] = {
    "referral.triaged": "records read and triaged",
    "records.requested": "records requested",
    "report.delivered": "report delivered",
    "appointment.booked": "examination booked",
    "appointment.changed": "examination changed",
    "referral.closed": "referral closed",
}

# The waits before the 2nd, 3rd, … attempt of a webhook delivery or an e-mail: six attempts
# over about 15 hours, then it is failed (an administrator may try it again).
RETRY_AFTER: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
ATTEMPTS = len(RETRY_AFTER) + 1

# How long one delivery may take: to connect, then to answer (seconds).
TIMEOUT = (5.0, 10.0)

EVENT_HEADER = "X-Medreview-Event"
DELIVERY_HEADER = "X-Medreview-Delivery"
SIGNATURE_HEADER = "X-Medreview-Signature"


def retry_after(attempt: int) -> timedelta | None:
    """The wait after failed attempt number `attempt` (from 1), or None: no more attempts."""
    if 1 <= attempt <= len(RETRY_AFTER):
        return RETRY_AFTER[attempt - 1]
    return None


def signature(body: bytes, secret: str) -> str:
    """The value of `X-Medreview-Signature`: `sha256=` and the hex HMAC-SHA256 of the body's
    exact bytes, keyed with the webhook's secret (its text in UTF-8)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
