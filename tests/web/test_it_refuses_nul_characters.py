"""A NUL character (\\u0000) in what a person or a program sends is refused with a message
naming it, in a query, a form, a JSON body or the referral itself, and nothing changes: no
field takes one, and PostgreSQL refused it in text with a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cases import REFERRAL
from webapp import api, assigned_review, login, send

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.reports.models import PeerToPeer

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> tuple[int, ...]:
    events = AuditEvent.objects.exclude(action__startswith="token.")  # the callers' own tokens
    return events.count(), Referral.objects.count(), PeerToPeer.objects.count()


def test_a_nul_character_is_refused_wherever_it_is_sent(people: Any) -> None:
    rid, aid = assigned_review(people)
    before = _state()

    adjuster = api(people.token(people.adjuster_a))
    listed = adjuster.get("/api/v1/referrals", {"claim_number": "WC\x00"})
    assert listed.status_code == 400
    assert listed.json()["detail"] == (
        "the request holds a NUL character (\\u0000), which no field takes"
    )
    call = {"at": "2026-12-01T10:00:00", "with": "Dr \x00 Holt", "outcome": "offered"}
    doctor = api(people.token(people.physician))
    logged = doctor.post(
        f"/api/v1/assignments/{aid}/peer-to-peer", json.dumps(call), content_type="application/json"
    )
    assert logged.status_code == 400
    desk = login(people.coordinator)
    close = f"/referrals/{rid}/close/"
    form = "reason=done%00"
    assert (
        desk.post(close, form, content_type="application/x-www-form-urlencoded").status_code == 400
    )
    assert desk.post(close, {"reason": "done\x00"}).status_code == 400  # as multipart
    nul_claim = {**REFERRAL, "claim": {**REFERRAL["claim"], "number": "WC-\x00-1"}}
    sent = send(people.token(people.adjuster_a), nul_claim)
    assert sent.status_code == 422
    assert "a NUL character (\\u0000) is in it" in sent.json()["detail"]

    assert _state() == before
