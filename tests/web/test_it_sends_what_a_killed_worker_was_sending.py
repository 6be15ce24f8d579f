"""A worker killed in the middle of a webhook delivery or an e-mail loses neither: when `serve`
replaces it (`requeue_unfinished`), the next attempt of each is queued, and sent, once. The
attempt cut short counts, as its request may have gone out; the claim system knows a delivery
sent twice by its id."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from outbox_hooks import claim_system, smtp_server
from webapp import run_worker, send

from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import do_add_webhook
from medreview.outbox.models import Email, WebhookDelivery
from medreview.web.runtime import requeue_unfinished

pytestmark = pytest.mark.django_db(transaction=True)

DEAD = "serve-killed"


def _outbox_tasks() -> Any:
    return DBTaskResult.objects.filter(task_path__startswith="medreview.outbox.tasks.")


def test_the_next_attempt_of_each_is_queued_and_sent_once(people: Any, settings: Any) -> None:
    with claim_system() as system, smtp_server() as (mailbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "desk@review.example"
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        send(people.token(people.adjuster_a))
        # The reading only: it tells the claim system and mails the client's people.
        call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1")
        queued = list(_outbox_tasks().filter(status="READY"))
        assert {t.task_path.rsplit(".", 1)[1] for t in queued} == {"deliver_webhook", "send_email"}
        # A worker took them, began each first attempt, and was killed.
        _outbox_tasks().update(status="RUNNING", worker_ids=[DEAD])
        WebhookDelivery.objects.update(attempts=1)
        Email.objects.update(attempts=1)
        mails = Email.objects.count()

        assert requeue_unfinished(reclaim_running=False, dead_workers=[DEAD]) == 1 + mails
        assert requeue_unfinished(reclaim_running=False, dead_workers=[DEAD]) == 0
        run_worker()

        assert len(system.received) == 1
        assert len(mailbox.messages) == mails
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert set(Email.objects.values_list("status", "attempts")) == {("sent", 2)}
