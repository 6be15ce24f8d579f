"""Helpers of the web tests: sending a referral through the API, running the worker."""

from __future__ import annotations

import json
from typing import Any

from cases import REFERRAL
from django.core.management import call_command
from django.test import Client

EXAMPLE_NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. Assessment: right knee sprain. Plan: physical therapy.\n"
)


def api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def send(
    token: str, referral: dict[str, Any] | None = None, files: dict[str, bytes] | None = None
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = files if files is not None else {"note.txt": EXAMPLE_NOTE.encode()}
    records = [SimpleUploadedFile(name, content) for name, content in files.items()]
    return api(token).post(
        "/api/v1/referrals",
        {"referral": json.dumps(referral or REFERRAL), "records": records},
    )


PASSWORD = "correct horse battery"  # the personas' (conftest.py)


def sign_in(browser: Any, base: str, email: str, lands: str = "/") -> Any:
    """A new browser page signed in through the sign-in form (a physician lands on its
    portal, `lands="/portal/"`)."""
    page = browser.new_context().new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{lands}")
    return page


def login(user: Any) -> Client:
    """A browser session signed in as the user."""
    c = Client()
    c.force_login(user)
    return c


def import_roster(*rows: dict[str, str]) -> None:
    """Physicians into the network, as `medreview network import` puts them (credentials
    verified on 2026-05-01, so current for the test referrals)."""
    from datetime import date

    from medreview.claims.permissions import COMMAND_LINE
    from medreview.core.network.roster import read_roster, rows_to_csv
    from medreview.network.actions import do_import_network

    found, rejected = read_roster(rows_to_csv(list(rows)), today=date(2026, 5, 1))
    assert not rejected, rejected
    do_import_network(found, actor=COMMAND_LINE, source="test")


def call_for_peer_review(referral_id: str, coordinator: Any) -> None:
    """A coordinator's triage decision that the referral waits for a peer review."""
    from medreview.claims.models import Referral
    from medreview.triage.actions import do_decide_triage

    do_decide_triage(
        Referral.objects.get(pk=referral_id),
        actor=coordinator,
        decision="override",
        path="peer_review_first",
        reason="the records answer the question",
    )


def run_worker() -> None:
    """What `medreview serve` runs in the background: every queued task, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")


# Two roster rows of the network tests: a surgeon, and a colleague of the same group.
SURGEON = {
    "npi": "1000000103",
    "name": "Avery Chen, MD",
    "specialties": "Orthopaedic Surgery",
    "board_certified": "yes",
    "licenses": "CA:2027-06-30",
    "zip": "94107",
    "services": "peer_review;ime",
    "languages": "en;es",
    "weekly_capacity": "8",
    "open_assignments": "3",
    "median_turnaround_days": "2.5",
    "qa_score": "0.93",
    "affiliations": "Bayview Spine Group",
    "fee_peer_review": "350",
    "fee_ime": "1800",
}
COLLEAGUE = {
    **SURGEON,
    "npi": "1000000095",
    "name": "Col League, MD",
    "affiliations": "Bayline Orthopedics",
}


# The network rows of the personas' two physicians (conftest.py): reviewers of the same
# specialty as the test referrals' treating surgeon, licensed in California and New York.
REVIEWER = {
    **SURGEON,
    "npi": "1234567893",
    "name": "Dana Reyes, MD",
    "licenses": "CA:2027-06-30;NY:2027-06-30",
    "affiliations": "Reyes Review LLC",
}
REVIEWER_B = {
    **REVIEWER,
    "npi": "2000000101",
    "name": "Ellis Park, MD",
    "affiliations": "Park Medical PC",
}


def assigned_review(
    people: Any,
    referral: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
    roster: tuple[dict[str, str], ...] = (REVIEWER, REVIEWER_B),
) -> tuple[str, int]:
    """A client A referral read, decided for a peer review, and given to the persona
    physician (of the roster's first row): (referral id, assignment id)."""
    import_roster(*roster)
    rid: str = send(people.token(people.adjuster_a), referral, files).json()["id"]
    run_worker()
    call_for_peer_review(rid, people.coordinator)
    made = api(people.token(people.coordinator)).post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "peer_review", "npi": roster[0]["npi"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    return rid, int(made.json()["id"])


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


ATTEST = {"no_conflict": True, "statement": "I have no tie to the parties of this claim."}


def answer_all(people: Any, aid: int, *, determination: str = "supported") -> None:
    """The persona physician attests, answers every question of the assignment with a
    rationale and a record page, and submits."""
    doctor = api(people.token(people.physician))
    base = f"/api/v1/assignments/{aid}"
    assert post(doctor, f"{base}/attestation", ATTEST).status_code == 200
    found = doctor.get(base).json()
    page = {"file": found["records"][0]["name"], "page": 1}
    for q in found["questions"]:
        made = post(
            doctor,
            f"{base}/determinations",
            {
                "question_id": q["id"],
                "determination": determination,
                "rationale": "The records answer it.",
                "citations": [page],
            },
        )
        assert made.status_code == 201, made.content
    submitted = post(doctor, f"{base}/submit")
    assert submitted.status_code == 200, submitted.content


def delivered_review(people: Any, *, determination: str = "supported") -> tuple[str, int]:
    """A referral whose peer review the persona physician answered and QA passed."""
    rid, aid = assigned_review(people)
    answer_all(people, aid, determination=determination)
    passed = post(
        api(people.token(people.qa)), f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}
    )
    assert passed.status_code == 200, passed.content
    return rid, aid
