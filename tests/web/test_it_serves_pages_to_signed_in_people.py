"""The pages: sign in (locked after repeated failures), the work queue, the referral form and
the case page, where the triage is accepted or overridden with a reason. A case of another
client is a 404 and nothing of it shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from webapp import run_worker, send

from medreview.claims.models import Referral
from medreview.triage.models import TriageDecision

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def test_pages_ask_for_a_sign_in_first(people: Any) -> None:
    answer = Client().get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_repeated_failed_sign_ins_lock_the_account(people: Any) -> None:
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": people.adjuster_a.email, "password": "wrong"})
    locked = client.post("/login/", {"username": people.adjuster_a.email, "password": PASSWORD})
    assert locked.status_code != 302  # the right password no longer opens it
    assert "_auth_user_id" not in client.session


def test_a_nurse_sends_a_referral_with_the_form_and_sees_its_triage(people: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(people.adjuster_a)
    form = {
        "claim_number": "CA-WC-26-5551",
        "line_of_business": "workers_comp",
        "jurisdiction": "ca",
        "claimant_name": "Rosa Vidal",
        "requested_service": "triage",
        "provider_1_name": "Maren Holt, MD",
        "provider_1_specialty": "Orthopaedic Surgery",
        "question_1_type": "medical_necessity",
        "question_1_text": "Is more physical therapy necessary?",
        "records": [
            SimpleUploadedFile(
                "note.txt", b"PROGRESS NOTE\nDate of Service: 06/20/2026\nKnee pain."
            )
        ],
    }
    answer = client.post("/referrals/new/", form)
    assert answer.status_code == 302
    referral = Referral.objects.get(claim_number="CA-WC-26-5551")
    assert referral.jurisdiction == "CA" and referral.record_files.count() == 1
    assert "being read" in client.get(answer["Location"]).content.decode()

    run_worker()
    page = client.get(answer["Location"]).content.decode()
    assert "Recommended:" in page and "records/note.txt" in page


def test_the_form_names_each_field_that_is_wrong_and_keeps_nothing(people: Any) -> None:
    client = signed_in(people.adjuster_a)
    answer = client.post(
        "/referrals/new/",
        {"claim_number": "", "jurisdiction": "California", "question_1_type": "mmi"},
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert (
        "Two letters" in page and "Write the question." in page and "This field is required" in page
    )
    assert Referral.objects.count() == 0


def test_an_override_on_the_case_page_needs_a_reason(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    client = signed_in(people.coordinator)
    refused = client.post(
        f"/referrals/{rid}/decision/", {"decision": "override", "path": "ime_first"}
    )
    assert refused.status_code == 422 and "needs a reason" in refused.content.decode()
    assert TriageDecision.objects.count() == 0
    kept = client.post(
        f"/referrals/{rid}/decision/",
        {"decision": "override", "path": "ime_first", "reason": "Exam requested by counsel"},
    )
    assert kept.status_code == 302
    assert "Exam requested by counsel" in client.get(f"/referrals/{rid}/").content.decode()


def test_another_clients_case_is_a_404_and_nothing_changes(people: Any) -> None:
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    other = signed_in(people.adjuster_b)
    page = other.get(f"/referrals/{rid}/")
    assert page.status_code == 404 and b"WC-TEST-0001" not in page.content
    assert b"WC-TEST-0001" not in other.get("/").content
    decided = other.post(
        f"/referrals/{rid}/decision/", {"decision": "override", "path": "ime_first", "reason": "x"}
    )
    assert decided.status_code == 404 and TriageDecision.objects.count() == 0


def test_the_work_queue_marks_late_referrals_and_keeps_its_query_count(
    people: Any, django_assert_max_num_queries: Any
) -> None:
    from cases import REFERRAL

    token = people.token(people.adjuster_a)
    for n in range(5):
        late = {**REFERRAL, "claim": {**REFERRAL["claim"], "number": f"WC-{n}"}}
        assert send(token, {**late, "due": "2026-07-01"}).status_code == 201
    client = signed_in(people.coordinator)
    # The page's own 6, and its reading's audit event: the chain's lock (PostgreSQL), its
    # newest event, the new one, and the transaction's savepoint; and 2 for the clocks: the
    # running clocks of the referrals shown (one query, prefetched) and the desk's notices.
    with django_assert_max_num_queries(12):
        page = client.get("/").content.decode()
    assert page.count("· late") == 5


def test_the_review_desk_cannot_send_referrals_and_nothing_is_kept(people: Any) -> None:
    client = signed_in(people.coordinator)
    assert client.get("/referrals/new/").status_code == 403
    assert client.post("/referrals/new/", {"claim_number": "X-1"}).status_code == 403
    assert Referral.objects.count() == 0


def test_the_question_builder_explains_every_question_type(people: Any) -> None:
    page = signed_in(people.adjuster_a).get("/referrals/new/").content.decode()
    for kind in ("causation", "mmi", "impairment_rating", "billing_alignment", "range_of_motion"):
        assert f'"{kind}": "' in page  # its explanation, shown beside the choice
