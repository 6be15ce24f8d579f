"""An audit event is written while another action holds its referral's row (a page read and
audited while the worker stores the triage): neither waits on the other in a circle. The
event's foreign keys take a KEY SHARE lock on the referral's row, which the doors' row locks
(FOR NO KEY UPDATE) leave free; with FOR UPDATE the event's insert waited on the action while
holding the chain, the action then waited on the chain, and PostgreSQL killed one of the two
("deadlock detected"), leaving a referral half-read until a worker restarted."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction
from webapp import send

from medreview.audit.actions import record
from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = Path(__file__).resolve().parents[2] / "src" / "medreview"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
def test_an_event_and_an_action_holding_the_referral_both_land(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    held = threading.Event()
    recorded = threading.Event()
    failures: list[str] = []

    def action() -> None:  # as a door does: the referral's row first, then its event
        try:
            with transaction.atomic():
                referral = Referral.objects.select_for_update(no_key=True).get(pk=rid)
                held.set()
                recorded.wait(5)
                record("test.action", actor="test", referral=referral)
        except Exception as exc:
            failures.append(f"action: {exc}")
        finally:
            connections.close_all()

    def reading() -> None:  # an audited read: the chain first, then the event's insert
        try:
            held.wait(5)
            with transaction.atomic():
                record("test.read", actor="test", referral=Referral.objects.get(pk=rid))
                recorded.set()
                # The chain stays held while the action asks for it.
                time.sleep(0.3)
        except Exception as exc:
            failures.append(f"reading: {exc}")
            recorded.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=action), threading.Thread(target=reading)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    actions = list(AuditEvent.objects.filter(referral_id=rid).values_list("action", flat=True))
    assert actions[-2:] == ["test.read", "test.action"]


def test_every_row_lock_leaves_the_rows_keys_free() -> None:
    """Every `select_for_update` of the application locks FOR NO KEY UPDATE."""
    plain = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "select_for_update"
                and not any(
                    k.arg == "no_key" and isinstance(k.value, ast.Constant) and k.value.value
                    for k in node.keywords
                )
            ):
                plain.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert plain == []
