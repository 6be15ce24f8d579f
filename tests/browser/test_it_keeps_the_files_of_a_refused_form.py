"""In Debian's Chromium: a nurse attaches two records to the referral form, leaves the
question's type empty and sends it; the page names the mistake and the two files it kept, the
nurse chooses the type and sends again, and the case lists both records. A kept file can be
removed; Enter in a field sends the form, never removes a file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pdfs import make_text_pdf
from webapp import sign_in

from medreview.claims.models import Referral
from medreview.records.models import PendingUpload

pytestmark = pytest.mark.django_db(transaction=True)
CASE_URL = re.compile(r".*/referrals/[0-9a-f-]{36}/$")


def _records(folder: Path) -> list[Path]:
    return [
        make_text_pdf(folder / "ortho_note.pdf", ["ORTHO NOTE\nDate of Service: 06/20/2026"]),
        make_text_pdf(folder / "mri_knee.pdf", ["MRI RIGHT KNEE\nDate of Service: 06/25/2026"]),
    ]


def _fill_all_but_the_question_type(page: Any) -> None:
    page.get_by_role("link", name="New referral").click()
    page.get_by_label("Claim number").fill("CA-WC-26-7788")
    page.get_by_label("Jurisdiction (state)").fill("CA")
    page.get_by_label("Claimant's name").fill("Rosa Vidal")
    page.get_by_label("Question 1", exact=True).fill("Is more physical therapy necessary?")


def test_a_nurse_corrects_the_form_without_attaching_the_records_again(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    page = sign_in(browser, live_server.url, people.adjuster_a.email)
    _fill_all_but_the_question_type(page)
    page.get_by_label("Medical records").set_input_files([str(p) for p in _records(tmp_path)])
    page.get_by_role("button", name="Send referral").click()

    page.get_by_text("Choose the question's type.").wait_for()
    assert page.get_by_text("2 files you attached are kept, under Records below").is_visible()
    kept = page.locator("#by-fields .kept")
    assert "Kept from your last attempt" in kept.inner_text()
    assert "need not attach them again" in kept.inner_text()
    for name in ("ortho_note.pdf", "mri_knee.pdf"):
        assert re.search(rf"{re.escape(name)} \(\d+\sbytes\) Remove", kept.inner_text())
    assert page.get_by_label("Claim number").input_value() == "CA-WC-26-7788"

    page.get_by_label("Question 1: type").select_option("medical_necessity")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url(CASE_URL)
    assert "records/ortho_note.pdf" in page.content() and "records/mri_knee.pdf" in page.content()
    made = Referral.objects.get(claim_number="CA-WC-26-7788")
    assert sorted(made.record_files.values_list("name", flat=True)) == [
        "records/mri_knee.pdf",
        "records/ortho_note.pdf",
    ]
    assert PendingUpload.objects.count() == 0


def test_a_nurse_removes_a_kept_file_and_enter_sends_the_form(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    page = sign_in(browser, live_server.url, people.adjuster_a.email)
    _fill_all_but_the_question_type(page)
    page.get_by_label("Medical records").set_input_files([str(p) for p in _records(tmp_path)])
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("Choose the question's type.").wait_for()

    page.get_by_role("button", name="Remove mri_knee.pdf").click()
    page.locator("#by-fields").get_by_text("Removed mri_knee.pdf: it will not be sent.").wait_for()
    assert "mri_knee.pdf (" not in page.locator("#by-fields .kept").inner_text()
    assert "ortho_note.pdf (" in page.locator("#by-fields .kept").inner_text()

    page.get_by_label("Question 1: type").select_option("medical_necessity")
    page.get_by_label("Claim number").press("Enter")
    page.wait_for_url(CASE_URL)
    made = Referral.objects.get(claim_number="CA-WC-26-7788")
    assert list(made.record_files.values_list("name", flat=True)) == ["records/ortho_note.pdf"]
    assert PendingUpload.objects.count() == 0
