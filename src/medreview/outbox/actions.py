"""The outbox's doors: news of a referral told to the people of its organisation (in the
application and by e-mail) and to its claim system (by webhook), e-mail queued for a
document, and the webhooks an administrator registers, removes and tries again.

`announce` is the one door for news: the action that has it calls it in its own transaction,
as it writes its audit event, so that a change rolled back tells nobody. What leaves the
machine is sent by the tasks of `outbox.tasks`, queued once the transaction commits. The
events and the retry schedule are those of docs/api.md, "Webhooks" (`outbox.events`).
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from medreview.audit.actions import actor_name, record
from medreview.claims.errors import ActionError
from medreview.claims.models import Notice, Organisation, Referral, User
from medreview.claims.notices import notify
from medreview.claims.permissions import Actor, Permission, require
from medreview.claims.roles import CLIENT_ROLES
from medreview.outbox.events import EVENTS
from medreview.outbox.models import Email, EmailAttachment, Webhook, WebhookDelivery
from medreview.outbox.tasks import deliver_webhook, send_email

# http:// (unencrypted) is taken for these hosts only, unless MEDREVIEW_WEBHOOK_ALLOW_HTTP.
THIS_MACHINE = frozenset({"localhost", "127.0.0.1", "::1"})
MOST_ATTACHMENT_BYTES = 20 * 1024 * 1024


def announce(
    event: str,
    *,
    referral: Referral,
    text: str,
    data: dict[str, Any] | None = None,
    npi: str = "",
) -> Notice:
    """Tell of `event` on `referral`, inside the caller's transaction: the in-app notice
    (`text`, to the referral's organisation, or to the physician of `npi`), one e-mail to each
    of their active users, and, for news to the organisation, one delivery to each of its
    active webhooks with `data` (JSON; ids and statuses, never patient data). `text` and the
    e-mail carry the claim number and the news, never the claimant's name or clinical words.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}: the events are {', '.join(EVENTS)}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("news is announced inside the action's transaction")
    data = dict(data or {})
    try:
        json.dumps(data)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the data of {event} is not JSON: {exc}") from None
    if npi:
        notice = notify(text, referral=referral, npi=npi)
    else:
        notice = notify(text, referral=referral, organisation=referral.organisation)
    subject = f"Claim {referral.claim_number}: {EVENTS[event]}"
    mail_people(people_of(referral, clients=not npi, npi=npi), subject, text, referral=referral)
    if not npi:
        _queue_deliveries(event, referral, data)
    return notice


def _queue_deliveries(event: str, referral: Referral, data: dict[str, Any]) -> None:
    occurred = timezone.now().isoformat()
    hooks = Webhook.objects.filter(organisation_id=referral.organisation_id, active=True)
    for hook in hooks.order_by("pk").only("pk"):
        delivery_id = uuid.uuid4()
        body = json.dumps(
            {
                "event": event,
                "delivery_id": str(delivery_id),
                "occurred_at": occurred,
                "referral": {
                    "id": str(referral.pk),
                    "claim_number": referral.claim_number,
                    "status": referral.status,
                },
                "data": data,
            },
            separators=(",", ":"),
        )
        made = WebhookDelivery.objects.create(
            webhook=hook,
            referral=referral,
            claim_number=referral.claim_number,
            event=event,
            delivery_id=delivery_id,
            body=body,
            next_attempt=timezone.now(),
        )
        transaction.on_commit(partial(deliver_webhook.enqueue, made.pk, 1))


def people_of(
    referral: Referral, *, clients: bool = True, npi: str = "", desk_roles: Iterable[str] = ()
) -> QuerySet[User]:
    """The active people news of a referral reaches by e-mail: its client organisation's
    users (`clients`), the physician user of `npi`, and the desk's users of `desk_roles`."""
    reach = Q(pk__in=[])
    if clients:
        reach |= Q(organisation_id=referral.organisation_id, role__in=CLIENT_ROLES)
    if npi:
        reach |= Q(npi=npi, role="physician")
    if desk_roles:
        reach |= Q(organisation__kind=Organisation.REVIEWER, role__in=list(desk_roles))
    return User.objects.filter(reach, is_active=True)


def mail_people(
    people: QuerySet[User],
    subject: str,
    text: str,
    *,
    referral: Referral,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> int:
    """Queue one e-mail of `text` to each address of `people` (once each), closed by the
    claim number and the way to the referral; returns how many were queued."""
    body = f"{text}\n\nClaim {referral.claim_number}: sign in to medreview to see the referral.\n"
    files = list(attachments)
    addresses = people.order_by("email").values_list("email", flat=True).distinct()
    sent = 0
    for email in addresses:
        queue_email(email, subject, body, referral=referral, attachments=files)
        sent += 1
    return sent


def queue_email(
    to: str,
    subject: str,
    body: str,
    *,
    referral: Referral | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Email:
    """Queue an e-mail to one address, sent once the transaction commits (`send_email`, with
    retries); `attachments` are (file name, bytes, MIME type). Kept, encrypted, as "not sent"
    when no mail server is set (MEDREVIEW_SMTP_HOST)."""
    to, subject = to.strip(), " ".join(subject.split())
    if not to or any(c.isspace() or c in "<>,;" for c in to) or "@" not in to:
        raise ValueError("an e-mail goes to one address (name@host)")
    files = []
    for filename, content, mimetype in attachments:
        name = filename.replace("/", "_").replace("\\", "_").strip()
        if not name or "/" not in mimetype or any(c.isspace() for c in mimetype):
            raise ValueError(f"an attachment needs a file name and a MIME type ({filename!r})")
        files.append((name, bytes(content), mimetype))
    if sum(len(c) for _, c, _ in files) > MOST_ATTACHMENT_BYTES:
        raise ValueError("an e-mail's attachments may hold 20 MB at most")
    sending = bool(settings.EMAIL_HOST)
    with transaction.atomic(savepoint=False):  # the caller's transaction, when there is one
        email = Email.objects.create(
            to=to,
            subject=subject,
            body=body,
            referral=referral,
            status=Email.PENDING if sending else Email.NOT_SENT,
            next_attempt=timezone.now() if sending else None,
        )
        for name, content, mimetype in files:
            EmailAttachment.objects.create(
                email=email,
                filename=name,
                mimetype=mimetype,
                size=len(content),
                content=base64.b64encode(content).decode(),
            )
        if sending:
            transaction.on_commit(partial(send_email.enqueue, email.pk, 1))
    return email


def webhook_url(raw: object) -> str:
    """The URL of a webhook, checked: http(s) to a host, http only to this machine unless
    MEDREVIEW_WEBHOOK_ALLOW_HTTP, no user name or password in it."""
    url = str(raw or "").strip()
    if not url:
        raise ActionError("give the webhook's URL (https://…)", field="url")
    if len(url) > 2000 or any(c.isspace() for c in url):
        raise ActionError("the URL has spaces in it, or is over 2,000 characters", field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ActionError(
            f"{url!r} is not an http(s) URL: webhooks are posted to https://… addresses",
            field="url",
        )
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise ActionError(f"{url!r} has a port that is not a number", field="url") from None
    if not host:
        raise ActionError(f"{url!r} names no host", field="url")
    if parts.username or parts.password:
        raise ActionError(
            "a URL with a user name or password is not taken: the signature of each event"
            " tells the claim system it comes from medreview",
            field="url",
        )
    if parts.scheme == "http" and host not in THIS_MACHINE and not settings.WEBHOOK_ALLOW_HTTP:
        raise ActionError(
            f"{url!r} would send the events unencrypted: use https:// (http:// is taken for"
            " this machine only, unless MEDREVIEW_WEBHOOK_ALLOW_HTTP=1)",
            field="url",
        )
    return url


def do_add_webhook(organisation: Organisation, *, actor: Actor, url: str) -> tuple[Webhook, str]:
    """Register a client organisation's URL for the events of its referrals; returns the
    webhook and its secret, shown this once (it signs every delivery)."""
    require(actor, Permission.MANAGE_WEBHOOKS)
    if organisation.kind != Organisation.CLIENT:
        raise ActionError(
            f"{organisation.name} is not a client organisation: webhooks tell a client's"
            " claim system",
            field="organisation",
        )
    url = webhook_url(url)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        twin = Webhook.objects.filter(organisation=organisation, url=url, active=True).first()
        if twin is not None:
            raise ActionError(
                f"{url} is registered already for {organisation.name} (webhook {twin.pk})",
                status=409,
                field="url",
            )
        hook = Webhook.objects.create(
            organisation=organisation, url=url, secret=secret, created_by=actor_name(actor)
        )
        record(
            "webhook.added",
            actor=actor,
            organisation=organisation,
            detail={"webhook": hook.pk, "url": url},
        )
    return hook, secret


def do_remove_webhook(webhook: Webhook, *, actor: Actor) -> Webhook:
    """Stop telling a webhook of events; it is kept, inactive, with its log, and its
    deliveries still waiting are not sent."""
    require(actor, Permission.MANAGE_WEBHOOKS)
    with transaction.atomic():
        hook = (
            Webhook.objects.select_for_update(no_key=True)
            .select_related("organisation")
            .get(pk=webhook.pk)
        )
        if not hook.active:
            raise ActionError(f"webhook {hook.pk} is removed already", status=409)
        hook.active, hook.removed = False, timezone.now()
        hook.save(update_fields=["active", "removed"])
        record(
            "webhook.removed",
            actor=actor,
            organisation=hook.organisation,
            detail={"webhook": hook.pk, "url": hook.url},
        )
    return hook


def do_retry_delivery(delivery: WebhookDelivery, *, actor: Actor) -> WebhookDelivery:
    """Try a failed delivery once more, now (the same body, signature and delivery id)."""
    require(actor, Permission.MANAGE_WEBHOOKS)
    with transaction.atomic():
        found = (
            WebhookDelivery.objects.select_for_update(no_key=True)
            .select_related("webhook__organisation")
            .get(pk=delivery.pk)
        )
        if found.status != WebhookDelivery.FAILED:
            state = found.get_status_display().lower()
            raise ActionError(
                f"only a failed delivery is tried again: this one is {state}", status=409
            )
        if not found.webhook.active:
            raise ActionError("the webhook of this delivery is removed", status=409)
        found.status, found.next_attempt = WebhookDelivery.PENDING, timezone.now()
        found.save(update_fields=["status", "next_attempt"])
        record(
            "webhook.retried",
            actor=actor,
            organisation=found.webhook.organisation,
            detail={
                "webhook": found.webhook_id,
                "delivery": str(found.delivery_id),
                "event": found.event,
                "claim_number": found.claim_number,
                "attempt": found.attempts + 1,
            },
        )
        transaction.on_commit(partial(deliver_webhook.enqueue, found.pk, found.attempts + 1))
    return found
