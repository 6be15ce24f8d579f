"""No user of one client ever sees, lists or changes another client's referral: through the
API it answers 404, exactly as one that does not exist, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import api, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.permissions import COMMAND_LINE
from medreview.triage.models import TriageDecision

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def referral_of_a(people: Any) -> str:
    made = send(people.token(people.adjuster_a)).json()
    run_worker()
    return str(made["id"])


def test_another_client_gets_404_on_the_referral_its_audit_and_its_listing(
    people: Any, referral_of_a: str
) -> None:
    other = api(people.token(people.adjuster_b))
    assert other.get(f"/api/v1/referrals/{referral_of_a}").status_code == 404
    assert other.get(f"/api/v1/referrals/{referral_of_a}/audit").status_code == 404
    assert other.get("/api/v1/referrals").json() == {"items": [], "count": 0}
    assert other.get("/api/v1/referrals?claim_number=WC-TEST-0001").json()["count"] == 0


def test_another_client_cannot_decide_the_triage_and_nothing_changes(
    people: Any, referral_of_a: str
) -> None:
    token_b = people.token(people.adjuster_b)
    events = AuditEvent.objects.count()
    answer = api(token_b).post(
        f"/api/v1/referrals/{referral_of_a}/triage-decision",
        {"decision": "override", "path": "ime_first", "reason": "mine now"},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert TriageDecision.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_review_desk_sees_every_client_and_a_physician_sees_no_referral(
    people: Any, referral_of_a: str
) -> None:
    assert api(people.token(people.coordinator)).get("/api/v1/referrals").json()["count"] == 1
    physician = api(people.token(people.physician))
    assert physician.get(f"/api/v1/referrals/{referral_of_a}").status_code == 404


def test_a_revoked_token_opens_nothing(people: Any, referral_of_a: str) -> None:
    from medreview.claims.actions import do_revoke_token
    from medreview.claims.models import ApiToken

    token = people.token(people.adjuster_a)
    assert api(token).get(f"/api/v1/referrals/{referral_of_a}").status_code == 200
    do_revoke_token(ApiToken.objects.order_by("-created").first(), actor=COMMAND_LINE)
    assert api(token).get(f"/api/v1/referrals/{referral_of_a}").status_code == 401
    assert not ApiToken.objects.filter(digest__contains=token).exists()  # only its digest is kept


def test_the_listing_keeps_its_query_count(people: Any, django_assert_max_num_queries: Any) -> None:
    token = people.token(people.adjuster_a)
    for _ in range(6):
        assert send(token).status_code == 201
    with django_assert_max_num_queries(4):
        listing = api(token).get("/api/v1/referrals").json()
    assert listing["count"] == 6


def test_only_a_clients_users_send_referrals(people: Any) -> None:
    from medreview.claims.models import Referral

    for user in (people.coordinator, people.physician):
        assert send(people.token(user)).status_code == 403
    assert Referral.objects.count() == 0
