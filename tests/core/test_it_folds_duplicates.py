"""Exact and near-duplicate documents are folded, never deleted (docs/workflow.md): a copy is
listed with `duplicate_of` naming the document it repeats, whose kind and date it takes; the
text-layer copy is the original; reports alike in wording but of different days are not copies.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from pdfs import WRIST_NOTE, make_case, make_scanned_pdf, make_text_pdf

from medreview.core.case.folder import load_referral_file
from medreview.core.case.pipeline import build_document, read_records, triage_folder
from medreview.core.records.duplicates import Comparable, find_duplicates
from medreview.core.records.model import Document

TODAY = date(2026, 7, 10)

FOLLOW_UP = WRIST_NOTE

FAX_HEADER = "07/08/2026 14:22 FROM: SOUTHSIDE ORTHOPAEDICS 417-555-0103 TO: CLAIMS P. 1/1"


def _triage(case: Path) -> dict[str, Document]:
    return {d.name: d for d in triage_folder(case, today=TODAY).documents}


def test_the_same_note_as_text_and_as_pdf_is_one_document_listed_twice(tmp_path: Path) -> None:
    records = make_case(tmp_path)
    (records / "followup.txt").write_text(FOLLOW_UP, encoding="utf-8")
    make_text_pdf(records / "followup.pdf", [FOLLOW_UP])

    docs = _triage(tmp_path)

    assert set(docs) == {"records/followup.pdf", "records/followup.txt"}
    copies = {d.name: d.duplicate_of for d in docs.values() if d.duplicate_of}
    assert len(copies) == 1, copies
    ((copy, original),) = copies.items()
    assert {copy, original} == set(docs)
    assert docs[original].duplicate_of is None


def test_a_refaxed_scan_of_a_text_pdf_note_is_a_duplicate_of_the_text_original(
    tmp_path: Path,
) -> None:
    records = make_case(tmp_path)
    # The scan comes first in file order: the text-layer PDF is still the original.
    make_scanned_pdf(records / "a_refax_0708.pdf", [FAX_HEADER + "\n" + FOLLOW_UP])
    make_text_pdf(records / "ortho_followup.pdf", [FOLLOW_UP])

    docs = _triage(tmp_path)

    scan, typed = docs["records/a_refax_0708.pdf"], docs["records/ortho_followup.pdf"]
    assert scan.ocr and not typed.ocr
    assert scan.duplicate_of == "records/ortho_followup.pdf"
    assert typed.duplicate_of is None


def test_an_exact_copy_under_another_name_is_a_duplicate(tmp_path: Path) -> None:
    records = make_case(tmp_path)
    make_text_pdf(records / "followup.pdf", [FOLLOW_UP])
    shutil.copyfile(records / "followup.pdf", records / "followup_copy.pdf")

    docs = _triage(tmp_path)

    assert docs["records/followup_copy.pdf"].duplicate_of == "records/followup.pdf"
    assert docs["records/followup.pdf"].duplicate_of is None


NORMAL_WRIST_RADIOGRAPHS = """RADIOLOGY REPORT
RIGHT WRIST RADIOGRAPHS, 3 VIEWS
Exam date: {day}
Ordering physician: Marisol Okonkwo-Hale, MD
Clinical history: right wrist pain after a fall.
Technique: PA, lateral and oblique views of the right wrist.
Findings: No acute fracture or dislocation. The scaphoid is intact. The joint spaces are
preserved. No soft tissue swelling. No radiopaque foreign body.
Impression: Normal radiographs of the right wrist.
Radiologist: Ingrid Soltani-Marsh, MD"""


def test_templated_normal_radiographs_of_different_days_are_not_duplicates(
    tmp_path: Path,
) -> None:
    records = make_case(tmp_path)
    make_text_pdf(records / "xr_wrist_1.pdf", [NORMAL_WRIST_RADIOGRAPHS.format(day="05/01/2026")])
    make_text_pdf(records / "xr_wrist_2.pdf", [NORMAL_WRIST_RADIOGRAPHS.format(day="06/12/2026")])

    docs = _triage(tmp_path)

    assert [(d.kind, d.date, d.duplicate_of) for d in docs.values()] == [
        ("imaging_report", date(2026, 5, 1), None),
        ("imaging_report", date(2026, 6, 12), None),
    ]


NORMAL_KNEE_MRI = """MRI {SIDE} KNEE WITHOUT CONTRAST
Exam date: 05/01/2026
Ordering physician: Marisol Okonkwo-Hale, MD
Clinical history: {side} knee pain after a fall onto both knees at work.
Technique: Multiplanar multisequence MR images of the {side} knee without contrast.
Comparison: None.
Findings:
Menisci: The medial and lateral menisci are normal in morphology and signal. No tear.
Ligaments: The anterior and posterior cruciate ligaments are intact. The medial collateral
ligament and the lateral collateral ligament complex are intact.
Extensor mechanism: The quadriceps and patellar tendons are intact.
Cartilage: The articular cartilage of the medial, lateral and patellofemoral compartments
is preserved. No full-thickness chondral defect.
Bone marrow: Normal marrow signal. No fracture, contusion or osteonecrosis.
Joint fluid: Physiologic amount of joint fluid. No Baker cyst.
Soft tissues: The surrounding muscles and tendons are unremarkable.
Impression: Normal MRI of the {side} knee. No meniscal or ligament tear.
Radiologist: Ingrid Soltani-Marsh, MD"""


def test_same_day_studies_of_the_right_and_left_knee_are_not_duplicates(tmp_path: Path) -> None:
    records = make_case(tmp_path)
    for side in ("left", "right"):
        text = NORMAL_KNEE_MRI.format(SIDE=side.upper(), side=side)
        make_text_pdf(records / f"mri_{side}_knee.pdf", [text])

    docs = _triage(tmp_path)

    assert [d.duplicate_of for d in docs.values()] == [None, None]


def test_a_duplicate_takes_the_kind_and_date_of_the_document_it_repeats(tmp_path: Path) -> None:
    records = make_case(tmp_path)
    make_text_pdf(records / "followup.pdf", [FOLLOW_UP])
    # A copy that lost its header (title, date of service, author) in a portal export.
    body = "\n".join(FOLLOW_UP.splitlines()[3:])
    (records / "portal_export.txt").write_text(body, encoding="utf-8")
    # On its own, the headless copy has no date of service.
    referral = load_referral_file(tmp_path, today=TODAY)
    (alone,) = read_records([(records / "portal_export.txt", "records/portal_export.txt")])[0]
    assert build_document(alone, referral).date is None

    docs = _triage(tmp_path)

    original, copy = docs["records/followup.pdf"], docs["records/portal_export.txt"]
    assert copy.duplicate_of == "records/followup.pdf"
    assert (original.kind, original.date) == ("progress_note", date(2026, 5, 4))
    assert (copy.kind, copy.date) == (original.kind, original.date)


THERAPY_PAGE = """PHYSICAL THERAPY DAILY NOTE
Date of Service: {day}
Therapist: Brennan Tulloch, PT, DPT
Visit {visit}. Treatment: {treatment}.
Tolerated treatment well. Continue twice weekly."""
TREATMENTS = [
    "edema control and tendon gliding",
    "putty squeezes and wrist curls with 1 lb",
    "radial deviation with band and carpal glides",
    "paraffin bath and grade II joint mobilization",
    "pronation and supination with a hammer",
    "grip ball and finger opposition",
    "ultrasound and wrist extension stretch",
    "theraband rows and retrograde massage",
    "ice pack and scar massage",
]


def test_in_a_packet_the_earlier_copy_is_the_original(tmp_path: Path) -> None:
    # File order, page by page: page 2 comes before page 10 (not "10" < "2" as text).
    records = make_case(tmp_path)
    pages = [
        THERAPY_PAGE.format(day=f"05/{4 + 2 * i:02d}/2026", visit=i + 1, treatment=treatment)
        for i, treatment in enumerate(TREATMENTS)
    ]
    pages.append(pages[1])  # page 10: page 2 copied into the packet a second time
    make_text_pdf(records / "packet.pdf", pages)

    docs = _triage(tmp_path)

    assert len(docs) == 10
    assert docs["records/packet.pdf#pages=2-2"].duplicate_of is None
    assert docs["records/packet.pdf#pages=10-10"].duplicate_of == "records/packet.pdf#pages=2-2"


# --- find_duplicates at scale: candidates come from MinHash LSH, not pair by pair --------

COMPLAINTS = [
    "reports less pain on waking",
    "states the wrist aches after typing",
    "notes stiffness in the morning",
    "slept poorly because of pain",
    "returned to light duty this week",
    "reports numbness in the thumb",
    "denies any new injury",
    "had a flare after lifting a box",
    "is using the splint at night",
    "ran out of naproxen",
]
EXERCISES = [
    "tendon gliding",
    "putty squeezes",
    "wrist curls with 1 lb",
    "radial deviation with band",
    "pronation and supination",
    "finger opposition",
    "wrist extension stretch",
    "grip ball",
    "ultrasound",
    "paraffin bath",
    "retrograde massage",
    "joint mobilization grade II",
    "ice pack 10 minutes",
    "theraband rows",
    "carpal glides",
]


def _daily_note(rng: random.Random, number: int) -> Comparable:
    # Templated notes from a 60-day course: many share a date, all share their wording.
    day = date(2026, 3, 1) + timedelta(days=rng.randrange(60))
    text = "\n".join(
        [
            "PHYSICAL THERAPY DAILY NOTE",
            f"Date of service: {day:%m/%d/%Y}",
            f"Visit {rng.randrange(1, 40)} of 40. The claimant {rng.choice(COMPLAINTS)}.",
            "Treatment: " + ", ".join(rng.sample(EXERCISES, 5)) + ".",
            f"Grip strength {rng.randrange(8, 40)} kg right and {rng.randrange(20, 45)} kg "
            f"left; pain {rng.randrange(1, 9)} of 10.",
            f"Plan: continue {rng.choice(['twice', 'three times'])} weekly; next visit in "
            f"{rng.randrange(2, 6)} days.",
        ]
    )
    return Comparable(f"records/pt_{number:03d}.txt", text, day, ocr=False)


def test_find_duplicates_finds_exactly_the_near_copies_among_300_notes() -> None:
    rng = random.Random(20260708)
    notes = [_daily_note(rng, i) for i in range(300)]
    assert len({n.text for n in notes}) == 300
    a, b, c, d, e = (notes[i] for i in (7, 58, 131, 202, 299))
    copies = [
        # re-faxed: a fax header on top and a page number at the foot
        Comparable("records/fax_a.pdf", f"{FAX_HEADER}\n{a.text}\nPage 1 of 1", a.date, ocr=True),
        # a second scan, OCR reading 1 as l and 0 as O, its date not read at all
        Comparable(
            "records/scan_b.pdf",
            b.text.replace("1", "l").replace("0", "O"),
            None,
            ocr=True,
        ),
        # the same note re-wrapped onto other lines
        Comparable("records/pt_131_rewrapped.txt", " ".join(c.text.split()), c.date, ocr=False),
        # a received stamp added at the foot
        Comparable(
            "records/pt_202_stamped.txt",
            d.text + "\nRECEIVED JUL 08 2026 CLAIMS DEPARTMENT",
            d.date,
            ocr=False,
        ),
        # one word changed in the plan
        Comparable(
            "records/pt_299_amended.txt",
            e.text.replace("Plan: continue", "Plan: keep on"),
            e.date,
            ocr=False,
        ),
    ]
    candidates = notes + copies
    random.Random(5).shuffle(candidates)

    found = find_duplicates(candidates)

    assert found == {
        "records/fax_a.pdf": a.name,
        "records/scan_b.pdf": b.name,
        "records/pt_131_rewrapped.txt": c.name,
        "records/pt_202_stamped.txt": d.name,
        "records/pt_299_amended.txt": e.name,
    }
