"""A physician may decline an assignment, or recuse for a conflict found later: the review
goes back to the queue, the physician's slot is freed, and that physician is never offered
for it again (the candidates, an assignment by hand, and a batch all keep the rule)."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import REVIEWER, REVIEWER_B, api, assigned_review, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.network.models import Physician
from medreview.reviews.models import Assignment
from medreview.reviews.queue import waiting_reviews

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recusal_sends_the_review_back_and_keeps_the_physician_away(people: Any) -> None:
    rid, aid = assigned_review(people)
    doctor = api(people.token(people.physician))
    no_reason = post(doctor, f"/api/v1/assignments/{aid}/decline", {"reason": " "})
    assert no_reason.status_code == 422
    made = post(
        doctor,
        f"/api/v1/assignments/{aid}/decline",
        {"reason": "The treating surgeon was my partner until May.", "conflict": True},
    )
    assert made.status_code == 200 and made.json()["status"] == "declined"

    found = Assignment.objects.get(pk=aid)
    assert (found.status, found.recused) == (Assignment.DECLINED, True)
    assert Physician.objects.get(npi=REVIEWER["npi"]).open_assignments == 0
    assert Referral.objects.get(pk=rid).status == Referral.DECIDED
    assert [w.key for w in waiting_reviews()[0]] == [f"{rid}:peer_review"]
    event = AuditEvent.objects.get(action="assignment.recused")
    assert event.actor == people.physician.email and event.detail["conflict"] is True

    coordinator = api(people.token(people.coordinator))
    offered = coordinator.get(f"/api/v1/referrals/{rid}/candidates?service=peer_review").json()
    assert REVIEWER["npi"] not in [c["npi"] for c in offered["candidates"]]
    assert offered["excluded"]["declined_review"] == 1
    url = f"/api/v1/referrals/{rid}/assignments"
    again = post(coordinator, url, {"service": "peer_review", "npi": REVIEWER["npi"]})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "declined_review: Dana Reyes, MD declined or recused from this peer review"
    )
    other = post(coordinator, url, {"service": "peer_review", "npi": REVIEWER_B["npi"]})
    assert other.status_code == 201
    # The declined assignment stays on the case, and on the physician's list as done.
    page = login(people.coordinator).get(f"/referrals/{rid}/").content.decode()
    assert "Recused" in page and "The treating surgeon was my partner until May." in page
    assert doctor.get(f"/api/v1/assignments/{aid}").json()["status"] == "declined"
    # A declined assignment takes no answer.
    answer = post(
        doctor,
        f"/api/v1/assignments/{aid}/attestation",
        {"no_conflict": True, "statement": "none"},
    )
    assert answer.status_code == 409


def test_the_portal_declines_by_its_form(people: Any) -> None:
    _, aid = assigned_review(people)
    page = login(people.physician)
    refused = page.post(f"/portal/{aid}/decline/", {"reason": ""})
    assert refused.status_code == 422 and "say why you decline" in refused.content.decode()
    done = page.post(f"/portal/{aid}/decline/", {"reason": "On leave next week."})
    assert done.status_code == 302
    assert Assignment.objects.get(pk=aid).status == Assignment.DECLINED
    listed = page.get("/portal/").content.decode()
    assert "Nothing to do" in listed and "Declined" in listed
