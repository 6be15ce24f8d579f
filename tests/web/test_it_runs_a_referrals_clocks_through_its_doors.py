"""Each stage of a referral has a clock in business days, kept by the doors of the stage
(docs/workflow.md, "Turnaround clocks"): the records from receipt to triage, the triage to
its decision, the peer review from its assignment to its submission (again after a QA
return), QA to its pass or return, an addendum from its request to its delivery. A records
request open pauses the referral's clocks; once none is, they run again, the due day moved
by the business days they waited. A review declined takes its clock with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from webapp import EXAMPLE_NOTE, REVIEWER, answer_all, api, assigned_review, login, post

from medreview.claims.models import Clock, Referral
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days, business_days_between
from medreview.records.actions import do_ask_for_records, do_update_records_request
from medreview.records.corrections import gap_key
from medreview.records.models import RecordsRequest
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)
# The note cites an MRI whose report the records lack: a gap to ask records for.
CITED = EXAMPLE_NOTE + "The MRI of the right knee of 06/10/2026 was reviewed: a meniscus tear.\n"


def _clocks(rid: str) -> list[tuple[str, str, bool]]:
    """(stage, about, running) of every clock of the referral, in the order they started."""
    return [
        (c.stage, c.about, c.stopped is None)
        for c in Clock.objects.filter(referral_id=rid).order_by("id")
    ]


def test_each_stage_starts_and_stops_its_clock_and_records_awaited_pause_them(
    people: Any,
) -> None:
    today = timezone.localdate()
    rid, aid = assigned_review(people, files={"note.txt": CITED.encode()})
    about = f"assignment:{aid}"
    records, triage, review = Clock.objects.filter(referral_id=rid).order_by("id")
    # The records ran from the referral's receipt (1 June) to their reading: done late.
    assert (records.stage, records.started.isoformat(), records.stopped) == (
        "records",
        "2026-06-01",
        today,
    )
    assert triage.stage == "triage" and (triage.started, triage.stopped) == (today, today)
    assert (review.stage, review.about, review.npi, review.stopped) == (
        "peer_review",
        about,
        REVIEWER["npi"],
        None,
    )
    assert review.subject == "peer review by Dana Reyes, MD"
    assert review.source == "the desk's default, a setting"
    # The assignment is due when its clock is: 3 business days in California.
    holidays = holidays_for("CA", today.year, today.year + 2)
    assert review.due == add_business_days(today, 3, holidays)
    assert Assignment.objects.get(pk=aid).due == review.due

    # The nurse asks the desk for the missing MRI: the claim waits on records.
    referral = Referral.objects.get(pk=rid)
    do_ask_for_records(
        referral, actor=people.adjuster_a, gap=gap_key(referral.triage["gaps"][0]), today=today
    )
    review.refresh_from_db()
    assert review.paused_since == today
    assert Referral.objects.get(pk=rid).records_awaited_since == today
    page = login(people.coordinator).get(f"/referrals/{rid}/").content.decode()
    assert "paused: waiting on records" in page

    # The records come a week later: the clock runs again, due that many business days later.
    later = today + timedelta(days=7)
    do_update_records_request(
        RecordsRequest.objects.get(), actor=people.coordinator, status="received", today=later
    )
    before = review.due
    review.refresh_from_db()
    waited = business_days_between(today, later, holidays)
    assert waited >= 3  # a week holds five weekdays, at most two of them holidays
    assert (review.paused_since, review.paused_business_days) == (None, waited)
    assert review.due == add_business_days(before, waited, holidays)
    assert Referral.objects.get(pk=rid).records_awaited_since is None

    # Submitted: the review's clock stops, QA's starts; returned: QA's stops and the review's
    # starts again; passed: every clock of the assignment is done.
    answer_all(people, aid)
    assert _clocks(rid)[2:] == [("peer_review", about, False), ("qa", about, True)]
    qa = api(people.token(people.qa))
    note = {"decision": "return", "note": "Cite the MRI."}
    assert post(qa, f"/api/v1/assignments/{aid}/qa", note).status_code == 200
    assert _clocks(rid)[3:] == [("qa", about, False), ("peer_review", about, True)]
    doctor = api(people.token(people.physician))
    assert post(doctor, f"/api/v1/assignments/{aid}/submit").status_code == 200
    assert post(qa, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}).status_code == 200
    assert [running for *_, running in _clocks(rid)] == [False] * 6

    # An addendum: its clock runs from the client's request to its delivery, QA's within it.
    asked = post(
        api(people.token(people.adjuster_a)),
        f"/api/v1/referrals/{rid}/addenda",
        {"request": "Does the MRI change the answer?"},
    )
    assert asked.status_code == 201, asked.content
    addendum = Clock.objects.get(referral_id=rid, stage="addendum")
    assert addendum.subject == "addendum 1 to the peer review by Dana Reyes, MD"
    assert addendum.npi == REVIEWER["npi"]
    assert addendum.due == add_business_days(today, 2, holidays)
    answered = post(doctor, f"/api/v1/assignments/{aid}/addenda/1", {"response": "No change."})
    assert answered.status_code == 200, answered.content
    assert _clocks(rid)[-2:] == [("addendum", addendum.about, True), ("qa", addendum.about, True)]
    assert post(qa, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}).status_code == 200
    assert not Clock.objects.filter(referral_id=rid, stopped__isnull=True).exists()

    page = login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()
    for words in ("Records read", "Triage decision", "Peer review", "QA", "Addendum"):
        assert words in page
    assert "done late" in page and "done on time" in page


def test_a_declined_review_takes_its_clock_with_it(people: Any) -> None:
    rid, aid = assigned_review(people)
    assert Clock.objects.filter(referral_id=rid, stage="peer_review").count() == 1
    declined = post(
        api(people.token(people.physician)),
        f"/api/v1/assignments/{aid}/decline",
        {"reason": "Away that week.", "conflict": False},
    )
    assert declined.status_code == 200, declined.content
    assert not Clock.objects.filter(referral_id=rid, stage="peer_review").exists()
