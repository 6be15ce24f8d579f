"""Making a claim file reads the database in a fixed number of queries: as many for a referral
of one record as for one of six records with six times the chronology (not one query a
record, a page or a chronology entry)."""

from __future__ import annotations

from typing import Any

import pytest
from cases import referral
from django.db import connection
from django.test.utils import CaptureQueriesContext
from webapp import api, run_worker, send

from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def _note(day: int) -> bytes:
    return (
        f"ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/{day:02d}/2026\nProvider: Maren Holt,"
        " MD\nRight knee pain after a fall at work. Assessment: right knee sprain.\n"
    ).encode()


def _queries(client: Any, rid: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(f"/api/v1/referrals/{rid}/claim-file.zip")
        assert answer.status_code == 200
        b"".join(answer.streaming_content)
    return len(seen)


def test_the_queries_do_not_grow_with_the_records(people: Any) -> None:
    token = people.token(people.adjuster_a)
    small = send(token, files={"note.txt": _note(1)}).json()["id"]
    large = send(
        token,
        referral(claim={"number": "WC-TEST-0002"}),
        files={f"note-{day}.txt": _note(day) for day in range(1, 7)},
    ).json()["id"]
    run_worker()
    chronology = Referral.objects.get(pk=large).triage["chronology"]
    assert len(chronology) >= 6
    client = api(token)
    _queries(client, small)  # the first request of the process sets up what it keeps

    assert _queries(client, small) == _queries(client, large) <= 30
