"""In Debian's Chromium: a nurse sends a referral received weeks ago and already past due,
with its received date; then one as a referral.json, on the form's other tab, where a file
that is not JSON is refused in words and a good one makes the referral."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL
from django.utils import timezone
from webapp import sign_in

from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)
CASE_URL = re.compile(r".*/referrals/[0-9a-f-]{36}/$")


def test_a_nurse_sends_a_referral_received_weeks_ago_and_past_due(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url
    today = timezone.localdate()
    received, due = today - timedelta(days=30), today - timedelta(days=2)
    page = sign_in(browser, base, people.adjuster_a.email)
    page.get_by_role("link", name="New referral").click()
    assert page.get_by_label("Received").input_value() == today.isoformat()
    page.get_by_label("Claim number").fill("GA-WC-26-0412")
    page.get_by_label("Jurisdiction (state)").fill("GA")
    page.get_by_label("Claimant's name").fill("Dana Whitfield")
    page.get_by_label("Question 1: type").select_option("causation")
    page.get_by_label("Question 1", exact=True).fill("Is the shoulder tear work related?")
    page.get_by_label("Received").fill(received.isoformat())
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(CASE_URL)
    made = Referral.objects.get(claim_number="GA-WC-26-0412")
    assert (made.received, made.due) == (received, due)


def test_a_nurse_sends_a_referral_json_on_the_forms_other_tab(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    base = live_server.url
    bad = tmp_path / "bad" / "referral.json"
    bad.parent.mkdir()
    bad.write_text('{"claim": {"number": "X"')
    good = tmp_path / "referral.json"
    good.write_text(json.dumps(REFERRAL, indent=2))
    note = tmp_path / "note.txt"
    note.write_text("PROGRESS NOTE\nDate of Service: 06/20/2026\nKnee pain.\n")

    page = sign_in(browser, base, people.adjuster_a.email)
    page.get_by_role("link", name="New referral").click()
    assert not page.get_by_label("referral.json", exact=True).is_visible()  # the other tab
    page.get_by_role("tab", name="Send a referral.json").click()
    assert "the fields of the form are then not needed" in page.locator("#by-file").inner_text()
    assert not page.get_by_label("Claim number").is_visible()
    page.get_by_label("referral.json", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Send the referral.json").click()
    page.get_by_text("This referral.json was not accepted").wait_for()
    assert "invalid JSON at line 1" in page.locator("#by-file").inner_text()
    assert Referral.objects.count() == 0

    page.get_by_label("referral.json", exact=True).set_input_files(str(good))
    page.get_by_label("Records to send with the referral.json").set_input_files(str(note))
    page.get_by_role("button", name="Send the referral.json").click()
    page.wait_for_url(CASE_URL)
    made = Referral.objects.get()
    assert made.claim_number == "WC-TEST-0001" and str(made.received) == REFERRAL["received"]
    assert "records/note.txt" in page.content()
