"""Reading examiners' bookable hours: the availability CSV (docs/command-line.md, "medreview
network availability import").

One row is one block of hours at one office on one day: `npi,date,start,end,zip,address`
(`2026-12-14,09:00,12:00`, the office's own wall clock). Each row is checked on its own and a
bad row is rejected with its line number and every reason (an unknown NPI, a date or a time
that is not one, an end not after the start, an unknown ZIP, an empty address, a block
overlapping another of the same physician in the file); the other rows stand. The examiners
known to the network are passed in: nothing here reads a database.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, time

from medreview.core.network import geo
from medreview.core.network.roster import Rejected, RosterError

COLUMNS = ("npi", "date", "start", "end", "zip", "address")
MAX_ADDRESS = 300
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class HoursError(RosterError):
    """The file as a whole cannot be read (not a CSV, a column missing)."""


@dataclass(frozen=True)
class HoursRow:
    """One valid block of an examiner's bookable hours."""

    line: int
    npi: str
    day: date
    start: time
    end: time
    zip: str
    address: str
    latitude: float
    longitude: float

    def overlaps(self, other: HoursRow) -> bool:
        return (
            self.npi == other.npi
            and self.day == other.day
            and self.start < other.end
            and other.start < self.end
        )


def read_hours(text: str, *, known: Container[str]) -> tuple[list[HoursRow], list[Rejected]]:
    """The valid blocks and the rejected rows (line number and reasons) of an availability
    CSV; `known` holds the NPIs of the network's physicians."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise HoursError(
            f"missing column(s): {', '.join(missing)} (the header is {','.join(COLUMNS)})"
        )
    reader.fieldnames = header
    rows: list[HoursRow] = []
    rejected: list[Rejected] = []
    kept: dict[tuple[str, date], list[HoursRow]] = defaultdict(list)
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue  # a blank line
            row, reasons = _row(line, raw, known)
            npi = (raw.get("npi") or "").strip()
            if row is not None:
                twin = next((r for r in kept[(row.npi, row.day)] if r.overlaps(row)), None)
                if twin is not None:
                    row, reasons = None, [_overlap(twin)]
            if row is None:
                rejected.append(Rejected(line, npi, tuple(reasons)))
                continue
            kept[(row.npi, row.day)].append(row)
            rows.append(row)
    except csv.Error as exc:
        raise HoursError(f"line {line + 1}: not readable as CSV ({exc})") from None
    return rows, rejected


def _overlap(twin: HoursRow) -> str:
    return (
        f"overlaps the block of line {twin.line} ({twin.day.isoformat()}, "
        f"{twin.start:%H:%M}-{twin.end:%H:%M}) of the same physician"
    )


def _row(
    line: int, raw: dict[str, str | None], known: Container[str]
) -> tuple[HoursRow | None, list[str]]:
    def cell(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    reasons: list[str] = []
    if None in raw:  # csv.DictReader puts extra cells under the key None
        reasons.append("more cells than columns")
    npi = cell("npi")
    if npi not in known:
        reasons.append(f"unknown NPI {npi!r}: no physician of the network has it")
    day: date | None = None
    try:
        day = date.fromisoformat(cell("date"))
    except ValueError:
        reasons.append(f"date {cell('date')!r} is not a date (YYYY-MM-DD)")
    start, end = parse_time(cell("start")), parse_time(cell("end"))
    if start is None:
        reasons.append(f"start {cell('start')!r} is not a time (HH:MM, 24-hour)")
    if end is None:
        reasons.append(f"end {cell('end')!r} is not a time (HH:MM, 24-hour)")
    if start is not None and end is not None and end <= start:
        reasons.append(f"end {end:%H:%M} is not after start {start:%H:%M}")
    zip_code = cell("zip")
    where = geo.centroid(zip_code) if re.fullmatch(r"\d{5}", zip_code) else None
    if where is None:
        reasons.append(f"unknown ZIP {zip_code!r}")
    address = " ".join(cell("address").split())
    if not address:
        reasons.append("address is empty")
    elif len(address) > MAX_ADDRESS:
        reasons.append(f"address is {len(address)} characters long, more than {MAX_ADDRESS}")
    if reasons:
        return None, reasons
    assert day is not None and start is not None and end is not None and where is not None
    return HoursRow(
        line, npi, day, start, end, zip_code, address, where.latitude, where.longitude
    ), []


def parse_time(value: str) -> time | None:
    """A wall-clock time written `HH:MM` (24-hour; `9:00` too), or None."""
    found = _TIME.match(value.strip())
    if found is None:
        return None
    hour, minute = int(found[1]), int(found[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def hours_to_csv(rows: list[dict[str, str]]) -> str:
    """An availability CSV of the given cells (for exports and tests)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
