"""In Debian's Chromium, driven by Playwright: a nurse signs in, sends a referral with its
records through the form, watches the triage appear, overrides it with a reason; another
client's adjuster cannot open that case. A coordinator proposes the assignment of the waiting
queue, watches the proposal appear, and applies it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from webapp import run_worker, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. Assessment: right knee sprain.\n"
)


def test_a_nurse_sends_a_referral_and_overrides_its_triage(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    # live_server first: the browser is closed before the server stops.
    base = live_server.url
    note = tmp_path / "ortho_note.txt"
    note.write_text(NOTE)
    page = sign_in(browser, base, people.adjuster_a.email)
    page.get_by_role("link", name="New referral").click()
    page.get_by_label("Claim number").fill("CA-WC-26-7788")
    page.get_by_label("Jurisdiction (state)").fill("CA")
    page.get_by_label("Claimant's name").fill("Rosa Vidal")
    page.get_by_label("Question 1: type").select_option("medical_necessity")
    page.get_by_label("Question 1", exact=True).fill("Is more physical therapy necessary?")
    page.get_by_label("Medical records").set_input_files(str(note))
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(re.compile(r".*/referrals/[0-9a-f-]{36}/$"))
    assert "being read" in page.content()
    case_url = page.url

    run_worker()  # what the background worker of `medreview serve` does
    page.get_by_text("Recommended:").wait_for(timeout=15_000)  # the page refreshes itself
    assert "records/ortho_note.txt" in page.content()

    page.get_by_label("Or override to").select_option("ime_first")
    with page.expect_navigation():
        page.get_by_role("button", name="Override").click()
    assert "needs a reason" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Or override to").input_value() == "ime_first"  # kept
    page.get_by_label("Reason (required for an override)").fill("Surgeon asks for an exam")
    with page.expect_navigation():
        page.get_by_role("button", name="Override").click()
    assert "overridden to IME first" in page.locator("#triage").inner_text()

    other = sign_in(browser, base, people.adjuster_b.email)
    answer = other.goto(case_url)
    assert answer is not None and answer.status == 404
    assert "CA-WC-26-7788" not in other.content()


def test_a_coordinator_assigns_the_waiting_queue(
    live_server: Any, browser: Any, people: Any
) -> None:
    from webapp import SURGEON, call_for_peer_review, import_roster, send

    from medreview.reviews.models import Assignment

    base = live_server.url
    import_roster(SURGEON)
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    call_for_peer_review(rid, people.coordinator)
    page = sign_in(browser, base, people.coordinator.email)
    page.get_by_role("link", name="Assign the queue").click()
    assert "1 review waiting for a physician" in page.locator("#queue").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Propose assignments").click()
    assert "refreshes itself" in page.content()

    run_worker()  # the proposal is computed in the background
    page.get_by_text("Proven optimal").wait_for(timeout=15_000)  # the page refreshes itself
    assert "Avery Chen, MD" in page.locator("#reviews").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Apply the optimal proposal")).click()
    assert "Applied by cora@review.example" in page.locator("#batch").inner_text()
    assert Assignment.objects.get().physician.npi == SURGEON["npi"]
