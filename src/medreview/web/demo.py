"""`medreview demo`: demo organisations, users and cases (idempotent), and how to log in.

The cases are the project's example case folders (`examples/`), sent as referrals by two
client organisations; the background worker of `medreview serve` reads and triages them. One
of them (`DEMO_IME_CASE`) is then taken on, in the background, to a confirmed IME referral
(`take_demo_case_to_its_ime`), so that every stage, the scheduler's page among them, has work.
"""

from __future__ import annotations

import json
import os
from datetime import date, time, timedelta
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from medreview.claims.actions import do_create_organisation, do_create_user
from medreview.claims.models import Organisation, Referral, User
from medreview.claims.permissions import DEMO
from medreview.claims.roles import ROLE_LABELS
from medreview.core.network.roster import read_roster, rows_to_csv
from medreview.network.actions import do_import_network
from medreview.network.generate import roster
from medreview.network.models import Physician
from medreview.records.actions import Upload, do_create_referral

PASSWORD = "medreview-demo"
ORGANISATIONS = [
    ("Northwind Mutual", "client"),
    ("Harbor Claims TPA", "client"),
    ("medreview Review Desk", "reviewer"),
]
USERS = [
    ("nurse@northwind.example", "Northwind Mutual", "nurse_case_manager"),
    ("adjuster@northwind.example", "Northwind Mutual", "adjuster"),
    ("adjuster@harbor.example", "Harbor Claims TPA", "adjuster"),
    ("coordinator@review.example", "medreview Review Desk", "coordinator"),
    ("scheduler@review.example", "medreview Review Desk", "scheduler"),
    ("qa@review.example", "medreview Review Desk", "qa"),
    ("physician@review.example", "medreview Review Desk", "physician"),
    ("admin@review.example", "medreview Review Desk", "admin"),
]
# The demo physician user's place in the network: a reviewer of the examples' specialties,
# licensed in their states, so that a coordinator finds her among the first candidates.
DEMO_REVIEWER = {
    "npi": "1234567893",
    "name": "Dana Reyes, MD",
    "specialties": "Orthopaedic Surgery;Physical Medicine & Rehabilitation;Occupational Medicine",
    "board_certified": "yes",
    "zip": "94107",
    "services": "peer_review;ime",
    "languages": "en;es",
    "weekly_capacity": "40",
    "open_assignments": "0",
    "median_turnaround_days": "1.5",
    "qa_score": "0.97",
    "affiliations": "Reyes Medical Review",
    "fee_peer_review": "300",
    "fee_ime": "1600",
}


def examples_dir() -> Path | None:
    """The example case folders: MEDREVIEW_EXAMPLES, else `examples/` here or in the checkout."""
    configured = os.environ.get("MEDREVIEW_EXAMPLES")
    candidates = [Path(configured)] if configured else []
    candidates += [Path.cwd() / "examples", Path(__file__).resolve().parents[3] / "examples"]
    return next((p for p in candidates if p.is_dir()), None)


def load_demo() -> list[str]:
    """Create what is missing; returns lines saying what was created."""

    done = []
    for name, kind in ORGANISATIONS:
        if not Organisation.objects.filter(name=name).exists():
            do_create_organisation(actor=DEMO, name=name, kind=kind)
            done.append(f"organisation {name}")
    for email, org, role in USERS:
        if not User.objects.filter(email=email).exists():
            do_create_user(
                Organisation.objects.get(name=org), actor=DEMO, email=email, role=role,
                password=PASSWORD, npi=DEMO_REVIEWER["npi"] if role == "physician" else "",
            )  # fmt: skip
            done.append(f"user {email}")
    folder = examples_dir()
    cases = sorted(p for p in folder.iterdir() if (p / "referral.json").is_file()) if folder else []
    senders = [User.objects.get(email=USERS[0][0]), User.objects.get(email=USERS[2][0])]
    for i, case in enumerate(cases):
        text = recent((case / "referral.json").read_text(encoding="utf-8-sig"), date.today(), i % 2)
        number = json.loads(text)["claim"]["number"]
        if Referral.objects.filter(claim_number=number).exists():
            continue
        sender = senders[0] if i % 3 != 2 else senders[1]
        uploads = [
            Upload(p.name, p.read_bytes())
            for p in sorted((case / "records").rglob("*"))
            if p.is_file()
        ]
        do_create_referral(
            sender.organisation, actor=sender, referral_text=text, uploads=uploads,
            today=date.today(),
        )  # fmt: skip
        done.append(f"referral {number} ({sender.organisation.name})")
    claims = [json.loads((c / "referral.json").read_text())["claim"] for c in cases]
    done += _demo_network(claims)
    done += _demo_reviewer(claims)
    done += _demo_hours(cases)
    done += _demo_ime(cases)
    return done


def recent(referral_text: str, today: date, extra_weeks: int = 0) -> str:
    """The example referral as if it had arrived in the last week: its received and due dates
    moved by whole weeks (so that weekdays, and the business days between them, stay as they
    were), the records and the dates of injury and bills left as they are. A demo opened
    months after the examples were written then shows work in progress, not all of it late;
    `extra_weeks` earlier for some, so that the queue holds older work too."""
    data = json.loads(referral_text)
    if not data.get("received"):
        return referral_text
    received = date.fromisoformat(data["received"])
    weeks = max(0, (today - received).days // 7 - extra_weeks)
    data["received"] = (received + timedelta(weeks=weeks)).isoformat()
    if data.get("due"):
        data["due"] = (date.fromisoformat(data["due"]) + timedelta(weeks=weeks)).isoformat()
    return json.dumps(data, ensure_ascii=False, indent=2)


DEMO_PHYSICIANS = 3000


def _demo_network(claims: list[dict[str, str]]) -> list[str]:
    """A made-up network around the example claims' states, when the network is empty."""

    if Physician.objects.exists():
        return []
    states = tuple(sorted({c["jurisdiction"] for c in claims})) or ("CA",)
    rows, _ = read_roster(
        rows_to_csv(roster(DEMO_PHYSICIANS, seed=1, today=date.today(), states=states)),
        today=date.today(),
    )
    do_import_network(rows, actor=DEMO, source="demo roster")
    return [f"physician network of {len(rows):,} (made up) in {', '.join(states)}"]


def _demo_reviewer(claims: list[dict[str, str]]) -> list[str]:
    """The demo physician user's row of the network, when it is missing."""
    if Physician.objects.filter(npi=DEMO_REVIEWER["npi"]).exists():
        return []
    states = sorted({c["jurisdiction"] for c in claims} | {"CA", "NY"})
    expires = (date.today() + timedelta(days=730)).isoformat()
    row = {**DEMO_REVIEWER, "licenses": ";".join(f"{s}:{expires}" for s in states)}
    rows, rejected = read_roster(rows_to_csv([row]), today=date.today())
    assert not rejected, rejected
    do_import_network(rows, actor=DEMO, source="demo reviewer")
    return [f"physician {row['name']} (NPI {row['npi']}), the demo physician user"]


# Examiners given bookable hours near each example claimant, and for how many days ahead.
DEMO_EXAMINERS_PER_CLAIM = 12
DEMO_HOURS_DAYS = 45


def _demo_hours(cases: list[Path]) -> list[str]:
    """Bookable hours for the IME examiners nearest each example claimant (weekdays, 9 to 12
    and 13 to 17 at their own office, for the coming weeks), when no examiner has any yet:
    so that the scheduler's page has slots to offer."""
    from medreview.core.case.folder import CaseFolderError, referral_data
    from medreview.core.network import geo
    from medreview.core.network.hours import HoursRow
    from medreview.network.actions import do_import_hours
    from medreview.network.models import Availability
    from medreview.network.pool import match_referral

    if Availability.objects.exists():
        return []
    today = date.today()
    npis: set[str] = set()
    for case in cases:
        text = (case / "referral.json").read_text(encoding="utf-8-sig")
        referral = referral_data(json.loads(text), today=today, source=str(case))
        try:
            found = match_referral(referral, "ime", today=today, top=DEMO_EXAMINERS_PER_CLAIM)
        except (ValueError, CaseFolderError):  # no claimant ZIP, or nothing to match
            continue
        npis.update(c.npi for c in found.candidates)
    days = [today + timedelta(days=n) for n in range(1, DEMO_HOURS_DAYS + 1)]
    rows: list[HoursRow] = []
    for physician in Physician.objects.filter(npi__in=sorted(npis)).order_by("npi"):
        office = geo.centroid(physician.zip)
        if office is None:
            continue
        address = f"{100 + int(physician.npi[-3:])} Medical Plaza, {office.state}"
        rows += [
            HoursRow(len(rows) + 2, physician.npi, day, time(start), time(end), physician.zip,
                     address, office.latitude, office.longitude)
            for day in days
            if day.weekday() < 5
            for start, end in ((9, 12), (13, 17))
        ]  # fmt: skip
    if not rows:
        return []
    do_import_hours(rows, actor=DEMO, source="demo hours")
    return [f"bookable hours of {len({r.npi for r in rows})} IME examiners near the claimants"]


# The example taken on to its IME: a surgeon's case whose work status needs an examination.
DEMO_IME_CASE = "e01_foot_peer_review"


def _demo_ime(cases: list[Path]) -> list[str]:
    """Queue the demo case's way to its IME, unless someone has decided it already."""
    case = next((c for c in cases if c.name == DEMO_IME_CASE), None)
    if case is None:
        return []
    number = json.loads((case / "referral.json").read_text(encoding="utf-8-sig"))["claim"]["number"]
    referral = Referral.objects.filter(claim_number=number).first()
    if referral is None or referral.decided_path:
        return []
    take_demo_case_to_its_ime.enqueue(str(referral.pk))
    return [f"referral {number} to be taken to a confirmed IME once its records are read"]


# How long the demo's referral may wait for its records to be read (5 s a try).
READ_TRIES = 120
DEMO_RATIONALE = "The emergency record, the imaging and the surgeon's notes answer it."


@task()
def take_demo_case_to_its_ime(referral_id: str, attempt: int = 1) -> str:
    """Once the referral is triaged: a coordinator's decision for a peer review, the demo
    physician's review (an examination still needed for the work status), QA's pass, and the
    coordinator's confirmation of the IME referral, each through its door as the demo's
    people. Does nothing to a referral someone already decided or assigned."""
    from medreview.reports.actions import (
        do_confirm_ime_referral,
        do_qa_review,
        do_record_determination,
        do_submit_review,
    )
    from medreview.reports.review import record_pages
    from medreview.reviews.actions import do_assign_physician, do_attest_assignment
    from medreview.triage.actions import do_decide_triage

    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None:
        return "no such referral"
    if referral.triage is None:
        if attempt >= READ_TRIES:
            return "its records were never read"
        later = take_demo_case_to_its_ime.using(run_after=timezone.now() + timedelta(seconds=5))
        later.enqueue(referral_id, attempt + 1)
        return "waiting for its records to be read"
    if referral.decided_path or referral.assignments.exists():
        return "already under way"
    people = User.objects.filter(organisation__kind=Organisation.REVIEWER, is_active=True)
    coordinator = people.filter(role="coordinator").order_by("pk").first()
    qa = people.filter(role="qa").order_by("pk").first()
    physician = people.filter(role="physician", npi=DEMO_REVIEWER["npi"]).first()
    if coordinator is None or qa is None or physician is None:
        return "the desk's coordinator, QA nurse or demo physician is missing"
    do_decide_triage(
        referral,
        actor=coordinator,
        decision="override",
        path="peer_review_first",
        reason="The records answer most questions: a peer review first.",
    )
    review = do_assign_physician(
        referral, actor=coordinator, service="peer_review", npi=DEMO_REVIEWER["npi"]
    )
    do_attest_assignment(review, actor=physician, no_conflict=True)
    first = min(record_pages(referral))
    for question in referral.questions:
        exam = question["type"] == "work_status"
        do_record_determination(
            review,
            actor=physician,
            question_id=str(question["id"]),
            determination="needs_exam" if exam else "supported",
            rationale="Only an examination can tell what the claimant can do today."
            if exam
            else DEMO_RATIONALE,
            citations=[{"file": first, "page": 1}],
            disputes=["the claimant's capacity for work"] if exam else None,
        )
    do_submit_review(review, actor=physician)
    do_qa_review(review, actor=qa, decision="pass", note="")
    do_confirm_ime_referral(referral, actor=coordinator)
    return "IME referral confirmed"


def print_logins(port: int) -> None:
    print(f"\nmedreview demo: open http://localhost:{port}/ and sign in with one of:")
    for email, org, role in USERS:
        print(f"  {email:30} password {PASSWORD}   ({ROLE_LABELS[role]}, {org})")
