"""The claim file is the client's and the desk's coordinators' and administrators': another
client's adjuster gets 404 exactly as for a referral that does not exist, a physician 404 (it
reaches no referral), a QA nurse and a scheduler 403; by API and by page alike, and none of
them changes anything (not even the audit trail)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from webapp import api, delivered_review, login

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE

pytestmark = pytest.mark.django_db(transaction=True)


def _events() -> list[tuple[str, int, str]]:
    return list(AuditEvent.objects.order_by("chain", "seq").values_list("chain", "seq", "hash"))


def test_only_the_client_and_the_desks_coordinators_and_administrators_get_it(
    people: Any,
) -> None:
    rid, _ = delivered_review(people)
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    nurse = do_create_user(
        people.client_a, actor=COMMAND_LINE, email="nina@a.example", role="nurse_case_manager"
    )
    api_url = f"/api/v1/referrals/{rid}/claim-file.zip"
    page_url = f"/referrals/{rid}/claim-file.zip"
    refused = (
        (people.adjuster_b, 404),
        (people.physician, 404),
        (people.qa, 403),
        (people.scheduler, 403),
    )
    allowed = (people.adjuster_a, nurse, people.coordinator, admin)
    # Tokens made first: making one is an event of the organisation's chain.
    tokens = {u.email: people.token(u) for u, _ in refused} | {
        u.email: people.token(u) for u in allowed
    }
    before = _events()

    for user, status in refused:
        by_api = api(tokens[user.email]).get(api_url)
        assert by_api.status_code == status, (user.email, by_api.status_code)
        assert by_api["Content-Type"].startswith("application/json")
        by_page = login(user).get(page_url)
        assert by_page.status_code == status, (user.email, by_page.status_code)
        assert by_page["Content-Type"].startswith("text/html")
    detail = api(tokens[people.qa.email]).get(api_url).json()["detail"]
    assert detail == (
        "your role cannot download the claim file (a client's users, a coordinator or an"
        " administrator do)"
    )
    # Another client's referral answers as one that does not exist.
    other = api(tokens[people.adjuster_b.email]).get(api_url)
    unknown = api(tokens[people.adjuster_b.email]).get(
        f"/api/v1/referrals/{uuid.uuid4()}/claim-file.zip"
    )
    assert (other.status_code, other.json()) == (unknown.status_code, unknown.json())
    not_an_id = api(tokens[people.adjuster_a.email]).get(api_url.replace(rid, "not-an-id"))
    assert not_an_id.status_code == 404
    # Nobody signed in: 401 by API, the sign-in page for the page.
    assert api("mr_not-a-token").get(api_url).status_code == 401
    signed_out = Client().get(page_url)
    assert signed_out.status_code == 302 and "/login/" in signed_out["Location"]
    assert _events() == before, "a refused request changed the audit trail"

    for user in allowed:
        answer = api(tokens[user.email]).get(api_url)
        assert answer.status_code == 200, (user.email, answer.status_code)
        b"".join(answer.streaming_content)
    made = AuditEvent.objects.filter(referral_id=rid, action="claim_file.downloaded")
    assert sorted(made.values_list("actor", flat=True)) == sorted(u.email for u in allowed)
