"""When a passed peer review answers every question from the records, the IME referral
records the IME avoided and its cost from the fee schedule, and the coordinator may close
the referral; when questions are left, only those go to the IME, with the same records, and
the coordinator confirms it. A referral with open work does not close."""

from __future__ import annotations

from typing import Any

import pytest
from cases import referral
from webapp import api, assigned_review, delivered_review, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.reports.models import ImeReferral
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_ime_avoided_is_recorded_with_its_cost_and_the_referral_closes(people: Any) -> None:
    rid, aid = delivered_review(people)
    adjuster = api(people.token(people.adjuster_a))
    found = adjuster.get(f"/api/v1/referrals/{rid}/ime-referral").json()
    assert found["ime_avoided"] is True and found["questions"] == []
    # California's comprehensive medical-legal evaluation (8 CCR 9795, ML201).
    assert found["cost_avoided"] == 2015.0 and "ML201" in found["fee_citation"]
    assert AuditEvent.objects.filter(action="ime.avoided", referral_id=rid).exists()
    page = login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()
    assert "IME avoided" in page and "$2,015.00" in page

    coordinator = api(people.token(people.coordinator))
    confirm = post(coordinator, f"/api/v1/referrals/{rid}/ime-referral/confirm")
    assert confirm.status_code == 409 and "avoided" in confirm.json()["detail"]
    closed = post(coordinator, f"/api/v1/referrals/{rid}/close", {"reason": "IME avoided."})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Referral.objects.get(pk=rid).status == Referral.CLOSED
    assert Assignment.objects.get(pk=aid).status == Assignment.CLOSED
    again = post(coordinator, f"/api/v1/referrals/{rid}/close", {"reason": "again"})
    assert again.status_code == 409


def test_a_referral_with_an_open_review_does_not_close(people: Any) -> None:
    rid, _ = assigned_review(people)
    coordinator = api(people.token(people.coordinator))
    refused = post(coordinator, f"/api/v1/referrals/{rid}/close", {"reason": "done"})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "an assignment of this referral is still open"
    assert Referral.objects.get(pk=rid).status == Referral.IN_REVIEW
    ime = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/ime-referral")
    assert ime.status_code == 409


def test_the_coordinator_confirms_an_ime_narrowed_to_what_is_left(people: Any) -> None:
    two = referral(
        questions=[
            {"id": "q1", "type": "medical_necessity", "text": "Is more therapy necessary?"},
            {"id": "q2", "type": "impairment_rating", "text": "What is the impairment?"},
        ]
    )
    rid, aid = assigned_review(people, two)
    doctor = api(people.token(people.physician))
    base = f"/api/v1/assignments/{aid}"
    post(doctor, f"{base}/attestation", {"no_conflict": True, "statement": "No tie."})
    page = [{"file": "note.txt", "page": 1}]  # "records/" may be left out
    for qid, determination in (("q1", "supported"), ("q2", "needs_exam")):
        made = post(
            doctor,
            f"{base}/determinations",
            {
                "question_id": qid,
                "determination": determination,
                "rationale": "From the note.",
                "citations": page,
                "disputes": ["rating of the right knee"] if qid == "q2" else [],
            },
        )
        assert made.status_code == 201, made.content
        assert made.json()["citations"] == [{"file": "records/note.txt", "page": 1}]
    assert post(doctor, f"{base}/submit").status_code == 200
    assert post(api(people.token(people.qa)), f"{base}/qa", {"decision": "pass"}).status_code == 200

    staff = login(people.coordinator)
    case = staff.get(f"/referrals/{rid}/").content.decode()
    assert "IME referral" in case and "What is the impairment?" in case
    assert "rating of the right knee" in case and "Confirm the IME referral" in case
    assert staff.post(f"/referrals/{rid}/ime-referral/confirm/").status_code == 302
    ime = ImeReferral.objects.get(referral_id=rid)
    assert ime.status == ImeReferral.CONFIRMED and ime.confirmed_by == people.coordinator
    assert [q["id"] for q in ime.questions] == ["q2"] and ime.records == ["records/note.txt"]
    # The exam is still to come: the referral cannot close yet.
    refused = staff.post(f"/referrals/{rid}/close/", {"reason": "done"})
    assert refused.status_code == 409 and "the confirmed IME has no report yet" in (
        refused.content.decode()
    )
