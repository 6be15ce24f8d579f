"""What opens a document in a packet: a letterhead, a patient line, a provider, a date of service.

A clinic prints its letterhead (its name, address, telephone) at the top of a note's first page,
then says whose note it is (a patient line: name, date of birth, claim number), who saw the
patient and when. A page that only goes on with the text (a continuation page) carries none
of these, beyond the fax machine's stamp. A page opens a document's head when its first lines
hold two of these signs, or a patient line with a date of birth, or a date-of-service line
of its own: the way a person leafing through a fax packet sees where a note begins.

Two heads are of different documents when a part both state differs (the facility, the
provider, the date of service, the patient), or when the later one has a letterhead the earlier
lacks; a letterhead repeated on every page of one note is the same head.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher

from medreview.core.records.classify import surname
from medreview.core.records.text import PATIENT_LINE, is_fax_header

HEAD_LINES = 10  # a head is in the first lines of a page, after the fax stamp
LINE_CHARS = 160
LETTERHEAD_LINES = 6  # a letterhead's address and telephone are in a head's first lines
FACILITY_LINES = 3  # and the sender's name above them

# Each sign begins with the character named in its lookahead (a digit, a comma, a letter of
# its first word): the engine then tries it only there, which a page's head lines allow.
_ADDRESS = re.compile(
    r"(?=\d)(?<![\d/.:-])\d{1,6}\s+(?:[NSEW]\.?\s+)?[A-Za-z0-9][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){0,4}\s+"
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|parkway|pkwy|"
    r"court|ct|place|pl|highway|hwy|circle|cir|plaza|square|sq|pike|trail|terrace)\b\.?"
    r"|(?=[SsFfBbPp])\b(?:suite|ste\.?|floor|building|bldg\.?|p\.?\s?o\.?\s+box)\s*#?\s*\d+"
    r"|(?=,),\s*[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b",
    re.I,
)
_PHONE = re.compile(r"(?=[(\d])(?<!\d)\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b")
_DIGIT = re.compile(r"\d")
_BIRTH = re.compile(r"\bD\.?\s?O\.?\s?B\b\.?|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn\b", re.I)
_SERVICE_LINE = re.compile(
    r"^\W*(?:date\s+of\s+(?:service|visit|exam(?:ination)?|evaluation|consult(?:ation)?|"
    r"procedure|surgery|operation|study|encounter|admission)|DOS|service\s+date|"
    r"(?:visit|exam(?:ination)?|encounter|procedure|study|admission)\s+date|date)\b\W{0,3}\s*\S",
    re.I,
)
_PROVIDER_LINE = re.compile(
    r"^\W*(?:(?:treating|attending|rendering|examining|consulting|interpreting|performing)\s+)?"
    r"(?:physician|provider|doctor|surgeon|therapist|clinician|radiologist|seen\s+by|"
    r"dictated\s+by|author)\s*:",
    re.I,
)
# The lines that are the head's parts rather than the facility's name.
_NOT_FACILITY = re.compile(r"\d|:|^\W*(?:patient|re|name|dob|date|provider|physician|page)\b", re.I)


@dataclass(frozen=True)
class Head:
    """A page's document head: the facility that printed it, its provider, date and patient."""

    facility: str | None
    provider: str | None
    day: date | None
    patient: str | None
    letterhead: bool

    def differs_from(self, other: Head) -> bool:
        """Whether this head opens another document than `other`'s."""
        if self.letterhead and not other.letterhead:
            return True
        if self.facility and other.facility and not _similar(self.facility, other.facility):
            return True
        if self.provider and other.provider and surname(self.provider) != surname(other.provider):
            return True
        if self.day and other.day and self.day != other.day:
            return True
        return bool(self.patient and other.patient and not _similar(self.patient, other.patient))


@dataclass(frozen=True)
class PageHead:
    """What a page's first lines say: its head, its text without the head, and whether the
    text after the head begins anew (a heading or a title in capitals: a new note's first
    section) rather than going on with a sentence."""

    head: Head | None
    text: str
    fresh: bool


def read_head(text: str) -> PageHead:
    """The page's head (see the module's docstring), read once. Whether there is one is told line by line until each sign
    is found; only a page with a head has its lines marked, to leave them out and to see what
    follows them."""
    cut = LINE_CHARS * (HEAD_LINES + 4)
    end = len(text) if len(text) <= cut else text.rfind("\n", 0, cut) + 1
    raw = text[:end].split("\n")
    rows = [(i, line.strip()[:LINE_CHARS]) for i, line in enumerate(raw) if line.strip()]
    stamps = 0
    while stamps < len(rows) and is_fax_header(rows[stamps][1]):
        stamps += 1
    rows = rows[stamps : stamps + HEAD_LINES + 2]
    head = _head([line for _, line in rows[:HEAD_LINES]])
    if head is None:
        return PageHead(None, text, False)
    marked = [_is_head_line(line, top=k < LETTERHEAD_LINES) for k, (_, line) in enumerate(rows)]
    for k, ((i, line), head_line) in enumerate(zip(rows, marked, strict=True)):
        if head_line or (k < FACILITY_LINES and _is_facility_line(line)):
            raw[i] = ""
    last = max((k for k, m in enumerate(marked) if m), default=None)
    after = rows[last + 1][1] if last is not None and last + 1 < len(rows) else ""
    fresh = bool(_HEADING.match(after)) and not _CONTINUED_HEADING.search(after)
    return PageHead(head, "\n".join(raw) + text[end:], fresh)


def _head(lines: list[str]) -> Head | None:
    if not lines:
        return None
    address = phone = patient = birth = service = provider_line = False
    patient_name = None
    for i, line in enumerate(lines):
        if _DIGIT.search(line):  # an address and a telephone number hold digits
            address = address or bool(_ADDRESS.search(line))
            phone = phone or bool(_PHONE.search(line))
        if PATIENT_LINE.match(line):
            patient = True
            patient_name = patient_name or _patient_name(line)
        birth = birth or (_may_be_birth(line) and bool(_BIRTH.search(line)))
        service = service or (i < 6 and bool(_SERVICE_LINE.match(line)))
        provider_line = provider_line or bool(_PROVIDER_LINE.match(line))
    letterhead = address or phone
    signs = sum((letterhead, patient or birth, service, provider_line))
    if signs < 2 and not (patient and birth) and not service:
        return None
    return Head(
        facility=_facility(lines) if letterhead else None,
        provider=None,
        day=None,
        patient=patient_name,
        letterhead=letterhead,
    )


def _is_head_line(line: str, top: bool) -> bool:
    """Whether the line is part of a head; an address or a telephone is looked for only at
    the `top`, where a letterhead prints them (the address is the costliest sign)."""
    if PATIENT_LINE.match(line) or _SERVICE_LINE.match(line) or _PROVIDER_LINE.match(line):
        return True
    if top and _DIGIT.search(line) and (_PHONE.search(line) or _ADDRESS.search(line)):
        return True
    return _may_be_birth(line) and _BIRTH.search(line) is not None


def _may_be_birth(line: str) -> bool:
    """Whether the line may name a birth date: the pattern is tried only where it may match."""
    low = line.lower()
    return "birth" in low or "born" in low or "dob" in low.replace(".", "").replace(" ", "")


def dated_head(head: Head | None, provider: str | None, day: date | None) -> Head | None:
    """The head with the provider and date of service its page states (read once, by the
    splitter, from the page's head)."""
    return None if head is None else replace(head, provider=provider, day=day)


def without_head(text: str) -> str:
    """The text without its head's lines (the sender's name, its address and telephone, the
    patient line, the provider and date lines): they say who sent the note and whose it is,
    not what it is, and would push its title out of its first lines."""
    return read_head(text).text


_CONTINUED_HEADING = re.compile(r"\bcont(?:inued|'?d)\b", re.I)
_HEADING = re.compile(r"[A-Z][A-Z0-9 ,/&()'.-]{2,60}:|[^a-z]*[A-Z]{2}[^a-z]*$")


_FACILITY_WORD = re.compile(
    r"\b(?:associates|group|hospital|clinic|cent(?:er|re)|institute|practice|services|"
    r"physicians|health|medical|partners|specialists|llc|inc|p\.?c|p\.?a)\b\.?\s*$",
    re.I,
)


def _is_facility_line(line: str) -> bool:
    return ":" not in line and bool(_FACILITY_WORD.search(line))


def _facility(lines: list[str]) -> str | None:
    for line in lines[:4]:
        if not _NOT_FACILITY.search(line) and len(line.split()) >= 2:
            return _key(line)
    return None


_NAME_AFTER_LABEL = re.compile(
    r"[:#]\s*(?P<name>[A-Za-z][A-Za-z,.' -]{2,60}?)(?=\s{2,}|\s+\w+\s*[:#]|\s*\bD\.?O\.?B|$)"
)


def _patient_name(line: str) -> str | None:
    m = _NAME_AFTER_LABEL.search(line)
    # "DOE, JANE" and "Jane Doe" are one patient: the words are compared, not their order.
    return " ".join(sorted(_key(m.group("name")).split())) if m else None


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _similar(a: str, b: str) -> bool:
    # Scans read the same letterhead with a letter or two wrong.
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85
