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
