"""The "Assign the queue" proposal by API: a coordinator asks for one (202, computed in the
background), reads it (the optimal and greedy choice side by side, a row per review) and
applies it whole; applying twice is refused naming why. A scheduler may read, not propose
or apply; a client and a physician may do neither; nothing changes when refused."""

from __future__ import annotations

from typing import Any

import pytest
from test_it_assigns_the_waiting_queue import _queue, _state
from webapp import api, post, run_worker

from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_proposes_reads_and_applies_a_batch(people: Any) -> None:
    first, second = _queue(people)
    coordinator = api(people.token(people.coordinator))
    made = post(coordinator, "/api/v1/assignment-batches")
    assert made.status_code == 202 and made.json()["status"] == "computing"
    bid = made.json()["id"]
    run_worker()
    found = coordinator.get(f"/api/v1/assignment-batches/{bid}").json()
    assert found["status"] == "ready"
    rows = {row["referral"]: row for row in found["rows"]}
    assert set(rows) == {first, second}
    assert all(row["optimal"]["npi"] for row in rows.values())
    applied = post(coordinator, f"/api/v1/assignment-batches/{bid}/apply")
    assert applied.status_code == 200, applied.content
    assert applied.json()["status"] == "applied" and len(applied.json()["assigned"]) == 2
    assert Assignment.objects.count() == 2
    again = post(coordinator, f"/api/v1/assignment-batches/{bid}/apply")
    assert again.status_code == 409
    assert again.json()["detail"] == "this proposal was applied already"
    assert coordinator.get("/api/v1/assignment-batches/999").status_code == 404


def test_only_a_coordinator_proposes_and_applies_by_api(people: Any) -> None:
    _queue(people)
    coordinator = api(people.token(people.coordinator))
    bid = post(coordinator, "/api/v1/assignment-batches").json()["id"]
    run_worker()
    scheduler = do_create_user(
        people.reviewer,
        actor=COMMAND_LINE,
        email="sam@review.example",
        role="scheduler",
        password="x" * 12,
    )
    callers = {
        who: api(people.token(who))
        for who in (scheduler, people.qa, people.adjuster_a, people.physician)
    }
    before = _state()
    for who, caller in callers.items():
        assert post(caller, "/api/v1/assignment-batches").status_code == 403, who.email
        assert post(caller, f"/api/v1/assignment-batches/{bid}/apply").status_code == 403
        reads = caller.get(f"/api/v1/assignment-batches/{bid}").status_code
        assert reads == (200 if who.is_review_staff else 403), who.email
    assert _state() == before


def test_a_proposal_for_an_empty_queue_applies_and_assigns_nobody(people: Any) -> None:
    coordinator = api(people.token(people.coordinator))
    bid = post(coordinator, "/api/v1/assignment-batches").json()["id"]
    run_worker()
    assert coordinator.get(f"/api/v1/assignment-batches/{bid}").json()["rows"] == []
    applied = post(coordinator, f"/api/v1/assignment-batches/{bid}/apply")
    assert applied.status_code == 200, applied.content
    assert applied.json()["assigned"] == [] and not Assignment.objects.exists()
