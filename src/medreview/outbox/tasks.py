"""The outbox's background doors (django-tasks, database queue): one attempt to deliver a
webhook's event, one attempt to send an e-mail. A failed attempt queues the next after the
wait of `outbox.events.RETRY_AFTER` (1 minute, 5, 30, 2 hours, 12 hours), then gives up.

Each task takes the row's id and the number of the attempt it makes: it does nothing unless
the row still waits for exactly that attempt, so a task run twice, or late, sends nothing
twice, and a delivered, sent or failed row is left as it is. The attempt is claimed in one
transaction and its answer written in another: nothing is held while the other party answers.
Errors are kept by kind (an HTTP status, an exception's name), never with their words.
"""

from __future__ import annotations

import base64
import smtplib
import time
from functools import partial
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from medreview.outbox.events import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMEOUT,
    retry_after,
    signature,
)
from medreview.outbox.models import Email, WebhookAttempt, WebhookDelivery


@task()
def deliver_webhook(delivery_pk: int, attempt: int) -> str | None:
    """POST a delivery's body, signed, to its webhook: a 2xx answer delivers it; anything
    else, or no answer, queues the next attempt, or fails it after the last. Returns the
    delivery's status (None when there is no such delivery)."""
    with transaction.atomic():
        found = (
            WebhookDelivery.objects.select_for_update(no_key=True)
            .select_related("webhook")
            .filter(pk=delivery_pk)
            .first()
        )
        if found is None:
            return None
        if found.status != WebhookDelivery.PENDING or found.attempts != attempt - 1:
            return found.status  # delivered, failed, or this attempt made already
        if not found.webhook.active:
            found.status, found.next_attempt = WebhookDelivery.FAILED, None
            found.last_error = "the webhook was removed"
            found.save(update_fields=["status", "next_attempt", "last_error"])
            return found.status
        found.attempts, found.next_attempt = attempt, None
        found.save(update_fields=["attempts", "next_attempt"])
        hook = found.webhook
        url, secret, body = hook.url, hook.secret, found.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "medreview-webhooks",
            EVENT_HEADER: found.event,
            DELIVERY_HEADER: str(found.delivery_id),
            SIGNATURE_HEADER: signature(body, secret),
        }
    at, started = timezone.now(), time.monotonic()
    code, error = _post(url, body, headers)
    took = round((time.monotonic() - started) * 1000)
    with transaction.atomic():
        found = WebhookDelivery.objects.select_for_update(no_key=True).get(pk=delivery_pk)
        WebhookAttempt.objects.create(
            delivery=found,
            number=attempt,
            at=at,
            status_code=code,
            error=error,
            duration_ms=took,
        )
        found.last_status_code = code
        if code is not None and 200 <= code < 300:
            found.status, found.delivered, found.last_error = (
                WebhookDelivery.DELIVERED,
                timezone.now(),
                "",
            )
        else:
            found.last_error = error or f"HTTP {code}"
            _next(found, attempt, deliver_webhook)
        found.save(
            update_fields=[
                "status",
                "delivered",
                "last_status_code",
                "last_error",
                "next_attempt",
            ]
        )
    return found.status


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """(the answer's status code, "") or (None, the kind of error). Redirects are not
    followed: the registered URL is the one that answers."""
    try:
        answer = requests.post(
            url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True
        )
    except requests.RequestException as exc:
        return None, type(exc).__name__
    answer.close()  # its body is not read: the status says all
    return answer.status_code, ""


def _next(found: WebhookDelivery | Email, attempt: int, again: Any) -> None:
    """After a failed attempt: the next one queued after its wait, or the row failed."""
    wait = retry_after(attempt)
    if wait is None:
        found.status, found.next_attempt = found.FAILED, None
        return
    found.next_attempt = timezone.now() + wait
    # A backend that cannot wait (django-tasks' immediate one) tries again at once.
    deferred = again.get_backend().supports_defer
    later = again.using(run_after=found.next_attempt) if deferred else again
    transaction.on_commit(partial(later.enqueue, found.pk, attempt + 1))


@task()
def send_email(email_pk: int, attempt: int) -> str | None:
    """Send a queued e-mail through the SMTP server of the settings. A refusal of the server
    (a 5xx answer: an address it does not take, a sign-in it refuses) fails it at once;
    anything else (no answer, a 4xx) is tried again later. Returns the e-mail's status."""
    with transaction.atomic():
        found = Email.objects.select_for_update(no_key=True).filter(pk=email_pk).first()
        if found is None:
            return None
        if found.status != Email.PENDING or found.attempts != attempt - 1:
            return found.status
        if not settings.EMAIL_HOST:
            found.status, found.next_attempt = Email.NOT_SENT, None
            found.save(update_fields=["status", "next_attempt"])
            return found.status
        found.attempts, found.next_attempt = attempt, None
        found.save(update_fields=["attempts", "next_attempt"])
        message = EmailMessage(
            subject=found.subject,
            body=found.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[found.to],
        )
        for file in found.attachments.all():
            message.attach(file.filename, base64.b64decode(file.content), file.mimetype)
    error, final = "", False
    try:
        _send(message)
    except smtplib.SMTPRecipientsRefused:
        error, final = "the server refused the address (SMTPRecipientsRefused)", True
    except smtplib.SMTPResponseException as exc:
        error, final = f"{type(exc).__name__} {exc.smtp_code}", exc.smtp_code >= 500
    except (smtplib.SMTPException, OSError) as exc:
        error = type(exc).__name__
    with transaction.atomic():
        found = Email.objects.select_for_update(no_key=True).get(pk=email_pk)
        found.last_error = error
        if not error:
            found.status, found.sent = Email.SENT, timezone.now()
        elif final:
            found.status, found.next_attempt = Email.FAILED, None
        else:
            _next(found, attempt, send_email)
        found.save(update_fields=["status", "sent", "last_error", "next_attempt"])
    return found.status


def _send(message: EmailMessage) -> None:
    with get_connection(fail_silently=False) as connection:
        connection.send_messages([message])


def requeue_unsent() -> int:
    """Queue again each webhook delivery and e-mail still waiting whose next attempt is in no
    queue: its worker died in the middle of an attempt (which counts: the request may have
    gone out), or before the first was queued. A task that finds its attempt made already
    does nothing, so that one queued twice sends once. Returns how many were queued."""
    from django_tasks_db.models import DBTaskResult

    count = 0
    for model, again in ((WebhookDelivery, deliver_webhook), (Email, send_email)):
        queued = {
            ((r.args_kwargs or {}).get("args") or [None])[0]
            for r in DBTaskResult.objects.filter(
                status__in=["READY", "RUNNING"], task_path=again.module_path
            ).only("args_kwargs")
        }
        waiting = model.objects.filter(status=model.PENDING).values_list("pk", "attempts")
        for pk, attempts in waiting:
            if pk not in queued:
                again.enqueue(pk, attempts + 1)
                count += 1
    return count
