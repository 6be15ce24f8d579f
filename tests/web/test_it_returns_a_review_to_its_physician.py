"""QA returns a review with a note, which reaches the physician (on the assignment and as a
notice); the physician changes the answer and submits again; QA passes it. A return needs a
note; a pass with a failing checklist is refused naming the item. The physician's first-pass
rate (the network's `qa_score`) counts the first decision of each review."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import answer_all, api, assigned_review, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Notice
from medreview.network.models import Physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_returned_review_goes_back_with_the_note_and_passes_after(people: Any) -> None:
    _, aid = assigned_review(people)
    answer_all(people, aid)
    qa = api(people.token(people.qa))
    doctor = api(people.token(people.physician))
    url = f"/api/v1/assignments/{aid}/qa"

    silent = post(qa, url, {"decision": "return"})
    assert silent.status_code == 422 and "note" in silent.json()["detail"]
    returned = post(qa, url, {"decision": "return", "note": "Cite the MRI for q1."})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    mine = doctor.get(f"/api/v1/assignments/{aid}").json()
    assert (mine["status"], mine["returned_note"]) == ("returned", "Cite the MRI for q1.")
    notice = Notice.objects.get(npi=people.physician.npi)
    assert "returned by QA: Cite the MRI for q1." in notice.text
    page = login(people.physician).get(f"/portal/{aid}/").content.decode()
    assert "Returned by QA" in page and "Cite the MRI for q1." in page
    # Nothing waits for QA now.
    assert post(qa, url, {"decision": "pass"}).status_code == 409

    again = post(
        doctor,
        f"/api/v1/assignments/{aid}/determinations",
        {
            "question_id": "q1",
            "determination": "partially_supported",
            "rationale": "Six of the twelve visits are supported.",
            "citations": [{"file": "records/note.txt", "page": 1}],
        },
    )
    assert again.status_code == 201, again.content
    assert post(doctor, f"/api/v1/assignments/{aid}/submit").status_code == 200
    passed = post(qa, url, {"decision": "pass", "note": ""})
    assert passed.status_code == 200 and passed.json()["status"] == "passed"
    assert Assignment.objects.get(pk=aid).status == Assignment.PASSED
    actions = list(
        AuditEvent.objects.filter(action__startswith="qa.").values_list("action", flat=True)
    )
    assert actions == ["qa.returned", "qa.passed"]
    # Returned the first time: not a first pass.
    assert Physician.objects.get(npi=people.physician.npi).qa_score == 0.0


def test_the_qa_page_shows_the_checklist_and_returns_by_its_form(people: Any) -> None:
    _, aid = assigned_review(people)
    answer_all(people, aid)
    nurse = login(people.qa)
    queue = nurse.get("/qa/").content.decode()
    assert f'href="/qa/{aid}/"' in queue
    page = nurse.get(f"/qa/{aid}/").content.decode()
    for item in (
        "Every question answered in its own section",
        "Citations present and resolvable to a page",
        "Records reviewed listed",
        "credentials stated (specialty, licence, board certification)",
    ):
        assert item in page
    refused = nurse.post(f"/qa/{aid}/decide/", {"decision": "return", "note": ""})
    assert refused.status_code == 422 and "say what the physician must change" in (
        refused.content.decode()
    )
    done = nurse.post(f"/qa/{aid}/decide/", {"decision": "return", "note": "Too short."})
    assert done.status_code == 302
    assert Assignment.objects.get(pk=aid).status == Assignment.RETURNED
    assert "Nothing waits for QA" in nurse.get("/qa/").content.decode()


def test_a_roster_import_keeps_the_first_pass_rate_medreview_measured(people: Any) -> None:
    from webapp import REVIEWER, delivered_review, import_roster

    delivered_review(people)
    assert Physician.objects.get(npi=REVIEWER["npi"]).qa_score == 1.0
    import_roster({**REVIEWER, "qa_score": "0.5"})
    assert Physician.objects.get(npi=REVIEWER["npi"]).qa_score == 1.0
