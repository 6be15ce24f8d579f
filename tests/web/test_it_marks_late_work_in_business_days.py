"""The work queue marks a referral late or nearly late by its clocks (docs/workflow.md,
"Turnaround clocks"): the running clock latest or nearest to late, its stage, due day and
business days left, counted in business days of the claim's jurisdiction. A window holding a
weekend and a holiday is not late where a count of calendar days would say it is; one
business day past its due day is late. The queue reads every clock in one query."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from cases import REFERRAL
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from webapp import login, send

from medreview.claims.actions import do_create_user, do_set_service_levels
from medreview.claims.models import Clock
from medreview.claims.permissions import COMMAND_LINE
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days, business_days_between, is_business_day

pytestmark = pytest.mark.django_db(transaction=True)


def _send(people: Any, number: str, received: date, today: date) -> str:
    referral = copy.deepcopy(REFERRAL)
    referral["claim"]["number"] = number
    referral["received"] = received.isoformat()
    referral["due"] = (today + timedelta(days=60)).isoformat()
    answer = send(people.token(people.adjuster_a), referral)
    assert answer.status_code == 201, answer.content
    return str(answer.json()["id"])


def _row(page: str, number: str) -> str:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return next(row for row in body.split("<tr>")[1:] if number in row)


def test_a_due_day_across_a_weekend_and_a_holiday_is_counted_in_business_days(
    people: Any,
) -> None:
    today = timezone.localdate()
    holidays = holidays_for("CA", today.year - 1, today.year + 1)
    # The latest California holiday on a weekday at least a week ago: the window from the day
    # before it to today holds it and at least one weekend, whatever day the test runs.
    holiday = max(
        d for d in holidays if d <= today - timedelta(days=7) and is_business_day(d, frozenset())
    )
    start = holiday - timedelta(days=1)
    elapsed = business_days_between(start, today, holidays)
    allowed = elapsed + 2
    # Client A gives the desk that many business days to read a referral's records.
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    do_set_service_levels(people.client_a, actor=admin, levels={"records": allowed})
    on_time = _send(people, "WC-ON-TIME", start, today)
    # Received earlier, one business day more than it was given before today: late by one.
    earlier = start
    while business_days_between(earlier, today, holidays) < allowed + 1:
        earlier -= timedelta(days=1)
    late = _send(people, "WC-LATE", earlier, today)

    due = add_business_days(start, allowed, holidays)
    assert Clock.objects.get(referral_id=on_time).due == due
    # Counted in calendar days, the allowance would have run out before today.
    assert start + timedelta(days=allowed) < today < due

    page = login(people.coordinator).get("/").content.decode()
    calm = _row(page, "WC-ON-TIME")
    assert "Records read, due" in calm and "· 2 business days left" in calm
    assert 'class="late"' not in calm and 'class="soon"' not in calm
    behind = _row(page, "WC-LATE")
    assert "· late by 1 business day" in behind and 'class="late"' in behind
    assert Clock.objects.get(referral_id=late).due < today


def test_the_queue_reads_every_referrals_clocks_in_one_query(people: Any) -> None:
    today = timezone.localdate()
    _send(people, "WC-1", today, today)
    desk = login(people.coordinator)
    with CaptureQueriesContext(connection) as few:
        desk.get("/")
    for n in range(2, 8):
        _send(people, f"WC-{n}", today, today)
    with CaptureQueriesContext(connection) as many:
        page = desk.get("/").content.decode()
    assert len(many) == len(few)
    assert page.count("Records read, due") == 7
