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
from medreview.core.records.text import is_fax_header

HEAD_LINES = 10  # a head is in the first lines of a page, after the fax stamp
LINE_CHARS = 160

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
_PATIENT = re.compile(
    r"^\W*(?:patient(?:'s)?(?:\s+name)?|pt\.?(?:\s+name)?|name|re|regarding|claimant|"
    r"injured\s+worker|employee|member|client)\s*[:#]",
    re.I,
)
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


def page_head(text: str) -> Head | None:
    """The document head a page opens with, or None (a continuation page, a form, a bill);
    its provider and date are left to `dated_head`."""
    lines = _head_lines(text)
    if not lines:
        return None
    address = phone = patient = birth = service = provider_line = False
    patient_name = None
    for i, line in enumerate(lines):
        if _DIGIT.search(line):  # an address and a telephone number hold digits
            address = address or bool(_ADDRESS.search(line))
            phone = phone or bool(_PHONE.search(line))
        if _PATIENT.match(line):
            patient = True
            patient_name = patient_name or _patient_name(line)
        birth = birth or bool(_BIRTH.search(line))
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


def dated_head(head: Head | None, provider: str | None, day: date | None) -> Head | None:
    """The head with the provider and date of service its page states (read once, by the
    splitter, from the page's head)."""
    return None if head is None else replace(head, provider=provider, day=day)


def without_head(text: str) -> str:
    """The text without the head's address, telephone, patient, provider and date lines: they
    say whose note it is, not what it is, and would push its title out of its first lines."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > HEAD_LINES + 1:
            break
        if _is_head_line(line.strip()) or (seen <= 4 and _is_facility_line(line.strip())):
            lines[i] = ""
    return "\n".join(lines)


_HEADING = re.compile(r"[A-Z][A-Z0-9 ,/&()'.-]{2,60}:|[^a-z]*[A-Z]{2}[^a-z]*$")


def opens_fresh(text: str) -> bool:
    """Whether the text after the page's head begins anew, with a heading or a title in
    capitals (a new note's first section), rather than going on with a sentence."""
    lines = [ln.strip() for ln in text[: LINE_CHARS * (HEAD_LINES + 4)].split("\n") if ln.strip()]
    lines = lines[: HEAD_LINES + 2]
    last = max((i for i, ln in enumerate(lines) if _is_head_line(ln)), default=None)
    if last is None or last + 1 >= len(lines):
        return False
    return bool(_HEADING.match(lines[last + 1]))


_FACILITY_WORD = re.compile(
    r"\b(?:associates|group|hospital|clinic|cent(?:er|re)|institute|practice|services|"
    r"physicians|health|medical|partners|specialists|llc|inc|p\.?c|p\.?a)\b\.?\s*$",
    re.I,
)


def _is_facility_line(line: str) -> bool:
    return ":" not in line and bool(_FACILITY_WORD.search(line))


def _is_head_line(line: str) -> bool:
    if _DIGIT.search(line) and (_ADDRESS.search(line) or _PHONE.search(line)):
        return True
    return bool(
        _PATIENT.match(line)
        or _BIRTH.search(line)
        or _SERVICE_LINE.match(line)
        or _PROVIDER_LINE.match(line)
    )


def _head_lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text[: LINE_CHARS * (HEAD_LINES + 3)].splitlines():
        if not line.strip():
            continue
        if not out and is_fax_header(line):
            continue
        out.append(line.strip()[:LINE_CHARS])
        if len(out) == HEAD_LINES:
            break
    return out


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
