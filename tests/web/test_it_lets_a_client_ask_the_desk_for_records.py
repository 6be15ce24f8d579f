"""A client's nurse who reads that records requests are advised can act: she asks the review
desk to request the missing records, the desk sees what she asked and sends it to the
provider, and both see the request's state. The desk's people send; a client only asks; a
physician does neither."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.records.models import RecordsRequest

pytestmark = pytest.mark.django_db(transaction=True)
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. MRI of the right knee on 06/01/2026 showed a "
    "medial meniscus tear. Plan: physical therapy."
)


def _triaged(people: Any) -> str:
    rid = send(people.token(people.adjuster_a), files={"note.txt": NOTE.encode()}).json()["id"]
    run_worker()
    return str(rid)


def _gap_key(page: str) -> str:
    marker = 'name="gap" value="missing_diagnostic_report|'
    start = page.index(marker) + len('name="gap" value="')
    return page[start : page.index('"', start)].replace("&#x27;", "'").replace("&amp;", "&")


def test_a_nurse_asks_and_the_desk_sends(people: Any) -> None:
    rid = _triaged(people)
    nurse, desk = login(people.adjuster_a), login(people.coordinator)
    page = nurse.get(f"/referrals/{rid}/").content.decode()
    assert "Ask the review desk to request them" in page
    assert nurse.post(f"/referrals/{rid}/gaps/request/", {"gap": _gap_key(page)}).status_code == 302

    request = RecordsRequest.objects.get()
    assert (request.status, request.requested_by, request.sent_by) == (
        RecordsRequest.ASKED,
        people.adjuster_a,
        None,
    )
    assert AuditEvent.objects.filter(action="records.asked").count() == 1
    assert "Asked of the review desk" in nurse.get(f"/referrals/{rid}/").content.decode()

    desk_page = desk.get(f"/referrals/{rid}/").content.decode()
    assert "Send the request to the provider" in desk_page and people.adjuster_a.email in desk_page
    desk.post(f"/referrals/{rid}/gaps/request/", {"gap": _gap_key(desk_page)})
    request.refresh_from_db()
    assert (request.status, request.sent_by) == (RecordsRequest.REQUESTED, people.coordinator)
    assert RecordsRequest.objects.count() == 1
    shown = nurse.get(f"/referrals/{rid}/").content.decode()
    assert "Requested from the provider: Maren Holt, MD" in shown
    assert people.coordinator.email in shown


def test_a_physician_neither_asks_nor_sends(people: Any) -> None:
    rid = _triaged(people)
    key = _gap_key(login(people.coordinator).get(f"/referrals/{rid}/").content.decode())
    events = AuditEvent.objects.count()
    answer = login(people.physician).post(f"/referrals/{rid}/gaps/request/", {"gap": key})
    assert answer.status_code == 404  # a physician sees no referral, only assignments
    assert RecordsRequest.objects.count() == 0 and AuditEvent.objects.count() == events
