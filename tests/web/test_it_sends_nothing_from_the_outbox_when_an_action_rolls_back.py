"""News is announced inside the action's transaction and sent only once it commits: an action
rolled back leaves no notice, no e-mail, no delivery and no task, and sends nothing. Only the
contract's events are announced, with data a claim system can read (JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from outbox_hooks import claim_system, smtp_server
from webapp import run_worker, send

from medreview.claims.models import Notice, Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import announce, do_add_webhook
from medreview.outbox.events import EVENTS
from medreview.outbox.models import Email, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


class RolledBack(Exception):
    pass


def test_a_rolled_back_action_sends_nothing(people: Any, settings: Any) -> None:
    with claim_system() as system, smtp_server() as (mail, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        rid = send(people.token(people.adjuster_a)).json()["id"]
        run_worker()
        referral = Referral.objects.get(pk=rid)
        counts = [m.objects.count() for m in (Notice, Email, WebhookDelivery, DBTaskResult)]
        received, mailed = len(system.received), len(mail.messages)
        with pytest.raises(RolledBack), transaction.atomic():
            announce(
                "referral.closed",
                referral=referral,
                text=f"The referral of claim {referral.claim_number} is closed.",
            )
            raise RolledBack  # the action fails after it announced
        run_worker()
        assert [m.objects.count() for m in (Notice, Email, WebhookDelivery, DBTaskResult)] == counts
        assert (len(system.received), len(mail.messages)) == (received, mailed)


def test_only_the_contracts_events_are_announced_in_a_transaction(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    referral = Referral.objects.get(pk=rid)
    assert set(EVENTS) == {
        "referral.triaged", "records.requested", "report.delivered",
        "appointment.booked", "appointment.changed", "referral.closed",
    }  # fmt: skip
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        announce("referral.closed", referral=referral, text="closed")
    with (
        pytest.raises(ValueError, match=r"unknown event 'referral\.reopened'"),
        transaction.atomic(),
    ):
        announce("referral.reopened", referral=referral, text="reopened")
    with pytest.raises(ValueError, match="not JSON"), transaction.atomic():
        announce("appointment.changed", referral=referral, text="moved", data={"at": object()})
    assert not Notice.objects.filter(referral=referral).exists()
