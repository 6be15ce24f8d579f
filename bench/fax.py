"""Fax packets of real transcriptions, as records arrive at a claims desk, with their truth.

Each MTSamples note (bench/mtsamples_kinds.py gives it its one true kind) is set under a
clinic's letterhead: the facility, its address and telephone, a patient line with the date of
birth, the provider and the date of service, in one of six layouts with their own labels and
date formats. Half of the notes carry a title line (the note's own name, or the heading a
clinic gives its kind), half none. About half end with an electronic signature dated up to
three days after the visit. Every page of a packet is stamped by the sending fax machine (its
date and time, its name or number, and a running page count), in one of five styles, and one
packet in three by the receiving machine at the foot as well. A note's later pages hold only
the stamp and the text going on, or (one note in three) a line naming the patient and the page.
About one note in twelve is faxed a second time, in the case's other packet or later in the
same one, under that packet's stamps. One packet in five is scanned (image-only).

The truth is known by construction: where each note starts and ends, its kind, its date of
service, and which notes are second copies. All names, numbers and addresses are invented.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.documents import Line, Page, Record
from bench.mtsamples_kinds import Note

WRAP = 80  # characters a line: a scanned page's line holds about 80
PAGE_LINES = (40, 46)  # body lines a page, fewer than a scanned page's 49
SCAN_EVERY = 5
REFAX = 1 / 12
RECEIVED = date(2026, 11, 30)
TODAY = date(2026, 12, 1)

PLACES = (
    "Riverside", "Lakeview", "St. Anne", "Northgate", "Mercy", "Cedar Valley", "Summit",
    "Bayside", "Prairie", "Westbrook", "Highland", "Pinecrest", "Good Samaritan", "Harborview",
)  # fmt: skip
TYPES = (
    "Orthopaedic Associates", "Medical Group", "Regional Hospital", "Family Practice",
    "Surgical Center", "Imaging Center", "Neurology Clinic", "Heart & Vascular Institute",
    "Emergency Physicians", "Rehabilitation Services", "Internal Medicine", "Health System",
)  # fmt: skip
STREETS = ("Harbor Boulevard", "Lakeview Drive", "College Avenue", "North Gate Road",
           "Main Street", "Medical Center Parkway", "Elm Street", "Route 9")  # fmt: skip
CITIES = (("Springfield", "IL", "62704"), ("Madison", "WI", "53703"), ("Columbus", "OH", "43215"),
          ("Austin", "TX", "78701"), ("Tulsa", "OK", "74103"), ("Fresno", "CA", "93721"),
          ("Albany", "NY", "12207"), ("Boise", "ID", "83702"))  # fmt: skip
FIRST = ("Maria", "Anand", "Helen", "Samuel", "Grace", "Peter", "Olusegun", "Ingrid", "Tomas",
         "Keiko", "Rashid", "Claire", "Dmitri", "Beatriz")  # fmt: skip
LAST = ("Okafor", "Prakash-Whitley", "Brandt", "Ortiz", "Liu", "Novak", "Adeyemi", "Sorensen",
        "Villanueva", "Tanaka", "Haddad", "Fitzgerald", "Volkov", "Carvalho")  # fmt: skip
PATIENTS = (("Jane", "Doe"), ("Marcus", "Whitfield"), ("Priya", "Raman"), ("Luis", "Echeverria"),
            ("Anne-Marie", "Kowalczyk"), ("Terrence", "Boyd"))  # fmt: skip
KIND_TITLES = {
    "operative_report": ("OPERATIVE REPORT", "PROCEDURE NOTE", "OPERATIVE NOTE"),
    "progress_note": ("PROGRESS NOTE", "OFFICE VISIT", "FOLLOW-UP VISIT"),
    "imaging_report": ("RADIOLOGY REPORT", "IMAGING REPORT"),
    "diagnostic_report": ("DIAGNOSTIC REPORT", "STUDY REPORT"),
    "discharge_summary": ("DISCHARGE SUMMARY",),
    "emergency_record": ("EMERGENCY DEPARTMENT RECORD", "ER REPORT"),
    "consult_report": ("CONSULTATION", "CONSULTATION REPORT"),
    "therapy_note": ("THERAPY NOTE", "THERAPY EVALUATION"),
    "ime_report": ("INDEPENDENT MEDICAL EVALUATION",),
    "peer_review_report": ("RECORDS REVIEW",),
    "other": ("",),
}
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2026": "..."})  # fmt: skip
DATE_LABELS = ("Date of Service", "DOS", "Visit Date", "Date of Visit", "Encounter Date",
               "Service Date", "Date")  # fmt: skip


@dataclass(frozen=True)
class Clinic:
    name: str
    street: str
    city: str
    phone: str
    fax: str
    layout: int


@dataclass(frozen=True)
class Patient:
    first: str
    last: str
    birth: date


@dataclass
class Truth:
    """One note as sent: where it lies, what it is, when, and whether it is a second copy."""

    file: str
    first_page: int
    last_page: int
    kind: str
    day: date
    titled: bool
    name: str
    copy_of: int | None = None  # index (in the case's truths) of the note it copies


@dataclass
class Case:
    name: str
    patient: Patient
    packets: dict[str, list[Record]] = field(default_factory=dict)
    scanned: set[str] = field(default_factory=set)
    truths: list[Truth] = field(default_factory=list)
    stamp_dates: set[date] = field(default_factory=set)

    @property
    def pages(self) -> int:
        return sum(len(r.pages) for records in self.packets.values() for r in records)


def clinic(rng: random.Random) -> Clinic:
    city, state, zip_code = rng.choice(CITIES)
    area = rng.randint(201, 989)
    number = rng.randint(100, 999)
    return Clinic(
        name=f"{rng.choice(PLACES)} {rng.choice(TYPES)}",
        street=f"{rng.randint(10, 9800)} {rng.choice(STREETS)}"
        + (f", Suite {rng.randint(100, 450)}" if rng.random() < 0.4 else ""),
        city=f"{city}, {state} {zip_code}",
        phone=_phone(rng, area, number),
        fax=_phone(rng, area, number),
        layout=rng.randrange(6),
    )


def _phone(rng: random.Random, area: int, number: int) -> str:
    line = rng.randint(1000, 9999)
    return rng.choice(
        (f"({area}) {number}-{line}", f"{area}-{number}-{line}", f"{area}.{number}.{line}")
    )


def provider(rng: random.Random) -> str:
    degree = rng.choice(("MD", "DO", "M.D.", "MD"))
    middle = f" {rng.choice('ABCDEHJKLMRST')}." if rng.random() < 0.4 else ""
    return f"{rng.choice(FIRST)}{middle} {rng.choice(LAST)}, {degree}"


def _day(d: date, style: int) -> str:
    return (
        f"{d:%m/%d/%Y}",
        f"{d:%B} {d.day}, {d.year}",
        f"{d.month}/{d.day}/{d:%y}",
        f"{d:%Y-%m-%d}",
        f"{d.day:02d}-{d:%b}-{d.year}",
        f"{d.month}/{d.day}/{d.year}",
    )[style]


def letterhead(rng: random.Random, c: Clinic, doctor: str, day: date, p: Patient) -> list[str]:
    """The head of a note in its clinic's layout: who sends it, whose it is, by whom, when."""
    birth = _day(p.birth, rng.choice((0, 5)))
    seen = _day(day, rng.randrange(6))
    label = rng.choice(DATE_LABELS)
    mrn = f"{rng.randint(100000, 999999)}"
    if c.layout == 0:
        return [
            c.name,
            f"{c.street}, {c.city}",
            f"Phone {c.phone}",
            f"Patient: {p.last.upper()}, {p.first.upper()}   DOB: {birth}   MRN: {mrn}",
            f"Provider: {doctor}     {label}: {seen}",
        ]
    if c.layout == 1:
        return [
            c.name.upper(),
            c.street,
            c.city,
            f"Tel {c.phone}  Fax {c.fax}",
            f"RE: {p.first} {p.last}    D.O.B. {birth}",
            f"Seen by: {doctor}",
            f"{label}: {seen}",
        ]
    if c.layout == 2:
        return [
            c.name,
            c.street,
            c.city,
            c.phone,
            f"Name: {p.first} {p.last}  DOB {birth}  Acct: {mrn}",
            f"Attending physician: {doctor}",
            f"{label} {seen}",
        ]
    if c.layout == 3:
        return [
            c.name,
            f"{c.street} | {c.city} | {c.phone}",
            f"Patient Name: {p.first} {p.last}   Date of Birth: {birth}",
            f"Physician: {doctor}",
            f"{label}: {seen}",
        ]
    if c.layout == 4:
        return [
            c.name.upper(),
            f"{c.street}   {c.city}",
            f"Telephone: {c.phone}   Fax: {c.fax}",
            f"PATIENT: {p.last.upper()}, {p.first.upper()}",
            f"DATE OF BIRTH: {birth}",
            f"{label.upper()}: {seen}",
            f"PHYSICIAN: {doctor.upper()}",
        ]
    return [
        f"{c.name}    Ph: {c.phone}",
        f"{c.street}, {c.city}",
        f"Patient: {p.first} {p.last}  ({birth})   MRN {mrn}",
        f"{label}: {seen}    Provider: {doctor}",
    ]


def body_lines(text: str) -> list[str]:
    """A transcription's text as lines: MTSamples runs its headings on after a comma
    ("..., HISTORY OF PRESENT ILLNESS:, ..."); a clinic's note starts each on a line. Typeset
    quotes and dashes are set plainly: the PDF core fonts hold Latin-1 alone."""
    text = text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")
    text = re.sub(r",\s*([A-Z][A-Z0-9 /&()'-]{2,50}:)\s*,?", r"\n\1 ", text)
    out: list[str] = []
    for para in text.splitlines():
        out += textwrap.wrap(para.strip(), WRAP)
    return out


def note_pages(
    rng: random.Random, note: Note, c: Clinic, doctor: str, day: date, p: Patient, titled: bool
) -> list[list[str]]:
    """A note's pages as lines, before any fax stamp."""
    kind = next(iter(note.kinds))
    lines = letterhead(rng, c, doctor, day, p)
    if titled:
        own = re.sub(r"\s*-\s*\d+$", "", note.name).upper()
        title = rng.choice((own, rng.choice(KIND_TITLES[kind]))) or own
        lines += ["", title]
    lines += ["", *body_lines(note.text)]
    if rng.random() < 0.5:
        signed = day + timedelta(days=rng.randint(0, 3))
        lines += ["", f"Electronically signed by {doctor} on {_day(signed, 0)} {rng.randint(7, 18)}:"
                  f"{rng.randint(0, 59):02d}"]  # fmt: skip
    per_page = rng.randint(*PAGE_LINES)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    if len(chunks) > 1 and rng.random() < 1 / 3:
        for k, chunk in enumerate(chunks[1:], 2):
            chunk.insert(
                0, f"{p.first} {p.last}   DOB {_day(p.birth, 0)}   Page {k} of {len(chunks)}"
            )
    return chunks


@dataclass(frozen=True)
class Fax:
    """A sending fax machine and one transmission: every page it stamps."""

    style: int
    sender: str
    number: str
    sent: datetime
    job: int
    received_at_foot: bool

    def stamp(self, k: int, n: int) -> str:
        s, d = self.sent + timedelta(seconds=20 * k), self.sent.date()
        clock = f"{s:%I:%M%p}".lstrip("0")
        if self.style == 0:
            return f"{s:%b %d %Y} {clock}   {self.sender}   {self.number}   p.{k}"
        if self.style == 1:
            digits = re.sub(r"\D", "", self.number)
            return f"{d:%m/%d/%Y} {s:%H:%M} FAX {digits} {self.sender.upper()}   {k:03d}/{n:03d}"
        if self.style == 2:
            return (
                f"From: {self.sender}   To: {self.number}   Page {k} of {n}   {s:%Y-%m-%d %H:%M:%S}"
            )
        if self.style == 3:
            return f"{s:%b}. {s.day}. {s.year}  {clock}   No. {self.job:04d}   P. {k}"
        return f"RECEIVED {d:%m/%d/%Y} {s:%I:%M %p}  #{self.job:04d}  PAGE {k}/{n}"

    def foot(self, k: int) -> str:
        r = self.sent + timedelta(minutes=1, seconds=20 * k)
        return f"Received {r:%m/%d/%Y %H:%M} from {self.number}  pg {k}"


def fax_machine(rng: random.Random, sender: Clinic) -> Fax:
    sent = datetime.combine(RECEIVED - timedelta(days=rng.randint(1, 6)), datetime.min.time())
    return Fax(
        style=rng.randrange(5),
        sender=re.sub(r"[^A-Za-z ]", "", sender.name)[:22].strip(),
        number=sender.fax,
        sent=sent + timedelta(hours=rng.randint(7, 17), minutes=rng.randint(0, 59)),
        job=rng.randint(1, 9999),
        received_at_foot=rng.random() < 1 / 3,
    )


def stamped(fax: Fax, pages: Sequence[list[str]]) -> list[Record]:
    """The pages as the receiving desk sees them: each with the sender's stamp at its top."""
    n = len(pages)
    out = []
    for k, lines in enumerate(pages, 1):
        styled: list[Line] = [("text", fax.stamp(k, n)), ("blank", "")]
        styled += [("text", line) if line else ("blank", "") for line in lines]
        out.append(
            Record(
                "fax", RECEIVED, (Page(tuple(styled), fax.foot(k) if fax.received_at_foot else ""),)
            )
        )
    return out


def build_case(rng: random.Random, name: str, notes: Sequence[Note], scan: Sequence[bool]) -> Case:
    """A case of `len(scan)` packets holding `notes` (and their second copies) in turn."""
    first, last = rng.choice(PATIENTS)
    patient = Patient(
        first, last, date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    )
    case = Case(name, patient)
    clinics = [clinic(rng) for _ in range(rng.randint(2, 4))]
    doctors = {c.name: [provider(rng) for _ in range(rng.randint(1, 3))] for c in clinics}
    day = RECEIVED - timedelta(days=rng.randint(200, 500))
    files = [f"records/packet_{i + 1}.pdf" for i in range(len(scan))]
    share = [notes[i :: len(files)] for i in range(len(files))]
    pending: list[tuple[int, list[list[str]], Truth]] = []  # (packet index, pages, truth)
    laid: dict[int, list[tuple[list[list[str]], Truth]]] = {i: [] for i in range(len(files))}
    for i, packet_notes in enumerate(share):
        for note in packet_notes:
            day += timedelta(days=rng.randint(0, 21))
            c = rng.choice(clinics)
            doctor = rng.choice(doctors[c.name])
            titled = rng.random() < 0.5
            pages = note_pages(rng, note, c, doctor, day, patient, titled)
            truth = Truth(files[i], 0, 0, next(iter(note.kinds)), day, titled, note.name)
            laid[i].append((pages, truth))
            if rng.random() < REFAX:
                where = rng.randrange(len(files)) if len(files) > 1 else i
                pending.append((max(where, i), pages, truth))
    copies: list[tuple[Truth, Truth]] = []  # (copy, original)
    for where, pages, original in pending:
        copy = replace(original, file=files[where])
        copies.append((copy, original))
        laid[where].append((pages, copy))
    for i, file in enumerate(files):
        fax = fax_machine(rng, rng.choice(clinics))
        pages_in = [pg for pages, _ in laid[i] for pg in pages]
        case.packets[file] = stamped(fax, pages_in)
        case.stamp_dates.add(fax.sent.date())
        if scan[i]:
            case.scanned.add(file)
        k = 1
        for pages, truth in laid[i]:
            truth.first_page, truth.last_page = k, k + len(pages) - 1
            k += len(pages)
            case.truths.append(truth)
    index = {id(t): n for n, t in enumerate(case.truths)}
    for copy, original in copies:
        copy.copy_of = index[id(original)]
    return case


def cases(
    notes: Sequence[Note], seed: int, per_case: int = 14, scan_every: int | None = SCAN_EVERY
) -> list[Case]:
    """Every note once (shuffled), in cases of about `per_case` notes and two packets each;
    every `scan_every`-th packet scanned (none if None)."""
    rng = random.Random(seed)
    order = list(notes)
    rng.shuffle(order)
    out: list[Case] = []
    packet = 0
    for start in range(0, len(order), per_case):
        scan = []
        for _ in range(2):
            packet += 1
            scan.append(scan_every is not None and packet % scan_every == 0)
        out.append(
            build_case(rng, f"fax-{len(out) + 1:03d}", order[start : start + per_case], scan)
        )
    return out


def write(case: Case, root: Path) -> Path:
    """The case as a case folder (referral.json and records/), under `root`."""
    from bench import render

    folder = root / case.name
    (folder / "records").mkdir(parents=True, exist_ok=True)
    for file, records in case.packets.items():
        out = folder / file
        if file in case.scanned:
            pages = [r.pages[0] for r in records]
            render.write_scanned_pdf(
                [(*pg.lines, ("text", pg.footer)) if pg.footer else pg.lines for pg in pages], out
            )
        else:
            render.write_text_pdf(records, out)
    (folder / "referral.json").write_text(referral_json(case))
    return folder


def referral_json(case: Case) -> str:
    p = case.patient
    data = {
        "claim": {
            "number": f"WC-26-{case.name.upper()}",
            "line_of_business": "workers_comp",
            "jurisdiction": "TX",
            "date_of_injury": (min(t.day for t in case.truths) - timedelta(days=3)).isoformat(),
            "body_parts": ["lumbar spine"],
        },
        "claimant": {
            "name": f"{p.first} {p.last}",
            "date_of_birth": p.birth.isoformat(),
            "zip": "78701",
            "language": "en",
        },
        "treating_providers": [],
        "questions": [
            {
                "id": "q1",
                "type": "causation",
                "text": "Is the current condition causally related to the reported work injury?",
            }
        ],
        "requested_service": "triage",
        "received": RECEIVED.isoformat(),
        "due": (RECEIVED + timedelta(days=14)).isoformat(),
    }
    return json.dumps(data, indent=2)
