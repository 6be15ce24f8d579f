"""In Chromium: the work queue and a case page load without a single failed request or
error answer (no missing icon, script or image)."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import run_worker, send, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_work_queue_and_a_case_load_without_a_failure(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    page = sign_in(browser, base, people.coordinator.email)
    failed: list[str] = []
    page.on("requestfailed", lambda r: _failed(r) and failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url}: {r.status}"))
    for path in ("/", f"/referrals/{rid}/"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert "WC-TEST-0001" in page.content()
        assert page.evaluate(ICONS) == [True]
    assert failed == []


def _failed(request: Any) -> bool:
    # Chromium cancels what is still loading when the next page starts (its own icon request,
    # at times): net::ERR_ABORTED is the browser's choice, not an answer the site gave.
    return request.failure != "net::ERR_ABORTED"


# Headless Chromium asks for no icon, as a person's browser does after each page: the icons the
# page names, or /favicon.ico when it names none; each must load as an image.
ICONS = """async () => {
  const named = [...document.querySelectorAll("link[rel~=icon]")].map((link) => link.href);
  return Promise.all((named.length ? named : ["/favicon.ico"]).map(async (url) => {
    const image = new Image();
    image.src = url;
    try { await image.decode(); } catch { return false; }
    return image.naturalWidth > 0;
  }));
}"""


def test_the_portal_and_qa_pages_load_without_a_failure(
    live_server: Any, browser: Any, people: Any
) -> None:
    from webapp import answer_all, assigned_review

    base = live_server.url
    rid, aid = assigned_review(people)
    answer_all(people, aid)
    failed: list[str] = []
    visits = (
        (people.physician, "/portal/", ("/portal/", f"/portal/{aid}/", _VIEWER.format(aid))),
        (people.qa, "/", ("/qa/", f"/qa/{aid}/", f"/referrals/{rid}/")),
    )
    for who, lands, paths in visits:
        page = sign_in(browser, base, who.email, lands=lands)
        page.on("requestfailed", lambda r: _failed(r) and failed.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url}: {r.status}"))
        for path in paths:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            assert "WC-TEST-0001" in page.content(), path
    assert failed == []


_VIEWER = "/portal/{}/records/?file=records/note.txt&page=1"
