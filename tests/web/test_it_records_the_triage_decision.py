"""A person accepts the recommended path or overrides it with a reason; both are kept and
audited; an override without a reason is refused with 422 and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import api, run_worker, send

from medreview.triage.models import TriageDecision

pytestmark = pytest.mark.django_db(transaction=True)


def _decide(token: str, referral_id: str, **body: Any) -> Any:
    return api(token).post(
        f"/api/v1/referrals/{referral_id}/triage-decision", body, content_type="application/json"
    )


def test_an_override_needs_a_reason_and_one_with_a_reason_is_kept(people: Any) -> None:
    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()

    refused = _decide(token, rid, decision="override", path="ime_first")
    assert refused.status_code == 422
    assert "reason" in refused.json()["detail"]
    assert TriageDecision.objects.count() == 0

    kept = _decide(
        token, rid, decision="override", path="ime_first", reason="Surgeon asks for an exam"
    )
    assert kept.status_code == 200
    detail = api(token).get(f"/api/v1/referrals/{rid}").json()
    assert detail["decision"]["path"] == "ime_first"
    assert detail["decision"]["reason"] == "Surgeon asks for an exam"
    trail = api(token).get(f"/api/v1/referrals/{rid}/audit").json()
    # The decision, then the reading of the referral just above.
    assert [e["action"] for e in trail["events"][-2:]] == ["triage.overridden", "referral.viewed"]
    assert trail["verified"] is True


def test_nothing_can_be_decided_before_the_records_are_read(people: Any) -> None:
    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    assert _decide(token, rid, decision="accept").status_code == 409


def test_accepting_keeps_the_recommended_path(people: Any) -> None:
    token = people.token(people.coordinator)
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    answer = _decide(token, rid, decision="accept")
    assert answer.status_code == 200
    assert answer.json()["path"] == answer.json()["recommended_path"]
