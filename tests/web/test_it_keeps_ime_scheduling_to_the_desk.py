"""The IME's scheduling belongs to the review desk (its scheduler, coordinator and
administrator): the slots, the bookings and the outcomes, by the API and on the scheduler's
page, are refused to a client's people and QA (403) and answered 404 to another client, as if
the referral did not exist, with nothing changed; before the IME referral is confirmed they
answer 409. The notice letter is the desk's and the client's to download. The scheduler's page
shows the IME referral, the first lawful day and why, the earliest slots, and the reasons of a
refused booking, in a bounded number of queries; the case page links to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from ime_flow import (
    EXAMINER,
    PEER_REVIEWER,
    book,
    confirm_ime,
    hours_rows,
    import_hours,
    new_york_ime,
    peer_review_leaving_an_exam,
    slots,
    weekdays,
)
from webapp import api, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.exams.models import Appointment
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)


def _state() -> list[Any]:
    return [
        list(Appointment.objects.order_by("pk").values_list("pk", "status", "day", "at")),
        list(Assignment.objects.order_by("pk").values_list("pk", "status")),
        AuditEvent.objects.exclude(action__endswith=".viewed").count(),
    ]


def test_only_the_desk_schedules_and_another_client_finds_nothing(
    people: Any, tmp_path: Path
) -> None:
    rid, _ = peer_review_leaving_an_exam(people)
    scheduler = api(people.token(people.scheduler))
    # Before the IME referral is confirmed: nothing to schedule yet.
    early = scheduler.get(f"/api/v1/referrals/{rid}/ime/slots")
    assert early.status_code == 409 and "no confirmed IME referral" in early.json()["detail"]
    assert book(people, rid, EXAMINER["npi"], "2027-01-04T09:00").status_code == 409
    page = login(people.scheduler).get(f"/referrals/{rid}/ime/")
    assert page.status_code == 200 and "No IME referral of this claim is confirmed" in (
        page.content.decode()
    )
    confirm_ime(people, rid)
    rows = hours_rows(EXAMINER["npi"], "10001", "350 Fifth Avenue", weekdays(timezone.localdate()))
    assert import_hours(tmp_path, rows)[0] == 0
    offered = slots(people, rid)["slots"]
    made = book(people, rid, EXAMINER["npi"], offered[0]["start"]).json()

    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    body = {"npi": EXAMINER["npi"], "start": offered[1]["start"]}
    calls = [
        ("get", f"/api/v1/referrals/{rid}/ime/slots", None),
        ("post", f"/api/v1/referrals/{rid}/ime/appointments", body),
        ("post", f"/api/v1/appointments/{made['id']}/outcome", {"outcome": "no_show"}),
    ]
    pages = [
        ("get", f"/referrals/{rid}/ime/", None),
        ("post", f"/referrals/{rid}/ime/book/", {"npi": EXAMINER["npi"], "start": offered[1]["start"]}),
        ("post", f"/referrals/{rid}/ime/appointments/{made['id']}/outcome/", {"outcome": "no_show"}),
    ]  # fmt: skip
    refused = [
        (people.adjuster_a, 403),
        (people.qa, 403),
        (people.adjuster_b, 404),
        (people.physician, 404),
    ]
    tokens = {who.pk: people.token(who) for who, _ in refused}
    before = _state()
    for who, status in refused:
        client = api(tokens[who.pk])
        for method, url, sent in calls:
            answer = client.get(url) if method == "get" else post(client, url, sent)
            assert answer.status_code == status, (who.email, url, answer.status_code)
        browser = login(who)
        for method, url, sent in pages:
            answer = browser.get(url) if method == "get" else browser.post(url, sent or {})
            assert answer.status_code == status, (who.email, url, answer.status_code)
    assert _state() == before

    # The desk: the coordinator and the administrator see the slots and the page too.
    for who in (people.coordinator, admin):
        assert api(people.token(who)).get(calls[0][1]).status_code == 200
        assert login(who).get(pages[0][1]).status_code == 200

    # The notice letter: the client and the desk, never QA nor another client.
    letter = f"/referrals/{rid}/ime/appointments/{made['id']}/notice.pdf"
    for who, status in (
        (people.adjuster_a, 200),
        (people.scheduler, 200),
        (people.coordinator, 200),
        (admin, 200),
        (people.qa, 403),
        (people.adjuster_b, 404),
        (people.physician, 404),
    ):
        assert login(who).get(letter).status_code == status, who.email


def test_the_schedulers_page_books_and_says_why_not(
    people: Any, tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    rid = new_york_ime(people, tmp_path)
    desk = login(people.scheduler)
    url = f"/referrals/{rid}/ime/"
    with django_assert_max_num_queries(30):
        shown = desk.get(url)
    text = shown.content.decode()
    assert shown.status_code == 200
    assert "the right knee&#x27;s range of motion" in text and "flexion of the right knee" in text
    assert "WCL 137(1)(a)" in text and "Earliest lawful slots" in text
    assert EXAMINER["name"] in text and f"/network/{PEER_REVIEWER['npi']}/" not in text
    first = slots(people, rid)["slots"][0]

    # A refused booking: the page again, with every reason.
    refused = desk.post(f"{url}book/", {"npi": PEER_REVIEWER["npi"], "start": first["start"]})
    assert refused.status_code == 422
    assert "independent second opinion" in refused.content.decode()
    assert not Appointment.objects.exists()
    booked = desk.post(
        f"{url}book/", {"npi": EXAMINER["npi"], "start": first["start"], "interpreter": "1"}
    )
    assert booked.status_code == 302, booked.content.decode()[:2000]
    made = Appointment.objects.get()
    assert made.interpreter and not made.transport
    # The page's queries do not grow with the appointments.
    moved = desk.post(
        f"{url}appointments/{made.pk}/outcome/",
        {"outcome": "rescheduled", "start": slots(people, rid)["slots"][2]["start"]},
    )
    assert moved.status_code == 302
    with django_assert_max_num_queries(30):
        again = desk.get(url).content.decode()
    assert "Rescheduled" in again and "notice.pdf" in again

    # The case page links the desk to it, and shows the client the exam.
    assert (
        f'href="/referrals/{rid}/ime/"'
        in login(people.coordinator).get(f"/referrals/{rid}/").content.decode()
    )
    client_view = login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()
    assert f'href="/referrals/{rid}/ime/"' not in client_view
    assert "Examination" in client_view and "notice.pdf" in client_view
