"""With DEBUG off, every error answers on a page of the site, never Django's bare one: an
unknown address (404, the same for another client's referral as for one that does not
exist), a refusal (403, a stale form's CSRF failure too) and a server error (500, a page that
needs neither the database nor a request). The site's icon answers at /favicon.ico."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults
from webapp import login, run_worker, send

pytestmark = pytest.mark.django_db(transaction=True)


def test_debug_is_off_as_in_production() -> None:
    assert settings.DEBUG is False


def styled(content: bytes) -> str:
    page = content.decode()
    assert '<a class="brand" href="/">medreview</a>' in page and "<style>" in page
    assert 'rel="icon"' in page
    assert "Traceback" not in page and "was not found on this server" not in page
    return page


def test_an_unknown_address_answers_the_sites_404(people: Any) -> None:
    answer = login(people.adjuster_a).get("/no/such/page/")
    assert answer.status_code == 404
    page = styled(answer.content)
    assert "Page not found" in page
    assert "Work queue" in page and people.adjuster_a.email in page  # the signed-in header


def test_a_404_shows_a_stranger_nothing_but_the_way_to_sign_in() -> None:
    answer = Client().get("/no/such/page/")
    assert answer.status_code == 404
    page = styled(answer.content)
    assert "Work queue" not in page and "Sign out" not in page


def test_another_clients_referral_looks_exactly_like_none(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    other = login(people.adjuster_b)
    theirs = other.get(f"/referrals/{rid}/")
    nobodys = other.get(f"/referrals/{uuid.uuid4()}/")
    assert theirs.status_code == nobodys.status_code == 404
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew each time
    assert token.sub("", styled(theirs.content)) == token.sub("", styled(nobodys.content))
    assert "WC-TEST-0001" not in theirs.content.decode()


def test_a_refusal_answers_the_sites_403(people: Any) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user = people.adjuster_a
    answer = defaults.permission_denied(request, PermissionDenied())
    assert answer.status_code == 403
    assert "Not available to your role" in styled(answer.content)


def test_each_refusal_says_why_in_its_own_words(people: Any) -> None:
    network = login(people.adjuster_a).get("/network/")
    assert network.status_code == 403
    page = styled(network.content)
    assert "Not available to your role" in page and "Referrals are sent" not in page
    form = login(people.coordinator).get("/referrals/new/")
    assert form.status_code == 403
    assert "Referrals are sent by the users of a client organisation." in styled(form.content)


def test_a_stale_form_answers_a_styled_403_that_says_what_to_do(people: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.adjuster_a)
    answer = client.post("/logout/")  # no CSRF token: a form from before the session
    assert answer.status_code == 403
    page = styled(answer.content)
    assert "This form has expired" in page and "CSRF verification failed" not in page
    assert "_auth_user_id" in client.session  # refused: still signed in


def test_a_server_error_page_needs_no_database_and_no_request(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        answer = defaults.server_error(request)
    assert answer.status_code == 500
    page = styled(answer.content)
    assert "Something went wrong" in page and "Work queue" not in page


def test_the_favicon_answers_with_an_image_for_anyone() -> None:
    answer = Client().get("/favicon.ico")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/")
    assert b"<svg" in answer.content
