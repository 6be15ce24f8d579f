"""The page viewer answers every page it cannot show in words, on the site's page: a damaged
PDF (or one that is no PDF) cannot be shown as an image but still downloads; page 0 and a
page past the last name the file's page count and link to its last page; no <img> is written
whose image would fail, and the image itself answers a clean 404. No stack trace, and
nothing for another client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pdfs import make_text_pdf
from webapp import login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.records.models import RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. Plan: MRI of the right knee."
)


def referral_with(people: Any, files: dict[str, bytes]) -> str:
    rid = send(people.token(people.adjuster_a), files=files).json()["id"]
    run_worker()
    return str(rid)


@pytest.fixture
def two_pages(people: Any, tmp_path: Any) -> str:
    pdf = make_text_pdf(tmp_path / "note.pdf", [NOTE, "Page two: knee exam."]).read_bytes()
    return referral_with(people, {"note.pdf": pdf})


def view(client: Client, rid: str, file: str, page: object) -> Any:
    return client.get(f"/referrals/{rid}/records/view/?file={file}&page={page}")


def image(client: Client, rid: str, file: str, page: object) -> Any:
    return client.get(f"/referrals/{rid}/records/page.png?file={file}&page={page}")


def clean(answer: Any) -> str:
    text = answer.content.decode()
    assert "Traceback" not in text and "Holt" not in text and "knee" not in text
    return text


@pytest.mark.parametrize(
    "content", [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nthis is no PDF body\n%%EOF\n", b"plain words"]
)
def test_a_damaged_pdf_says_it_cannot_be_shown_and_still_downloads(
    people: Any, content: bytes
) -> None:
    rid = referral_with(people, {"bad.pdf": content})
    client = login(people.adjuster_a)
    answer = view(client, rid, "records/bad.pdf", 1)
    page = clean(answer)
    assert answer.status_code == 200
    assert "This file cannot be shown as an image (it is damaged or not a PDF)." in page
    assert f"/referrals/{rid}/records/{RecordFile.objects.get().pk}/download/" in page
    assert "<img" not in page and "next page" not in page
    assert 'class="brand"' in page  # the site's page, not a bare error
    refused = image(client, rid, "records/bad.pdf", 1)
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("text/html")
    clean(refused)


@pytest.mark.parametrize("number", [0, 3, 99])
def test_a_page_that_does_not_exist_names_the_page_count(
    people: Any, two_pages: str, number: int
) -> None:
    client = login(people.adjuster_a)
    answer = view(client, two_pages, "records/note.pdf", number)
    page = clean(answer)
    assert answer.status_code == 404
    assert f"There is no page {number}: this file has 2 pages." in page
    assert "?file=records/note.pdf&amp;page=2" in page  # the last page
    assert "<img" not in page
    assert image(client, two_pages, "records/note.pdf", number).status_code == 404


def test_only_pages_that_exist_are_linked_and_logged(people: Any, two_pages: str) -> None:
    client = login(people.adjuster_a)
    first = view(client, two_pages, "records/note.pdf", 1).content.decode()
    last = view(client, two_pages, "records/note.pdf", 2).content.decode()
    assert "next page" in first and "previous page" not in first
    assert "previous page" in last and "next page" not in last
    view(client, two_pages, "records/note.pdf", 3)
    viewed = AuditEvent.objects.filter(action="record.viewed").order_by("pk")
    assert [e.detail["page"] for e in viewed] == [1, 2]  # page 3 showed nothing of the file


def test_a_text_record_has_one_page(people: Any) -> None:
    rid = referral_with(people, {"note.txt": NOTE.encode()})
    client = login(people.adjuster_a)
    assert (
        "Plan: MRI of the right knee." in view(client, rid, "records/note.txt", 1).content.decode()
    )
    answer = view(client, rid, "records/note.txt", 2)
    assert answer.status_code == 404
    assert "There is no page 2: this file has 1 page." in clean(answer)
    assert image(client, rid, "records/note.txt", 1).status_code == 404  # no image of a text


def test_a_page_that_is_not_a_number_is_a_clean_404(people: Any, two_pages: str) -> None:
    client = login(people.adjuster_a)
    for page in ("two", "-1", "1.5"):
        answer = view(client, two_pages, "records/note.pdf", page)
        assert answer.status_code == 404, page
        clean(answer)


def test_another_client_learns_nothing_of_the_file(people: Any, two_pages: str) -> None:
    other = login(people.adjuster_b)
    for number in (0, 1, 3):
        for answer in (
            view(other, two_pages, "records/note.pdf", number),
            image(other, two_pages, "records/note.pdf", number),
        ):
            assert answer.status_code == 404
            assert "2 pages" not in clean(answer) and "note.pdf" not in answer.content.decode()
    assert not AuditEvent.objects.filter(action="record.viewed").exists()


def test_each_frame_of_a_multi_page_scan_is_a_page(people: Any) -> None:
    import io

    from PIL import Image

    frames = [Image.new("RGB", (300, 200), colour) for colour in ("white", "lightgrey")]
    tiff = io.BytesIO()
    # At the scan resolution: Pillow's default TIFF resolution (1 dpi) would be blown up 200
    # times for OCR by the reader.
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    rid = referral_with(people, {"scan.tif": tiff.getvalue()})
    client = login(people.adjuster_a)
    assert view(client, rid, "records/scan.tif", 2).status_code == 200
    second = image(client, rid, "records/scan.tif", 2)
    assert second.status_code == 200 and second.content[:8] == b"\x89PNG\r\n\x1a\n"
    answer = view(client, rid, "records/scan.tif", 3)
    assert answer.status_code == 404 and "this file has 2 pages" in answer.content.decode()
