"""In Chromium: a person signs out with the header's button (a POST form with its CSRF token)
and reads that they are signed out, on a styled page, and the pages ask for a sign-in again."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_out_says_so_and_closes_the_session(
    live_server: Any, browser: Any, people: Any
) -> None:
    base = live_server.url
    page = sign_in(browser, base, people.adjuster_a.email)
    form = page.locator("header form", has=page.get_by_role("button", name="Sign out"))
    assert form.get_attribute("method") == "post" and form.get_attribute("action") == "/logout/"
    assert form.locator("input[name=csrfmiddlewaretoken]").get_attribute("value")

    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign out").click()
    answer = navigation.value
    assert answer is not None and answer.status == 200
    assert page.get_by_role("heading", name="You are signed out").is_visible()
    assert "medreview" in page.locator("header").inner_text()  # the site's own look
    assert people.adjuster_a.email not in page.content()
    page.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(f"{base}/login/")

    again = page.goto(f"{base}/")
    assert again is not None and page.url.startswith(f"{base}/login/")
    refused = page.request.get(f"{base}/logout/")
    assert refused.status == 405  # signing out stays a POST, never a link a page can fire
