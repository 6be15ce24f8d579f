"""A records packet (one PDF holding many documents) is split into page ranges at each document's
header, date of service and author (docs/workflow.md); a split document is named
`records/FILE.pdf#pages=A-B` and keeps its own pages, date and author (section 5).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pdfs import make_case, make_text_pdf

from medreview.core.case.pipeline import triage_folder
from medreview.core.reading import read_file
from medreview.core.records.split import split_packet

OFFICE_VISIT = """OFFICE VISIT - PROGRESS NOTE
Date of Service: {day}
Provider: Marisol Okonkwo-Hale, MD
Chief complaint: right wrist pain after a fall from a ladder at work.
Examination: tenderness over the anatomic snuffbox, grip reduced on the right.
Plan: thumb spica splint, modified duty, no lifting over 5 lb with the right hand.
Electronically signed by Marisol Okonkwo-Hale, MD"""

CONSULT = [
    """ORTHOPAEDIC HAND SURGERY CONSULTATION
Date of Service: 05/18/2026
Consulting physician: Desmond Achterberg, MD
Reason for consultation: right wrist pain, suspected scaphoid injury.
History of present illness: the claimant fell from a ladder at work on 04/30/2026.
Page 1 of 3""",
    """Physical examination: swelling of the dorsal wrist, grip strength reduced.
Range of motion: flexion 40 degrees, extension 35 degrees, painful at end range.
Page 2 of 3""",
    """Assessment: nondisplaced fracture of the scaphoid waist.
Plan: thumb spica cast for six weeks, repeat radiographs in two weeks.
Desmond Achterberg, MD
Page 3 of 3""",
]

MRI_REPORT = """RADIOLOGY REPORT
Exam: MRI right wrist without contrast
Exam date: 05/11/2026
Radiologist: Ingrid Soltani-Marsh, MD
Findings: nondisplaced fracture line through the scaphoid waist with marrow edema.
Impression: nondisplaced scaphoid waist fracture."""

THERAPY = """PHYSICAL THERAPY DAILY NOTE
Date of Service: {day}
Therapist: Brennan Tulloch, PT, DPT
Treatment: edema control, tendon gliding, home exercise program.
Tolerated treatment well. Continue twice weekly."""


def _faxed(pages: list[str]) -> list[str]:
    """The packet as a fax server sends it: its own page count stamped on top of every page."""
    n = len(pages)
    return [
        f"07/08/2026 14:22 FROM: SOUTHSIDE ORTHOPAEDICS 417-555-0103 TO: CLAIMS UNIT P. {k}/{n}\n"
        + text
        for k, text in enumerate(pages, start=1)
    ]


PACKET = _faxed(
    [
        OFFICE_VISIT.format(day="05/04/2026"),  # 1
        *CONSULT,  # 2-4
        MRI_REPORT,  # 5
        THERAPY.format(day="05/20/2026"),  # 6
        THERAPY.format(day="05/22/2026"),  # 7
        OFFICE_VISIT.format(day="06/01/2026"),  # 8
        OFFICE_VISIT.format(day="06/15/2026"),  # 9
    ]
)
PACKET_PARTS = ["1-1", "2-4", "5-5", "6-6", "7-7", "8-8", "9-9"]


def _split(tmp_path: Path, pages: list[str]) -> list[str]:
    path = make_text_pdf(tmp_path / "p.pdf", pages)
    (doc,) = read_file(path, "records/p.pdf").documents
    assert doc.error is None
    return [part.name for part in split_packet(doc)]


def _names(parts: list[str]) -> list[str]:
    return [f"records/p.pdf#pages={r}" for r in parts]


def test_a_faxed_packet_splits_into_its_documents_not_at_the_fax_page_numbers(
    tmp_path: Path,
) -> None:
    # "P. 3/9" counts the fax's pages, not the consultation's: pages 2-4 are one document
    # because they say "Page 1 of 3" to "Page 3 of 3", and every page starting with a title,
    # a new date or a new author starts a document.
    assert _split(tmp_path, PACKET) == _names(PACKET_PARTS)


def test_each_document_of_a_split_packet_keeps_its_pages_and_date(tmp_path: Path) -> None:
    records = make_case(tmp_path / "case")
    make_text_pdf(records / "p.pdf", PACKET)

    result = triage_folder(tmp_path / "case", today=date(2026, 7, 10))

    got = [(d.name, d.pages, d.split, d.date) for d in result.documents]
    assert got == [
        ("records/p.pdf#pages=1-1", (1,), True, date(2026, 5, 4)),
        ("records/p.pdf#pages=2-4", (2, 3, 4), True, date(2026, 5, 18)),
        ("records/p.pdf#pages=5-5", (5,), True, date(2026, 5, 11)),
        ("records/p.pdf#pages=6-6", (6,), True, date(2026, 5, 20)),
        ("records/p.pdf#pages=7-7", (7,), True, date(2026, 5, 22)),
        ("records/p.pdf#pages=8-8", (8,), True, date(2026, 6, 1)),
        ("records/p.pdf#pages=9-9", (9,), True, date(2026, 6, 15)),
    ]


def test_a_two_page_note_numbered_page_1_of_2_stays_one_document(tmp_path: Path) -> None:
    # Its second page opens on a referral for a consultation and a new date, which alone
    # would look like a new document; "Page 2 of 2" says it is not.
    note = [
        OFFICE_VISIT.format(day="05/04/2026").rsplit("\n", 1)[0] + "\nPage 1 of 2",
        """Orthopaedic hand surgery consultation requested for the scaphoid injury.
Work status: modified duty through 05/18/2026, no use of the right hand.
Follow-up visit in two weeks.
Electronically signed by Marisol Okonkwo-Hale, MD
Page 2 of 2""",
    ]
    pages = [*note, THERAPY.format(day="05/20/2026")]

    assert _split(tmp_path, pages) == _names(["1-2", "3-3"])


CLAIM_FORM = """HEALTH INSURANCE CLAIM FORM (CMS-1500 02/12)
PAYER: Lone Star Mutual Casualty, Claims, P.O. Box 40217, Austin, TX 78701
2. PATIENT'S NAME: Brennan-Kite, Odalys      3. BIRTH DATE: 01/28/1984
14. DATE OF CURRENT ILLNESS, INJURY: 04/30/2026
24. SERVICE LINES
{lines}
31. SIGNATURE OF PHYSICIAN OR SUPPLIER: signature on file   DATE: 07/06/2026
33. BILLING PROVIDER: Southside Orthopaedics PLLC   NPI 2987973098
Southside Orthopaedics - claim form {k} of 2"""


def test_a_two_page_claim_form_stays_one_document(tmp_path: Path) -> None:
    bill = [
        CLAIM_FORM.format(
            k=1,
            lines="1  05/04/2026  11  99204  A  295.00  1  Marisol Okonkwo-Hale, MD\n"
            "2  05/18/2026  11  99243  A  210.00  1  Desmond Achterberg, MD",
        ),
        CLAIM_FORM.format(
            k=2,
            lines="1  05/20/2026  11  97110 GP  A  116.00  2  Brennan Tulloch, PT, DPT\n"
            "2  06/01/2026  11  99213  A  140.00  1  Marisol Okonkwo-Hale, MD",
        ),
    ]
    pages = [OFFICE_VISIT.format(day="06/01/2026"), *bill]

    assert _split(tmp_path, pages) == _names(["1-1", "2-3"])


def test_a_page_after_continued_stays_with_its_document(tmp_path: Path) -> None:
    # The second page of the note starts on a consultation request and the next visit's
    # date: on its own it would look like a new document.
    note = [
        OFFICE_VISIT.format(day="05/04/2026").rsplit("\n", 1)[0] + "\n(continued)",
        """Orthopaedic hand surgery consultation requested for the scaphoid injury.
Follow-up visit on 05/18/2026.
Electronically signed by Marisol Okonkwo-Hale, MD""",
    ]
    pages = [*note, THERAPY.format(day="05/20/2026")]

    assert _split(tmp_path, pages) == _names(["1-2", "3-3"])


CHIRO_NOTE = """CHIROPRACTIC DAILY NOTE
DOS: 05/20/2026   Provider: Lucian Ferreira-Voss, DC
S: Low back pain, worse after sitting. Pain 6/10
O: Lumbar paraspinal spasm L3-L5, restricted flexion.
A: Lumbar sprain, improving.
P: Spinal manipulation, return in 3 days."""


def _canon_fax(k: int, n: int) -> str:
    # Canon and Brother fax machines print time, sender and page count, with no "FROM:".
    return f"07/08/2026 WED 14:22 FAX 4175550103 SOUTHSIDE ORTHOPAEDICS {k:03d}/{n:03d}"


def _chart_print(pages: list[str]) -> list[str]:
    n = len(pages)
    return [
        f"{text}\nPrinted: 07/08/2026 10:02   Page {k} of {n}   PowerChart"
        for k, text in enumerate(pages, start=1)
    ]


WRONGLY_JOINED = [
    pytest.param(
        [OFFICE_VISIT.format(day="05/04/2026"), CHIRO_NOTE],
        id="pain-score-in-header",
    ),
    pytest.param(
        [
            OFFICE_VISIT.format(day="05/04/2026"),
            THERAPY.format(day="05/20/2026") + "\nPain at end of session: 3/10",
        ],
        id="pain-score-in-last-line",
    ),
    pytest.param(
        [
            _canon_fax(1, 2) + "\n" + OFFICE_VISIT.format(day="05/04/2026"),
            _canon_fax(2, 2) + "\n" + THERAPY.format(day="05/20/2026"),
        ],
        id="fax-header-without-from",
    ),
    pytest.param(
        _chart_print(
            [
                OFFICE_VISIT.format(day="05/04/2026"),
                THERAPY.format(day="05/20/2026"),
                MRI_REPORT,
            ]
        ),
        id="chart-print-running-page-numbers",
    ),
    pytest.param(
        [
            OFFICE_VISIT.format(day="05/04/2026"),
            """MRI RIGHT WRIST WITHOUT CONTRAST
Exam date: 05/11/2026
Radiologist: Ingrid Soltani-Marsh, MD
Findings: nondisplaced fracture line through the scaphoid waist with marrow edema.
Impression: nondisplaced scaphoid waist fracture.""",
        ],
        id="imaging-report-titled-by-its-study",
    ),
]


@pytest.mark.parametrize("pages", WRONGLY_JOINED)
def test_a_realistic_packet_layout_splits_at_each_document(
    tmp_path: Path, pages: list[str]
) -> None:
    parts = [f"{k}-{k}" for k in range(1, len(pages) + 1)]

    assert _split(tmp_path, pages) == _names(parts)
