"""News of a referral is mailed, through the SMTP server of the settings, to each active user
of the client (or to the physician it concerns): the claim number and the news, never the
claimant's name. A document's e-mail carries its attachment, kept encrypted until sent.
Without a mail server nothing is sent and the outbox page says so; a server that does not
answer is tried again later, and one that refuses an address fails it at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult
from outbox_hooks import claim_system, free_port, smtp_server
from webapp import login, run_worker, send

from medreview.claims.actions import do_create_user
from medreview.claims.models import Notice, Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.outbox.actions import announce, do_add_webhook, queue_email
from medreview.outbox.models import Email, WebhookDelivery

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMANT = "Test Claimant"  # the claimant of tests/cases.py's referral


@pytest.fixture
def mail(settings: Any) -> Any:
    """A real SMTP server on this machine, set as medreview's mail server."""
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.DEFAULT_FROM_EMAIL = "desk@review.example"
        yield box


def test_it_mails_each_active_user_of_the_client_the_claim_and_the_news(
    people: Any, mail: Any
) -> None:
    do_create_user(
        people.client_a, actor=COMMAND_LINE, email="nina@a.example", role="nurse_case_manager"
    )
    gone = do_create_user(
        people.client_a, actor=COMMAND_LINE, email="old@a.example", role="adjuster"
    )
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()  # reads the records, announces the triage, sends its e-mail

    claim = Referral.objects.get(pk=rid).claim_number
    assert sorted(to for to, _ in mail.messages) == [["ann@a.example"], ["nina@a.example"]]
    for _, message in mail.messages:
        assert message["From"] == "desk@review.example"
        assert message["Subject"] == f"Claim {claim}: records read and triaged"
        body = message.get_content()
        assert claim in body and "triage is ready" in body
        assert CLAIMANT not in body and CLAIMANT not in message["Subject"]
        assert "Claimant" not in message.as_string()
    assert list(Email.objects.values_list("status", "attempts")) == [("sent", 1)] * 2


def test_a_physicians_news_goes_to_the_physician_and_no_webhook(people: Any, mail: Any) -> None:
    with claim_system() as system:
        do_add_webhook(people.client_a, actor=COMMAND_LINE, url=system.url)
        rid = send(people.token(people.adjuster_a)).json()["id"]
        run_worker()
        mail.messages.clear()
        before = WebhookDelivery.objects.count()
        referral = Referral.objects.get(pk=rid)
        with transaction.atomic():
            announce(
                "appointment.booked",
                referral=referral,
                text=f"An examination for claim {referral.claim_number} is booked for you.",
                data={"appointment_id": 7, "at": "2026-12-14T09:30:00-05:00"},
                npi=people.physician.npi,
            )
        run_worker()
        assert WebhookDelivery.objects.count() == before  # the claim system hears of it otherwise
    assert [to for to, _ in mail.messages] == [["dr@review.example"]]
    assert Notice.objects.filter(npi=people.physician.npi, referral=referral).count() == 1


def test_a_documents_e_mail_carries_its_attachment_encrypted_until_sent(
    people: Any, mail: Any
) -> None:
    letter = b"%PDF-1.4 the notice of the examination"
    with transaction.atomic():
        queue_email(
            "claimant@example.org",
            "Your examination",
            "The letter is attached.",
            attachments=[("notice.pdf", letter, "application/pdf")],
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT filename, content FROM outbox_emailattachment")
        stored = cursor.fetchall()
        cursor.execute('SELECT "to", subject, body FROM outbox_email')
        stored += cursor.fetchall()
    assert stored and all(value.startswith("enc1:") for row in stored for value in row)
    run_worker()
    ((to, message),) = mail.messages
    assert to == ["claimant@example.org"]
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "notice.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == letter


def test_without_a_mail_server_nothing_is_sent_and_the_outbox_says_so(
    people: Any, settings: Any
) -> None:
    settings.EMAIL_HOST = ""
    send(people.token(people.adjuster_a))
    run_worker()
    email = Email.objects.get()
    assert email.status == "not_sent" and email.attempts == 0
    assert not DBTaskResult.objects.filter(task_path__endswith="send_email").exists()
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    page = login(admin).get("/webhooks/").content.decode()
    assert "E-mail is not sent: no mail server is set" in page
    assert "Not sent (no mail server)" in page


def test_a_mail_server_that_does_not_answer_is_tried_again(people: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    send(people.token(people.adjuster_a))
    run_worker()
    email = Email.objects.get()
    assert email.status == "pending" and email.attempts == 1
    assert email.last_error == "ConnectionRefusedError"
    assert email.next_attempt is not None
    (queued,) = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_email")
    assert queued.run_after == email.next_attempt
    assert timedelta(seconds=55) < email.next_attempt - email.created < timedelta(seconds=70)


def test_an_address_the_server_refuses_fails_at_once(people: Any, mail: Any) -> None:
    mail.refused.add("ann@a.example")
    send(people.token(people.adjuster_a))
    run_worker()
    email = Email.objects.get()
    assert email.status == "failed" and email.attempts == 1
    assert "SMTPRecipientsRefused" in email.last_error and "ann@" not in email.last_error
    assert mail.messages == []
