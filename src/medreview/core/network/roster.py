"""Reading a physician roster: the network CSV (docs/command-line.md, "The physician network").

Each row is checked on its own (NPI check digit, taxonomy, ZIP, dates, numbers, services):
a bad row is rejected with its line number and every reason, and the other rows stand.
Lists are separated by ";". Two optional columns extend the contract: `verified_on`, the
day the row's credentials (licences, board certification, sanctions check) were verified
(the day of the import when absent: the roster is the credentialing office's record), and
`sanctions` (`none` or `found`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from stdnum import luhn

from medreview.core.network import geo, taxonomy
from medreview.core.triage.calendars import is_jurisdiction

COLUMNS = (
    "npi",
    "name",
    "specialties",
    "board_certified",
    "licenses",
    "zip",
    "services",
    "languages",
    "weekly_capacity",
    "open_assignments",
    "median_turnaround_days",
    "qa_score",
    "affiliations",
    "fee_peer_review",
    "fee_ime",
)
OPTIONAL = ("verified_on", "sanctions")
SERVICES = ("peer_review", "ime")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class RosterError(ValueError):
    """The file as a whole cannot be read (not a CSV, columns missing)."""


@dataclass(frozen=True)
class RosterLicence:
    state: str
    expires: date


@dataclass(frozen=True)
class RosterRow:
    """One valid row of the roster."""

    line: int
    npi: str
    name: str
    specialties: tuple[str, ...]  # NUCC codes
    board_certified: bool
    licences: tuple[RosterLicence, ...]
    zip: str
    latitude: float
    longitude: float
    services: tuple[str, ...]
    languages: tuple[str, ...]
    weekly_capacity: int
    open_assignments: int
    median_turnaround_days: float
    qa_score: float
    affiliations: tuple[str, ...]
    fee_peer_review: float | None
    fee_ime: float | None
    verified_on: date
    sanctioned: bool


@dataclass(frozen=True)
class Rejected:
    line: int
    npi: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        who = f" (NPI {self.npi})" if self.npi else ""
        return f"line {self.line}{who}: {'; '.join(self.reasons)}"


def npi_is_valid(npi: str) -> bool:
    """Ten digits whose last is the Luhn check digit of the rest, prefixed 80840 (CMS)."""
    return len(npi) == 10 and npi.isdigit() and luhn.is_valid("80840" + npi)


def read_roster(text: str, *, today: date) -> tuple[list[RosterRow], list[Rejected]]:
    """The valid rows and the rejected ones (with line numbers and reasons) of a roster."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RosterError(f"missing column(s): {', '.join(missing)}")
    reader.fieldnames = header
    rows: list[RosterRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue  # a blank line
            row, reasons = _row(line, raw, today)
            npi = (raw.get("npi") or "").strip()
            if row is not None and npi in seen:
                reasons = [f"NPI {npi} is already on line {seen[npi]}"]
                row = None
            if row is None:
                rejected.append(Rejected(line, npi, tuple(reasons)))
                continue
            seen[npi] = line
            rows.append(row)
    except csv.Error as exc:
        raise RosterError(f"line {line + 1}: not readable as CSV ({exc})") from None
    return rows, rejected


def _row(line: int, raw: dict[str, str | None], today: date) -> tuple[RosterRow | None, list[str]]:
    def cell(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    reasons: list[str] = []
    if None in raw:  # csv.DictReader puts extra cells under the key None
        reasons.append("more cells than columns")
    npi = cell("npi")
    if not npi_is_valid(npi):
        reasons.append(
            f"NPI {npi!r} is not 10 digits"
            if not (len(npi) == 10 and npi.isdigit())
            else f"NPI {npi} fails its check digit"
        )
    name = cell("name")
    if not name:
        reasons.append("name is empty")
    elif len(name) > MAX_NAME:
        reasons.append(f"name is {len(name)} characters long, more than {MAX_NAME}")
    specialties = []
    for item in _list(cell("specialties")):
        found = taxonomy.specialty(item)
        if found is None:
            reasons.append(f"unknown specialty {item!r} (a NUCC taxonomy code or its name)")
        else:
            specialties.append(found.code)
    if not _list(cell("specialties")):
        reasons.append("no specialty")
    board = _yes_no(cell("board_certified"), "board_certified", reasons)
    licences = []
    for item in _list(cell("licenses")):
        state, _, expires = item.partition(":")
        state = state.strip().upper()
        if not is_jurisdiction(state):
            reasons.append(f"licence {item!r}: unknown state {state!r}")
            continue
        day = _date(expires.strip(), f"licence {item!r}: expiry", reasons)
        if day is not None:
            licences.append(RosterLicence(state, day))
    zip_code = cell("zip")
    where = geo.centroid(zip_code) if re.fullmatch(r"\d{5}", zip_code) else None
    if where is None:
        reasons.append(f"unknown ZIP {zip_code!r}")
    services = _list(cell("services"))
    bad_services = [s for s in services if s not in SERVICES]
    if bad_services or not services:
        reasons.append(
            f"services must be peer_review and/or ime, not {cell('services')!r}"
            if services
            else "no service (peer_review and/or ime)"
        )
    languages = [x.lower() for x in _list(cell("languages"))] or ["en"]
    for lang in languages:
        if not _LANGUAGE.match(lang):
            reasons.append(f"language {lang!r} is not an ISO 639-1 code (en, es, ...)")
    capacity = _number(
        cell("weekly_capacity"), "weekly_capacity", reasons, whole=True, largest=MAX_COUNT
    )
    open_now = _number(
        cell("open_assignments"), "open_assignments", reasons, whole=True, largest=MAX_COUNT
    )
    turnaround = _number(cell("median_turnaround_days"), "median_turnaround_days", reasons)
    qa = _number(cell("qa_score"), "qa_score", reasons)
    if qa is not None and qa > 1:
        reasons.append(f"qa_score {qa:g} is above 1 (a share, 0 to 1)")
    fee_peer = _number(
        cell("fee_peer_review"), "fee_peer_review", reasons, optional=True, largest=MAX_FEE
    )
    fee_ime = _number(cell("fee_ime"), "fee_ime", reasons, optional=True, largest=MAX_FEE)
    verified = _date(cell("verified_on"), "verified_on", reasons) if cell("verified_on") else today
    if verified is not None and verified > today:
        reasons.append(f"verified_on {verified} is in the future")
    sanctions = cell("sanctions").lower() or "none"
    if sanctions not in ("none", "found"):
        reasons.append(f"sanctions must be none or found, not {cell('sanctions')!r}")
    if reasons:
        return None, reasons
    assert where is not None and verified is not None and board is not None
    return (
        RosterRow(
            line=line,
            npi=npi,
            name=name,
            specialties=tuple(dict.fromkeys(specialties)),
            board_certified=board,
            licences=tuple(licences),
            zip=zip_code,
            latitude=where.latitude,
            longitude=where.longitude,
            services=tuple(dict.fromkeys(services)),
            languages=tuple(dict.fromkeys(languages)),
            weekly_capacity=int(capacity or 0),
            open_assignments=int(open_now or 0),
            median_turnaround_days=float(turnaround or 0),
            qa_score=float(qa or 0),
            affiliations=tuple(dict.fromkeys(_list(cell("affiliations")))),
            fee_peer_review=fee_peer,
            fee_ime=fee_ime,
            verified_on=verified,
            sanctioned=sanctions == "found",
        ),
        [],
    )


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _yes_no(value: str, column: str, reasons: list[str]) -> bool | None:
    low = value.lower()
    if low in _YES:
        return True
    if low in _NO:
        return False
    reasons.append(f"{column} must be yes or no, not {value!r}")
    return None


def _date(value: str, what: str, reasons: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        reasons.append(f"{what} {value!r} is not a date (YYYY-MM-DD)")
        return None


# The most the network's columns hold: a name's length, a count, a fee in dollars.
MAX_NAME = 200
MAX_COUNT = 2**31 - 1
MAX_FEE = 9_999_999.99


def _number(
    value: str,
    column: str,
    reasons: list[str],
    *,
    whole: bool = False,
    optional: bool = False,
    largest: float | None = None,
) -> float | None:
    if not value:
        if optional:
            return None
        reasons.append(f"{column} is empty")
        return None
    try:
        number = float(value)
    except ValueError:
        reasons.append(f"{column} {value!r} is not a number")
        return None
    if number != number or number < 0 or number == float("inf"):
        reasons.append(f"{column} {value!r} must be zero or more")
        return None
    if whole and not number.is_integer():
        reasons.append(f"{column} {value!r} must be a whole number")
        return None
    if largest is not None and number > largest:
        most = f"{largest:,}" if float(largest).is_integer() else f"{largest:,.2f}"
        reasons.append(f"{column} {value!r} is more than {most}")
        return None
    return number


def rows_to_csv(rows: Iterable[dict[str, str]]) -> str:
    """A roster CSV of the given cells (for exports and tests), in the contract's columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *OPTIONAL], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
