"""A coordinator gives a referral's peer review or IME to a physician, through the API
(`POST /api/v1/referrals/{id}/assignments`) or the case page's "Assign" button: the
assignment takes one of the physician's weekly slots, is due after the service's turnaround
in business days, is audited and shown on the case page, also to the client. A physician
who breaks a hard rule is refused with the rule named; a client, another client and a
physician are refused; nothing changes when refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from webapp import COLLEAGUE, SURGEON, api, import_roster, login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.network.models import Physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> tuple[int, list[int], int]:
    return (
        Assignment.objects.count(),
        list(Physician.objects.order_by("npi").values_list("open_assignments", flat=True)),
        AuditEvent.objects.filter(action="assignment.created").count(),
    )


def _triaged(people: Any) -> str:
    rid: str = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    return rid


def test_a_coordinator_assigns_through_the_api(people: Any) -> None:
    import_roster(SURGEON, COLLEAGUE)
    rid = _triaged(people)
    url = f"/api/v1/referrals/{rid}/assignments"
    coordinator = api(people.token(people.coordinator))

    made = coordinator.post(
        url, {"service": "peer_review", "npi": SURGEON["npi"]}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["service"], body["npi"]) == ("peer_review", SURGEON["npi"])
    today = timezone.localdate()
    due = date.fromisoformat(body["due"])
    # Three business days: never a weekend, at least three and at most a week away.
    assert due.weekday() < 5 and timedelta(days=3) <= due - today <= timedelta(days=7)
    # The roster's 3 outside medreview, and this one.
    assert Physician.objects.get(npi=SURGEON["npi"]).load == 4
    assert Referral.objects.get(pk=rid).status == Referral.IN_REVIEW
    event = AuditEvent.objects.get(action="assignment.created")
    assert event.detail["npi"] == SURGEON["npi"] and event.actor == people.coordinator.email
    kept = Assignment.objects.get()
    assert "same specialty as the treating provider: Orthopaedic Surgery Physician" in kept.reasons

    again = coordinator.post(
        url, {"service": "peer_review", "npi": COLLEAGUE["npi"]}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "the peer review is already assigned to Avery Chen, MD"


def test_a_physician_who_breaks_a_rule_is_refused_with_the_rule_named(people: Any) -> None:
    import_roster(SURGEON, COLLEAGUE)
    rid = _triaged(people)
    url = f"/api/v1/referrals/{rid}/assignments"
    coordinator = api(people.token(people.coordinator))
    before = _state()

    # The colleague shares the treating surgeon's group.
    conflict = coordinator.post(
        url, {"service": "ime", "npi": COLLEAGUE["npi"]}, content_type="application/json"
    )
    assert conflict.status_code == 409
    assert conflict.json()["detail"].startswith("conflict: Col League, MD has a conflict")
    unknown = coordinator.post(
        url, {"service": "ime", "npi": "1234567893"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert "no active physician of the network has NPI '1234567893'" in unknown.json()["detail"]
    bad = coordinator.post(
        url, {"service": "surgery", "npi": SURGEON["npi"]}, content_type="application/json"
    )
    assert bad.status_code == 422 and "service" in bad.json()["detail"]
    assert _state() == before


def test_only_the_desks_coordinators_and_schedulers_assign(people: Any) -> None:
    import_roster(SURGEON, COLLEAGUE)
    rid = _triaged(people)
    url = f"/api/v1/referrals/{rid}/assignments"
    body = {"service": "peer_review", "npi": SURGEON["npi"]}
    before = _state()
    own = api(people.token(people.adjuster_a)).post(url, body, content_type="application/json")
    assert own.status_code == 403
    for user in (people.adjuster_b, people.physician):
        answer = api(people.token(user)).post(url, body, content_type="application/json")
        assert answer.status_code == 404
    assert login(people.adjuster_a).post(f"/referrals/{rid}/assign/", body).status_code == 403
    assert login(people.adjuster_b).post(f"/referrals/{rid}/assign/", body).status_code == 404
    assert _state() == before
    assert Referral.objects.get(pk=rid).status == Referral.TRIAGED


def test_the_case_page_assigns_a_candidate_and_shows_who_has_it(people: Any) -> None:
    import_roster(SURGEON, COLLEAGUE)
    rid = _triaged(people)
    staff = login(people.coordinator)
    listed = staff.get(f"/referrals/{rid}/?service=ime")
    assert b'aria-label="Assign Avery Chen, MD"' in listed.content

    refused = staff.post(f"/referrals/{rid}/assign/", {"service": "ime", "npi": COLLEAGUE["npi"]})
    assert refused.status_code == 409
    assert b"conflict: Col League, MD has a conflict of interest" in refused.content

    done = staff.post(f"/referrals/{rid}/assign/", {"service": "ime", "npi": SURGEON["npi"]})
    assert done.status_code == 302
    page = staff.get(f"/referrals/{rid}/?service=ime").content.decode()
    assert "Assigned" in page and "Avery Chen, MD" in page
    assert 'aria-label="Assign' not in page  # the IME is given: no more buttons for it
    # The client sees who has the exam, not the network.
    client_page = login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()
    assert "Avery Chen, MD" in client_page and "/network/" not in client_page
    assert login(people.adjuster_b).get(f"/referrals/{rid}/").status_code == 404
