"""The claim file says in words what breaks a referral's audit chain: an event missing from
the sequence, an event changed after it was written, an event that does not link to the one
before, a chain cut short of its checkpoint or emptied; and a whole chain is said verified."""

from __future__ import annotations

from medreview.core.claimfile.model import AuditEvent, AuditTrail
from medreview.core.claimfile.trail import GENESIS, Checkpoint, Link, findings, verdict


def chain(count: int) -> list[Link]:
    links, previous = [], GENESIS
    for seq in range(1, count + 1):
        links.append(Link(seq, previous, f"{seq:064x}", True))
        previous = links[-1].hash
    return links


def test_a_whole_chain_has_no_findings() -> None:
    assert findings(chain(4), Checkpoint(4, f"{4:064x}")) == ()
    assert findings(chain(4), None) == ()


def test_a_missing_event_is_named_once() -> None:
    links = chain(5)
    del links[1]
    assert findings(links, None) == ("event 2 is missing (the sequence goes on at event 3)",)
    del links[1:3]  # events 3 and 4 as well
    assert findings(links, None) == ("events 2 to 4 are missing (the sequence goes on at event 5)",)


def test_a_changed_event_and_a_broken_link_are_named() -> None:
    links = chain(3)
    links[0] = Link(1, GENESIS, links[0].hash, content_matches=False)
    links[2] = Link(3, "f" * 64, links[2].hash, True)
    assert findings(links, None) == (
        "event 1 was changed after it was written (its content does not match its hash)",
        "event 3 does not link to the event before it",
    )


def test_a_chain_cut_short_of_its_checkpoint_or_emptied_is_named() -> None:
    assert findings(chain(2), Checkpoint(3, "x")) == (
        "the chain ends at event 2, short of its checkpoint (event 3)",
    )
    assert findings([], Checkpoint(3, "x")) == (
        "every event was removed (the checkpoint is at event 3)",
    )
    assert findings(chain(3), Checkpoint(3, "not its hash")) == (
        "event 3 is not the event its checkpoint recorded",
    )


def test_the_verdict_is_one_plain_sentence() -> None:
    event = AuditEvent(1, "2026-07-01T00:00:00+00:00", "a", "x", "{}", "h", GENESIS)
    assert verdict(AuditTrail((event, event), verified=True)) == (
        "Verified: 2 events, the chain is unbroken."
    )
    broken = AuditTrail((event,), verified=False, findings=("event 1 is missing",))
    assert verdict(broken) == "Not verified: event 1 is missing."
