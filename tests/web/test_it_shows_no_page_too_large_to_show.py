"""The page viewer says in words that a page is too large to show, and never renders it: a
PDF page 200 inches square, in the web process as in the reader."""

from __future__ import annotations

from typing import Any

import pytest
from fpdf import FPDF
from webapp import login, run_worker, send

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_giant_page_is_named_not_rendered(people: Any) -> None:
    pdf = FPDF(unit="pt", format=(14400, 14400))
    pdf.add_page()
    rid = send(people.token(people.adjuster_a), files={"poster.pdf": bytes(pdf.output())})
    rid = rid.json()["id"]
    run_worker()
    page = login(people.adjuster_a)
    shown = page.get(f"/referrals/{rid}/records/view/?file=records/poster.pdf&page=1")
    text = shown.content.decode()
    assert shown.status_code == 200 and "This page cannot be shown: page 1 is 200 x 200" in text
    assert "<img" not in text
    image = page.get(f"/referrals/{rid}/records/page.png?file=records/poster.pdf&page=1")
    assert image.status_code == 404
    case = page.get(f"/referrals/{rid}/").content.decode()
    assert "page 1 is 200 x 200 inches" in case  # the file is listed with its error
