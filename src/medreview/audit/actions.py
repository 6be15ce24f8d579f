"""Writing and checking the audit trail. `record` is called by every action, in its
transaction; nothing else writes events. Appends to one chain are serialised (on PostgreSQL
by a transaction-scoped advisory lock on the chain; SQLite writes one at a time anyway), and
each chain's newest event is checkpointed outside the database once committed
(`audit.checkpoints`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from medreview.audit import checkpoints
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
    _lock(chain)
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
    seq, hash_ = event.seq, event.hash

    def checkpoint() -> None:
        checkpoints.write(chain, seq, hash_)

    transaction.on_commit(checkpoint)
    return event


def _lock(chain: str) -> None:
    """Hold the chain until this transaction ends: two actions on one referral append one
    after the other instead of colliding on the same sequence number.

    An action may hold its referral's row when it gets here, and an audited read holds the
    chain when its event's insert checks the referral's key: the doors lock rows FOR NO KEY
    UPDATE (`select_for_update(no_key=True)`), which that check does not wait on, so that the
    two never wait on each other in a circle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [chain])


def verify_chain(chain: str, events: list[AuditEvent]) -> bool:
    """Whether a chain is whole (`verify`) and reaches its checkpoint: the checkpointed event
    is there, unchanged. A chain cut at its end, or emptied, falls short of it."""
    if not verify(events):
        return False
    mark = checkpoints.read(chain)
    if mark is None:
        return True
    if mark.seq < 1 or len(events) < mark.seq:
        return False
    return events[mark.seq - 1].hash == mark.hash


def problems() -> list[str]:
    """Every chain that is not whole, in words: all the chains of the database and of the
    checkpoints (`medreview audit verify`)."""
    found: list[str] = []
    chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
        if not verify(events):
            found.append(f"{chain}: an event was changed or removed ({len(events)} left)")
        elif not verify_chain(chain, events):
            mark = checkpoints.read(chain)
            found.append(
                f"{chain}: ends at event {len(events)}, short of its checkpoint"
                f" (event {mark.seq if mark else '?'})"
            )
    for mark in checkpoints.every():
        if mark.seq < 1:
            found.append(f"checkpoint {mark.chain}: damaged")
        elif mark.chain not in chains:
            found.append(f"{mark.chain}: every event removed (checkpoint at event {mark.seq})")
    return found


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
