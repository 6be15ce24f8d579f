"""A claimant's ZIP that is five digits but no US ZIP code cannot place an exam: the review
desk is told so in words (422 on the API, the message on the case page) rather than a server
error, and nothing is assigned."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cases import REFERRAL
from webapp import SURGEON, api, import_roster, login, run_worker, send

from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unknown_zip_is_named_not_a_server_error(people: Any) -> None:
    import_roster(SURGEON)
    referral = copy.deepcopy(REFERRAL)
    referral["claimant"]["zip"] = "00001"
    rid = send(people.token(people.adjuster_a), referral).json()["id"]
    run_worker()
    desk = api(people.token(people.coordinator))

    found = desk.get(f"/api/v1/referrals/{rid}/candidates?service=ime")
    assert found.status_code == 422
    assert "00001 is not a known US ZIP code" in found.json()["detail"]
    assigned = desk.post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "ime", "npi": SURGEON["npi"]},
        content_type="application/json",
    )
    assert assigned.status_code == 409 and "not a known US ZIP" in assigned.json()["detail"]
    assert not Assignment.objects.exists()
    page = login(people.coordinator).get(f"/referrals/{rid}/?service=ime").content.decode()
    assert "00001 is not a known US ZIP code" in page
