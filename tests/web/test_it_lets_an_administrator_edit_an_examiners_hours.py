"""A physician's page of the network shows the next 60 days of their bookable hours for IMEs;
an administrator adds and removes blocks there, each change in the audit trail, and a bad
block (ending before it starts, at an unknown ZIP, overlapping another) is refused on the page
with what is wrong, leaving the hours as they were. The rest of the desk sees the hours, and
may not change them."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from ime_flow import EXAMINER
from webapp import import_roster, login

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.network.actions import do_add_hours
from medreview.network.models import Availability, Physician

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_adds_and_removes_hours_with_clear_errors(people: Any) -> None:
    import_roster(EXAMINER)
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    day = timezone.localdate() + timedelta(days=10)
    far = do_add_hours(
        Physician.objects.get(npi=EXAMINER["npi"]),
        actor=COMMAND_LINE,
        day=timezone.localdate() + timedelta(days=70),
        start=time(9),
        end=time(10),
        zip_code="10001",
        address="Far Away Street",
    )
    page = login(admin)
    url = f"/network/{EXAMINER['npi']}/"
    form = {
        "day": day.isoformat(),
        "start": "09:00",
        "end": "12:30",
        "zip": "10001",
        "address": "350 Fifth Avenue, Suite 4100",
    }
    assert page.post(f"{url}hours/", form).status_code == 302
    shown = page.get(url).content.decode()
    assert "350 Fifth Avenue, Suite 4100" in shown and "09:00–12:30" in shown
    assert far.address not in shown  # beyond the next 60 days
    assert AuditEvent.objects.filter(action="network.hours_added").count() == 2

    for changes, status, says in (
        ({"start": "13:00", "end": "12:00"}, 422, "12:00 is not after 13:00"),
        ({"zip": "00000"}, 422, "&#x27;00000&#x27; is not a known US ZIP code"),
        ({"start": "12:00", "end": "14:00"}, 409, "it overlaps the block of"),
    ):
        refused = page.post(f"{url}hours/", {**form, **changes})
        assert refused.status_code == status, refused.status_code
        assert says in refused.content.decode()
    assert Availability.objects.count() == 2

    block = Availability.objects.get(day=day)
    assert page.post(f"{url}hours/{block.pk}/remove/").status_code == 302
    assert list(Availability.objects.all()) == [far]
    removed = AuditEvent.objects.get(action="network.hours_removed")
    assert removed.detail["day"] == day.isoformat() and removed.actor == admin.email


def test_the_rest_of_the_desk_sees_the_hours_and_changes_nothing(people: Any) -> None:
    import_roster(EXAMINER)
    day = timezone.localdate() + timedelta(days=3)
    block = do_add_hours(
        Physician.objects.get(npi=EXAMINER["npi"]),
        actor=COMMAND_LINE,
        day=day,
        start=time(9),
        end=time(12),
        zip_code="10001",
        address="350 Fifth Avenue",
    )
    url = f"/network/{EXAMINER['npi']}/"
    for who in (people.coordinator, people.scheduler):
        desk = login(who)
        shown = desk.get(url).content.decode()
        assert "350 Fifth Avenue" in shown and "Add the hours" not in shown
        assert desk.post(f"{url}hours/{block.pk}/remove/").status_code == 403
        add = {"day": day.isoformat(), "start": "13:00", "end": "14:00", "zip": "10001",
               "address": "x"}  # fmt: skip
        assert desk.post(f"{url}hours/", add).status_code == 403
    assert login(people.adjuster_a).get(url).status_code == 403
    assert list(Availability.objects.all()) == [block]
    assert AuditEvent.objects.filter(action__startswith="network.hours").count() == 1
