"""The IME is an independent second opinion: the physician who did a referral's peer review
is not among its IME candidates, unless the client's settings allow the same physician."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import REVIEWER, REVIEWER_B, api, assigned_review

from medreview.reviews.models import ClientSettings

pytestmark = pytest.mark.django_db(transaction=True)


def _ime_candidates(people: Any, rid: str) -> dict[str, Any]:
    found = api(people.token(people.coordinator)).get(
        f"/api/v1/referrals/{rid}/candidates?service=ime"
    )
    assert found.status_code == 200, found.content
    body: dict[str, Any] = found.json()
    return body


def test_the_peer_reviewer_is_not_offered_for_the_ime(people: Any) -> None:
    rid, _ = assigned_review(people)
    found = _ime_candidates(people, rid)
    assert [c["npi"] for c in found["candidates"]] == [REVIEWER_B["npi"]]
    assert found["excluded"]["peer_reviewer"] == 1


def test_a_client_may_allow_the_peer_reviewer_to_examine(people: Any) -> None:
    rid, _ = assigned_review(people)
    ClientSettings.objects.create(organisation=people.client_a, ime_by_peer_reviewer=True)
    found = _ime_candidates(people, rid)
    assert {c["npi"] for c in found["candidates"]} == {REVIEWER["npi"], REVIEWER_B["npi"]}
    assert found["excluded"]["peer_reviewer"] == 0
