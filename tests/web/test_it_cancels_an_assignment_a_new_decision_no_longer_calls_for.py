"""A triage decision that no longer calls for a review already given to a physician cancels
that assignment in the same step, with its reason: the physician's slot is freed, the
cancellation is audited and shown on the case page (to the client too), the review can be
given again if a later decision calls for it, and nothing is left silently in place. A
decision that still calls for it leaves it alone."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import SURGEON, api, call_for_peer_review, import_roster, login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.models import Notice, Referral
from medreview.network.models import Physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def _assigned_peer_review(people: Any) -> str:
    import_roster(SURGEON)
    rid: str = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    call_for_peer_review(rid, people.coordinator)
    made = api(people.token(people.coordinator)).post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": SURGEON["npi"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    return rid


def _decide(token: str, rid: str, **body: Any) -> Any:
    return api(token).post(
        f"/api/v1/referrals/{rid}/triage-decision", body, content_type="application/json"
    )


def test_a_clients_override_to_an_ime_cancels_the_peer_review(people: Any) -> None:
    rid = _assigned_peer_review(people)
    assert Physician.objects.get(npi=SURGEON["npi"]).load == 4
    nurse = people.token(people.adjuster_a)

    answer = _decide(
        nurse, rid, decision="override", path="ime_first", reason="The surgeon wants an exam"
    )
    assert answer.status_code == 200

    kept = Assignment.objects.get(referral_id=rid)
    assert kept.status == Assignment.CANCELLED and kept.cancelled is not None
    assert "IME first" in kept.cancel_reason and "The surgeon wants an exam" in kept.cancel_reason
    assert Physician.objects.get(npi=SURGEON["npi"]).load == 3
    referral = Referral.objects.get(pk=rid)
    assert (referral.decided_path, referral.status) == ("ime_first", Referral.DECIDED)
    event = AuditEvent.objects.get(action="assignment.cancelled")
    assert event.actor == people.adjuster_a.email and event.detail["npi"] == SURGEON["npi"]

    page = login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()
    assert "Cancelled" in page and "The surgeon wants an exam" in page
    # The physician is told.
    told = Notice.objects.get(npi=SURGEON["npi"])
    assert told.text.startswith("Your peer review of claim WC-TEST-0001 was cancelled:")


def test_a_decision_that_still_calls_for_the_review_leaves_it(people: Any) -> None:
    rid = _assigned_peer_review(people)
    answer = _decide(
        people.token(people.coordinator),
        rid,
        decision="override",
        path="concurrent",
        reason="the due date is close: both at once",
    )
    assert answer.status_code == 200
    assert Assignment.objects.get(referral_id=rid).status == Assignment.OPEN
    assert not AuditEvent.objects.filter(action="assignment.cancelled").exists()
    assert Referral.objects.get(pk=rid).status == Referral.IN_REVIEW


def test_a_cancelled_review_can_be_given_again(people: Any) -> None:
    rid = _assigned_peer_review(people)
    coordinator = people.token(people.coordinator)
    _decide(coordinator, rid, decision="override", path="ime_first", reason="exam first")
    call_for_peer_review(rid, people.coordinator)
    again = api(coordinator).post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": SURGEON["npi"]},
        content_type="application/json",
    )
    assert again.status_code == 201, again.content
    states = sorted(Assignment.objects.filter(referral_id=rid).values_list("status", flat=True))
    assert states == [Assignment.CANCELLED, Assignment.OPEN]
