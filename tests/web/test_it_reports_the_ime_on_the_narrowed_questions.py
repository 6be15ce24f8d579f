"""The examiner of a booked IME answers the narrowed questions of its IME referral, not the
referral's first ones: the portal and the API list only those, an answer to another is
refused, and the report that QA passes has one numbered section per narrowed question, under
the examiner's name; its delivery stops the report's clock, which the exam attended started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from ime_flow import EXAMINER, book, new_york_ime, on_the_exam_day, slots
from webapp import ATTEST, api, login, post

from medreview.claims.models import Clock
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)

RANGE = "What is the right knee's range of motion?"
NECESSITY = "Is the requested right knee arthroscopy medically necessary?"


def test_the_examiner_answers_only_the_narrowed_questions(people: Any, tmp_path: Path) -> None:
    rid = new_york_ime(people, tmp_path)
    made = book(people, rid, EXAMINER["npi"], slots(people, rid)["slots"][0]["start"])
    assert made.status_code == 201, made.content
    with on_the_exam_day(made.json()["start"]):
        held = post(
            api(people.token(people.scheduler)),
            f"/api/v1/appointments/{made.json()['id']}/outcome",
            {"outcome": "attended"},
        )
    assert held.status_code == 200, held.content

    examiner = api(people.token(people.physician_b))
    mine = examiner.get("/api/v1/assignments").json()["items"]
    assert [(a["service"], [q["id"] for q in a["questions"]]) for a in mine] == [("ime", ["q2"])]
    aid = mine[0]["id"]
    portal = login(people.physician_b).get("/portal/").content.decode()
    assert f'<a href="/portal/{aid}/">' in portal and "<td>1</td>" in portal
    base = f"/api/v1/assignments/{aid}"
    assert post(examiner, f"{base}/attestation", ATTEST).status_code == 200
    page = login(people.physician_b).get(f"/portal/{aid}/").content.decode()
    assert RANGE.replace("'", "&#x27;") in page and NECESSITY not in page
    other = post(
        examiner,
        f"{base}/determinations",
        {
            "question_id": "q1",
            "determination": "supported",
            "rationale": "Examined.",
            "citations": [{"file": "records/ortho.txt", "page": 1}],
        },
    )
    assert other.status_code == 422 and "no question 'q1'" in other.json()["detail"]
    answered = post(
        examiner,
        f"{base}/determinations",
        {
            "question_id": "q2",
            "determination": "supported",
            "rationale": "Flexion 0 to 120 degrees measured with a goniometer.",
            "citations": [{"file": "records/ortho.txt", "page": 1}],
        },
    )
    assert answered.status_code == 201, answered.content
    assert post(examiner, f"{base}/submit").status_code == 200
    passed = post(api(people.token(people.qa)), f"{base}/qa", {"decision": "pass"})
    assert passed.status_code == 200, passed.content
    assert Assignment.objects.get(pk=aid).status == Assignment.PASSED

    report = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/report.pdf")
    assert report.status_code == 200
    doc = pdfium.PdfDocument(report.content)
    text = "\n".join(p.get_textpage().get_text_range() for p in doc)
    doc.close()
    assert "Independent medical examination report" in text
    sections = text.split("Peer-to-peer")[0]  # the questions' sections come before it
    assert f"1. {RANGE}" in sections and NECESSITY not in text and "\n2. " not in sections
    assert "Examiner" in text and EXAMINER["name"] in text
    clock = Clock.objects.get(referral_id=rid, stage="report")
    assert clock.stopped is not None
