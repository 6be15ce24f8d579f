"""Audit events are chained by hash: editing an old event, or removing one, is detected."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import api, run_worker, send

from medreview.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("tamper", ["edit", "delete"])
def test_tampering_with_an_old_event_is_detected(people: Any, tamper: str) -> None:
    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()
    assert api(token).get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is True

    first = AuditEvent.objects.filter(referral_id=rid).order_by("seq").first()
    if tamper == "edit":
        AuditEvent.objects.filter(pk=first.pk).update(detail={"claim_number": "SOMETHING-ELSE"})
    else:
        AuditEvent.objects.filter(pk=first.pk).delete()

    assert api(token).get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is False


def test_an_event_can_only_be_written_inside_its_actions_transaction(people: Any) -> None:
    from medreview.audit.actions import record

    with pytest.raises(RuntimeError, match="transaction"):
        record("something", actor="test", organisation=people.client_a)


@pytest.mark.parametrize("cut", ["newest", "all"])
def test_cutting_a_chains_end_is_detected_by_its_checkpoint(people: Any, cut: str) -> None:
    from medreview.audit import checkpoints
    from medreview.audit.actions import problems

    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()
    events = AuditEvent.objects.filter(referral_id=rid).order_by("seq")

    def of_this_referral() -> list[str]:
        return [p for p in problems() if p.startswith(f"referral:{rid}")]

    assert of_this_referral() == []
    # The cut below is found against this checkpoint of the chain's newest event.
    mark = checkpoints.read(f"referral:{rid}")
    assert mark is not None and mark.seq == events.count() == 3, mark
    if cut == "newest":
        AuditEvent.objects.filter(pk=events.last().pk).delete()
        assert api(token).get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is False
        assert of_this_referral() == [
            f"referral:{rid}: ends at event 2, short of its checkpoint (event 3)"
        ]
    else:
        count = events.count()
        events.delete()
        assert api(token).get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is False
        assert of_this_referral() == [
            f"referral:{rid}: every event removed (checkpoint at event {count})"
        ]


def test_a_chain_rewritten_with_plain_hashes_is_detected(people: Any) -> None:
    """Whoever can write to the database cannot recompute the chain: the hashes are keyed."""
    import hashlib
    import json

    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()
    previous = "0" * 64
    for event in AuditEvent.objects.filter(referral_id=rid).order_by("seq"):
        if event.seq == 1:
            event.detail = {**event.detail, "claim_number": "SOMETHING-ELSE"}
        event.prev_hash = previous
        canonical = json.dumps(event.content(), sort_keys=True, separators=(",", ":"), default=str)
        event.hash = hashlib.sha256(canonical.encode()).hexdigest()
        event.save()
        previous = event.hash
    assert api(token).get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is False


def test_a_checkpoint_that_cannot_be_written_never_undoes_the_action(
    people: Any, tmp_path: Any
) -> None:
    from django.test import override_settings

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with override_settings(AUDIT_CHECKPOINTS_DIR=blocked / "heads"):
        made = send(people.token(people.adjuster_a))
    assert made.status_code == 201
    assert AuditEvent.objects.filter(action="referral.received").exists()
