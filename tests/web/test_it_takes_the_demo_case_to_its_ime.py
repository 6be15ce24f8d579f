"""The demo's background step (`web.demo.take_demo_case_to_its_ime`): once the worker has
read the demo referral, the desk's people take it through a peer review to a confirmed IME
referral holding only the work-status question; before that it waits, and it never touches a
referral someone already decided."""

from __future__ import annotations

from typing import Any

import pytest
from cases import referral
from webapp import REVIEWER, REVIEWER_B, import_roster, run_worker, send

from medreview.claims.models import Referral
from medreview.reports.models import ImeReferral
from medreview.web.demo import take_demo_case_to_its_ime

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    {"id": "q1", "type": "medical_necessity", "text": "Is further therapy necessary?"},
    {"id": "q2", "type": "work_status", "text": "What work can the claimant do?"},
]


def test_the_demo_case_reaches_a_confirmed_ime_once_read(people: Any) -> None:
    import_roster(REVIEWER, REVIEWER_B)
    rid = send(people.token(people.adjuster_a), referral(questions=QUESTIONS)).json()["id"]
    assert take_demo_case_to_its_ime.call(rid) == "waiting for its records to be read"
    run_worker()  # reads the records; the task queued again finds them read
    assert take_demo_case_to_its_ime.call(rid) == "IME referral confirmed"
    ime = ImeReferral.objects.get(referral_id=rid)
    assert ime.status == ImeReferral.CONFIRMED
    assert [q["id"] for q in ime.questions] == ["q2"]
    assert Referral.objects.get(pk=rid).decided_path == "peer_review_first"
    # Run again (the demo loaded twice): nothing more is done.
    assert take_demo_case_to_its_ime.call(rid) == "already under way"
