"""Every citation opens the page it cites (a PDF page as an image, a text record's text),
records download whole, each opening is in the audit trail, and none of it opens for
another client: 404, and nothing is logged or changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pdfs import make_text_pdf
from webapp import run_worker, send

from medreview.audit.models import AuditEvent
from medreview.records.models import RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"

NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. Plan: MRI of the right knee."
)


def signed_in(user: Any) -> Client:
    client = Client()
    client.post("/login/", {"username": user.email, "password": PASSWORD})
    return client


@pytest.fixture
def referral_with_pdf(people: Any, tmp_path: Any) -> str:
    pdf = make_text_pdf(
        tmp_path / "note.pdf", [NOTE, "Page two: knee exam, effusion."]
    ).read_bytes()
    rid = send(people.token(people.adjuster_a), files={"note.pdf": pdf}).json()["id"]
    run_worker()
    return str(rid)


def test_a_cited_pdf_page_shows_as_an_image_and_the_view_is_audited(
    people: Any, referral_with_pdf: str
) -> None:
    client = signed_in(people.adjuster_a)
    page = client.get(f"/referrals/{referral_with_pdf}/records/view/?file=records/note.pdf&page=2")
    assert page.status_code == 200
    image = client.get(
        f"/referrals/{referral_with_pdf}/records/page.png?file=records/note.pdf&page=2"
    )
    assert image["Content-Type"] == "image/png" and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    viewed = AuditEvent.objects.filter(referral_id=referral_with_pdf, action="record.viewed")
    assert [e.detail for e in viewed] == [
        {"file": "records/note.pdf", "page": 2},
        {"file": "records/note.pdf", "page": 2, "as": "image"},
    ]
    assert (
        client.get(
            f"/referrals/{referral_with_pdf}/records/page.png?file=records/note.pdf&page=9"
        ).status_code
        == 404
    )


def test_the_case_page_links_each_citation_to_its_page(people: Any, referral_with_pdf: str) -> None:
    page = signed_in(people.adjuster_a).get(f"/referrals/{referral_with_pdf}/").content.decode()
    assert "/records/view/?file=records/note.pdf&amp;page=1" in page


def test_a_text_record_shows_its_text(people: Any) -> None:
    rid = send(people.token(people.adjuster_a), files={"note.txt": NOTE.encode()}).json()["id"]
    run_worker()
    page = signed_in(people.adjuster_a).get(
        f"/referrals/{rid}/records/view/?file=records/note.txt&page=1"
    )
    assert "Plan: MRI of the right knee." in page.content.decode()


def test_another_client_opens_no_page_no_image_no_file_and_nothing_is_logged(
    people: Any, referral_with_pdf: str
) -> None:
    other = signed_in(people.adjuster_b)
    events = AuditEvent.objects.count()
    file_id = RecordFile.objects.get().pk
    for url in (
        f"/referrals/{referral_with_pdf}/records/view/?file=records/note.pdf&page=1",
        f"/referrals/{referral_with_pdf}/records/page.png?file=records/note.pdf&page=1",
        f"/referrals/{referral_with_pdf}/records/{file_id}/download/",
    ):
        answer = other.get(url)
        assert answer.status_code == 404, url
        assert b"Holt" not in answer.content
    assert AuditEvent.objects.count() == events


def test_the_original_file_downloads_whole(people: Any, referral_with_pdf: str) -> None:
    rf = RecordFile.objects.get()
    answer = signed_in(people.adjuster_a).get(
        f"/referrals/{referral_with_pdf}/records/{rf.pk}/download/"
    )
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert len(answer.content) == rf.size
