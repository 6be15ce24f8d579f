"""THE acceptance scenario of the IME: the New York referral of
test_it_takes_a_peer_review_to_its_report, with three record files, goes on. The persona
physician's peer review leaves q2 for an examination, QA passes it, the coordinator confirms
the IME referral; two New York examiners, the peer reviewer and another, have hours near ZIP
10001 imported by the real command. Then the peer reviewer is neither an IME candidate nor
among the slots' examiners; every slot offered respects New York's 7 business days' notice
(counted here independently, with the `holidays` package); a booking two days out is refused
naming the notice and WCL 137; booking the peer reviewer is refused naming the independence
rule; a lawful booking at the first slot offered is accepted, and its notice letter holds the
date, the office, what to bring and the interpreter; then the exam is attended and its
report's clock starts; the client's claim file holds a PDF with the exam in it and the three
original records as received."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from ime_flow import (
    EXAMINER,
    OFFICE,
    PEER_REVIEWER,
    book,
    business_days_after,
    new_york_ime,
    on_the_exam_day,
    slots,
)
from webapp import api, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Clock, Notice
from medreview.exams.models import Appointment
from medreview.outbox.models import Email
from medreview.records.models import RecordFile
from medreview.reviews.models import Assignment, ClientSettings

pytestmark = pytest.mark.django_db(transaction=True)


def _text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(p.get_textpage().get_text_range() for p in doc)
    finally:
        doc.close()


def test_the_narrowed_ime_is_booked_lawfully_with_another_examiner(
    people: Any, tmp_path: Any
) -> None:
    rid = new_york_ime(people, tmp_path)
    today = timezone.localdate()
    scheduler = api(people.token(people.scheduler))

    # The peer reviewer is kept out: of the candidates, and of the slots' examiners.
    candidates = api(people.token(people.coordinator)).get(
        f"/api/v1/referrals/{rid}/candidates?service=ime"
    )
    assert candidates.status_code == 200, candidates.content
    assert [c["npi"] for c in candidates.json()["candidates"]] == [EXAMINER["npi"]]
    assert candidates.json()["excluded"]["peer_reviewer"] == 1
    offered = slots(people, rid)
    assert offered["slots"], offered
    assert {s["npi"] for s in offered["slots"]} == {EXAMINER["npi"]}
    assert {s["name"] for s in offered["slots"]} == {EXAMINER["name"]}
    own = slots(people, rid, f"?npi={PEER_REVIEWER['npi']}")
    assert own["slots"] == [] and "peer review" in own["why_none"]

    # Every slot respects New York's 7 business days' notice, its holidays skipped.
    earliest = business_days_after(today, 7, "NY")
    assert offered["earliest_allowed"] == earliest.isoformat()
    starts = [datetime.fromisoformat(s["start"]) for s in offered["slots"]]
    assert starts == sorted(starts) and all(s.date() >= earliest for s in starts)
    assert all(s["distance_miles"] <= 50 for s in offered["slots"])
    assert any("WCL 137(1)(a)" in why for why in offered["because"])
    first = offered["slots"][0]
    assert first["location"] == f"{OFFICE} (10001)" and first["start"].endswith("T09:00")

    before = Appointment.objects.count()
    soon = datetime.combine(today + timedelta(days=2), datetime.min.time()).replace(hour=9)
    early = book(people, rid, EXAMINER["npi"], soon.isoformat(timespec="minutes"))
    assert early.status_code == 422, early.content
    assert "7 business days' notice" in early.json()["detail"]
    assert "WCL 137" in early.json()["detail"]

    reviewer_slot = slots(people, rid, "?interpreter=false")["slots"][0]["start"]
    independent = book(people, rid, PEER_REVIEWER["npi"], reviewer_slot)
    assert independent.status_code == 422, independent.content
    assert "independent second opinion" in independent.json()["detail"]
    assert "did this referral's peer review" in independent.json()["detail"]
    assert Appointment.objects.count() == before
    assert not Assignment.objects.filter(referral_id=rid, service="ime").exists()

    made = book(people, rid, EXAMINER["npi"], first["start"], transport=True)
    assert made.status_code == 201, made.content
    booked = made.json()
    assert (booked["npi"], booked["start"], booked["status"]) == (
        EXAMINER["npi"],
        first["start"],
        "booked",
    )
    assert booked["transport"] and not booked["interpreter"]
    appointment = Appointment.objects.get(pk=booked["id"])
    ime = Assignment.objects.get(referral_id=rid, service="ime")
    assert ime.physician.npi == EXAMINER["npi"] and appointment.assignment == ime

    # The notice letter: stored encrypted, for the desk and the client to download.
    start = datetime.fromisoformat(first["start"])
    url = f"/referrals/{rid}/ime/appointments/{appointment.pk}/notice.pdf"
    letter = login(people.adjuster_a).get(url)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = " ".join(_text(letter.content).split())
    assert f"{start:%A} {start.day} {start:%B %Y} at 9:00 AM" in text
    assert OFFICE in text and "What to bring" in text and "photo ID" in text
    assert "interpreter" in text.lower() and "Transport: booked" in text
    assert "WCL 137" in text and "NY-2026-0042" in text
    assert login(people.scheduler).get(url).content == letter.content
    assert AuditEvent.objects.filter(action="notice_letter.viewed", referral_id=rid).count() == 2
    # Told: the client (its notice, and the letter to the adjuster who sent the referral) and
    # the examiner; never the claimant's name in an e-mail's subject or body.
    assert Notice.objects.filter(referral_id=rid, text__contains="is booked for").count() == 2
    (mailed,) = [e for e in Email.objects.filter(referral_id=rid) if "notice letter" in e.subject]
    assert mailed.to == people.adjuster_a.email and mailed.attachments.count() == 1
    assert all("Test Claimant" not in e.subject + e.body for e in Email.objects.all())
    # The clocks: scheduling stopped, the exam's running.
    assert Clock.objects.get(referral_id=rid, stage="scheduling").stopped == today
    assert Clock.objects.get(referral_id=rid, stage="exam").stopped is None

    with on_the_exam_day(start.isoformat()):
        attended = post(scheduler, f"/api/v1/appointments/{appointment.pk}/outcome", {
            "outcome": "attended", "note": "On time, with a relative."
        })  # fmt: skip
    assert attended.status_code == 200, attended.content
    assert attended.json()["status"] == "attended"
    again = post(
        scheduler, f"/api/v1/appointments/{appointment.pk}/outcome", {"outcome": "no_show"}
    )
    assert again.status_code == 409
    report = Clock.objects.get(referral_id=rid, stage="report")
    assert report.started == start.date() and report.stopped is None
    assert report.due == business_days_after(start.date(), 10, "NY")
    assert "WCL 137(1)(a)" in report.source
    assert Clock.objects.get(referral_id=rid, stage="exam").stopped == start.date()

    # The claim file: one PDF, the three original records as received, the notice letter,
    # and the exam in it.
    got = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/claim-file.zip")
    assert got.status_code == 200, got.content
    with zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content))) as held:
        names = held.namelist()
        assert "claim-file.pdf" in names
        originals = {n: held.read(n) for n in names if n.startswith("records/")}
        notices = {n: held.read(n) for n in names if n.startswith("notices/")}
        whole = " ".join(_text(held.read("claim-file.pdf")).split())
    assert len(originals) == 3
    for name, content in originals.items():
        kept = RecordFile.objects.get(referral_id=rid, name=name)
        assert hashlib.sha256(content).hexdigest() == kept.sha256
    assert "Appointments and outcomes" in whole
    assert f"{start:%Y-%m-%d %H:%M}, {EXAMINER['name']}: Attended" in whole
    # The letter the claimant was sent, byte for byte, where the PDF says it is.
    path = f"notices/notice-letter-{start:%Y-%m-%d-%H%M}.pdf"
    assert notices == {path: letter.content}
    assert hashlib.sha256(letter.content).hexdigest() == appointment.notice_sha256
    assert f"SHA-256 {appointment.notice_sha256}, {path}" in whole


def test_a_booking_names_every_rule_it_breaks_first_first(people: Any, tmp_path: Any) -> None:
    rid = new_york_ime(people, tmp_path)
    today = timezone.localdate()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    refused = book(people, rid, PEER_REVIEWER["npi"], f"{sunday.isoformat()}T07:00")
    assert refused.status_code == 422
    said = refused.json()["detail"]
    # The examiner first (the independence rule), then the day, then the hours.
    independence = said.index("independent second opinion")
    assert independence < said.index("no bookable hours")
    if sunday < business_days_after(today, 7, "NY"):
        assert independence < said.index("business days' notice") < said.index("no bookable hours")
    assert date.fromisoformat(slots(people, rid)["earliest_allowed"]) > today


def test_a_client_may_allow_its_peer_reviewer_to_examine(people: Any, tmp_path: Any) -> None:
    rid = new_york_ime(people, tmp_path)
    ClientSettings.objects.create(organisation=people.client_a, ime_by_peer_reviewer=True)
    offered = slots(people, rid)["slots"]
    assert PEER_REVIEWER["npi"] in {s["npi"] for s in offered}
    theirs = next(s for s in offered if s["npi"] == PEER_REVIEWER["npi"])
    made = book(people, rid, PEER_REVIEWER["npi"], theirs["start"])
    assert made.status_code == 201, made.content
