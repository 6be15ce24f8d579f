"""Benchmark: the physician's portal and the report as a user meets them, through Django's
test client on a fresh SQLite database (in a child process, `python -m bench.portal N P`).

Goals (bench/README.md): the physician's assignment list (page and API) and the portal's
assignment page read the same number of queries with 1 assignment as with N (100; 20 with
--quick), and with a one-page record as with a P-page packet (300; 60 with --quick); QA's
pass of a review with 20 questions and 200 citations, which renders and stores the report,
and the client's download of it each take under 1 s.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from bench.desk import REVIEWER_NPI, make_desk, run_child
from bench.measure import Outcome

GOAL_S = 1.0
QUESTIONS, CITATIONS_EACH = 20, 10


def run(quick: bool) -> Outcome:
    many, pages = (20, 60) if quick else (100, 300)
    got = run_child("bench.portal", str(many), str(pages))
    fixed = (
        got["list_1"] == got["list_n"]
        and got["api_1"] == got["api_n"]
        and got["case_1"] == got["case_big"]
    )
    slowest = max(got["qa_pass_s"], got["download_s"])
    rows = [
        (
            "assignment list (page), 1 and " + f"{many} assignments",
            f"{got['list_1']} and {got['list_n']} queries",
        ),
        (
            "assignment list (API), 1 and " + f"{many} assignments",
            f"{got['api_1']} and {got['api_n']} queries",
        ),
        (
            f"assignment page, a 1-page record and a {pages}-page packet with {QUESTIONS}"
            f" questions, {QUESTIONS * CITATIONS_EACH} citations",
            f"{got['case_1']} and {got['case_big']} queries",
        ),
        (
            "QA pass (renders and stores the report), as a request",
            f"{got['qa_pass_s'] * 1000:.0f} ms",
        ),
        ("report.pdf downloaded by the client, as a request", f"{got['download_s'] * 1000:.0f} ms"),
        ("report", f"{got['report_pages']} pages, {got['report_bytes']:,} bytes"),
        ("slowest / goal", f"{slowest / GOAL_S:.2f}x (goal < 1 s)"),
    ]
    return Outcome(
        name="portal",
        figure=f"queries fixed: {'yes' if fixed else 'NO'}; QA pass {got['qa_pass_s'] * 1000:.0f} ms,"
        f" download {got['download_s'] * 1000:.0f} ms",
        goal="same queries; < 1 s",
        passed=fixed and slowest < GOAL_S,
        rows=rows,
        notes=[f"set-up (referrals read, assignments made) took {got['setup_s']:.0f} s"],
    )


def _child(many: int, pages: int) -> dict[str, Any]:
    from medreview.web import runtime

    runtime.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.inputs import pdf_of, text_case
    from medreview.claims.models import Referral
    from medreview.records.actions import Upload, do_create_referral
    from medreview.reports.actions import do_record_determination, do_submit_review
    from medreview.reports.review import record_pages
    from medreview.reviews.actions import do_assign_physician, do_attest_assignment
    from medreview.reviews.models import Assignment
    from medreview.triage.actions import do_decide_triage

    started = time.perf_counter()
    people = make_desk(licences="CA:2030-06-30", zip_code="94107", capacity=1000)
    adjuster, coordinator, qa, doctor = (
        people.adjuster,
        people.coordinator,
        people.qa,
        people.doctor,
    )
    client_org, npi = adjuster.organisation, REVIEWER_NPI

    note = (
        b"ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
        b"Right knee pain after a fall at work. Assessment: right knee sprain. Plan: therapy.\n"
    )

    def given(questions: int, uploads: list[Any]) -> Assignment:
        referral = {
            "claim": {
                "number": f"WC-BENCH-{Referral.objects.count() + 1:04d}",
                "line_of_business": "workers_comp",
                "jurisdiction": "CA",
                "date_of_injury": "2026-03-02",
                "body_parts": ["right knee"],
            },
            "claimant": {"name": "Bench Claimant", "zip": "94110", "language": "en"},
            "treating_providers": [
                {"name": "Maren Holt, MD", "specialty": "Orthopaedic Surgery", "group": "Bayline"}
            ],
            "questions": [
                {"id": f"q{n}", "type": "medical_necessity", "text": f"Is treatment {n} necessary?"}
                for n in range(1, questions + 1)
            ],
            "received": "2026-06-01",
        }
        made = do_create_referral(
            client_org, actor=adjuster, referral_text=json.dumps(referral), uploads=uploads
        )
        made.refresh_from_db()
        assert made.triage is not None, made.processing_error
        do_decide_triage(
            made, actor=coordinator, decision="override", path="peer_review_first", reason="bench"
        )
        return do_assign_physician(made, actor=coordinator, service="peer_review", npi=npi)

    def queries(client: Any, url: str) -> int:
        with CaptureQueriesContext(connection) as seen:
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)
        return len(seen)

    page = Client()
    page.force_login(doctor)
    first = given(1, [Upload("note.txt", note)])
    do_attest_assignment(first, actor=doctor, no_conflict=True, statement="No tie.")
    got: dict[str, Any] = {
        "list_1": queries(page, "/portal/"),
        "api_1": queries(page, "/api/v1/assignments"),
        "case_1": queries(page, f"/portal/{first.pk}/"),
    }
    for _ in range(many - 1):
        given(1, [Upload("note.txt", note)])
    got["list_n"] = queries(page, "/portal/")
    got["api_n"] = queries(page, "/api/v1/assignments")

    packet = pdf_of(text_case(pages))
    big = given(QUESTIONS, [Upload(packet.name, packet.read_bytes())])
    do_attest_assignment(big, actor=doctor, no_conflict=True, statement="No tie.")
    ((name, count),) = record_pages(big.referral).items()
    for n in range(1, QUESTIONS + 1):
        cited = [
            {"file": name, "page": 1 + (n * 7 + k * 13) % count} for k in range(CITATIONS_EACH - 1)
        ] + [{"guideline": "ODG Knee & Leg", "edition": "2026", "section": f"{n}"}]
        do_record_determination(
            big,
            actor=doctor,
            question_id=f"q{n}",
            determination="not_supported" if n % 3 else "needs_exam",
            rationale="The records show " + "a documented course of care " * 20,
            citations=cited,
        )
    got["case_big"] = queries(page, f"/portal/{big.pk}/")
    do_submit_review(big, actor=doctor)
    got["setup_s"] = time.perf_counter() - started

    nurse = Client()
    nurse.force_login(qa)
    t0 = time.perf_counter()
    passed = nurse.post(
        f"/api/v1/assignments/{big.pk}/qa", {"decision": "pass"}, content_type="application/json"
    )
    got["qa_pass_s"] = time.perf_counter() - t0
    assert passed.status_code == 200, passed.content[:500]
    reader = Client()
    reader.force_login(adjuster)
    t0 = time.perf_counter()
    pdf = reader.get(f"/api/v1/referrals/{big.referral_id}/report.pdf")
    got["download_s"] = time.perf_counter() - t0
    assert pdf.status_code == 200
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.content)
    got["report_pages"], got["report_bytes"] = len(doc), len(pdf.content)
    doc.close()
    return got


if __name__ == "__main__":
    print(json.dumps(_child(int(sys.argv[1]), int(sys.argv[2]))))
