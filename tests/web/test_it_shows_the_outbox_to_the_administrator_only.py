"""The outbox page (`/webhooks/`) is the administrator's: the webhooks of each client under its
name, the log of deliveries with each client's claims under that client, e-mail's state; a
webhook registered there shows its secret once. Anybody else is refused and changes nothing;
the log reads a long history in few queries."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from cases import referral
from django.db import transaction
from django.test import Client
from django.utils import timezone
from outbox_hooks import claim_system
from webapp import login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.models import Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import announce, do_add_webhook
from medreview.outbox.models import Email, Webhook, WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="delivery-\d+">(.*?)</tr>', page, flags=re.S)


def test_each_clients_deliveries_are_listed_under_its_name(people: Any) -> None:
    with claim_system() as a_system, claim_system() as b_system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=a_system.url)
        do_add_webhook(people.client_b, actor=COMMAND_LINE, url=b_system.url)
        send(people.token(people.adjuster_a), referral(claim={"number": "WC-A-1"}))
        send(people.token(people.adjuster_b), referral(claim={"number": "WC-B-2"}))
        run_worker()
        assert b"WC-B-2" not in b"".join(r.body for r in a_system.received)
        assert b"WC-A-1" not in b"".join(r.body for r in b_system.received)

    page = login(_admin(people)).get("/webhooks/").content.decode()
    rows = _rows(page)
    assert len(rows) == 2
    (a_row,) = [r for r in rows if "WC-A-1" in r]
    (b_row,) = [r for r in rows if "WC-B-2" in r]
    assert "Client A Mutual" in a_row and "Client B TPA" not in a_row
    assert "Client B TPA" in b_row and "Client A Mutual" not in b_row
    assert "Test Claimant" not in page  # the log shows claims, never claimants
    assert a_system.url in page and b_system.url in page


def test_the_administrator_registers_one_and_sees_its_secret_once(people: Any) -> None:
    admin = login(_admin(people))
    made = admin.post(
        "/webhooks/add/",
        {"organisation": people.client_a.pk, "url": "https://claims.a.example/events"},
    )
    assert made.status_code == 200
    hook = Webhook.objects.get()
    assert hook.secret in made.content.decode() and hook.created_by == "ada@review.example"
    assert hook.secret not in admin.get("/webhooks/").content.decode()
    assert AuditEvent.objects.filter(action="webhook.added", organisation=people.client_a).exists()
    refused = admin.post(
        "/webhooks/add/", {"organisation": people.client_a.pk, "url": "ftp://claims.a.example/"}
    )
    assert refused.status_code == 422
    assert "is not an http(s) URL" in refused.content.decode()
    assert "ftp://claims.a.example/" in refused.content.decode()  # the form again, as typed
    assert Webhook.objects.count() == 1
    removed = admin.post(f"/webhooks/{hook.pk}/remove/")
    assert removed.status_code == 302
    assert not Webhook.objects.get().active
    assert admin.post("/webhooks/999/remove/").status_code == 404


@pytest.mark.parametrize("who", ["adjuster_a", "adjuster_b", "coordinator", "qa", "physician"])
def test_nobody_else_reaches_it_or_changes_anything(people: Any, who: str) -> None:
    hook, _ = do_add_webhook(people.client_a, actor=COMMAND_LINE, url="https://a.example/e")
    delivery = WebhookDelivery.objects.create(
        webhook=hook, claim_number="WC-1", event="referral.closed", body="{}", status="failed"
    )
    events = AuditEvent.objects.count()
    person = login(getattr(people, who))
    assert person.get("/webhooks/").status_code == 403
    assert (
        person.post(
            "/webhooks/add/", {"organisation": people.client_a.pk, "url": "https://x.example/"}
        ).status_code
        == 403
    )
    assert person.post(f"/webhooks/{hook.pk}/remove/").status_code == 403
    assert person.post(f"/webhooks/deliveries/{delivery.pk}/retry/").status_code == 403
    assert Webhook.objects.filter(active=True).count() == 1
    assert WebhookDelivery.objects.get().status == "failed"
    assert AuditEvent.objects.count() == events
    assert 'href="/webhooks/"' not in person.get("/").content.decode()
    signed_out = Client().get("/webhooks/")
    assert signed_out.status_code == 302 and "/login/" in signed_out["Location"]


def test_the_log_reads_a_long_history_in_few_queries(
    people: Any, django_assert_max_num_queries: Any
) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    sent = Referral.objects.get(pk=rid)
    hooks = [
        do_add_webhook(org, actor=COMMAND_LINE, url=f"https://{n}.example/events")[0]
        for n, org in enumerate([people.client_a, people.client_b, people.client_a])
    ]
    now = timezone.now()
    for n in range(60):
        made = WebhookDelivery.objects.create(
            webhook=hooks[n % 3],
            referral=sent,
            claim_number=f"WC-{n}",
            event="report.delivered",
            body="{}",
            attempts=2,
        )
        for k in (1, 2):
            WebhookAttempt.objects.create(
                delivery=made,
                number=k,
                at=now - timedelta(minutes=k),
                status_code=500,
                duration_ms=3,
            )
    with transaction.atomic():
        for _ in range(40):
            announce("report.delivered", referral=sent, text="The report is ready.")
    assert Email.objects.count() == 40
    admin = login(_admin(people))
    with django_assert_max_num_queries(12):
        page = admin.get("/webhooks/")
    assert page.status_code == 200
    text = page.content.decode()
    # 60, and the 40 announced to client A's two webhooks: 140, 25 a page.
    assert WebhookDelivery.objects.count() == 140
    assert len(_rows(text)) == 25 and "Page 1 of 6" in text
    assert len(_rows(admin.get("/webhooks/?page=6").content.decode())) == 15
