"""Two business days before a booked IME, at nine, its examiner (the physician user of that
NPI) and the client's people are e-mailed a reminder, once: the booking queues it for then;
run again, or for an exam moved since, it sends nothing more."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from ime_flow import EXAMINER, book, new_york_ime, slots
from webapp import run_worker

from medreview.audit.models import AuditEvent
from medreview.exams.models import Appointment
from medreview.exams.tasks import remind_of_exam
from medreview.outbox.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


def _reminders() -> list[Email]:
    return [e for e in Email.objects.order_by("pk") if "IME reminder" in e.subject]


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY", task_path__endswith="remind_of_exam"))


def test_the_examiner_and_the_client_are_reminded_once(people: Any, tmp_path: Path) -> None:
    rid = new_york_ime(people, tmp_path)
    start = slots(people, rid)["slots"][0]["start"]
    made = book(people, rid, EXAMINER["npi"], start)
    assert made.status_code == 201, made.content
    exam_day = datetime.fromisoformat(start).date()
    calendar = holidays.country_holidays("US", subdiv="NY", years=[exam_day.year])
    day, left = exam_day, 2
    while left:
        day -= timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            left -= 1
    (queued,) = _waiting()
    assert timezone.localtime(queued.run_after) == timezone.make_aware(
        datetime.combine(day, datetime.min.time()).replace(hour=9)
    )
    run_worker()  # not due yet
    assert _reminders() == []

    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    run_worker()
    sent = _reminders()
    assert sorted(e.to for e in sent) == sorted([people.adjuster_a.email, people.physician_b.email])
    assert all("NY-2026-0042" in e.subject and "Test Claimant" not in e.body for e in sent)
    assert "350 Fifth Avenue" in sent[0].body
    assert Appointment.objects.get(pk=made.json()["id"]).reminded is not None
    assert AuditEvent.objects.filter(action="appointment.reminded", referral_id=rid).count() == 1

    remind_of_exam.enqueue(made.json()["id"])  # run again: nothing more
    run_worker()
    assert len(_reminders()) == 2
