"""Writing and checking the audit trail. `record` is called by every action, in its
transaction; nothing else writes events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from medreview.audit.models import AuditEvent

GENESIS = "0" * 64


def chain_of(*, referral: Any = None, organisation: Any = None) -> str:
    if referral is not None:
        return f"referral:{referral.pk}"
    if organisation is not None:
        return f"organisation:{organisation.pk}"
    return "system"


def actor_name(actor: Any) -> str:
    return str(getattr(actor, "email", None) or actor or "system")


def record(
    action: str,
    *,
    actor: Any,
    referral: Any = None,
    organisation: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to its chain. Must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the action's transaction")
    chain = chain_of(referral=referral, organisation=organisation)
    last = AuditEvent.objects.filter(chain=chain).order_by("-seq").first()
    event = AuditEvent(
        chain=chain,
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        actor=actor_name(actor),
        organisation=organisation or getattr(referral, "organisation", None),
        referral=referral,
        action=action,
        detail=detail or {},
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


def verify(events: Iterable[AuditEvent]) -> bool:
    """Whether a chain's events are whole: each hash matches its content, each links to the
    one before, and no sequence number is missing."""
    previous = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq or event.prev_hash != previous:
            return False
        if event.compute_hash() != event.hash:
            return False
        previous = event.hash
        expected_seq += 1
    return True
