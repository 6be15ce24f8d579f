"""Dates in medical records: every format clinicians and billing systems write, and which one
is the date of service.

A record names many dates (birth, injury, signature, fax stamp, the visit itself). The date of
service is the one a label says is the visit ("Date of service", "Visit date", "Exam date",
"Arrival", ...); failing a label, the first unlabelled date in the header that is not a birth,
injury or fax date; failing that, the date in the file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from medreview.core.records.patterns import PatternSet
from medreview.core.records.text import PATIENT_LINE, is_fax_header

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"

# No lookbehind in front: the engine then skips ahead to the next digit or month name.
# `find_dates` checks the character before a match instead.
# The lookahead names every letter a date can begin with: Python's engine then tries the
# alternatives only there (twice as fast over a page).
DATE_RE = re.compile(
    r"(?=[\dadfjmnos])(?:"
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)"  # 2026-05-20
    r"|(?P<um>[01]?\d)(?P<sep>[/.-])(?P<ud>[0-3]?\d)(?P=sep)(?P<uy>(?:19|20)?\d\d)"  # 05/20/2026
    r"|"
    + _MONTH.replace("mon", "m1")
    + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?[\s-]+"
    + _MONTH.replace("mon", "m2")
    + r"[\s,-]+(?P<y2>(?:19|20)\d\d)"
    r")(?![\d/])",
    re.IGNORECASE,
)

# Labels that say a date is the visit; checked in the text just before the date, same line.
SERVICE_LABEL = re.compile(
    r"(?:dates?\s+of\s+(?:the\s+)?(?:service|visit|exam(?:ination)?|evaluation|re-?evaluation|"
    r"consult(?:ation)?|procedure|surgery|operation|study|encounter|report|admission|discharge)"
    r"|\bDOS|service\s+date|(?:visit|exam(?:ination)?|evaluation|consult(?:ation)?|procedure|"
    r"surgery|operation|study|encounter|report|admission|discharge|test)\s+date\b|arrival|arrived|"
    r"admitted|discharged|date\s+completed|completed\s+on|seen\s+on|examination\s+of|visit\s+of|"
    r"evaluated\s+on|examined\s+on)"
    r"[^\n\d]{0,12}$",
    re.IGNORECASE,
)
# A header's bare "Date:", at the start of a line or after a gap ("Provider: X   Date: ...").
DATE_LABEL = re.compile(r"(?:^|\s\s|\|)\s*date\s*[:#]\s*$", re.IGNORECASE)
SERVICE_OR_DATE_LABEL = re.compile(f"{SERVICE_LABEL.pattern}|{DATE_LABEL.pattern}", re.IGNORECASE)
DISCHARGE_LABEL = re.compile(
    r"(?:discharge\s+date|date\s+of\s+discharge|discharged(?:\s+on)?)[^\n\d]{0,12}$",
    re.IGNORECASE,
)
# Dates that are never the visit: birth, injury, onset, signatures, stamps.
EXCLUDED_LABEL = re.compile(
    r"(?:\bD\.?\s?O\.?\s?B\b|birth|born|\bDOI|injury|accident|\bloss|onset|illness|signed|dated|printed|"
    r"faxed|received|\bfax|\bRx|prescription|referral|\bsince|through|\bthru|\bto|effective|"
    r"expir\w*|authoriz\w*|last\s+seen|previous|prior)"
    r"[^\n\d]{0,14}$",
    re.IGNORECASE,
)
# The story of the injury, told before its date: "fell from a ladder at work on 04/30/2026".
INJURY_CONTEXT = re.compile(
    r"\b(fell|fall|falling|slipped|tripped|struck|injur\w*|accident|incident|lifting|twisted|"
    r"onset|began|started|since|occurred|happened|hurt)\b[^\n\d]{0,40}$",
    re.IGNORECASE,
)
FAX_LINE = re.compile(
    r"\bFROM\s*:|\bTO\s*:|\bfax\b|\bP\.?\s*\d+\s*/\s*\d+\b|\bpage\s+\d+\s+of\s+\d+\b.*\bfax", re.I
)
HEADER_LINES = 14


@dataclass(frozen=True)
class DateMention:
    value: date
    start: int
    end: int


def parse_date(text: str) -> date | None:
    """The first date written in `text`, or None."""
    for found in find_dates(text):
        return found.value
    return None


_NOT_BEFORE = frozenset("0123456789/.-")


# DATE_RE without its backreference and lookahead, which Hyperscan cannot compile exactly:
# it matches wherever DATE_RE does, and tells where each date starts.
_DATE_SUPERSET = (
    r"(?:19|20)\d\d-[01]?\d-[0-3]?\d"
    r"|[01]?\d[/.-][0-3]?\d[/.-](?:19|20)?\d\d"
    r"|" + _MONTH.replace("(?P<mon>", "(?:") + r"\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"|[0-3]?\d(?:st|nd|rd|th)?[\s-]+" + _MONTH.replace("(?P<mon>", "(?:") + r"[\s,-]+(?:19|20)\d\d"
)


@lru_cache(maxsize=1)
def _date_set() -> PatternSet:
    return PatternSet([DATE_RE], supersets={0: _DATE_SUPERSET})


@lru_cache(maxsize=4096)
def find_dates(text: str) -> tuple[DateMention, ...]:
    """Every date written in a text (cached: a page's header is read for splitting and dating)."""
    found = []
    for m in date_matches(text):
        if m.start() and text[m.start() - 1] in _NOT_BEFORE:
            continue  # "3/05/2026" inside "113/05/2026", a version number, a range's tail
        value = _to_date(m)
        if value is not None:
            found.append(DateMention(value, m.start(), m.end()))
    return tuple(found)


def date_matches(text: str) -> list[re.Match[str]]:
    """The matches `DATE_RE.finditer(text)` gives, found faster.

    Hyperscan reports each span the superset pattern matches, with the leftmost start of any
    match ending there. Every date lies inside such a span, so trying `DATE_RE.match` at each
    position of each span, in order, from the end of the last date found, finds exactly the
    dates `finditer` finds, at a few anchored attempts each instead of a search of the page.
    """
    hits = _date_set().hits(text)
    if hits is None:
        return list(DATE_RE.finditer(text))
    out: list[re.Match[str]] = []
    done = 0
    for start, end in sorted(hits[0].get(0, ())):
        if end <= done:
            continue
        for at in range(max(start, done), end):
            m = DATE_RE.match(text, at)
            if m is not None:
                out.append(m)
                done = m.end()
                break
    return out


def _to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    try:
        if g["iy"]:
            return date(int(g["iy"]), int(g["im"]), int(g["id"]))
        if g["uy"]:
            year = int(g["uy"])
            if year < 100:
                year += 2000 if year < 50 else 1900
            return date(year, int(g["um"]), int(g["ud"]))
        if g["y1"]:
            return date(int(g["y1"]), MONTHS[g["m1"][:3].lower()], int(g["d1"]))
        if g["y2"]:
            return date(int(g["y2"]), MONTHS[g["m2"][:3].lower()], int(g["d2"]))
    except ValueError:
        return None
    return None


def _line_start(text: str, index: int) -> int:
    """Where the line holding `index` starts: the text joins its pages with form feeds."""
    return max(text.rfind("\n", 0, index), text.rfind("\f", 0, index)) + 1


def _line_before(text: str, index: int) -> str:
    return text[max(_line_start(text, index), index - 60) : index]


SEARCH_CHARS = 3000  # a record states its date of service at its head


def service_date(text: str, *, discharge: bool = False) -> date | None:
    """The date of service a record states: labelled in its header, then labelled in its
    body (the discharge date first, for a discharge summary), then unlabelled in its header.
    The header goes first: its "Date:" is the note's own, while a body's "seen on" or
    "discharged on" may tell of an earlier stay."""
    text = text[:SEARCH_CHARS]
    mentions = find_dates(text)
    header_end = _nth_line_end(text, HEADER_LINES)
    for in_header in (True, False):
        zone = [d for d in mentions if (d.start <= header_end) == in_header]
        labels = [DISCHARGE_LABEL] if discharge else []
        labels.append(SERVICE_OR_DATE_LABEL if in_header else SERVICE_LABEL)
        for label in labels:
            for d in zone:
                if label.search(_line_before(text, d.start)) and not _is_fax_line(text, d.start):
                    return d.value
    for d in mentions:
        if d.start > header_end:
            break
        before = _line_before(text, d.start)
        if (
            EXCLUDED_LABEL.search(before)
            or INJURY_CONTEXT.search(before)
            or _is_fax_line(text, d.start)
            # The line naming the patient gives the birth date: "Jane Doe (03/26/1954)".
            or PATIENT_LINE.match(text[_line_start(text, d.start) : d.start])
        ):
            continue
        return d.value
    return None


def _is_fax_line(text: str, index: int) -> bool:
    """Whether the date is on a fax stamp: among the text's first lines, or a later page's
    first line (the text joins its pages with form feeds)."""
    start = _line_start(text, index)
    end = text.find("\n", index)
    line = text[start : end if end >= 0 else len(text)]
    top = text[start - 1 : start] == "\f" or start < _nth_line_end(text, 3) + 1
    return top and (bool(FAX_LINE.search(line)) or is_fax_header(line))


def _nth_line_end(text: str, n: int) -> int:
    pos = 0
    count = 0
    while count < n:
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        if text[pos:nxt].strip():
            count += 1
        pos = nxt + 1
    return pos


FILENAME_DATE = re.compile(
    r"(?<!\d)(?:(?P<iso>(?:19|20)\d\d[-_]?[01]\d[-_]?[0-3]\d)|(?P<us>[01]\d[-_]?[0-3]\d[-_]?(?:20)?\d\d))(?!\d)"
)


def filename_date(name: str) -> date | None:
    """A date written in a file name: 2026-05-20, 20260520, 05-20-2026, 05202026 or 052026."""
    stem = name.rsplit("/", 1)[-1]
    for m in FILENAME_DATE.finditer(stem):
        digits = re.sub(r"\D", "", m.group(0))
        try:
            if m.group("iso"):
                return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
            year = int(digits[4:])
            year = year + 2000 if year < 100 else year
            return date(year, int(digits[:2]), int(digits[2:4]))
        except ValueError:
            continue
    dated = parse_date(stem.replace("_", " "))
    return dated
