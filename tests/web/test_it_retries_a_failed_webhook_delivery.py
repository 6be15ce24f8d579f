"""A delivery the claim system does not take (an answer other than 2xx, or none) is tried again
after 1 minute, 5, 30, 2 hours and 12 hours, then failed; the administrator's outbox page
shows every attempt with its time and answer, and tries a failed delivery again on request
(audited). The same delivery id and body are sent each time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from outbox_hooks import claim_system, free_port, signed
from webapp import login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import do_add_webhook
from medreview.outbox.models import WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

SCHEDULE = [timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_webhook"))


def _next_attempt_is_due() -> None:
    """Time passes: the queued attempt's `run_after` comes (its task row moved to now)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def _assert_scheduled(after: timedelta) -> WebhookDelivery:
    """The delivery waits for its next attempt `after` its last, and its task waits as long."""
    delivery = WebhookDelivery.objects.get()
    last = delivery.attempt_log.order_by("number").last()
    assert delivery.status == "pending" and last is not None
    assert delivery.next_attempt is not None
    wait = delivery.next_attempt - last.at
    assert after <= wait <= after + timedelta(seconds=5), (wait, after)
    (queued,) = _waiting()
    assert queued.run_after == delivery.next_attempt
    run_worker()  # not due yet: nothing is tried
    assert WebhookDelivery.objects.get().attempts == delivery.attempts
    return delivery


def test_it_retries_with_backoff_and_shows_every_attempt(people: Any) -> None:
    with claim_system(answers=[500, 500]) as system:
        _, secret = do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        send(people.token(people.adjuster_a))
        run_worker()
        assert _assert_scheduled(SCHEDULE[0]).last_status_code == 500
        _next_attempt_is_due()
        run_worker()
        _assert_scheduled(SCHEDULE[1])
        _next_attempt_is_due()
        run_worker()
        assert len(system.received) == 3
        # The same delivery, its same bytes and signature each time.
        assert len({r.body for r in system.received}) == 1
        assert len({r.headers["X-Medreview-Delivery"] for r in system.received}) == 1
        assert all(
            r.headers["X-Medreview-Signature"] == signed(r.body, secret) for r in system.received
        )

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert [a.status_code for a in delivery.attempt_log.order_by("number")] == [500, 500, 200]
    assert _waiting() == []

    page = login(_admin(people)).get("/webhooks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("HTTP 500") == 2 and text.count("HTTP 200") == 1
    assert "Client A Mutual" in text and delivery.claim_number in text
    assert "Delivered" in text and "referral.triaged" in text


def test_it_fails_after_six_attempts_and_the_administrator_tries_again(people: Any) -> None:
    with claim_system(answers=[503] * 6) as system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        send(people.token(people.adjuster_a))
        run_worker()
        for wait in SCHEDULE:
            _assert_scheduled(wait)
            _next_attempt_is_due()
            run_worker()
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "failed" and delivery.attempts == 6
        assert delivery.next_attempt is None and _waiting() == []
        assert len(system.received) == 6

        admin = login(_admin(people))
        page = admin.get("/webhooks/").content.decode()
        assert "Failed" in page and "Retry now" in page and page.count("HTTP 503, ") == 6
        retried = admin.post(f"/webhooks/deliveries/{delivery.pk}/retry/")
        assert retried.status_code == 302
        event = AuditEvent.objects.get(action="webhook.retried")
        assert event.organisation == people.client_a and event.actor == "ada@review.example"
        run_worker()  # "now": the claim system answers 200 this time
        assert len(system.received) == 7

    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 7
    # A delivered one is not tried again: the button is gone, the door refuses.
    again = admin.post(f"/webhooks/deliveries/{delivery.pk}/retry/")
    assert again.status_code == 409 and "only a failed delivery" in again.content.decode()
    assert AuditEvent.objects.filter(action="webhook.retried").count() == 1


def test_no_answer_is_kept_as_the_kind_of_error(people: Any) -> None:
    url = f"http://127.0.0.1:{free_port()}/events"  # nobody listens there
    do_add_webhook(people.client_a, actor=COMMAND_LINE, url=url)
    send(people.token(people.adjuster_a))
    run_worker()
    delivery = _assert_scheduled(SCHEDULE[0])
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and attempt.error == "ConnectionError"
    assert delivery.last_error == "ConnectionError" and delivery.last_status_code is None


def test_a_task_run_twice_sends_once(people: Any) -> None:
    from medreview.outbox.tasks import deliver_webhook

    with claim_system() as system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        send(people.token(people.adjuster_a))
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert deliver_webhook.call(delivery.pk, 1) == "delivered"
        assert deliver_webhook.call(delivery.pk, 2) == "delivered"
        assert len(system.received) == 1
