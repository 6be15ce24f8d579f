"""Every page and answer that may carry patient data says `no-store`, every page forbids
loading anything from another host (Content-Security-Policy), a request for a host name the
server does not serve is refused, and reading a referral (its case page, the API's whole
referral, a page image) is in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from webapp import api, login, run_worker, send

from medreview.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_and_answers_are_never_cached_and_load_nothing_from_elsewhere(
    people: Any,
) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    page = login(people.adjuster_a)
    for url in ("/", f"/referrals/{rid}/", "/login/", "/api/v1/docs"):
        answer = page.get(url)
        assert answer["Cache-Control"] == "private, no-store", url
        policy = answer["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
    assert api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}")[
        "Cache-Control"
    ] == ("private, no-store")


def test_a_host_the_server_does_not_serve_is_refused(people: Any) -> None:
    assert Client(HTTP_HOST="evil.example").get("/login/").status_code == 400
    assert Client(HTTP_HOST="localhost").get("/login/").status_code == 200


def test_reading_a_referral_is_audited(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    login(people.adjuster_a).get(f"/referrals/{rid}/")
    api(people.token(people.adjuster_b)).get(f"/api/v1/referrals/{rid}")  # 404: not read
    api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}")
    read = AuditEvent.objects.filter(action="referral.viewed", referral_id=rid)
    assert [(e.actor, e.detail["via"]) for e in read.order_by("seq")] == [
        (people.adjuster_a.email, "case page"),
        (people.adjuster_a.email, "api"),
    ]
