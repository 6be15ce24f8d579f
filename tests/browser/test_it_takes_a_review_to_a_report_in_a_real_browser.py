"""In Chromium: a physician signs the attestation, cites a page from the page viewer,
answers and submits; a QA nurse returns it with a note; the physician answers again and
resubmits; QA passes it; the client reads the news on the work queue and downloads the
report."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import assigned_review, sign_in

from medreview.reports.models import Determination

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(doctor: Any, rationale: str) -> None:
    question = doctor.locator("#question-q1")
    question.get_by_label("Determination").select_option("supported")
    question.get_by_label("Rationale").fill(rationale)
    with doctor.expect_navigation():
        question.get_by_role("button", name="Save the answer to question 1").click()
    with doctor.expect_navigation():
        doctor.get_by_role("button", name="Submit the review").click()


def test_a_review_goes_from_the_physician_through_qa_to_the_client(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url
    rid, aid = assigned_review(people)

    doctor = sign_in(browser, base, people.physician.email, lands="/portal/")
    with doctor.expect_navigation():
        doctor.get_by_role("link", name="WC-TEST-0001").click()
    doctor.get_by_label("I attest that I have no conflict of interest in this claim.").check()
    with doctor.expect_navigation():
        doctor.get_by_role("button", name="Sign the attestation").click()
    with doctor.expect_navigation():
        doctor.locator("#records").get_by_role("link", name="records/note.txt").click()
    assert "Right knee pain after a fall at work" in doctor.content()
    with doctor.expect_navigation():
        doctor.get_by_role("button", name="Cite this page").click()
    assert "Cited for question q1" in doctor.content()
    with doctor.expect_navigation():
        doctor.get_by_role("link", name="Back to the review of claim WC-TEST-0001").click()
    assert "records/note.txt, page 1" in doctor.locator("#question-q1").inner_text()
    _answer(doctor, "Therapy helps.")
    assert "Submitted: waiting for QA" in doctor.content()
    # The form sent back only what the physician wrote: no dispute was named.
    assert Determination.objects.get(assignment_id=aid).disputes == []

    nurse = sign_in(browser, base, people.qa.email)
    nurse.goto(f"{base}/qa/")
    with nurse.expect_navigation():
        nurse.get_by_role("link", name="WC-TEST-0001").click()
    nurse.get_by_label("Note to the physician").fill("Say how many more visits.")
    with nurse.expect_navigation():
        nurse.get_by_role("button", name="Return to the physician").click()
    assert "Nothing waits for QA" in nurse.content()

    doctor.goto(f"{base}/portal/{aid}/")
    assert "Say how many more visits." in doctor.locator("[role=status]").first.inner_text()
    _answer(doctor, "Six more visits are supported.")

    nurse.goto(f"{base}/qa/{aid}/")
    with nurse.expect_navigation():
        nurse.get_by_role("button", name="Pass and deliver the report").click()

    client = sign_in(browser, base, people.adjuster_a.email)
    assert "report of claim WC-TEST-0001 is ready" in client.content()
    client.goto(f"{base}/referrals/{rid}/")
    with client.expect_download() as waiting:
        client.get_by_role("link", name="Download the report (PDF)").click()
    path = waiting.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
