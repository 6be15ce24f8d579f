"""The IME of the exams' tests, made as people make it: the New York referral of
test_it_takes_a_peer_review_to_its_report with three record files, read by the worker; its peer
review by the persona physician (REVIEWER) answering q1 from the records and q2 "needs an
examination", passed by QA; the IME referral confirmed by the coordinator; and two New York
examiners (the peer reviewer and REVIEWER_B, both board certified) with an hour-block of
bookable hours each weekday of the next 30 days near ZIP 10001, imported by the real
`medreview network availability import`."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays
import time_machine
from cases import referral
from django.utils import timezone
from test_it_takes_a_peer_review_to_its_report import NEW_YORK, RECORDS
from webapp import ATTEST, REVIEWER, REVIEWER_B, SURGEON, api, import_roster, post, run_worker, send

from medreview.cli import main
from medreview.core.network.hours import hours_to_csv

PT_NOTE = (
    "PHYSICAL THERAPY DAILY NOTE\nDate of Service: 07/02/2026\nProvider: Owen Price, PT, DPT\n"
    "Right knee: therapeutic exercise, 30 minutes. Assessment: tolerating the programme.\n"
)
THREE_FILES = {**RECORDS, "pt.txt": PT_NOTE.encode()}
# The examiners, licensed in New York (and California) until mid-2027, board certified, with
# offices in Manhattan.
PEER_REVIEWER = {**REVIEWER, "zip": "10016"}
EXAMINER = {**REVIEWER_B, "zip": "10001"}
SURGEON_NY = {**SURGEON, "licenses": "NY:2027-06-30"}
OFFICE = "350 Fifth Avenue, Suite 4100, New York, NY"
OTHER_OFFICE = "16 East 34th Street, New York, NY"


def business_days_after(start: date, count: int, jurisdiction: str = "NY") -> date:
    """The `count`-th business day after `start`, weekends and the state's holidays (the
    `holidays` package, asked here directly) skipped."""
    calendar = holidays.country_holidays(
        "US", subdiv=jurisdiction, years=range(start.year, start.year + 2)
    )
    day = start
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in calendar:
            count -= 1
    return day


def weekdays(today: date, days: int = 30) -> list[date]:
    return [d for d in (today + timedelta(days=n) for n in range(1, days + 1)) if d.weekday() < 5]


def hours_rows(
    npi: str,
    zip_code: str,
    address: str,
    days: Sequence[date],
    *,
    start: str = "09:00",
    end: str = "12:00",
) -> list[dict[str, str]]:
    return [
        {
            "npi": npi,
            "date": d.isoformat(),
            "start": start,
            "end": end,
            "zip": zip_code,
            "address": address,
        }
        for d in days
    ]


def import_hours(
    folder: Path, rows: list[dict[str, str]], name: str = "hours.csv"
) -> tuple[int, str, str]:
    """`medreview network availability import FILE.csv`, as run at the console: its exit
    status, standard output and standard error."""
    path = folder / name
    path.write_text(hours_to_csv(rows))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["network", "availability", "import", str(path)])
    return code, out.getvalue(), err.getvalue()


def peer_review_leaving_an_exam(
    people: Any,
    sent: dict[str, Any] | None = None,
    *,
    roster: Sequence[dict[str, str]] = (SURGEON_NY, PEER_REVIEWER, EXAMINER),
    reviewer: dict[str, str] = PEER_REVIEWER,
    client: Any = None,
) -> tuple[str, int]:
    """A referral read, its peer review by the persona physician answered (q2, or every
    question but the first, needs an examination), passed by QA: (referral id, the peer
    review's assignment id)."""
    import_roster(*roster)
    rid: str = send(
        people.token(client or people.adjuster_a), sent or NEW_YORK, THREE_FILES
    ).json()["id"]
    run_worker()
    coordinator = api(people.token(people.coordinator))
    made = post(
        coordinator,
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": reviewer["npi"]},
    )
    assert made.status_code == 201, made.content
    aid = int(made.json()["id"])
    doctor = api(people.token(people.physician))
    base = f"/api/v1/assignments/{aid}"
    assert post(doctor, f"{base}/attestation", ATTEST).status_code == 200
    found = doctor.get(base).json()
    for n, q in enumerate(found["questions"]):
        answered = post(
            doctor,
            f"{base}/determinations",
            {
                "question_id": q["id"],
                "determination": "supported" if n == 0 else "needs_exam",
                "rationale": "The records answer it." if n == 0 else "No measurement on record.",
                "citations": [{"file": "records/ortho.txt", "page": 1}],
                "disputes": [] if n == 0 else ["flexion of the right knee"],
            },
        )
        assert answered.status_code == 201, answered.content
    assert post(doctor, f"{base}/submit").status_code == 200
    passed = post(api(people.token(people.qa)), f"{base}/qa", {"decision": "pass"})
    assert passed.status_code == 200, passed.content
    return rid, aid


def confirm_ime(people: Any, rid: str) -> None:
    confirmed = post(
        api(people.token(people.coordinator)), f"/api/v1/referrals/{rid}/ime-referral/confirm"
    )
    assert confirmed.status_code == 200, confirmed.content


def new_york_ime(people: Any, folder: Path, sent: dict[str, Any] | None = None) -> str:
    """The whole of it: the IME referral confirmed, the two examiners' hours imported; the
    referral's id."""
    rid, _ = peer_review_leaving_an_exam(people, sent)
    confirm_ime(people, rid)
    today = timezone.localdate()
    rows = hours_rows(EXAMINER["npi"], "10001", OFFICE, weekdays(today)) + hours_rows(
        PEER_REVIEWER["npi"], "10016", OTHER_OFFICE, weekdays(today)
    )
    code, out, err = import_hours(folder, rows)
    assert code == 0 and err == "", err
    assert out.strip().splitlines()[-1] == f"imported {len(rows)}, rejected 0"
    return rid


def new_york(**changes: Any) -> dict[str, Any]:
    """The New York referral of the scenario, changed (a claimant speaking Spanish...)."""
    base = referral(
        claim=dict(NEW_YORK["claim"]),
        claimant=dict(NEW_YORK["claimant"]),
        treating_providers=NEW_YORK["treating_providers"],
        questions=NEW_YORK["questions"],
        received=NEW_YORK["received"],
        due=NEW_YORK["due"],
    )
    for key, value in changes.items():
        if isinstance(value, dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def slots(people: Any, rid: str, query: str = "") -> dict[str, Any]:
    found = api(people.token(people.scheduler)).get(f"/api/v1/referrals/{rid}/ime/slots{query}")
    assert found.status_code == 200, found.content
    body: dict[str, Any] = found.json()
    return body


def book(people: Any, rid: str, npi: str, start: str, **flags: bool) -> Any:
    return post(
        api(people.token(people.scheduler)),
        f"/api/v1/referrals/{rid}/ime/appointments",
        {"npi": npi, "start": start, "interpreter": False, "transport": False, **flags},
    )


@contextlib.contextmanager
def on_the_exam_day(start: str) -> Iterator[None]:
    """The world an hour after the exam's start (`start` in the office's time, as booked):
    whether the claimant came is recorded from the exam's day on."""
    with time_machine.travel(
        timezone.make_aware(datetime.fromisoformat(start)) + timedelta(hours=1)
    ):
        yield
