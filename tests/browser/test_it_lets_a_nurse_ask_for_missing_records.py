"""In Chromium: the nurse reads that an MRI report is missing and asks the review desk to
request it; the page says the desk was asked; the coordinator sends it, and the nurse sees
it requested from the provider."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import run_worker, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. MRI of the right knee on 06/01/2026 showed a "
    "medial meniscus tear. Plan: physical therapy."
)


def test_a_nurse_asks_the_desk_and_sees_the_request_sent(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url
    rid = send(people.token(people.adjuster_a), files={"note.txt": NOTE.encode()}).json()["id"]
    run_worker()

    nurse = sign_in(browser, base, people.adjuster_a.email)
    nurse.goto(f"{base}/referrals/{rid}/")
    with nurse.expect_navigation():
        mri = nurse.locator("#gaps tr").filter(has_text="MRI")
        mri.get_by_role("button", name="Ask the review desk to request them").click()
    assert "Asked of the review desk" in nurse.locator("#gaps").inner_text()

    desk = sign_in(browser, base, people.coordinator.email)
    desk.goto(f"{base}/referrals/{rid}/")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Send the request to the provider").click()

    nurse.reload()
    assert "Requested from the provider: Maren Holt, MD" in nurse.locator("#gaps").inner_text()
