"""Two actions on one referral at once append to its audit chain one after the other: on
PostgreSQL, where transactions run side by side, none fails on the chain's sequence number
and the chain stays whole (SQLite writes one transaction at a time anyway)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction
from webapp import send

from medreview.audit.actions import chain_of, record, verify_chain
from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
def test_concurrent_actions_on_one_referral_all_land_in_order(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    referral = Referral.objects.get(pk=rid)
    failures: list[str] = []

    def act(n: int) -> None:
        try:
            with transaction.atomic():
                record("test.concurrent", actor="test", referral=referral, detail={"n": n})
                time.sleep(0.05)  # the chain stays held while the action goes on
        except Exception as exc:
            failures.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    events = list(AuditEvent.objects.filter(referral_id=rid).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert sum(1 for e in events if e.action == "test.concurrent") == 8
    assert verify_chain(chain_of(referral=referral), events)
