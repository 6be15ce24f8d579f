"""In Chromium: a peer review left a question for an examination and its IME referral is
confirmed; a scheduler signs in, follows the case page's link to the scheduler's page, books
the earliest lawful slot with transport, and sees the appointment booked, its notice letter to
download; then the client signs in and downloads the claim file, the exam booked in it."""

from __future__ import annotations

import zipfile
from datetime import time, timedelta
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from webapp import REVIEWER_B, answer_all, api, assigned_review, post, sign_in

from medreview.claims.permissions import COMMAND_LINE
from medreview.core.network.geo import centroid
from medreview.core.network.hours import HoursRow
from medreview.exams.models import Appointment
from medreview.network.actions import do_import_hours

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_scheduler_books_the_earliest_lawful_slot(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url  # live_server first: the browser is closed before the server stops
    rid, aid = assigned_review(people)
    answer_all(people, aid, determination="needs_exam")
    assert post(api(people.token(people.qa)), f"/api/v1/assignments/{aid}/qa", {
        "decision": "pass"
    }).status_code == 200  # fmt: skip
    confirmed = post(
        api(people.token(people.coordinator)), f"/api/v1/referrals/{rid}/ime-referral/confirm"
    )
    assert confirmed.status_code == 200, confirmed.content
    office = centroid("94110")
    assert office is not None
    today = timezone.localdate()
    days = [d for d in (today + timedelta(days=n) for n in range(1, 31)) if d.weekday() < 5]
    do_import_hours(
        [
            HoursRow(n, REVIEWER_B["npi"], d, time(9), time(12), "94110",
                     "2000 Mission Street, San Francisco, CA", office.latitude, office.longitude)
            for n, d in enumerate(days, start=2)
        ],
        actor=COMMAND_LINE,
        source="test",
    )  # fmt: skip

    page = sign_in(browser, base, people.scheduler.email)
    page.goto(f"{base}/referrals/{rid}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Schedule the IME").click()
    assert "Earliest lawful slots" in page.content()
    first = page.locator("#slots tbody tr").first
    assert REVIEWER_B["name"] in first.inner_text()
    first.get_by_label("Transport").check()
    with page.expect_navigation():
        first.get_by_role("button", name=f"Book {REVIEWER_B['name']}").click()
    booked = page.locator("#appointments").inner_text()
    assert "Booked" in booked and REVIEWER_B["name"] in booked and "transport booked" in booked
    made = Appointment.objects.get()
    assert made.transport and made.status == "booked" and made.physician.npi == REVIEWER_B["npi"]
    with page.expect_download() as waiting:
        page.locator("#appointments").get_by_role("link", name="Download (PDF)").click()
    with open(waiting.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # The client who sent the referral downloads the claim file, the exam booked in it.
    client = sign_in(browser, base, people.adjuster_a.email)
    client.goto(f"{base}/referrals/{rid}/")
    with client.expect_download() as waiting:
        client.get_by_role("link", name="Download the claim file").click()
    assert waiting.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(waiting.value.path()) as held:
        names = held.namelist()
        pdf = pdfium.PdfDocument(held.read("claim-file.pdf"))
        text = " ".join(p.get_textpage().get_text_range() for p in pdf)
        pdf.close()
    assert "manifest.json" in names and any(n.startswith("records/") for n in names)
    assert f"{REVIEWER_B['name']}: Booked" in " ".join(text.split())
