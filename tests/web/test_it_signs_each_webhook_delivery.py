"""A client's claim system is told of its referrals' events by webhook: each a JSON POST with
the event, a delivery id and the HMAC-SHA256 of its exact body under the secret printed when
the webhook was registered; ids, the claim number and statuses only, never the claimant; and
another client's claim system hears nothing of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from outbox_hooks import claim_system, signed
from webapp import run_worker, send

from medreview.claims.models import Notice, Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import do_add_webhook
from medreview.outbox.models import WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMANT = "Test Claimant"  # the claimant of tests/cases.py's referral


def test_it_signs_the_triage_event_with_the_clients_secret(people: Any) -> None:
    with claim_system() as ours, claim_system() as theirs:
        _, secret = do_add_webhook(people.client_a, actor=COMMAND_LINE, url=ours.url)
        _, other_secret = do_add_webhook(people.client_b, actor=COMMAND_LINE, url=theirs.url)
        rid = send(people.token(people.adjuster_a)).json()["id"]
        run_worker()  # reads the records, then delivers the event the reading announced

        assert len(ours.received) == 1 and theirs.received == []
        got = ours.received[0]
        assert got.path == "/events"
        assert got.headers["Content-Type"] == "application/json"
        assert got.headers["X-Medreview-Event"] == "referral.triaged"
        assert got.headers["X-Medreview-Signature"] == signed(got.body, secret)
        assert got.headers["X-Medreview-Signature"] != signed(got.body, other_secret)
        body = json.loads(got.body)
        referral = Referral.objects.get(pk=rid)
        assert body["event"] == "referral.triaged"
        assert body["delivery_id"] == got.headers["X-Medreview-Delivery"]
        assert body["referral"] == {
            "id": rid,
            "claim_number": referral.claim_number,
            "status": "triaged",
        }
        assert body["data"] == {"path": referral.triage["path"]}
        assert body["occurred_at"][:4].isdigit()
        assert CLAIMANT.encode() not in got.body and b"Claimant" not in got.body

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1
    assert delivery.body.encode() == got.body  # kept exactly as sent and signed
    assert str(delivery.delivery_id) == body["delivery_id"]
    assert delivery.attempt_log.get().status_code == 200
    # The people of the client were told too, in the application, once.
    assert Notice.objects.filter(referral_id=rid, organisation=people.client_a).count() == 1


def test_a_removed_webhook_is_told_nothing(people: Any) -> None:
    from medreview.outbox.actions import do_remove_webhook

    with claim_system() as ours:
        hook, _ = do_add_webhook(people.client_a, actor=COMMAND_LINE, url=ours.url)
        do_remove_webhook(hook, actor=COMMAND_LINE)
        send(people.token(people.adjuster_a))
        run_worker()
        assert ours.received == []
    assert not WebhookDelivery.objects.exists()
