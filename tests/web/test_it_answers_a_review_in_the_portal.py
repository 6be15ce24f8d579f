"""A physician answers a review in the portal: the attestation first (the records, the
chronology and the gaps open only after it), a page cited from the page viewer where it is
read, the answer saved by its form with a guideline named, what is still missing shown,
then submitted. The list and the assignment page read a fixed number of queries however
many assignments and records there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from webapp import (
    EXAMPLE_NOTE,
    REVIEWER,
    api,
    assigned_review,
    call_for_peer_review,
    import_roster,
    login,
    post,
    run_worker,
    send,
)

from medreview.claims.models import Referral
from medreview.reports.models import Determination
from medreview.reviews.actions import do_assign_physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_physician_answers_by_the_portals_pages(people: Any) -> None:
    _, aid = assigned_review(people)
    page = login(people.physician)
    listed = page.get("/portal/").content.decode()
    assert f'href="/portal/{aid}/"' in listed and "WC-TEST-0001" in listed
    closed = page.get(f"/portal/{aid}/").content.decode()
    assert "No-conflict attestation" in closed and "records/note.txt" in closed
    assert "/records/?file=" not in closed  # no record opens before the attestation
    viewer = f"/portal/{aid}/records/?file=records/note.txt&page=1"
    assert page.get(viewer).status_code == 404

    unticked = page.post(f"/portal/{aid}/attest/", {"statement": "No tie."})
    assert unticked.status_code == 422 and "decline the assignment" in unticked.content.decode()
    assert (
        page.post(
            f"/portal/{aid}/attest/", {"statement": "No tie.", "no_conflict": "yes"}
        ).status_code
        == 302
    )
    opened = page.get(f"/portal/{aid}/").content.decode()
    assert "Chronology" in opened and "question q1 (Medical necessity) is not answered" in opened

    shown = page.get(viewer).content.decode()
    assert "Right knee pain after a fall at work" in shown and "Cite this page" in shown
    cited = page.post(
        f"/portal/{aid}/cite/", {"question_id": "q1", "file": "records/note.txt", "page": "1"}
    )
    assert cited.status_code == 302
    beyond = page.post(
        f"/portal/{aid}/cite/", {"question_id": "q1", "file": "records/note.txt", "page": "7"}
    )
    assert beyond.status_code == 422, beyond.content.decode()[-3000:]
    assert "has 1 page(s), not a page 7" in beyond.content.decode()
    saved = page.post(
        f"/portal/{aid}/answer/",
        {
            "question_id": "q1",
            "determination": "partially_supported",
            "rationale": "Six more visits, not twelve.",
            "disputes": "",
            "guideline": "ODG Knee & Leg",
            "edition": "2026",
            "section": "Physical therapy",
        },
    )
    assert saved.status_code == 302
    answer = Determination.objects.get(assignment_id=aid, question_id="q1")
    assert answer.citations == [
        {"file": "records/note.txt", "page": 1},
        {"guideline": "ODG Knee & Leg", "edition": "2026", "section": "Physical therapy"},
    ]
    ready = page.get(f"/portal/{aid}/").content.decode()
    assert "Every question is answered with a rationale and a citation." in ready
    assert page.post(f"/portal/{aid}/submit/").status_code == 302
    assert Assignment.objects.get(pk=aid).status == Assignment.SUBMITTED
    assert "Submitted: waiting for QA" in page.get("/portal/").content.decode()


def test_the_portal_reads_a_fixed_number_of_queries(
    people: Any, django_assert_max_num_queries: Any
) -> None:
    _, aid = assigned_review(people, files={f"n{i}.txt": EXAMPLE_NOTE.encode() for i in range(6)})
    import_roster({**REVIEWER, "weekly_capacity": "20"})
    doctor = api(people.token(people.physician))
    post(doctor, f"/api/v1/assignments/{aid}/attestation", {"no_conflict": True, "statement": "x"})
    page = login(people.physician)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert page.get(url).status_code == 200
        return len(queries)

    one_list, one_case = counted("/portal/"), counted(f"/portal/{aid}/")
    one_api = len(doctor.get("/api/v1/assignments").json()["items"])
    # Five more referrals given to the same physician, each with its records.
    for _ in range(5):
        rid = send(people.token(people.adjuster_a)).json()["id"]
        run_worker()
        call_for_peer_review(rid, people.coordinator)
        do_assign_physician(
            Referral.objects.get(pk=rid),
            actor=people.coordinator,
            service="peer_review",
            npi=people.physician.npi,
        )
    assert len(doctor.get("/api/v1/assignments").json()["items"]) == one_api + 5
    with django_assert_max_num_queries(one_list):
        assert page.get("/portal/").status_code == 200
    with django_assert_max_num_queries(one_case):
        assert page.get(f"/portal/{aid}/").status_code == 200


def test_a_text_too_long_is_refused_not_cut_short(people: Any) -> None:
    _, aid = assigned_review(people)
    page = login(people.physician)
    page.post(f"/portal/{aid}/attest/", {"no_conflict": "yes"})
    refused = page.post(
        f"/portal/{aid}/answer/",
        {"question_id": "q1", "determination": "supported", "rationale": "x" * 20_001},
    )
    assert refused.status_code == 422
    assert "at most 20,000 characters (20,001 were sent)" in refused.content.decode()
    assert not Determination.objects.exists()
