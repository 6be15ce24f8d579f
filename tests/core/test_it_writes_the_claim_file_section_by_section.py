"""The claim file's PDF is made from data alone, a numbered section a writer, listed in the
contents on page 1 with the page each starts on; a writer appended to `SECTIONS` is one more
numbered section. The IME section says "No appointment booked" when none is, and shows each
appointment otherwise; the same data gives the same bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pypdfium2 as pdfium
import pytest

from medreview.core.claimfile import pdf
from medreview.core.claimfile.model import (
    Appointment,
    AuditEvent,
    AuditTrail,
    ChronologyEntry,
    ClaimFile,
    OriginalDocument,
    Question,
    Referral,
    Triage,
)
from medreview.core.claimfile.pdf import Out, render_claim_file

MADE = datetime(2026, 7, 1, 14, 5, tzinfo=UTC)
DIGEST = "ab" * 32


def claim_file(**changes: object) -> ClaimFile:
    made = ClaimFile(
        referral_id="6c0e0000-0000-4000-8000-000000000001",
        client="Client A Mutual",
        made=MADE,
        made_by="ann@a.example",
        referral=Referral(
            claim_number="WC-2026-0417",
            jurisdiction="NY",
            line_of_business="workers_comp",
            received=date(2026, 6, 1),
            due=date(2026, 7, 10),
            status="In review",
            sent_by="ann@a.example",
            sent=MADE,
            claimant=(("Name", "Zoë Whitfield"),),
            questions=(Question("q1", "causation", "Is the tear caused by the fall?"),),
        ),
        triage=Triage(path="peer_review_first", rationale=("The records answer q1.",)),
        chronology=(
            ChronologyEntry(
                "2026-06-20",
                "progress_note",
                "Maren Holt, MD",
                "Knee sprain.",
                "records/note.txt",
                1,
            ),
        ),
        audit=AuditTrail(
            events=(
                AuditEvent(
                    1,
                    MADE.isoformat(),
                    "ann@a.example",
                    "referral.received",
                    "{}",
                    DIGEST,
                    "0" * 64,
                ),
            ),
            verified=True,
        ),
        documents=(OriginalDocument("records/note.txt", 234, DIGEST, "records/note.txt", DIGEST),),
    )
    return made if not changes else ClaimFile(**{**made.__dict__, **changes})


def pages_of(content: bytes) -> list[str]:
    doc = pdfium.PdfDocument(content)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def test_each_section_is_numbered_and_listed_with_its_page() -> None:
    pages = pages_of(render_claim_file(claim_file()))

    contents = pages[0]
    assert "Claim number: WC-2026-0417" in contents and "Contents" in contents
    for number, title in enumerate(
        (
            "The referral",
            "Triage",
            "Gaps and records requests",
            "Chronology",
            "Reviews and reports",
            "The IME",
            "The audit trail",
            "Original documents",
        ),
        start=1,
    ):
        heading = f"{number}. {title}"
        listed = next(line for line in contents.splitlines() if line.startswith(heading))
        page = int(listed.rsplit("page ", 1)[1])
        assert pages[page - 1].lstrip().startswith(heading), (heading, page)
    assert "Name: Zoë Whitfield" in pages[1]
    assert "records/note.txt, page 1" in "".join(pages)
    assert "Verified: 1 event, the chain is unbroken." in "".join(pages)
    assert "1 of 1 file byte-identical to what was received." in "".join(pages)


def test_a_writer_appended_is_one_more_numbered_section(monkeypatch: pytest.MonkeyPatch) -> None:
    def kept_elsewhere(out: Out, data: ClaimFile) -> None:
        out.section("Kept elsewhere")
        out.line(f"Nothing more of claim {data.claim_number}.")

    monkeypatch.setattr(pdf, "SECTIONS", [*pdf.SECTIONS, kept_elsewhere])
    pages = pages_of(render_claim_file(claim_file()))

    assert "9. Kept elsewhere" in pages[0]
    assert pages[-1].lstrip().startswith("9. Kept elsewhere")
    assert "Nothing more of claim WC-2026-0417." in pages[-1]


def test_the_ime_says_no_appointment_booked_when_none_is() -> None:
    text = "".join(pages_of(render_claim_file(claim_file())))
    assert "Appointments and outcomes" in text and "No appointment booked" in text

    booked = Appointment(
        start=datetime(2026, 7, 20, 9, 0),
        examiner="Ellis Park, MD",
        place="1 Main St, New York, NY 10001",
        status="Attended",
        interpreter=True,
    )
    text = "".join(pages_of(render_claim_file(claim_file(appointments=(booked,)))))
    assert "No appointment booked" not in text
    assert "1. 2026-07-20 09:00, Ellis Park, MD: Attended" in text
    assert "Interpreter: booked" in text


def test_the_same_data_gives_the_same_bytes() -> None:
    assert render_claim_file(claim_file()) == render_claim_file(claim_file())
