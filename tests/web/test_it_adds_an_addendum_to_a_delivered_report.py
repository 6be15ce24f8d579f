"""The client may ask for an addendum on a delivered report: it goes to the same physician,
due in its own business days, through QA again, and the report gains it, numbered. Nothing
can be asked before a report is delivered, nor a second addendum while one is open."""

from __future__ import annotations

from datetime import date
from typing import Any

import pypdfium2 as pdfium
import pytest
from webapp import api, assigned_review, delivered_review, login, post

from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import business_days_between
from medreview.reports.models import Addendum, Report

pytestmark = pytest.mark.django_db(transaction=True)


def _text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(p.get_textpage().get_text_range() for p in doc)
    finally:
        doc.close()


def test_an_addendum_goes_to_the_same_physician_through_qa_into_the_report(people: Any) -> None:
    rid, aid = delivered_review(people)
    adjuster = api(people.token(people.adjuster_a))
    asked = post(
        adjuster,
        f"/api/v1/referrals/{rid}/addenda",
        {"question_id": "q1", "request": "Does the MRI change the answer?"},
    )
    assert asked.status_code == 201, asked.content
    made = asked.json()
    assert made["number"] == 1
    due = date.fromisoformat(made["due"])
    holidays = holidays_for("CA", due.year - 1, due.year)
    assert business_days_between(date.today(), due, holidays) == 2
    second = post(adjuster, f"/api/v1/referrals/{rid}/addenda", {"request": "And more?"})
    assert second.status_code == 409

    doctor = api(people.token(people.physician))
    mine = doctor.get(f"/api/v1/assignments/{aid}").json()
    assert [(x["number"], x["status"]) for x in mine["addenda"]] == [(1, "open")]
    empty = post(doctor, f"/api/v1/assignments/{aid}/addenda/1", {"response": " "})
    assert empty.status_code == 422
    answered = post(
        doctor,
        f"/api/v1/assignments/{aid}/addenda/1",
        {"response": "No: the MRI shows no tear.", "citations": []},
    )
    assert answered.status_code == 200 and answered.json()["status"] == "submitted"
    # The client still reads the report as it was until QA passes the addendum.
    before = _text(adjuster.get(f"/api/v1/referrals/{rid}/report.pdf").content)
    assert "Addendum 1" not in before

    qa = api(people.token(people.qa))
    assert post(qa, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}).status_code == 200
    assert Addendum.objects.get().status == Addendum.PASSED
    assert Report.objects.filter(assignment_id=aid).count() == 2
    after = _text(adjuster.get(f"/api/v1/referrals/{rid}/report.pdf").content)
    assert "Addendum 1" in after and "No: the MRI shows no tear." in after
    page = login(people.adjuster_a).get("/").content.decode()
    assert "Addendum 1 to the report of claim WC-TEST-0001 is ready." in page


def test_no_addendum_before_a_report_is_delivered(people: Any) -> None:
    rid, _ = assigned_review(people)
    refused = post(
        api(people.token(people.adjuster_a)), f"/api/v1/referrals/{rid}/addenda", {"request": "x"}
    )
    assert refused.status_code == 409 and refused.json()["detail"] == "no report was delivered yet"
    assert not Addendum.objects.exists()


def test_the_case_page_asks_for_an_addendum(people: Any) -> None:
    rid, _ = delivered_review(people)
    page = login(people.adjuster_a)
    case = page.get(f"/referrals/{rid}/").content.decode()
    assert f'href="/referrals/{rid}/report.pdf"' in case and "Ask the physician" in case
    refused = page.post(f"/referrals/{rid}/addenda/", {"request": ""})
    assert refused.status_code == 422
    assert page.post(f"/referrals/{rid}/addenda/", {"request": "Why?"}).status_code == 302
    assert Addendum.objects.get().request == "Why?"
    download = page.get(f"/referrals/{rid}/report.pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
