"""A fax packet of notes as clinics send them: each note under its letterhead (facility,
address, telephone), a patient line and a date of service, most with no title; every page
stamped by the fax machine with its sending date, time and running page count. A note starts
where its letterhead, provider or date of service changes; a continuation page (the stamp and
the text going on) stays with its note; the date of service is the letterhead's, never the
stamp's sending date or the birth date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pdfs import make_text_pdf

from medreview.core.reading import read_file
from medreview.core.records.dates import service_date
from medreview.core.records.split import split_packet

ORTHO = """Riverside Orthopaedic Associates
1400 Harbor Boulevard, Suite 210, Springfield, IL 62704
Phone (217) 555-0142   Fax (217) 555-0143
Patient: DOE, JANE   D.O.B. 01/02/1970   Claim #: WC-26-0042
Provider: Maria T. Okafor, MD     Date: {day}
"""
PAIN = """Lakeview Pain and Spine Center
88 Lakeview Drive, Madison, WI 53703
Tel 608-555-0190
RE: Jane Doe    DOB 01/02/1970
Seen by: Anand Prakash-Whitley, DO
Visit date: {day}
"""
BODY = """SUBJECTIVE: The patient returns for her low back pain, radiating to the left leg.
She reports that the pain is {pain}/10 and that physical therapy helped somewhat.
OBJECTIVE: Lumbar flexion is limited to 60 degrees. Straight leg raise is negative.
ASSESSMENT: Lumbar strain with left radicular symptoms.
PLAN: Continue therapy twice weekly. Return in four weeks.
"""
GOING_ON = """she was counselled on lifting mechanics and a home exercise program was reviewed.
Modified duty with no lifting over 20 pounds until the next visit.
"""


def _stamp(k: int, n: int) -> str:
    return f"Dec 01 2026 02:32PM   Riverside Ortho   (217) 555-0143   p.{k}\n"


def _packet() -> list[str]:
    pages = [
        ORTHO.format(day="03/14/2026") + BODY.format(pain=6),  # 1
        GOING_ON,  # 2: a continuation page
        PAIN.format(day="March 20, 2026") + BODY.format(pain=5),  # 3
        ORTHO.format(day="04/11/2026") + BODY.format(pain=4),  # 4: same clinic, new date
        GOING_ON,  # 5
        PAIN.format(day="April 30, 2026") + BODY.format(pain=3),  # 6
    ]
    return [_stamp(k, len(pages)) + text for k, text in enumerate(pages, start=1)]


def test_untitled_notes_start_at_their_letterhead_and_continuation_pages_stay(
    tmp_path: Path,
) -> None:
    path = make_text_pdf(tmp_path / "p.pdf", _packet())
    (doc,) = read_file(path, "records/p.pdf").documents

    parts = [(p.first_page, p.last_page) for p in split_packet(doc)]

    assert parts == [(1, 2), (3, 3), (4, 5), (6, 6)]


def test_the_date_of_service_is_the_letterheads_not_the_stamps_or_the_birth_date() -> None:
    pages = _packet()

    assert service_date(pages[0]) == date(2026, 3, 14)
    assert service_date(pages[2]) == date(2026, 3, 20)
    assert service_date(pages[5]) == date(2026, 4, 30)
