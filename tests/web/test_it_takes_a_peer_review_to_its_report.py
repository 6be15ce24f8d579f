"""A New York referral with a medical-necessity and a range-of-motion question, driven
through the API by an adjuster, a coordinator, a QA nurse and two physicians: the peer
review answers what the records can, QA passes it, the client gets the report, and the IME
referral holds only the question left for an exam, with the same records."""

from __future__ import annotations

from typing import Any

import pypdfium2 as pdfium
import pytest
from cases import referral
from webapp import (
    EXAMPLE_NOTE,
    REVIEWER,
    REVIEWER_B,
    SURGEON,
    api,
    import_roster,
    post,
    run_worker,
    send,
)

from medreview.audit.models import AuditEvent
from medreview.claims.models import Notice
from medreview.network.models import Physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = referral(
    claim={"number": "NY-2026-0042", "jurisdiction": "NY"},
    claimant={"name": "Test Claimant", "zip": "10001", "language": "en"},
    treating_providers=[
        {
            "name": "Avery Chen, MD",
            "npi": SURGEON["npi"],
            "specialty": "Orthopaedic Surgery",
            "group": "Bayview Spine Group",
        }
    ],
    questions=[
        {
            "id": "q1",
            "type": "medical_necessity",
            "text": "Is the requested right knee arthroscopy medically necessary?",
        },
        {
            "id": "q2",
            "type": "range_of_motion",
            "text": "What is the right knee's range of motion?",
        },
    ],
    received="2026-11-30",
    due="2027-02-26",
)


MRI = (
    "MRI RIGHT KNEE WITHOUT CONTRAST\nDate of Service: 06/25/2026\nOrdering: Avery Chen, MD\n"
    "Findings: complex tear of the posterior horn of the medial meniscus.\n"
    "Impression: medial meniscus tear.\n"
)
RECORDS = {"ortho.txt": EXAMPLE_NOTE.encode(), "mri.txt": MRI.encode()}


def _text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(p.get_textpage().get_text_range() for p in doc)
    finally:
        doc.close()


def test_a_peer_review_goes_from_assignment_to_report_and_narrows_the_ime(people: Any) -> None:
    # The treating surgeon is in the network too, licensed where the claim is.
    import_roster({**SURGEON, "licenses": "NY:2027-06-30"}, REVIEWER, REVIEWER_B)
    adjuster = api(people.token(people.adjuster_a))
    coordinator = api(people.token(people.coordinator))
    qa = api(people.token(people.qa))
    doctor = api(people.token(people.physician))
    other = api(people.token(people.physician_b))

    rid = send(people.token(people.adjuster_a), NEW_YORK, RECORDS)
    rid = rid.json()["id"]
    run_worker()
    assert adjuster.get(f"/api/v1/referrals/{rid}").json()["triage"]["path"] == (
        "peer_review_first"
    )
    url = f"/api/v1/referrals/{rid}/assignments"
    asked = {"service": "peer_review", "npi": REVIEWER["npi"]}
    assert post(adjuster, url, asked).status_code == 403
    surgeon = post(coordinator, url, {"service": "peer_review", "npi": SURGEON["npi"]})
    assert surgeon.status_code == 409 and "conflict" in surgeon.json()["detail"]
    made = post(coordinator, url, asked)
    assert made.status_code == 201, made.content
    aid = made.json()["id"]

    mine = doctor.get("/api/v1/assignments").json()["items"]
    assert [a["id"] for a in mine] == [aid]
    assert [q["id"] for q in mine[0]["questions"]] == ["q1", "q2"]
    assert {r["name"] for r in mine[0]["records"]} == {"records/ortho.txt", "records/mri.txt"}
    assert other.get("/api/v1/assignments").json()["items"] == []
    assert other.get(f"/api/v1/assignments/{aid}").status_code == 404
    before = AuditEvent.objects.count()
    assert post(other, f"/api/v1/assignments/{aid}/attestation", _ATTEST).status_code == 404
    assert post(other, f"/api/v1/assignments/{aid}/submit").status_code == 404
    assert AuditEvent.objects.count() == before

    base = f"/api/v1/assignments/{aid}"
    nothing = post(doctor, f"{base}/submit")
    assert nothing.status_code == 409
    assert "attestation is not signed" in nothing.json()["detail"]
    assert post(doctor, f"{base}/attestation", _ATTEST).status_code == 200
    answered = post(
        doctor,
        f"{base}/determinations",
        {
            "question_id": "q1",
            "determination": "not_supported",
            "rationale": "Conservative care has not been tried for six weeks.",
            "citations": [
                {"file": "records/ortho.txt", "page": 1},
                {"guideline": "ODG Knee & Leg", "edition": "2026", "section": "Arthroscopy"},
            ],
        },
    )
    assert answered.status_code == 201, answered.content
    open_one = post(doctor, f"{base}/submit")
    assert open_one.status_code == 409
    assert "question q2 (Range of motion) is not answered" in open_one.json()["detail"]
    post(
        doctor,
        f"{base}/determinations",
        {
            "question_id": "q2",
            "determination": "needs_exam",
            "rationale": "No measured range of motion in the records.",
            "citations": [{"file": "records/ortho.txt", "page": 1}],
            "disputes": ["flexion of the right knee"],
        },
    )
    assert post(doctor, f"{base}/submit").status_code == 200
    own_qa = post(doctor, f"{base}/qa", {"decision": "pass"})
    assert own_qa.status_code == 403
    assert adjuster.get(f"/api/v1/referrals/{rid}/report.pdf").status_code == 404

    passed = post(qa, f"{base}/qa", {"decision": "pass"})
    assert passed.status_code == 200, passed.content
    assert passed.json()["status"] == "passed"
    assert all(item["ok"] for item in passed.json()["checklist"])

    ime = adjuster.get(f"/api/v1/referrals/{rid}/ime-referral").json()
    assert [q["id"] for q in ime["questions"]] == ["q2"]
    assert set(ime["records"]) == {"records/ortho.txt", "records/mri.txt"}
    assert not ime["ime_avoided"]
    assert ime["disputes"] == ["flexion of the right knee"]

    report = adjuster.get(f"/api/v1/referrals/{rid}/report.pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    text = _text(report.content)
    assert "1. Is the requested right knee arthroscopy medically necessary?" in text
    assert "records/ortho.txt, page 1" in text and "Not supported" in text
    assert Notice.objects.filter(organisation=people.client_a, referral_id=rid).exists()
    assert (
        api(people.token(people.adjuster_b)).get(f"/api/v1/referrals/{rid}/report.pdf").status_code
        == 404
    )
    assert Assignment.objects.get(pk=aid).status == Assignment.PASSED
    # The slot is free again, and the first-pass rate is kept.
    reviewer = Physician.objects.get(npi=REVIEWER["npi"])
    assert (reviewer.open_assignments, reviewer.qa_score) == (0, 1.0)


_ATTEST = {"no_conflict": True, "statement": "I have no tie to the parties of this claim."}
