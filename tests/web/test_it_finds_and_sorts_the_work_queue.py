"""The work queue finds a referral by claim number or claimant, sorts by any column, shows
the claimant and the path in force (a person's decision over the recommendation), says when
a referral's triage is decided, and reads the same few queries however many referrals it
lists. A client's user still sees only the client's own referrals."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cases import REFERRAL
from django.db import connection
from django.test.utils import CaptureQueriesContext
from webapp import api, login, run_worker, send

pytestmark = pytest.mark.django_db(transaction=True)


def _send(people: Any, number: str, claimant: str, due: str, adjuster: Any = None) -> str:
    referral = copy.deepcopy(REFERRAL)
    referral["claim"]["number"] = number
    referral["claimant"]["name"] = claimant
    referral["due"] = due
    rid: str = send(people.token(adjuster or people.adjuster_a), referral).json()["id"]
    return rid


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:]]


def test_it_finds_by_claim_or_claimant_and_sorts_by_column(people: Any) -> None:
    _send(people, "WC-100", "Ada Lovelace", "2026-07-20")
    _send(people, "WC-200", "Bo Diddley", "2026-07-10")
    _send(people, "GL-300", "Cy Twombly", "2026-07-30")
    nurse = login(people.adjuster_a)

    by_due = _rows(nurse.get("/").content.decode())
    assert ["WC-200" in by_due[0], "WC-100" in by_due[1], "GL-300" in by_due[2]] == [True] * 3
    by_claim = _rows(nurse.get("/?sort=-claim").content.decode())
    assert "WC-200" in by_claim[0] and "GL-300" in by_claim[2]
    assert "Ada Lovelace" in by_due[1]  # the claimant is shown

    found = _rows(nurse.get("/?q=lovelace").content.decode())
    assert len(found) == 1 and "WC-100" in found[0]
    found = _rows(nurse.get("/?q=WC-").content.decode())
    assert len(found) == 2
    assert "No referral matches" in nurse.get("/?q=nobody").content.decode()


def test_it_shows_the_path_in_force_and_the_decision(people: Any) -> None:
    rid = _send(people, "WC-100", "Ada Lovelace", "2026-07-20")
    run_worker()
    nurse = login(people.adjuster_a)
    assert "(recommended)" in nurse.get("/").content.decode()

    api(people.token(people.adjuster_a)).post(
        f"/api/v1/referrals/{rid}/triage-decision",
        {"decision": "override", "path": "ime_first", "reason": "an exam is wanted"},
        content_type="application/json",
    )
    (row,) = _rows(nurse.get("/").content.decode())
    assert "IME first" in row and "(decided)" in row
    assert "Decided: waiting for a physician" in row and "Triaged" not in row
    assert "ime_first" not in row


def test_a_client_sees_only_its_own_and_the_queue_reads_a_fixed_number_of_queries(
    people: Any,
) -> None:
    for n in range(3):
        _send(people, f"WC-A{n}", "Ann Client", "2026-07-20")
    _send(people, "WC-B1", "Bob Other", "2026-07-20", adjuster=people.adjuster_b)
    desk = login(people.coordinator)
    with CaptureQueriesContext(connection) as few:
        page = desk.get("/").content.decode()
    assert len(_rows(page)) == 4
    for n in range(3, 12):
        _send(people, f"WC-A{n}", "Ann Client", "2026-07-20")
    with CaptureQueriesContext(connection) as many:
        assert len(_rows(desk.get("/").content.decode())) == 13
    assert len(many) == len(few)

    mine = login(people.adjuster_a).get("/?q=WC-B").content.decode()
    assert "WC-B1" not in mine and "No referral matches" in mine


def test_each_reading_of_the_queue_is_in_the_audit_trail_without_its_search(
    people: Any,
) -> None:
    from medreview.audit.models import AuditEvent

    _send(people, "WC-100", "Ada Lovelace", "2026-07-20")
    _send(people, "WC-200", "Bo Diddley", "2026-07-10")
    nurse = login(people.adjuster_a)
    nurse.get("/")
    nurse.get("/", {"q": "lovel"})
    read = AuditEvent.objects.filter(action="referrals.listed").order_by("id")
    assert [(e.actor, e.detail) for e in read] == [
        ("ann@a.example", {"shown": 2, "searched": False}),
        ("ann@a.example", {"shown": 1, "searched": True}),
    ]
    assert {e.chain for e in read} == {f"organisation:{people.client_a.pk}"}
