"""How often one claim is examined, through the API: Florida allows one IME per party per
accident (FS 440.13(5)(a)), so a second referral of the same claim by the same client finds no
slot and its booking is refused with the rule's citation, while another client (another party)
may still book; Texas wants 180 days between two IMEs of a claim (LC 408.004) and the exam
within 30 days of the IME referral (28 TAC 126.6), so no day is left for a second one."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cases import referral
from django.utils import timezone
from ime_flow import (
    EXAMINER,
    PEER_REVIEWER,
    book,
    confirm_ime,
    hours_rows,
    import_hours,
    on_the_exam_day,
    peer_review_leaving_an_exam,
    slots,
    weekdays,
)
from test_it_takes_a_peer_review_to_its_report import NEW_YORK
from webapp import SURGEON, api, post

from medreview.exams.models import Appointment

pytestmark = pytest.mark.django_db(transaction=True)

LICENSED = "FL:2027-06-30;TX:2027-06-30;NY:2027-06-30"
REVIEWER_HERE = {**PEER_REVIEWER, "licenses": LICENSED}


def _state(code: str, zip_code: str) -> tuple[dict[str, Any], tuple[dict[str, str], ...]]:
    sent = referral(
        claim={**NEW_YORK["claim"], "number": f"{code}-2026-0007", "jurisdiction": code},
        claimant={**NEW_YORK["claimant"], "zip": zip_code},
        treating_providers=NEW_YORK["treating_providers"],
        questions=NEW_YORK["questions"],
        received=NEW_YORK["received"],
        due=NEW_YORK["due"],
    )
    roster = (
        {**SURGEON, "licenses": LICENSED},
        REVIEWER_HERE,
        {**EXAMINER, "licenses": LICENSED, "zip": zip_code},
    )
    return sent, roster


def _ime(people: Any, sent: dict[str, Any], roster: Any, client: Any = None) -> str:
    rid, _ = peer_review_leaving_an_exam(
        people, sent, roster=roster, reviewer=REVIEWER_HERE, client=client
    )
    confirm_ime(people, rid)
    return rid


def _hours(folder: Path, zip_code: str, address: str) -> None:
    rows = hours_rows(EXAMINER["npi"], zip_code, address, weekdays(timezone.localdate()))
    assert import_hours(folder, rows)[0] == 0


def test_florida_allows_one_ime_per_party_per_accident(people: Any, tmp_path: Path) -> None:
    sent, roster = _state("FL", "33130")
    first = _ime(people, sent, roster)
    _hours(tmp_path, "33130", "1 SE 3rd Avenue, Miami, FL")
    offered = slots(people, first)
    assert offered["closed"] is None and offered["slots"]
    assert book(people, first, EXAMINER["npi"], offered["slots"][0]["start"]).status_code == 201

    second = _ime(people, sent, roster)
    again = slots(people, second)
    assert again["slots"] == []
    assert "FL allows 1 per party per accident (FL: FS 440.13(5)(a))" in again["closed"]
    refused = book(people, second, EXAMINER["npi"], offered["slots"][1]["start"])
    assert refused.status_code == 422, refused.content
    said = refused.json()["detail"]
    assert "this claim has had 1 IME of this party already" in said
    assert "FS 440.13(5)(a)" in said
    assert Appointment.objects.filter(referral_id=second).count() == 0

    # Another client is another party: its IME of the same claim may be booked.
    other = _ime(people, sent, roster, client=people.adjuster_b)
    theirs = slots(people, other)
    assert theirs["closed"] is None
    assert book(people, other, EXAMINER["npi"], theirs["slots"][0]["start"]).status_code == 201


def test_texas_wants_180_days_between_two_imes_of_a_claim(people: Any, tmp_path: Path) -> None:
    sent, roster = _state("TX", "78701")
    first = _ime(people, sent, roster)
    _hours(tmp_path, "78701", "100 Congress Avenue, Austin, TX")
    offered = slots(people, first)
    # Ten days' notice (28 TAC 126.6), and the exam within 30 days of the IME referral.
    today = timezone.localdate()
    assert date.fromisoformat(offered["earliest_allowed"]) >= today + timedelta(days=10)
    assert offered["latest_allowed"] == (today + timedelta(days=30)).isoformat()
    made = book(people, first, EXAMINER["npi"], offered["slots"][0]["start"])
    assert made.status_code == 201, made.content
    scheduler = api(people.token(people.scheduler))
    with on_the_exam_day(made.json()["start"]):
        held = post(
            scheduler, f"/api/v1/appointments/{made.json()['id']}/outcome", {"outcome": "attended"}
        )
    assert held.status_code == 200, held.content

    second = _ime(people, sent, roster)
    again = slots(people, second)
    exam_day = date.fromisoformat(offered["slots"][0]["start"][:10])
    assert again["earliest_allowed"] == (exam_day + timedelta(days=180)).isoformat()
    assert again["slots"] == [] and "LC 408.004" in again["closed"]
    refused = book(people, second, EXAMINER["npi"], offered["slots"][1]["start"])
    assert refused.status_code == 422, refused.content
    assert "LC 408.004" in refused.json()["detail"] and "28 TAC 126.6" in refused.json()["detail"]
