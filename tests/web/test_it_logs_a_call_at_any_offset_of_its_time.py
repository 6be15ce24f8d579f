"""A peer-to-peer call logged at a time with any offset ISO 8601 allows (up to ±23:59) is
kept, as the same instant in UTC: PostgreSQL refuses offsets beyond ±15:59, which answered
500."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from webapp import ATTEST, api, assigned_review, post

from medreview.reports.models import PeerToPeer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_call_at_a_far_offset_is_kept_as_its_instant(people: Any) -> None:
    _, aid = assigned_review(people)
    doctor = api(people.token(people.physician))
    assert post(doctor, f"/api/v1/assignments/{aid}/attestation", ATTEST).status_code == 200
    call = {"at": "2026-12-01T10:00:00+19:10", "with": "Maren Holt, MD", "outcome": "offered"}
    logged = post(doctor, f"/api/v1/assignments/{aid}/peer-to-peer", call)
    assert logged.status_code == 201, logged.content
    assert PeerToPeer.objects.get().at == datetime(2026, 11, 30, 14, 50, tzinfo=UTC)
