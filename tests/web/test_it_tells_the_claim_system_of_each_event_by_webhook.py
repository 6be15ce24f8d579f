"""The events of a referral reach the client's claim system as they happen: the records read
(`referral.triaged`), records requested from a provider (`records.requested`, once), the
report and each addendum delivered (`report.delivered`), the referral closed
(`referral.closed`). The client's people see each as one notice, as before, and no webhook
body names the claimant, the provider or the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from outbox_hooks import claim_system
from webapp import EXAMPLE_NOTE, api, delivered_review, login, post, run_worker, send

from medreview.claims.models import Notice, Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import do_add_webhook

pytestmark = pytest.mark.django_db(transaction=True)


def _events(system: Any) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in system.received]


def test_a_peer_review_to_its_close_is_told_event_by_event(people: Any) -> None:
    with claim_system() as system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        rid, _ = delivered_review(people)
        run_worker()
        coordinator = api(people.token(people.coordinator))
        closed = post(
            coordinator, f"/api/v1/referrals/{rid}/close", {"reason": "IME avoided: Test Claimant."}
        )
        assert closed.status_code == 200
        run_worker()
        events = _events(system)

    claim = Referral.objects.get(pk=rid).claim_number
    assert [e["event"] for e in events] == [
        "referral.triaged",
        "report.delivered",
        "referral.closed",
    ]
    assert all(
        e["referral"]["id"] == rid and e["referral"]["claim_number"] == claim for e in events
    )
    assert events[1]["data"] == {"service": "peer_review", "report_version": 1}
    assert events[1]["referral"]["status"] == "in_review"
    assert events[2]["data"] == {} and events[2]["referral"]["status"] == "closed"
    every = b"".join(r.body for r in system.received)
    assert b"Claimant" not in every and b"IME avoided" not in every and b"Holt" not in every
    # The client's notices, one for each, the report's in its own words as before.
    texts = list(
        Notice.objects.filter(referral_id=rid, organisation=people.client_a)
        .order_by("id")
        .values_list("text", flat=True)
    )
    assert texts == [
        f"The records of claim {claim} are read: its triage is ready.",
        f"The peer review report of claim {claim} is ready.",
        f"The referral of claim {claim} is closed.",
    ]


def test_records_requested_are_told_once(people: Any) -> None:
    cited = EXAMPLE_NOTE + "The MRI of the right knee of 06/10/2026 was reviewed: a tear.\n"
    with claim_system() as system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        rid = send(people.token(people.adjuster_a), files={"note.txt": cited.encode()}).json()["id"]
        run_worker()
        desk = login(people.coordinator)
        page = desk.get(f"/referrals/{rid}/").content.decode()
        marker = 'name="gap" value="'
        start = page.index(marker) + len(marker)
        gap = page[start : page.index('"', start)].replace("&#x27;", "'").replace("&amp;", "&")
        for _ in range(2):  # the second finds the first: nothing new is requested
            assert desk.post(f"/referrals/{rid}/gaps/request/", {"gap": gap}).status_code == 302
        run_worker()
        events = _events(system)
    assert [e["event"] for e in events] == ["referral.triaged", "records.requested"]
    assert set(events[1]["data"]) == {"records_request_id"}
    assert b"Holt" not in system.received[1].body and b"MRI" not in system.received[1].body
