"""An IME booked through the API keeps the rules of where and by whom: an office beyond the
jurisdiction's distance from the claimant, an examiner without a licence of the state, or one
who does not speak the claimant's language with no interpreter booked, is refused (422) naming
the rule and its citation, and nothing is booked; with an interpreter booked, the same
examiner may examine, and the notice letter says so."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from ime_flow import EXAMINER, book, hours_rows, import_hours, new_york, new_york_ime, slots
from webapp import COLLEAGUE, import_roster, login

from medreview.claims.permissions import COMMAND_LINE
from medreview.exams.models import Appointment
from medreview.network.actions import do_add_hours
from medreview.network.models import Physician

pytestmark = pytest.mark.django_db(transaction=True)


def _first_lawful_day(people: Any, rid: str) -> datetime:
    return datetime.fromisoformat(slots(people, rid)["slots"][0]["start"])


def test_an_office_beyond_the_distance_limit_is_refused(people: Any, tmp_path: Path) -> None:
    rid = new_york_ime(people, tmp_path)
    day = _first_lawful_day(people, rid).date()
    do_add_hours(
        Physician.objects.get(npi=EXAMINER["npi"]),
        actor=COMMAND_LINE,
        day=day,
        start=time(13),
        end=time(16),
        zip_code="14201",
        address="50 High Street, Buffalo, NY",
    )
    offered = slots(people, rid, f"?npi={EXAMINER['npi']}")
    assert all("Buffalo" not in s["location"] for s in offered["slots"])
    refused = book(people, rid, EXAMINER["npi"], f"{day.isoformat()}T13:00")
    assert refused.status_code == 422, refused.content
    said = refused.json()["detail"]
    assert "the office at 14201 is" in said and "beyond NY's limit of 50" in said
    assert "the default where NY's rules are silent" in said
    assert not Appointment.objects.exists()


def test_an_examiner_without_a_licence_of_the_state_is_refused(people: Any, tmp_path: Path) -> None:
    rid = new_york_ime(people, tmp_path)
    unlicensed = {**COLLEAGUE, "zip": "10001", "affiliations": "Midtown Exams"}
    import_roster(unlicensed)
    start = _first_lawful_day(people, rid)
    rows = hours_rows(unlicensed["npi"], "10001", "1 Penn Plaza, New York, NY", [start.date()])
    assert import_hours(tmp_path, rows, "more.csv")[0] == 0
    assert unlicensed["npi"] not in {s["npi"] for s in slots(people, rid)["slots"]}
    refused = book(people, rid, unlicensed["npi"], start.isoformat(timespec="minutes"))
    assert refused.status_code == 422, refused.content
    said = refused.json()["detail"]
    assert "holds no NY licence active on" in said and "(NY: WCL 137(3)(a))" in said
    assert not Appointment.objects.exists()


def test_a_claimant_speaking_another_language_needs_an_interpreter(
    people: Any, tmp_path: Path
) -> None:
    rid = new_york_ime(people, tmp_path, new_york(claimant={"language": "ko"}))
    assert slots(people, rid)["slots"] == []
    offered = slots(people, rid, "?interpreter=true")["slots"]
    assert offered and {s["npi"] for s in offered} == {EXAMINER["npi"]}
    refused = book(people, rid, EXAMINER["npi"], offered[0]["start"])
    assert refused.status_code == 422, refused.content
    said = refused.json()["detail"]
    assert "does not speak the claimant's language (ko) and no interpreter is booked" in said
    assert "WAC 296-23-362" in said
    assert not Appointment.objects.exists()

    made = book(people, rid, EXAMINER["npi"], offered[0]["start"], interpreter=True)
    assert made.status_code == 201, made.content
    assert made.json()["interpreter"]
    letter = login(people.scheduler).get(
        f"/referrals/{rid}/ime/appointments/{made.json()['id']}/notice.pdf"
    )
    doc = pdfium.PdfDocument(letter.content)
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in doc).split())
    doc.close()
    assert "Interpreter: booked, in Korean" in text
