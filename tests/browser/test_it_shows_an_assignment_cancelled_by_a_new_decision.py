"""In Chromium: a physician has the peer review; the client's nurse overrides the triage to
an IME on the case page; the page then shows the peer review cancelled, with the nurse's
reason, rather than still assigned."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import SURGEON, api, call_for_peer_review, import_roster, run_worker, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nurses_override_cancels_the_peer_review_on_the_page(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url  # live_server first: the browser is closed before the server stops
    import_roster(SURGEON)
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    call_for_peer_review(rid, people.coordinator)
    made = api(people.token(people.coordinator)).post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": SURGEON["npi"]},
        content_type="application/json",
    )
    assert made.status_code == 201

    page = sign_in(browser, base, people.adjuster_a.email)
    page.goto(f"{base}/referrals/{rid}/")
    assigned = page.locator("#assignments")
    shown = assigned.inner_text()
    assert "Open: waiting for the attestation" in shown and SURGEON["name"] in shown
    page.get_by_label("Or override to").select_option("ime_first")
    page.get_by_label("Reason (required for an override)").fill("The surgeon wants an exam")
    with page.expect_navigation():
        page.get_by_role("button", name="Override").click()

    assigned = page.locator("#assignments").inner_text()
    assert "Cancelled" in assigned and "The surgeon wants an exam" in assigned
    assert "Open: waiting for the attestation" not in assigned
