"""`medreview webhook add ORG URL` prints the new webhook's secret and nothing else; an unknown
organisation or a URL that is not http(s) (or plain http to another machine) exits 2 with one
line on stderr and registers nothing. `list` shows them, `remove` stops one; each change is
in the organisation's audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from medreview.audit.models import AuditEvent
from medreview.cli import main
from medreview.outbox.models import Webhook

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_prints_the_secret_and_nothing_else(people: Any, capsys: Any) -> None:
    assert main(["webhook", "add", "Client A Mutual", "https://claims.a.example/events"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert out == secret + "\n" and len(secret) >= 40 and err == ""
    hook = Webhook.objects.get()
    assert hook.organisation == people.client_a and hook.secret == secret and hook.active
    assert hook.url == "https://claims.a.example/events" and hook.created_by == "command line"
    added = AuditEvent.objects.get(action="webhook.added")
    assert added.organisation == people.client_a and added.actor == "command line"
    assert secret not in str(added.detail)  # the secret is shown once, kept encrypted

    assert main(["webhook", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{hook.pk}\tClient A Mutual\thttps://claims.a.example/events\tactive" in listed
    assert main(["webhook", "remove", str(hook.pk)]) == 0
    assert "removed webhook" in capsys.readouterr().out
    hook.refresh_from_db()
    assert not hook.active and hook.removed is not None
    assert AuditEvent.objects.filter(
        action="webhook.removed", organisation=people.client_a
    ).exists()
    assert main(["webhook", "remove", str(hook.pk)]) == 2
    assert "removed already" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["Nobody Inc", "https://claims.example/events"], "no organisation named 'Nobody Inc'"),
        (["Client A Mutual", "ftp://claims.example/events"], "is not an http(s) URL"),
        (["Client A Mutual", "claims.example/events"], "is not an http(s) URL"),
        (["Client A Mutual", "http://claims.example/events"], "would send the events unencrypted"),
        (["Client A Mutual", "https://user:pw@claims.example/"], "user name or password"),
        (["Review Desk", "https://claims.example/events"], "is not a client organisation"),
    ],
)
def test_add_refuses_with_one_line(people: Any, capsys: Any, args: list[str], says: str) -> None:
    assert main(["webhook", "add", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("medreview: ") and says in err
    assert not Webhook.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="webhook.").exists()


def test_plain_http_goes_to_this_machine_or_where_the_setting_allows(
    people: Any, capsys: Any, settings: Any
) -> None:
    assert main(["webhook", "add", "Client A Mutual", "http://localhost:8080/hook"]) == 0
    assert main(["webhook", "add", "Client A Mutual", "http://claims.example/hook"]) == 2
    settings.WEBHOOK_ALLOW_HTTP = True
    assert main(["webhook", "add", "Client A Mutual", "http://claims.example/hook"]) == 0
    assert Webhook.objects.count() == 2


def test_remove_refuses_an_unknown_webhook(people: Any, capsys: Any) -> None:
    assert main(["webhook", "remove", "41"]) == 2
    assert capsys.readouterr().err == "medreview: no webhook 41\n"
    with pytest.raises(SystemExit) as stopped:
        main(["webhook", "remove", "many"])
    assert stopped.value.code == 2
