"""The clinical records of a generated packet: office notes, consultations, therapy daily
notes, imaging reports, emergency records and operative reports (bills are in `bills`).

Each builder takes the seeded random source, the date of service and the number of pages, and
returns a `Record`.
"""

from __future__ import annotations

import random
from datetime import date

from bench import phrases
from bench.clinical import fill, paragraph, us
from bench.documents import (
    BLANK,
    Line,
    Record,
    Section,
    continuation,
    header,
    numbered,
    paginate,
    section_stream,
    signature,
    wrapped,
)
from bench.story import (
    CLAIM,
    CLAIMANT,
    DOB,
    HOSPITAL,
    IMAGING,
    ORTHO,
    SURGERY_CENTER,
    THERAPY,
    Facility,
)

NOTE_SECTIONS = (
    Section("INTERVAL HISTORY", phrases.HISTORY, 4, 6),
    Section("EXAMINATION", phrases.EXAM, 4, 6),
    Section("RECORDS REVIEWED", phrases.PLAN[11:16] + phrases.HISTORY[14:17], 2, 3),
    Section("FUNCTIONAL STATUS", phrases.HISTORY[8:14], 2, 4),
)
CONSULT_SECTIONS = (
    Section("HISTORY OF PRESENT ILLNESS", phrases.HISTORY, 5, 7),
    Section("PAST HISTORY", phrases.HISTORY[4:12], 2, 3),
    Section("EXAMINATION", phrases.EXAM, 5, 7),
    Section("RECORDS REVIEWED", phrases.PLAN[11:16] + phrases.IMAGING_FINDINGS[:5], 2, 4),
)
ED_SECTIONS = (
    Section("HISTORY OF PRESENT ILLNESS", phrases.HISTORY, 4, 6),
    Section("EXAMINATION", phrases.EXAM, 4, 6),
    Section("ED COURSE", phrases.ED_COURSE, 3, 5),
)


def _plan(rng: random.Random, day: date, lo: int = 4, hi: int = 6) -> list[Line]:
    count = rng.randint(lo, hi)
    return numbered([fill(t, rng, day) for t in rng.sample(list(phrases.PLAN), count)])


def _assessment(rng: random.Random, day: date) -> list[Line]:
    count = rng.randint(2, 3)
    return numbered([fill(t, rng, day) for t in rng.sample(list(phrases.ASSESSMENT), count)])


def office_note(
    rng: random.Random, day: date, n_pages: int, facility: Facility, title: str, injury: date
) -> Record:
    author = rng.choice(facility.authors)
    first = header(
        facility,
        title,
        [
            f"Patient: {CLAIMANT}          DOB: {DOB}          Claim #: {CLAIM}",
            f"Date of injury: {us(injury)}     Date of service: {us(day)}",
            f"Treating physician: {author}, {facility.specialty}",
        ],
    )
    closing = [
        ("head", "ASSESSMENT"),
        *_assessment(rng, day),
        BLANK,
        ("head", "PLAN"),
        *_plan(rng, day),
        *signature(author, day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(facility, title.split(" - ")[0].capitalize(), day),
        section_stream(NOTE_SECTIONS, rng, day),
        closing,
        rng,
    )
    return Record("progress_note", day, pages)


def consult(
    rng: random.Random, day: date, n_pages: int, facility: Facility, title: str, injury: date
) -> Record:
    author = rng.choice(facility.authors)
    first = header(
        facility,
        title,
        [
            f"Patient: {CLAIMANT}          DOB: {DOB}          Claim #: {CLAIM}",
            f"Date of service: {us(day)}     Consultant: {author}, {facility.specialty}",
            "Reason for consultation: low back pain with leg symptoms and right shoulder pain "
            f"after a lifting injury at work on {us(injury)}.",
        ],
    )
    closing = [
        ("head", "IMPRESSION"),
        *_assessment(rng, day),
        BLANK,
        ("head", "RECOMMENDATIONS"),
        *_plan(rng, day, 4, 7),
        BLANK,
        ("text", "Thank you for this referral."),
        *signature(author, day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(facility, "Consultation", day),
        section_stream(CONSULT_SECTIONS, rng, day),
        closing,
        rng,
    )
    return Record("consult_report", day, pages)


TREATMENTS = (
    ("97110", "Therapeutic exercise"),
    ("97140", "Manual therapy"),
    ("97530", "Therapeutic activities"),
    ("97112", "Neuromuscular re-education"),
)


def therapy_note(
    rng: random.Random, day: date, n_pages: int, visit: int, authorized: int
) -> tuple[Record, str, list[str]]:
    """A daily note, its therapist and the codes it documents (for the bill)."""
    therapist = rng.choice(THERAPY.authors)
    first = header(
        THERAPY,
        "PHYSICAL THERAPY DAILY NOTE",
        [
            f"Patient: {CLAIMANT}       DOB: {DOB}       Claim #: {CLAIM}",
            f"Date of service: {us(day)}           Visit: {visit} of {authorized}",
            f"Therapist: {therapist}",
            "Diagnosis: lumbar strain with radicular symptoms (S39.012A, M54.16); right rotator "
            "cuff tear (S46.011A)",
        ],
    )
    codes = sorted(rng.sample([c for c, _ in TREATMENTS], rng.randint(2, 3)))
    treatment: list[Line] = [("head", "TREATMENT")]
    total = 0
    for code in codes:
        units = rng.randint(1, 3)
        minutes = units * rng.randint(8, 15)
        total += minutes
        exercises = ", ".join(
            f"{fill('{exercise}', rng, day)} {rng.randint(2, 4)}x{rng.randint(8, 20)}"
            for _ in range(rng.randint(2, 4))
        )
        name = dict(TREATMENTS)[code]
        treatment.append(
            ("mono", f"{code}  {name:<28} x{units}  {minutes:>2} min  {exercises}"[:110])
        )
    sections = (
        Section("S:", phrases.THERAPY_S, 2, 4),
        Section("O:", phrases.THERAPY_O, 2, 4),
        Section("A:", phrases.THERAPY_A, 1, 2),
        Section("FUNCTIONAL STATUS", phrases.HISTORY, 2, 4),
        Section("MEASURES", phrases.THERAPY_O + phrases.EXAM[1:3], 2, 3),
        Section("COMMUNICATION", phrases.HISTORY[8:] + phrases.THERAPY_P, 2, 3),
    )
    closing = [
        *treatment,
        ("text", f"Total timed minutes: {total}"),
        BLANK,
        ("head", "P:"),
        *wrapped(paragraph(phrases.THERAPY_P, rng, day, 2, 3)),
        *signature(therapist, day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(THERAPY, "Daily note", day),
        section_stream(sections, rng, day),
        closing,
        rng,
    )
    return Record("therapy_note", day, pages), therapist, codes


STUDIES = (  # exam, title, the findings (indices into phrases.IMAGING_FINDINGS) it reports
    (
        "MRI LUMBAR SPINE WITHOUT CONTRAST",
        "MAGNETIC RESONANCE IMAGING REPORT",
        (0, 1, 2, 3, 8, 9, 10, 11, 12, 16, 17, 19),
    ),
    (
        "MRI RIGHT SHOULDER WITHOUT CONTRAST",
        "MAGNETIC RESONANCE IMAGING REPORT",
        (4, 5, 6, 7, 13, 14, 15, 18),
    ),
    ("XR LUMBAR SPINE, 3 VIEWS", "RADIOLOGY REPORT", (3, 8, 10, 12, 16, 17)),
    ("XR RIGHT SHOULDER, 3 VIEWS", "RADIOLOGY REPORT", (5, 6, 7, 14, 15, 18)),
)


def imaging_report(rng: random.Random, day: date, n_pages: int, referrer: str) -> Record:
    exam, title, finding_ids = rng.choice(STUDIES)
    radiologist = rng.choice(IMAGING.authors)
    first = header(
        IMAGING,
        title,
        [
            f"Patient: {CLAIMANT}        DOB: {DOB}        MRN: WIC-{rng.randint(100000, 999999)}",
            f"Exam: {exam}   Date of exam: {us(day)}",
            f"Referring physician: {referrer}",
            "Clinical history: "
            + fill(
                "Lifting injury at work on {past}; {part} pain with {side} leg symptoms.", rng, day
            ),
            f"Comparison: {rng.choice(['None.', fill('Radiographs of {past}.', rng, day)])}",
            "",
            "TECHNIQUE: "
            + rng.choice(
                [
                    "Sagittal T1, T2 and STIR; axial T1 and T2. 1.5 Tesla.",
                    "Multiplanar multisequence imaging without contrast. 3 Tesla.",
                    "AP, lateral and oblique views.",
                ]
            ),
        ],
    )
    findings = [phrases.IMAGING_FINDINGS[i] for i in finding_ids]
    sections = (Section("FINDINGS:", findings, 3, 5),)
    closing = [
        ("head", "IMPRESSION:"),
        *numbered([fill(t, rng, day) for t in rng.sample(findings, 2)]),
        *signature(f"{radiologist}, Diagnostic Radiology", day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(IMAGING, "Imaging report", day),
        section_stream(sections, rng, day),
        closing,
        rng,
    )
    return Record("imaging_report", day, pages)


def emergency_record(rng: random.Random, day: date, n_pages: int) -> Record:
    doctor = rng.choice(HOSPITAL.authors)
    first = header(
        HOSPITAL,
        "EMERGENCY DEPARTMENT RECORD",
        [
            f"Patient: {CLAIMANT}          DOB: {DOB}          MRN: HB-{rng.randint(10**6, 10**7)}",
            fill("Arrival: " + us(day) + " {clock}   Mode: private vehicle", rng, day),
            fill("Triage: ESI {n}   BP {bp}  HR {hr}  RR 16  SpO2 98%  Pain {pain2}/10", rng, day),
            f"Attending: {doctor}",
            "Chief complaint: " + fill("{part} pain after lifting at work.", rng, day),
        ],
    )
    closing = [
        ("head", "MEDICAL DECISION MAKING"),
        *wrapped(paragraph(phrases.ASSESSMENT + phrases.ED_COURSE, rng, day, 2, 3)),
        BLANK,
        ("head", "DISPOSITION"),
        *_plan(rng, day, 3, 4),
        *signature(doctor, day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(HOSPITAL, "Emergency department record", day),
        section_stream(ED_SECTIONS, rng, day),
        closing,
        rng,
    )
    return Record("emergency_record", day, pages)


def operative_report(rng: random.Random, day: date, n_pages: int) -> Record:
    surgeon = ORTHO.authors[0]
    first = header(
        SURGERY_CENTER,
        "OPERATIVE REPORT",
        [
            f"Patient: {CLAIMANT}        DOB: {DOB}        Date of surgery: {us(day)}",
            f"Surgeon: {surgeon}     Assistant: Noor Haddad-Kline, PA-C",
            "Anesthesia: general with interscalene block",
            "Preoperative diagnosis: right rotator cuff tear (S46.011A)",
            "Postoperative diagnosis: " + fill("right shoulder with {cuff}", rng, day),
            "Procedures performed: right shoulder arthroscopy with rotator cuff repair (29827) "
            "and subacromial decompression (29826)",
        ],
    )
    sections = (
        Section("INDICATIONS", phrases.HISTORY, 2, 3),
        Section("DESCRIPTION OF PROCEDURE", phrases.OPERATIVE, 6, 9),
    )
    closing = [
        (
            "text",
            fill(
                "Estimated blood loss: {n}0 mL.  Specimens: none.  Complications: none.", rng, day
            ),
        ),
        (
            "text",
            "Disposition: to the recovery room in stable condition; discharged home the same day.",
        ),
        *signature(surgeon, day, rng),
    ]
    pages = paginate(
        n_pages,
        first,
        continuation(SURGERY_CENTER, "Operative report", day),
        section_stream(sections, rng, day),
        closing,
        rng,
    )
    return Record("operative_report", day, pages)
