"""The review desk is offered, and may assign, only physicians whose credentials hold on the
day of the match: a licence that lapsed three days ago excludes a physician even for a
referral received before it lapsed, and so does one that lapses before the review would be
due. The case page never shows such a physician as a candidate."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from cases import REFERRAL
from django.utils import timezone
from webapp import SURGEON, api, import_roster, login, run_worker, send

pytestmark = pytest.mark.django_db(transaction=True)


def _referral_received_ten_days_ago(people: Any) -> str:
    referral = copy.deepcopy(REFERRAL)
    today = timezone.localdate()
    referral["received"] = (today - timedelta(days=10)).isoformat()
    referral["due"] = (today + timedelta(days=30)).isoformat()
    rid: str = send(people.token(people.adjuster_a), referral).json()["id"]
    run_worker()
    return rid


def _surgeon(npi: str, name: str, licence_until: Any) -> dict[str, str]:
    return {**SURGEON, "npi": npi, "name": name, "licenses": f"CA:{licence_until.isoformat()}"}


def test_a_licence_lapsed_since_the_referral_arrived_is_not_offered(people: Any) -> None:
    today = timezone.localdate()
    lapsed = _surgeon("1000000111", "Lapsed Three Days Ago, MD", today - timedelta(days=3))
    lapsing = _surgeon("1000000129", "Lapsing Tomorrow, MD", today + timedelta(days=1))
    import_roster(SURGEON, lapsed, lapsing)
    rid = _referral_received_ten_days_ago(people)
    coordinator = api(people.token(people.coordinator))

    found = coordinator.get(f"/api/v1/referrals/{rid}/candidates?service=peer_review").json()
    assert [c["name"] for c in found["candidates"]] == [SURGEON["name"]]
    assert found["excluded"]["licence"] == 2

    page = login(people.coordinator).get(f"/referrals/{rid}/?service=peer_review").content.decode()
    assert SURGEON["name"] in page and "Lapsed Three Days Ago" not in page
    assert "Lapsing Tomorrow" not in page

    refused = coordinator.post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": lapsed["npi"]},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert f"no licence active from today ({today.isoformat()})" in refused.json()["detail"]
