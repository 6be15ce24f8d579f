"""A coordinator assigns the whole queue of waiting reviews at once: medreview proposes, in
the background, the assignment that gives the most reviews a physician and then the best
ones under every physician's capacity, proven optimal, beside the greedy one (most urgent
first, each taking its best physician left); the coordinator applies it, all of it or
nothing. Only reviews whose triage a person decided are in the queue; a proposal that the
world has overtaken is refused whole; a client and a physician see and change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cases import referral
from django.test import Client
from webapp import SURGEON, call_for_peer_review, import_roster, login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.network.models import Physician
from medreview.reviews.models import Assignment, AssignmentBatch
from medreview.triage.actions import do_decide_triage

pytestmark = pytest.mark.django_db(transaction=True)

# The best surgeon has one slot left; the second best is in the group of the second
# claim's treating surgeon. Most urgent first, the first claim takes the best surgeon and
# leaves the second claim nobody; the optimal proposal gives both claims a surgeon.
BEST = {
    **SURGEON,
    "npi": "1000000111",
    "name": "Xavier Best, MD",
    "weekly_capacity": "4",
    "open_assignments": "3",
    "median_turnaround_days": "1",
    "qa_score": "1.0",
    "fee_peer_review": "200",
    "affiliations": "Best Solo Practice",
}
SECOND = {
    **SURGEON,
    "npi": "1000000129",
    "name": "Yara Second, MD",
    "weekly_capacity": "10",
    "open_assignments": "0",
    "median_turnaround_days": "6",
    "qa_score": "0.7",
    "fee_peer_review": "500",
    "affiliations": "Mission Spine",
}
FIRST_CLAIM = referral(claim={"number": "WC-URGENT-1"}, due="2026-07-10")
SECOND_CLAIM = referral(
    claim={"number": "WC-LATER-2"},
    due="2026-07-20",
    treating_providers=[
        {"name": "Ravi Mehta, MD", "specialty": "Orthopaedic Surgery", "group": "Mission Spine"}
    ],
)
UNDECIDED = referral(claim={"number": "WC-UNDECIDED-3"})


def _queue(people: Any) -> tuple[str, str]:
    import_roster(BEST, SECOND)
    token = people.token(people.adjuster_a)
    ids = [send(token, r).json()["id"] for r in (FIRST_CLAIM, SECOND_CLAIM, UNDECIDED)]
    run_worker()
    for rid in ids[:2]:
        call_for_peer_review(rid, people.coordinator)
    return ids[0], ids[1]


def _propose(staff: Client) -> AssignmentBatch:
    made = staff.post("/assignments/propose/")
    assert made.status_code == 302
    batch = AssignmentBatch.objects.get()
    assert made.url == f"/assignments/{batch.pk}/"
    assert b"This page refreshes itself" in staff.get(made.url).content
    run_worker()
    batch.refresh_from_db()
    assert batch.status == AssignmentBatch.READY
    return batch


def _state() -> tuple[int, list[int], list[str], list[str]]:
    return (
        Assignment.objects.count(),
        list(Physician.objects.order_by("npi").values_list("open_assignments", flat=True)),
        list(Referral.objects.order_by("claim_number").values_list("status", flat=True)),
        list(AssignmentBatch.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_the_optimal_proposal_assigns_more_than_the_greedy_and_is_applied_whole(
    people: Any,
) -> None:
    first, second = _queue(people)
    staff = login(people.coordinator)
    queue = staff.get("/assignments/").content.decode()
    assert "<strong>2</strong> reviews waiting for a physician" in queue
    assert "1 triaged referral awaits a triage decision" in queue

    batch = _propose(staff)
    page = staff.get(f"/assignments/{batch.pk}/").content.decode()
    assert "Proven optimal" in page
    assert "Points short of perfect scores" in page and "<th>Cost</th>" not in page
    assert "<th>Seconds</th>" not in page and re.search(r"<td>\d+(\.\d+)? s</td>", page)
    assert "The optimal proposal assigns 1 more review." in page
    assert "Apply the optimal proposal (2 assignments)" in page
    assert "1 triaged referral awaited a triage decision when this proposal was made" in page
    assert page.count(">unassigned<") == 1  # the greedy side of the later claim

    applied = staff.post(f"/assignments/{batch.pk}/apply/")
    assert applied.status_code == 302
    given = {
        (a.referral.claim_number, a.physician.name)
        for a in Assignment.objects.select_related("referral", "physician")
    }
    assert given == {("WC-URGENT-1", "Yara Second, MD"), ("WC-LATER-2", "Xavier Best, MD")}
    assert {a.batch_id for a in Assignment.objects.all()} == {batch.pk}
    assert Physician.objects.get(npi=BEST["npi"]).load == 4
    assert Physician.objects.get(npi=SECOND["npi"]).load == 1
    assert set(
        Referral.objects.filter(pk__in=[first, second]).values_list("status", flat=True)
    ) == {Referral.IN_REVIEW}
    assert AuditEvent.objects.filter(action="assignment.created").count() == 2
    assert AuditEvent.objects.get(action="assignment_batch.applied").detail["assigned"] == 2
    done = staff.get(f"/assignments/{batch.pk}/").content.decode()
    assert "Applied by cora@review.example" in done and "Apply the optimal" not in done

    before = _state()
    twice = staff.post(f"/assignments/{batch.pk}/apply/")
    assert twice.status_code == 409 and b"this proposal was applied already" in twice.content
    assert _state() == before
    assert "<strong>0</strong> reviews waiting" in staff.get("/assignments/").content.decode()


def test_a_proposal_the_world_has_overtaken_assigns_nothing(people: Any) -> None:
    first, _ = _queue(people)
    staff = login(people.coordinator)
    batch = _propose(staff)
    # Meanwhile the best surgeon's last slot is taken elsewhere, and the urgent claim's
    # triage is overridden: records first.
    Physician.objects.filter(npi=BEST["npi"]).update(open_assignments=1)
    do_decide_triage(
        Referral.objects.get(pk=first),
        actor=people.coordinator,
        decision="override",
        path="obtain_records_first",
        reason="the MRI report is missing",
    )
    before = _state()

    refused = staff.post(f"/assignments/{batch.pk}/apply/")
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "nothing was assigned: 2 of the 2 proposed assignments are no longer possible" in text
    assert (
        "claim WC-URGENT-1: the triage decision in force no longer calls for a peer review" in text
    )
    assert "claim WC-LATER-2, peer review: capacity: Xavier Best, MD has no capacity left" in text
    assert _state() == before
    assert not AuditEvent.objects.filter(action="assignment.created").exists()


def test_only_a_coordinator_proposes_and_applies(people: Any) -> None:
    _queue(people)
    batch = _propose(login(people.coordinator))
    qa = people.qa
    before = _state()
    for user in (people.adjuster_a, people.adjuster_b, people.physician):
        client = login(user)
        assert client.get("/assignments/").status_code == 403
        assert client.get(f"/assignments/{batch.pk}/").status_code == 403
        assert client.post("/assignments/propose/").status_code == 403
        assert client.post(f"/assignments/{batch.pk}/apply/").status_code == 403
    # A QA nurse of the desk may look, not act.
    nurse = login(qa)
    page = nurse.get(f"/assignments/{batch.pk}/").content.decode()
    assert "Proven optimal" in page and "Apply the optimal" not in page
    assert nurse.post(f"/assignments/{batch.pk}/apply/").status_code == 403
    assert nurse.post("/assignments/propose/").status_code == 403
    assert _state() == before


def test_the_proposal_page_reads_the_same_few_queries_however_long_the_queue(
    people: Any, django_assert_max_num_queries: Any
) -> None:
    _queue(people)
    staff = login(people.coordinator)
    batch = _propose(staff)
    with django_assert_max_num_queries(8):
        assert staff.get(f"/assignments/{batch.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert staff.get("/assignments/").status_code == 200


def test_a_proposal_that_cannot_be_computed_says_why_and_stops_waiting(people: Any) -> None:
    first, _ = _queue(people)
    broken = Referral.objects.get(pk=first)
    broken.payload = {**broken.payload, "received": "not a date"}
    broken.save(update_fields=["payload"])
    staff = login(people.coordinator)
    staff.post("/assignments/propose/")
    run_worker()
    batch = AssignmentBatch.objects.get()
    assert batch.status == AssignmentBatch.FAILED
    assert AuditEvent.objects.get(action="assignment_batch.failed").detail["batch"] == batch.pk
    page = staff.get(f"/assignments/{batch.pk}/").content.decode()
    assert "The proposal could not be computed: " in page and "received" in page
    assert "refreshes itself" not in page
    assert "Propose assignments" in page  # and a new one can be asked for
    refused = staff.post(f"/assignments/{batch.pk}/apply/")
    assert refused.status_code == 409 and not Assignment.objects.exists()
