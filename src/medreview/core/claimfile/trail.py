"""The audit trail's check in words: what is wrong with a chain that does not verify.

The verdict itself is the audit trail's own (`medreview.audit.actions.verify_chain`, the same
that `GET /api/v1/referrals/{id}/audit` answers); this module only says which event breaks the
chain and how, from facts the caller checked (each event's hash against its content needs the
audit key, which the core never holds): an event missing from the sequence, an event whose
content no longer matches its hash, an event that does not link to the one before it, and a
chain cut short of its checkpoint (docs/architecture.md, "Audit trail, hash-chained").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from medreview.core.claimfile.model import AuditTrail

GENESIS = "0" * 64  # the previous hash of a chain's first event


@dataclass(frozen=True)
class Link:
    """One event as the check reads it."""

    seq: int
    prev_hash: str
    hash: str
    content_matches: bool  # its hash recomputed from its content is the one stored


@dataclass(frozen=True)
class Checkpoint:
    """The chain's newest event as recorded outside the database once committed."""

    seq: int
    hash: str


def findings(links: Sequence[Link], checkpoint: Checkpoint | None) -> tuple[str, ...]:
    """Each break of the chain, in words, in the order of the chain; none for a whole one."""
    found: list[str] = []
    previous, expected = GENESIS, 1
    for link in links:
        if link.seq > expected:
            last_gone = link.seq - 1
            gone = (
                f"event {expected} is"
                if last_gone == expected
                else f"events {expected} to {last_gone} are"
            )
            found.append(f"{gone} missing (the sequence goes on at event {link.seq})")
        elif link.seq < expected:
            found.append(f"event {link.seq} appears again after event {expected - 1}")
        elif link.prev_hash != previous:
            found.append(f"event {link.seq} does not link to the event before it")
        if not link.content_matches:
            found.append(
                f"event {link.seq} was changed after it was written (its content does not"
                " match its hash)"
            )
        previous, expected = link.hash, max(expected, link.seq + 1)
    if checkpoint is not None:
        found.extend(_against(links, checkpoint))
    return tuple(found)


def _against(links: Sequence[Link], checkpoint: Checkpoint) -> list[str]:
    if checkpoint.seq < 1:
        return ["the chain's checkpoint is damaged"]
    if not links:
        return [f"every event was removed (the checkpoint is at event {checkpoint.seq})"]
    last = links[-1].seq
    if last < checkpoint.seq:
        return [f"the chain ends at event {last}, short of its checkpoint (event {checkpoint.seq})"]
    marked = next((link for link in links if link.seq == checkpoint.seq), None)
    if marked is not None and marked.hash != checkpoint.hash:
        return [f"event {checkpoint.seq} is not the event its checkpoint recorded"]
    return []


def verdict(trail: AuditTrail) -> str:
    """The check of the chain as a sentence: verified, or not and why."""
    count = len(trail.events)
    if trail.verified:
        return f"Verified: {count} event{'' if count == 1 else 's'}, the chain is unbroken."
    why = "; ".join(trail.findings) or "the chain does not reach its checkpoint"
    return f"Not verified: {why}."
