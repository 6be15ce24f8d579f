"""In Chromium: a page past a record's last one says so and links to the last page, with no
broken image; the last page then shows as an image that loads. Another client learns
nothing of the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pdfs import make_text_pdf
from webapp import run_worker, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"

# Every <img> of the page, loaded and with an image in it (a failed one has no width).
BROKEN_IMAGES = "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"


def test_a_page_past_the_last_shows_words_not_a_broken_image(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    base = live_server.url
    pdf = make_text_pdf(tmp_path / "note.pdf", [NOTE, "Page two: knee exam."]).read_bytes()
    rid = send(people.token(people.adjuster_a), files={"note.pdf": pdf}).json()["id"]
    run_worker()
    page = sign_in(browser, base, people.adjuster_a.email)

    answer = page.goto(f"{base}/referrals/{rid}/records/view/?file=records/note.pdf&page=3")
    assert answer is not None and answer.status == 404
    assert "There is no page 3: this file has 2 pages." in page.get_by_role("alert").inner_text()
    page.wait_for_load_state("load")
    assert page.evaluate(BROKEN_IMAGES) == 0
    assert page.get_by_role("link", name="Download the original file").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Go to the last page (page 2)").click()
    page.wait_for_load_state("load")
    shown = page.get_by_role("img", name="records/note.pdf, page 2")
    assert shown.evaluate("i => i.naturalWidth") > 0
    assert page.evaluate(BROKEN_IMAGES) == 0

    other = sign_in(browser, base, people.adjuster_b.email)
    refused = other.goto(f"{base}/referrals/{rid}/records/view/?file=records/note.pdf&page=3")
    assert refused is not None and refused.status == 404
    assert "2 pages" not in other.content() and "note.pdf" not in other.content()
