"""The outbox page (`/webhooks/`), an administrator's: the webhooks registered for each client,
the log of every delivery with each attempt and its answer, and the e-mail sent or waiting.
Its forms register a webhook (its secret shown this once), remove one, and try a failed
delivery again; each calls one door of `outbox.actions`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import refuse_unless, row_id
from medreview.claims.errors import ActionError
from medreview.claims.models import Organisation
from medreview.claims.permissions import Permission
from medreview.outbox.actions import do_add_webhook, do_remove_webhook, do_retry_delivery
from medreview.outbox.events import ATTEMPTS
from medreview.outbox.models import Email, Webhook, WebhookAttempt, WebhookDelivery

PER_PAGE = 25


@login_required
@require_safe
def outbox_page(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.MANAGE_WEBHOOKS)) is not None:
        return denied
    return _page(request)


@login_required
@require_POST
def add_webhook(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.MANAGE_WEBHOOKS)) is not None:
        return denied
    typed = {k: request.POST.get(k, "").strip() for k in ("organisation", "url")}
    try:
        chosen = typed["organisation"]
        pk = int(chosen) if chosen.isdigit() and len(chosen) < 10 else 0
        client = Organisation.objects.filter(pk=pk, kind=Organisation.CLIENT).first()
        if client is None:
            raise ActionError(
                "choose the client whose claim system the URL is", field="organisation"
            )
        actor = request.user
        hook, secret = do_add_webhook(client, actor=actor, url=typed["url"])  # type: ignore[arg-type]
    except ActionError as exc:
        return _page(request, error=str(exc), typed=typed, status=exc.status)
    return _page(request, made=hook, secret=secret)


@login_required
@require_POST
def remove_webhook(request: HttpRequest, webhook_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.MANAGE_WEBHOOKS)) is not None:
        return denied
    hook = get_object_or_404(Webhook, pk=row_id(webhook_id))
    try:
        do_remove_webhook(hook, actor=request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        return _page(request, error=str(exc), status=exc.status)
    return redirect("/webhooks/")


@login_required
@require_POST
def retry_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.MANAGE_WEBHOOKS)) is not None:
        return denied
    delivery = get_object_or_404(WebhookDelivery, pk=row_id(delivery_id))
    try:
        do_retry_delivery(delivery, actor=request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        return _page(request, error=str(exc), status=exc.status)
    return redirect(f"/webhooks/#delivery-{delivery.pk}")


def _page(
    request: HttpRequest,
    *,
    error: str = "",
    typed: dict[str, str] | None = None,
    made: Webhook | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    hooks = Webhook.objects.select_related("organisation").order_by(
        "organisation__name", "-active", "-created", "-id"
    )
    deliveries = (
        WebhookDelivery.objects.select_related("webhook__organisation")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        .defer("body")
        .order_by("-created", "-id")
    )
    emails = Email.objects.defer("body").order_by("-created", "-id")
    counts = dict(Email.objects.values_list("status").annotate(n=Count("id")).order_by())
    context: dict[str, Any] = {
        "hooks": list(hooks),
        "clients": list(Organisation.objects.filter(kind=Organisation.CLIENT).order_by("name")),
        "deliveries": Paginator(deliveries, PER_PAGE).get_page(request.GET.get("page")),
        "emails": Paginator(emails, PER_PAGE).get_page(request.GET.get("emails")),
        "email_counts": [
            (label, counts.get(code, 0)) for code, label in Email.STATUSES if counts.get(code)
        ],
        "mail_server": (
            f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}" if settings.EMAIL_HOST else ""
        ),
        "attempts": ATTEMPTS,
        "error": error,
        "typed": typed or {},
        "made": made,
        "secret": secret,
    }
    return render(request, "outbox/outbox.html", context, status=status)
