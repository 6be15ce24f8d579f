"""The referral form sets the day the referral was received (today unless said otherwise), so
a referral received weeks ago and already past due is taken; and it takes a referral.json
instead of its fields, checked by the same door as the API's, each wrong field named."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from cases import REFERRAL, referral
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from webapp import EXAMPLE_NOTE, login

from medreview.claims.models import Referral
from medreview.records.models import RecordFile

pytestmark = pytest.mark.django_db(transaction=True)


def _fields(**changes: Any) -> dict[str, Any]:
    return {
        "via": "fields",
        "claim_number": "GA-WC-26-0412",
        "line_of_business": "workers_comp",
        "jurisdiction": "GA",
        "claimant_name": "Dana Whitfield",
        "requested_service": "triage",
        "question_1_type": "causation",
        "question_1_text": "Is the shoulder tear caused by the fall at work?",
        **changes,
    }


def _as_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("referral.json", content, content_type="application/json")


def test_the_form_offers_todays_date_as_the_day_received(people: Any) -> None:
    page = login(people.adjuster_a).get("/referrals/new/").content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="received" value="{today}"' in page


def test_a_received_date_left_empty_is_today(people: Any) -> None:
    answer = login(people.adjuster_a).post("/referrals/new/", _fields(received=""))
    assert answer.status_code == 302, answer.content.decode()
    assert Referral.objects.get().received == timezone.localdate()


def test_a_referral_received_weeks_ago_and_past_due_is_taken_with_its_dates(people: Any) -> None:
    today = timezone.localdate()
    received, due = today - timedelta(days=40), today - timedelta(days=10)
    answer = login(people.adjuster_a).post(
        "/referrals/new/", _fields(received=received.isoformat(), due=due.isoformat())
    )
    assert answer.status_code == 302, answer.content.decode()
    made = Referral.objects.get(claim_number="GA-WC-26-0412")
    assert (made.received, made.due) == (received, due)
    assert made.payload["received"] == received.isoformat()


@pytest.mark.parametrize(
    ("days_received", "days_due", "words"),
    [
        (1, None, "The received date cannot be after today."),
        (-5, -10, "The due date is before the received date"),
        (None, -1, "The due date is before the received date"),  # left empty: today
    ],
)
def test_a_received_date_to_come_or_after_the_due_date_is_refused_in_words(
    people: Any, days_received: int | None, days_due: int | None, words: str
) -> None:
    today = timezone.localdate()
    dates = {
        "received": "" if days_received is None else (today + timedelta(days_received)).isoformat(),
        "due": "" if days_due is None else (today + timedelta(days_due)).isoformat(),
    }
    answer = login(people.adjuster_a).post("/referrals/new/", _fields(**dates))
    assert answer.status_code == 422
    assert words in answer.content.decode()
    assert Referral.objects.count() == 0


def test_a_referral_json_sent_through_the_form_makes_the_referral(people: Any) -> None:
    answer = login(people.adjuster_a).post(
        "/referrals/new/",
        {
            "via": "file",
            "referral_file": _as_file(json.dumps(REFERRAL).encode()),
            "records": [SimpleUploadedFile("note.txt", EXAMPLE_NOTE.encode())],
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    made = Referral.objects.get()
    assert answer["Location"] == f"/referrals/{made.pk}/"
    assert (made.claim_number, str(made.received)) == ("WC-TEST-0001", REFERRAL["received"])
    assert made.created_by == people.adjuster_a
    assert [f.name for f in RecordFile.objects.filter(referral=made)] == ["records/note.txt"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (
            json.dumps(
                referral(
                    claim={"line_of_business": "pets"},
                    questions=[{"id": "q1", "type": "astrology", "text": "?"}],
                )
            ).encode(),
            [
                "claim.line_of_business: &#x27;pets&#x27; is not one of",
                "questions[0].type: &#x27;astrology&#x27; is not one of",
            ],
        ),
        (b'{"claim": {', ["invalid JSON at line 1, column 12"]),
        (b"\xff\xfe{}", ["not UTF-8 text"]),
        (json.dumps(referral(due="2026-05-01")).encode(), ["due (2026-05-01) is before received"]),
    ],
)
def test_a_bad_referral_json_is_refused_naming_what_is_wrong(
    people: Any, content: bytes, words: list[str]
) -> None:
    answer = login(people.adjuster_a).post(
        "/referrals/new/", {"via": "file", "referral_file": _as_file(content)}
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "This referral.json was not accepted" in page
    for said in words:
        assert said in page
    assert Referral.objects.count() == 0


def test_a_referral_json_is_not_taken_from_the_review_desk_nor_a_physician(
    people: Any,
) -> None:
    for user in (people.coordinator, people.physician):
        answer = login(user).post(
            "/referrals/new/",
            {"via": "file", "referral_file": _as_file(json.dumps(REFERRAL).encode())},
        )
        assert answer.status_code == 403
        assert b"WC-TEST-0001" not in answer.content
    assert Referral.objects.count() == 0


def test_a_referral_json_larger_than_any_referral_is_refused(people: Any) -> None:
    huge = b'{"claim": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    answer = login(people.adjuster_a).post(
        "/referrals/new/", {"via": "file", "referral_file": _as_file(huge)}
    )
    assert answer.status_code == 422
    assert "This file is larger than 5 MB" in answer.content.decode()
    assert Referral.objects.count() == 0
