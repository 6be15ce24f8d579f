"""In Chromium, with every request to another host refused: the API's interactive docs
(Swagger UI) render from the application's own files, and no page of the application asks
another host for anything (scripts, styles, fonts, icons)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pdfs import make_text_pdf
from webapp import SURGEON, import_roster, run_worker, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"


def offline(page: Any, base: str) -> list[str]:
    """Refuse every request of the page to a host other than the server's; the refused."""
    here = urlsplit(base)[:2]
    refused: list[str] = []

    def only_here(route: Any) -> None:
        if urlsplit(route.request.url)[:2] == here:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    return refused


def test_the_api_docs_render_with_no_other_host(live_server: Any, browser: Any) -> None:
    base = live_server.url
    page = browser.new_context().new_page()
    refused = offline(page, base)
    page.goto(f"{base}/api/v1/docs")
    page.get_by_text("Send a referral and its records").wait_for(timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() > 3
    assert refused == []


def test_no_page_asks_another_host_for_anything(
    live_server: Any, browser: Any, people: Any, tmp_path: Path
) -> None:
    base = live_server.url
    import_roster(SURGEON)
    pdf = make_text_pdf(tmp_path / "note.pdf", [NOTE]).read_bytes()
    rid = send(people.token(people.adjuster_a), files={"note.pdf": pdf}).json()["id"]
    run_worker()

    desk = sign_in(browser, base, people.coordinator.email)
    refused = offline(desk, base)
    for path in (
        "/login/",
        "/",
        f"/referrals/{rid}/",
        f"/referrals/{rid}/?service=peer_review",
        f"/referrals/{rid}/records/view/?file=records/note.pdf&page=1",
        "/network/",
        f"/network/{SURGEON['npi']}/",
        "/assignments/",
        "/api/v1/docs",
        "/no-such-page/",
    ):
        desk.goto(f"{base}{path}")
        desk.wait_for_load_state("networkidle")
    desk.goto(f"{base}/")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Sign out").click()
    desk.wait_for_load_state("networkidle")

    nurse = sign_in(browser, base, people.adjuster_a.email)
    refused += offline(nurse, base)
    nurse.goto(f"{base}/referrals/new/")
    nurse.wait_for_load_state("networkidle")
    assert refused == []
