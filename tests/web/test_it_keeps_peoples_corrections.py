"""A person corrects a document's kind or date, or dismisses a gap, with a reason: the
correction is kept beside the machine's value, audited, and shown in its place; records are
requested from a gap once per claim, provider and item, never twice."""

from __future__ import annotations

from typing import Any

import pytest
from cases import REFERRAL
from django.test import Client
from webapp import api, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.records.models import Correction, RecordsRequest

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. MRI of the right knee on 06/01/2026 showed a "
    "medial meniscus tear. Plan: physical therapy."
)


def signed_in(user: Any) -> Client:
    client = Client()
    client.post("/login/", {"username": user.email, "password": PASSWORD})
    return client


@pytest.fixture
def triaged(people: Any) -> str:
    rid = send(people.token(people.adjuster_a), files={"note.txt": NOTE.encode()}).json()["id"]
    run_worker()
    return str(rid)


def _gap_key(client: Client, rid: str, kind: str = "missing_diagnostic_report") -> str:
    page = client.get(f"/referrals/{rid}/").content.decode()
    marker = f'name="gap" value="{kind}|'
    start = page.index(marker) + len('name="gap" value="')
    return page[start : page.index('"', start)].replace("&#x27;", "'").replace("&amp;", "&")


def test_a_corrected_kind_and_date_win_and_the_machines_stay_beside_them(
    people: Any, triaged: str
) -> None:
    client = signed_in(people.coordinator)
    refused = client.post(
        f"/referrals/{triaged}/documents/correct/",
        {"document": "records/note.txt", "kind": "consult_report"},
    )
    assert refused.status_code == 422 and "needs a reason" in refused.content.decode()
    assert Correction.objects.count() == 0

    kept = client.post(
        f"/referrals/{triaged}/documents/correct/",
        {
            "document": "records/note.txt",
            "kind": "consult_report",
            "date": "2026-06-21",
            "reason": "Letterhead says consult",
        },
    )
    assert kept.status_code == 302
    page = client.get(f"/referrals/{triaged}/").content.decode()
    documents = page[page.index('id="documents"') :]
    assert "<td>Consultation report<br>" in documents
    assert "read by medreview as: 20 Jun 2026" in documents
    assert "<td>21 Jun 2026<br>" in documents
    correction = Correction.objects.get(field="kind")
    assert correction.machine_value and correction.machine_value != "consult_report"
    assert AuditEvent.objects.filter(referral_id=triaged, action="document.corrected").count() == 1


def test_a_dismissed_gap_is_listed_apart_and_the_triage_runs_again_without_it(
    people: Any, triaged: str
) -> None:
    client = signed_in(people.coordinator)
    key = _gap_key(client, triaged)
    refused = client.post(f"/referrals/{triaged}/gaps/dismiss/", {"gap": key, "reason": ""})
    assert refused.status_code == 422 and Correction.objects.count() == 0
    kept = client.post(
        f"/referrals/{triaged}/gaps/dismiss/", {"gap": key, "reason": "Report received by mail"}
    )
    assert kept.status_code == 302
    page = client.get(f"/referrals/{triaged}/").content.decode()
    assert "Dismissed</h3>" in page and "Report received by mail" in page

    run_worker()  # the triage runs again with the correction in force
    detail = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{triaged}").json()
    assert not [g for g in detail["triage"]["gaps"] if g["kind"] == "missing_diagnostic_report"]
    assert AuditEvent.objects.filter(referral_id=triaged, action="referral.retriaged").count() == 1
    run_worker()  # nothing queued: nothing changes
    assert AuditEvent.objects.filter(referral_id=triaged, action="referral.retriaged").count() == 1


def test_a_corrected_kind_is_what_the_engine_uses_next_time(people: Any, triaged: str) -> None:
    client = signed_in(people.coordinator)
    client.post(
        f"/referrals/{triaged}/documents/correct/",
        {"document": "records/note.txt", "kind": "progress_note", "reason": "Orthopaedic visit"},
    )
    run_worker()
    detail = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{triaged}").json()
    assert detail["triage"]["documents"][0]["kind"] == "progress_note"
    assert detail["corrections"][0]["field"] == "kind"
    assert not [g for g in detail["triage"]["gaps"] if g["kind"] == "no_treating_evaluation"]


def test_records_are_requested_once_per_claim_provider_and_item(people: Any, triaged: str) -> None:
    client = signed_in(people.coordinator)
    key = _gap_key(client, triaged)
    client.post(f"/referrals/{triaged}/gaps/request/", {"gap": key})
    client.post(f"/referrals/{triaged}/gaps/request/", {"gap": key})
    assert RecordsRequest.objects.count() == 1
    # A second referral of the same claim does not request the same item again.
    second = send(
        people.token(people.adjuster_a), REFERRAL, files={"note.txt": NOTE.encode()}
    ).json()["id"]
    run_worker()
    page = client.get(f"/referrals/{second}/").content.decode()
    assert "Requested from the provider: Maren Holt, MD" in page
    client.post(f"/referrals/{second}/gaps/request/", {"gap": _gap_key(client, second)})
    assert RecordsRequest.objects.count() == 1
    request = RecordsRequest.objects.get()
    assert request.provider == "Maren Holt, MD" and "MRI" in request.item
    client.post(f"/referrals/{triaged}/requests/{request.pk}/", {"status": "received"})
    request.refresh_from_db()
    assert request.status == "received"


def test_a_client_only_asks_for_records_and_another_client_cannot_correct(
    people: Any, triaged: str
) -> None:
    key = _gap_key(signed_in(people.coordinator), triaged)
    asked = signed_in(people.adjuster_a).post(f"/referrals/{triaged}/gaps/request/", {"gap": key})
    assert asked.status_code == 302
    request = RecordsRequest.objects.get()
    assert request.status == "asked" and request.sent is None  # the desk has not sent it
    assert not AuditEvent.objects.filter(action="records.requested").exists()
    other = signed_in(people.adjuster_b)
    events = AuditEvent.objects.count()
    for url, body in (
        (
            f"/referrals/{triaged}/documents/correct/",
            {"document": "records/note.txt", "kind": "other", "reason": "x"},
        ),
        (f"/referrals/{triaged}/gaps/dismiss/", {"gap": key, "reason": "x"}),
        (f"/referrals/{triaged}/gaps/request/", {"gap": key}),
    ):
        assert other.post(url, body).status_code == 404
    assert Correction.objects.count() == 0 and AuditEvent.objects.count() == events
    assert RecordsRequest.objects.count() == 1


def test_another_client_cannot_change_a_records_request(people: Any, triaged: str) -> None:
    client = signed_in(people.coordinator)
    client.post(f"/referrals/{triaged}/gaps/request/", {"gap": _gap_key(client, triaged)})
    request = RecordsRequest.objects.get()
    other = signed_in(people.adjuster_b)
    answer = other.post(f"/referrals/{triaged}/requests/{request.pk}/", {"status": "cancelled"})
    assert answer.status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"
