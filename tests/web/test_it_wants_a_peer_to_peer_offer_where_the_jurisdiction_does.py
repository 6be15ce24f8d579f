"""Texas wants a peer-to-peer offered before any adverse determination (28 TAC 19.2010): an
adverse answer is not submitted until an offer is logged, and the refusal cites the rule.
Elsewhere (URAC UM 16) the offer may follow the report, and QA's checklist says by when."""

from __future__ import annotations

from typing import Any

import pytest
from cases import referral
from webapp import REVIEWER, api, assigned_review, login, post

from medreview.audit.models import AuditEvent
from medreview.reports.models import PeerToPeer

pytestmark = pytest.mark.django_db(transaction=True)

TEXAS = referral(claim={"number": "TX-2026-7", "jurisdiction": "TX"})
ADVERSE = {
    "question_id": "q1",
    "determination": "not_supported",
    "rationale": "Twelve visits already, no gain recorded.",
    "citations": [{"file": "records/note.txt", "page": 1}],
}


def test_texas_refuses_an_adverse_answer_until_an_offer_is_logged(people: Any) -> None:
    texan = {**REVIEWER, "licenses": "CA:2027-06-30;TX:2027-06-30"}
    _, aid = assigned_review(people, TEXAS, roster=(texan,))
    doctor = api(people.token(people.physician))
    base = f"/api/v1/assignments/{aid}"
    assert post(doctor, f"{base}/attestation", {"no_conflict": True}).status_code == 200
    assert post(doctor, f"{base}/determinations", ADVERSE).status_code == 201
    refused = post(doctor, f"{base}/submit")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "the review cannot be submitted: the answer to question q1 (Medical necessity) is"
        " adverse and no peer-to-peer was offered to the treating provider (TX: 28 TAC 19.2010)"
    )
    future = post(
        doctor,
        f"{base}/peer-to-peer",
        {"at": "2099-01-01T09:00:00Z", "with": "Maren Holt, MD", "outcome": "offered"},
    )
    assert future.status_code == 422
    logged = post(
        doctor,
        f"{base}/peer-to-peer",
        {
            "at": "2026-12-01T09:30:00-06:00",
            "with": "Maren Holt, MD",
            "outcome": "no_answer",
            "note": "Left a message with the office.",
        },
    )
    assert logged.status_code == 201, logged.content
    call = PeerToPeer.objects.get()
    assert (call.with_whom, call.outcome) == ("Maren Holt, MD", "no_answer")
    assert AuditEvent.objects.filter(action="peer_to_peer.logged").count() == 1
    assert post(doctor, f"{base}/submit").status_code == 200
    # The standard statement was signed, since none was written.
    signed = AuditEvent.objects.get(action="assignment.attested").detail["statement"]
    assert signed.startswith("I have no professional, family or financial tie")


def test_elsewhere_the_offer_may_follow_and_qa_says_by_when(people: Any) -> None:
    _, aid = assigned_review(people)  # California
    doctor = api(people.token(people.physician))
    base = f"/api/v1/assignments/{aid}"
    post(doctor, f"{base}/attestation", {"no_conflict": True, "statement": "No tie."})
    post(doctor, f"{base}/determinations", ADVERSE)
    assert post(doctor, f"{base}/submit").status_code == 200
    passed = post(api(people.token(people.qa)), f"{base}/qa", {"decision": "pass"})
    assert passed.status_code == 200
    (item,) = [i for i in passed.json()["checklist"] if i["label"].startswith("Peer-to-peer")]
    assert item["ok"] and "within 1 business day(s) of delivery" in item["detail"]
    assert "URAC UM 16" in item["detail"]
    page = login(people.physician).get(f"/portal/{aid}/").content.decode()
    assert "An adverse answer went out without a peer-to-peer" in page
