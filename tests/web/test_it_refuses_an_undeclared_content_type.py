"""A body sent as a media type its operation does not take is refused with 415, naming the
one it takes, before anything is read or changed: JSON sent as text is not taken as JSON, and a
referral sent as JSON is not taken for a form without a referral."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cases import REFERRAL
from webapp import api, run_worker, send

from medreview.claims.models import Referral
from medreview.triage.models import TriageDecision

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_decision_sent_as_text_is_refused_naming_json(people: Any) -> None:
    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()

    answer = api(token).generic(
        "POST",
        f"/api/v1/referrals/{rid}/triage-decision",
        json.dumps({"decision": "accept"}),
        content_type="text/plain",
    )

    assert answer.status_code == 415
    assert answer.json() == {
        "detail": "send the body as JSON, with Content-Type: application/json, not text/plain"
    }
    assert not TriageDecision.objects.exists()


def test_a_referral_sent_as_json_is_refused_naming_multipart(people: Any) -> None:
    answer = api(people.token(people.adjuster_a)).post(
        "/api/v1/referrals", {"referral": json.dumps(REFERRAL)}, content_type="application/json"
    )

    assert answer.status_code == 415
    assert answer.json() == {
        "detail": "send the referral and its records as multipart/form-data (curl -F), not"
        " application/json"
    }
    assert not Referral.objects.exists()


def test_json_with_its_charset_is_still_json(people: Any) -> None:
    token = people.token(people.adjuster_a)
    rid = send(token).json()["id"]
    run_worker()

    answer = api(token).post(
        f"/api/v1/referrals/{rid}/triage-decision",
        json.dumps({"decision": "accept"}),
        content_type="application/json; charset=utf-8",
    )

    assert answer.status_code == 200, answer.content
