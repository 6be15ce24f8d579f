"""A client sends a referral with its records through API v1; the background worker reads
and triages it; the status moves received -> processing -> triaged (docs/api.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cases import REFERRAL
from django.core.files.uploadedfile import SimpleUploadedFile
from webapp import api, run_worker, send

from medreview.claims.models import Referral
from medreview.records import storage
from medreview.records.models import RecordFile
from medreview.web.runtime import requeue_unfinished

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_referral_is_received_then_triaged_by_the_worker(people: Any) -> None:
    token = people.token(people.adjuster_a)
    answer = send(token)
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["status"] == "received"

    run_worker()

    detail = api(token).get(f"/api/v1/referrals/{created['id']}").json()
    assert detail["status"] == "triaged"
    assert detail["triage"]["path"] in ("peer_review_first", "obtain_records_first", "ime_first")
    assert [d["file"] for d in detail["triage"]["documents"]] == ["records/note.txt"]
    assert detail["questions"][0]["id"] == "q1"
    trail = api(token).get(f"/api/v1/referrals/{created['id']}/audit").json()
    assert [e["action"] for e in trail["events"]] == [
        "referral.received",
        "records.reading_started",
        "referral.triaged",
        "referral.viewed",  # the GET above
    ]
    assert trail["verified"] is True


def test_records_are_stored_encrypted(people: Any) -> None:
    send(people.token(people.adjuster_a), files={"note.txt": b"Right knee MRI shows a tear"})
    stored = RecordFile.objects.get()
    raw = (storage._root() / stored.stored_as).read_bytes()
    assert b"knee" not in raw
    assert storage.load(stored.stored_as) == b"Right knee MRI shows a tear"


@pytest.mark.parametrize(
    ("referral", "message"),
    [
        ("{not json", "invalid JSON"),
        (
            json.dumps({**REFERRAL, "questions": [{"id": "q1", "type": "astrology", "text": "?"}]}),
            "astrology",
        ),
        (json.dumps({k: v for k, v in REFERRAL.items() if k != "claim"}), "claim"),
    ],
)
def test_a_bad_referral_is_refused_and_nothing_is_kept(
    people: Any, referral: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = people.token(people.adjuster_a)
    stored: list[str] = []
    real_store = storage.store
    monkeypatch.setattr(storage, "store", lambda content: stored.append(real_store(content)))
    answer = api(token).post(
        "/api/v1/referrals",
        {"referral": referral, "records": [SimpleUploadedFile("note.txt", b"knee pain")]},
    )
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
    assert Referral.objects.count() == 0 and RecordFile.objects.count() == 0
    assert not [name for name in stored if (storage._root() / str(name)).exists()]


def test_a_worker_killed_mid_file_loses_nothing(people: Any) -> None:
    token = people.token(people.adjuster_a)
    made = send(token).json()
    # The worker took the task and died: the referral is left "processing", its task gone.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(status="RUNNING")
    Referral.objects.update(status=Referral.PROCESSING)

    assert requeue_unfinished(reclaim_running=False) == 0  # perhaps another worker's
    assert requeue_unfinished(reclaim_running=True) == 1  # what `serve` does first
    run_worker()

    assert api(token).get(f"/api/v1/referrals/{made['id']}").json()["status"] == "triaged"


def test_reading_twice_changes_nothing(people: Any) -> None:
    from medreview.records.tasks import read_records

    made = send(people.token(people.adjuster_a)).json()
    run_worker()
    before = Referral.objects.get(pk=made["id"])
    read_records.call(made["id"])  # a retried task
    after = Referral.objects.get(pk=made["id"])
    assert after.triage == before.triage and after.updated == before.updated


def test_bad_ids_and_missing_tokens_get_a_clean_answer(people: Any) -> None:
    token = people.token(people.adjuster_a)
    assert api(token).get("/api/v1/referrals/not-a-uuid").json() == {"detail": "not found"}
    assert api(token).get("/api/v1/referrals/not-a-uuid").status_code == 404
    assert api("mr_wrong").get("/api/v1/referrals").status_code == 401
    assert api(token).get("/api/v1/referrals?page=0").status_code == 422
    assert api(token).get("/api/v1/openapi.json").status_code == 200


def test_every_wrong_field_of_a_referral_is_named(people: Any) -> None:
    bad = {
        **REFERRAL,
        "claim": {**REFERRAL["claim"], "line_of_business": "pets"},
        "questions": [{"id": "q1", "type": "astrology", "text": "?"}],
        "due": "soon",
    }
    answer = api(people.token(people.adjuster_a)).post(
        "/api/v1/referrals", {"referral": json.dumps(bad)}
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "line_of_business" in detail and "astrology" in detail and "due" in detail
