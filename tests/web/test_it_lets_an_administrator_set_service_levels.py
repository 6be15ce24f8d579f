"""An administrator sets each client's service levels, the business days the desk has for each
stage of a referral (`/settings/service-levels/`); a stage left empty has the desk's default.
A clock starting after the change follows it, naming the client's service level as its
source; a clock already running keeps what it started with. A bad number is refused, naming
the stage, and nothing changes; nobody else may see or change them (403), and an
organisation that is no client has none (404)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cases import REFERRAL
from django.utils import timezone
from webapp import login, send

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.models import Clock, ServiceLevel
from medreview.claims.permissions import COMMAND_LINE
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days

pytestmark = pytest.mark.django_db(transaction=True)


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )


def _send(people: Any, number: str) -> str:
    referral = copy.deepcopy(REFERRAL)
    referral["claim"]["number"] = number
    referral["received"] = timezone.localdate().isoformat()
    referral.pop("due")
    return str(send(people.token(people.adjuster_a), referral).json()["id"])


def _state() -> tuple[list[tuple[int, str, int]], int]:
    levels = ServiceLevel.objects.order_by("organisation_id", "stage")
    return [
        (s.organisation_id, s.stage, s.business_days) for s in levels
    ], AuditEvent.objects.count()


def test_an_administrator_sets_a_clients_levels_for_clocks_started_after(people: Any) -> None:
    admin = login(_admin(people))
    page = admin.get("/settings/service-levels/").content.decode()
    for words in ("Client A Mutual", "Client B TPA", "Records read", "Examiner&#x27;s report"):
        assert words in page
    assert "a clock already running keeps the days it started with" in page
    before = _send(people, "WC-BEFORE")
    url = f"/settings/service-levels/{people.client_a.pk}/"

    saved = admin.post(url, {"records": "5", "peer_review": "4", "qa": ""})
    assert saved.status_code == 302
    assert _state()[0] == [
        (people.client_a.pk, "peer_review", 4),
        (people.client_a.pk, "records", 5),
    ]
    event = AuditEvent.objects.get(action="service_levels.set")
    assert event.chain == f"organisation:{people.client_a.pk}"
    assert event.detail == {
        "records": {"from": None, "to": 5},
        "peer_review": {"from": None, "to": 4},
    }
    assert 'value="5"' in admin.get("/settings/service-levels/").content.decode()

    today = timezone.localdate()
    holidays = holidays_for("CA", today.year, today.year + 2)
    running = Clock.objects.get(referral_id=before)
    assert running.due == add_business_days(today, 1, holidays)  # the default, kept
    after = Clock.objects.get(referral_id=_send(people, "WC-AFTER"))
    assert after.due == add_business_days(today, 5, holidays)
    assert after.source == "service level of Client A Mutual"
    other = send(people.token(people.adjuster_b)).json()["id"]
    assert Clock.objects.get(referral_id=other).business_days == 1  # client B: the default

    # Emptied, the stage has the desk's default again.
    assert admin.post(url, {"records": ""}).status_code == 302
    assert _state()[0] == [(people.client_a.pk, "peer_review", 4)]


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"peer_review": "0"}, "Peer review: 0 is not a number of business days from 1 to 365"),
        ({"qa": "366"}, "QA: 366 is not a number of business days from 1 to 365"),
        ({"records": "2", "triage": "two"}, "Triage decision: &#x27;two&#x27; is not a whole"),
    ],
)
def test_a_bad_number_is_refused_naming_the_stage_and_nothing_changes(
    people: Any, posted: dict[str, str], message: str
) -> None:
    admin = login(_admin(people))
    before = _state()
    refused = admin.post(f"/settings/service-levels/{people.client_a.pk}/", posted)
    assert refused.status_code == 422
    assert message in refused.content.decode()
    assert _state() == before


def test_nobody_else_sees_or_sets_service_levels(people: Any) -> None:
    _admin(people)
    before = _state()
    url = f"/settings/service-levels/{people.client_a.pk}/"
    for person in (people.coordinator, people.qa, people.adjuster_a, people.physician):
        signed_in = login(person)
        assert signed_in.get("/settings/service-levels/").status_code == 403
        assert signed_in.post(url, {"records": "9"}).status_code == 403
    assert _state() == before


def test_an_organisation_that_is_no_client_has_no_service_levels(people: Any) -> None:
    admin = login(_admin(people))
    before = _state()
    assert (
        admin.post(f"/settings/service-levels/{people.reviewer.pk}/", {"qa": "2"}).status_code
        == 404
    )
    assert admin.post("/settings/service-levels/999999/", {"qa": "2"}).status_code == 404
    assert _state() == before


def test_the_page_reads_the_same_few_queries_however_many_clients(people: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medreview.claims.actions import do_create_organisation

    admin = login(_admin(people))
    with CaptureQueriesContext(connection) as few:
        admin.get("/settings/service-levels/")
    for n in range(4):
        do_create_organisation(actor=COMMAND_LINE, name=f"Client {n}", kind="client")
    with CaptureQueriesContext(connection) as many:
        page = admin.get("/settings/service-levels/").content.decode()
    assert page.count("'s service levels</button>") == 6
    assert len(many) == len(few)
