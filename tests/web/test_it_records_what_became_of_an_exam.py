"""What became of a booked IME, recorded once by the desk through the API: a no-show bears the
fee schedule's fee (Florida's: half the IME fee, repaid by the worker, FS 440.13(5)(d)); a
cancellation within the jurisdiction's late-cancellation business days is late and bears its
fee, an earlier one is a plain cancellation without one; a reschedule ends the appointment and,
given a new start, books the same examiner at once, linked; without one, the next booking is
linked to it. Each change is told to the client's claim system (ids and status only) and the
exam's clock stops with it; an exam not held goes back to scheduling."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from ime_flow import (
    EXAMINER,
    book,
    hours_rows,
    import_hours,
    new_york_ime,
    on_the_exam_day,
    slots,
)
from test_it_limits_how_often_a_claim_is_examined import _hours, _ime, _state
from webapp import api, import_roster, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Clock
from medreview.claims.permissions import COMMAND_LINE
from medreview.exams.models import Appointment
from medreview.outbox.actions import do_add_webhook
from medreview.outbox.models import WebhookDelivery
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(people: Any, appointment: int, **body: Any) -> Any:
    return post(
        api(people.token(people.scheduler)), f"/api/v1/appointments/{appointment}/outcome", body
    )


def _booked(people: Any, folder: Path) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    rid = new_york_ime(people, folder)
    offered = slots(people, rid)["slots"]
    made = book(people, rid, EXAMINER["npi"], offered[0]["start"])
    assert made.status_code == 201, made.content
    return rid, made.json(), offered


@pytest.mark.parametrize("outcome", ["attended", "no_show"])
def test_whether_the_claimant_came_waits_for_the_exam_s_day(
    people: Any, tmp_path: Path, outcome: str
) -> None:
    rid, made, _ = _booked(people, tmp_path)
    events = AuditEvent.objects.filter(referral_id=rid).count()
    early = _outcome(people, made["id"], outcome=outcome)
    assert early.status_code == 422, early.content
    day = datetime.fromisoformat(made["start"])
    assert early.json()["detail"] == (
        f"outcome: the exam is on {day:%A} {day.day} {day:%B %Y} at {day.hour % 12 or 12}:{day:%M}"
        f" {'AM' if day.hour < 12 else 'PM'}: whether the claimant came is recorded from that"
        " day on"
    )
    assert Appointment.objects.get(pk=made["id"]).status == "booked"
    assert AuditEvent.objects.filter(referral_id=rid).count() == events
    assert Clock.objects.get(referral_id=rid, stage="exam").stopped is None
    assert not Clock.objects.filter(referral_id=rid, stage="report").exists()
    # The scheduler's page offers it from the exam's day on; cancelling, before it.
    page = login(people.scheduler).get(f"/referrals/{rid}/ime/").content.decode()
    assert 'value="late_cancel"' in page and f'value="{outcome}"' not in page
    with on_the_exam_day(made["start"]):
        page = login(people.scheduler).get(f"/referrals/{rid}/ime/").content.decode()
        assert f'value="{outcome}"' in page
        assert _outcome(people, made["id"], outcome=outcome).status_code == 200


def test_a_no_show_bears_its_fee_and_goes_back_to_scheduling(people: Any, tmp_path: Path) -> None:
    do_add_webhook(people.client_a, actor=COMMAND_LINE, url="https://claims.a.example/events")
    rid, made, offered = _booked(people, tmp_path)
    with on_the_exam_day(made["start"]):
        missed = _outcome(people, made["id"], outcome="no_show", note="Did not come; no call.")
    assert missed.status_code == 200, missed.content
    body = missed.json()
    assert body["status"] == "no_show" and body["fee"] == 450.0
    assert "the desk's no-show fee" in body["fee_citation"]
    assert _outcome(people, made["id"], outcome="attended").status_code == 409
    assert Appointment.objects.get(pk=made["id"]).outcome_note == "Did not come; no call."
    # The claim system is told, with ids and the status, never the claimant.
    told = [
        json.loads(d.body)
        for d in WebhookDelivery.objects.filter(referral_id=rid).order_by("pk")
        if d.event == "appointment.changed"
    ]
    assert [t["data"] for t in told] == [
        {"appointment": made["id"], "start": made["start"], "status": "no_show"}
    ]
    assert all("Test Claimant" not in d.body for d in WebhookDelivery.objects.all())
    # The exam's clock stopped; the IME is to be scheduled again, with the same examiner.
    assert Clock.objects.get(referral_id=rid, stage="exam").stopped is not None
    assert Clock.objects.filter(referral_id=rid, stage="scheduling", stopped__isnull=True).exists()
    again = book(people, rid, EXAMINER["npi"], offered[1]["start"])
    assert again.status_code == 201, again.content
    assert again.json()["assignment"] == made["assignment"]


def test_florida_s_worker_repays_half_the_fee_of_a_missed_exam(people: Any, tmp_path: Path) -> None:
    sent, roster = _state("FL", "33130")
    rid = _ime(people, sent, roster)
    _hours(tmp_path, "33130", "1 SE 3rd Avenue, Miami, FL")
    made = book(people, rid, EXAMINER["npi"], slots(people, rid)["slots"][0]["start"])
    with on_the_exam_day(made.json()["start"]):
        missed = _outcome(people, made.json()["id"], outcome="no_show")
    assert missed.status_code == 200, missed.content
    assert missed.json()["fee"] == 900.0
    assert "FS 440.13(5)(d)" in missed.json()["fee_citation"]


def test_a_cancellation_is_late_within_the_jurisdictions_business_days(
    people: Any, tmp_path: Path
) -> None:
    rid, made, offered = _booked(people, tmp_path)
    early = _outcome(people, made["id"], outcome="late_cancel", note="The claimant is ill.")
    assert early.status_code == 200, early.content
    assert early.json()["status"] == "cancelled" and early.json()["fee"] is None

    again = book(people, rid, EXAMINER["npi"], offered[1]["start"])
    assert again.status_code == 201, again.content
    # Time passes: the exam is now the next business day.
    tomorrow = timezone.localdate() + timedelta(days=1)
    while tomorrow.weekday() >= 5:
        tomorrow += timedelta(days=1)
    Appointment.objects.filter(pk=again.json()["id"]).update(day=tomorrow)
    late = _outcome(people, again.json()["id"], outcome="late_cancel")
    assert late.status_code == 200, late.content
    assert late.json()["status"] == "late_cancel" and late.json()["fee"] == 450.0
    assert "within 2 (where a state's rules are silent" in late.json()["fee_citation"]
    assert AuditEvent.objects.filter(action="appointment.late_cancel", referral_id=rid).exists()
    assert AuditEvent.objects.filter(action="appointment.cancelled", referral_id=rid).exists()


def test_a_reschedule_books_the_same_examiner_again_linked(people: Any, tmp_path: Path) -> None:
    rid, made, offered = _booked(people, tmp_path)
    moved = _outcome(
        people, made["id"], outcome="rescheduled", note="Asked by the claimant.",
        start=offered[3]["start"],
    )  # fmt: skip
    assert moved.status_code == 200, moved.content
    old = Appointment.objects.get(pk=made["id"])
    assert old.status == "rescheduled" and old.rescheduled_to is not None
    new = old.rescheduled_to
    assert (new.status, new.start_iso, new.physician.npi) == (
        "booked",
        offered[3]["start"],
        EXAMINER["npi"],
    )
    assert new.assignment_id == old.assignment_id and new.notice_letter
    exams = Clock.objects.filter(referral_id=rid, stage="exam").order_by("pk")
    assert [c.stopped is None for c in exams] == [False, True]

    # A reschedule to a time that breaks a rule changes nothing.
    refused = _outcome(people, new.pk, outcome="rescheduled", start=f"{timezone.localdate()}T09:00")
    assert refused.status_code == 422 and "business days' notice" in refused.json()["detail"]
    assert Appointment.objects.get(pk=new.pk).status == "booked"

    # Rescheduled without a new start: the next booking is linked to it.
    assert _outcome(people, new.pk, outcome="rescheduled").status_code == 200
    later = book(people, rid, EXAMINER["npi"], offered[4]["start"])
    assert later.status_code == 201, later.content
    assert Appointment.objects.get(pk=new.pk).rescheduled_to_id == later.json()["id"]


def test_another_examiner_booked_after_a_no_show_takes_the_ime_over(
    people: Any, tmp_path: Path
) -> None:
    rid, made, offered = _booked(people, tmp_path)
    with on_the_exam_day(made["start"]):
        assert _outcome(people, made["id"], outcome="no_show").status_code == 200
    other = {**EXAMINER, "npi": "1000000095", "name": "Col League, MD", "affiliations": "Midtown"}
    import_roster(other)
    start = datetime.fromisoformat(offered[2]["start"])
    rows = hours_rows(other["npi"], "10001", "1 Penn Plaza, New York, NY", [start.date()])
    assert import_hours(tmp_path, rows, "more.csv")[0] == 0
    taken = book(people, rid, other["npi"], offered[2]["start"])
    assert taken.status_code == 201, taken.content
    assert taken.json()["assignment"] != made["assignment"]
    first = Assignment.objects.get(pk=made["assignment"])
    assert first.status == "cancelled" and "booked with Col League, MD" in first.cancel_reason
