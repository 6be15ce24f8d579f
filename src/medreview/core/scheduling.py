"""Scheduling an IME lawfully: the earliest day the claimant's notice allows, the examiners'
bookable hours cut into slots, and every rule a booking must keep (docs/rules.md,
"Scheduling an IME").

The numbers are the jurisdiction's, from `data/jurisdiction_rules.csv` (each with its
citation): the notice in business days (`ime_notice_business_days`, the jurisdiction's
holidays skipped) or calendar days (`ime_notice_days`), the exam held within so many days of
the IME referral's confirmation (`ime_exam_within_days`), how far the claimant travels
(`ime_distance_limit_miles`), the examiner's licence and board certification
(`examiner_licence_in_state`, `examiner_board_certified`), and how often a claim may be
examined (`ime_per_party_per_accident`, `ime_min_interval_days`). Two rules are the desk's
own: the examiner speaks the claimant's language or an interpreter is booked, and the IME is
an independent second opinion, so never the physician who did the referral's peer review
unless the client allows it.

Times are the office's wall clock (naive `datetime`s): an exam is at 9:00 where it is held.
Everything here is pure: the day (`today`), the holidays and the hours are passed in.
"""

from __future__ import annotations

import heapq
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from medreview.core.network import geo
from medreview.core.network.jurisdictions import JurisdictionRule, JurisdictionRules
from medreview.core.network.matching import PhysicianProfile
from medreview.core.triage.clocks import add_business_days

# The length of an exam, and so of a slot (a setting of the Django layer may pass another).
EXAM_LENGTH = timedelta(hours=1)

# The desk's own rules, cited as such wherever they refuse a booking.
INDEPENDENCE = (
    "medreview: the IME is an independent second opinion, never by the physician who did "
    "this referral's peer review unless the client's settings allow it"
)
LANGUAGE = (
    "medreview: the examiner speaks the claimant's language or an interpreter is booked "
    "(WA: interpreters supplied by the department, WAC 296-23-362)"
)
HOURS = "medreview: an exam is booked within the examiner's bookable hours, one at a time"
SERVICES = "medreview: the services the network's roster says a physician offers"


@dataclass(frozen=True)
class Hours:
    """A block of an examiner's bookable hours at one office on one day."""

    npi: str
    day: date
    start: time
    end: time
    zip: str
    address: str
    latitude: float | None = None
    longitude: float | None = None

    def starts(self, length: timedelta = EXAM_LENGTH) -> Iterable[datetime]:
        """The starts of the exams that fit in the block, one after the other."""
        at = datetime.combine(self.day, self.start)
        last = datetime.combine(self.day, self.end) - length
        while at <= last:
            yield at
            at += length

    def holds(self, start: datetime, length: timedelta = EXAM_LENGTH) -> bool:
        return (
            start.date() == self.day
            and datetime.combine(self.day, self.start)
            <= start
            <= datetime.combine(self.day, self.end) - length
        )


@dataclass(frozen=True)
class EarlierExam:
    """Another IME of the same claim, booked or held (never one cancelled)."""

    day: date
    same_party: bool  # asked by the same client


@dataclass(frozen=True)
class ExamCase:
    """What the rules need to know of the IME to book."""

    jurisdiction: str
    today: date
    confirmed: date  # the day the IME referral was confirmed: the exam window opens
    claimant: tuple[float, float] | None  # the claimant's ZIP centroid
    language: str = "en"
    peer_reviewers: frozenset[str] = frozenset()  # barred, unless the client allows them
    earlier_exams: tuple[EarlierExam, ...] = ()


@dataclass(frozen=True)
class Slot:
    npi: str
    start: datetime
    address: str
    zip: str
    distance_miles: float | None


@dataclass(frozen=True)
class Refusal:
    """A rule a booking would break: its name, what is wrong in words, and its citation."""

    rule: str
    words: str
    citation: str

    @property
    def message(self) -> str:
        return f"{self.words} ({self.citation})"


@dataclass(frozen=True)
class Window:
    """When the exam may be held: from `earliest` (the notice, and the time since the claim's
    last exam), through `latest` when the jurisdiction sets one; `closed` when a frequency
    limit allows no exam at all."""

    earliest: date
    latest: date | None
    because: tuple[JurisdictionRule, ...]
    closed: Refusal | None = None


@dataclass(frozen=True)
class Slots:
    window: Window
    slots: tuple[Slot, ...]


def _cite(rule: JurisdictionRule, jurisdiction: str) -> str:
    where = jurisdiction if rule.jurisdiction == "*" else rule.jurisdiction
    if rule.jurisdiction == "*":
        return f"{where}: {rule.citation} (the default where {jurisdiction}'s rules are silent)"
    return f"{where}: {rule.citation}"


def window(case: ExamCase, rules: JurisdictionRules, holidays: Container[date]) -> Window:
    """The days an exam of this case may be held, with the rules that set them."""
    j = case.jurisdiction
    # The earliest day is the latest of the notice in business days, the notice in calendar
    # days and the interval since the claim's last exam; only the rule that binds is named.
    bounds: list[tuple[date, JurisdictionRule | None]] = [(case.today, None)]
    if (rule := rules.maybe(j, "ime", "ime_notice_business_days")) is not None:
        bounds.append((add_business_days(case.today, int(rule.number), holidays), rule))
    if (rule := rules.maybe(j, "ime", "ime_notice_days")) is not None:
        bounds.append((case.today + timedelta(days=int(rule.number)), rule))
    if case.earlier_exams and (rule := rules.maybe(j, "ime", "ime_min_interval_days")):
        last = max(e.day for e in case.earlier_exams)
        bounds.append((last + timedelta(days=int(rule.number)), rule))
    # On a tie, the state's own rule is named over the default's.
    earliest, binding = max(
        bounds, key=lambda b: (b[0], b[1] is not None and b[1].jurisdiction != "*")
    )
    because: list[JurisdictionRule] = [binding] if binding is not None else []
    latest = None
    if (rule := rules.maybe(j, "ime", "ime_exam_within_days")) is not None:
        latest = case.confirmed + timedelta(days=int(rule.number))
        because.append(rule)
    closed = None
    if (rule := rules.maybe(j, "ime", "ime_per_party_per_accident")) is not None:
        held = sum(1 for e in case.earlier_exams if e.same_party)
        if held >= rule.number:
            closed = Refusal(
                "ime_per_party_per_accident",
                f"this claim has had {held} IME of this party already; {j} allows "
                f"{rule.number:g} per party per accident",
                _cite(rule, j),
            )
    if latest is not None and latest < earliest and closed is None:
        closed = Refusal(
            "ime_exam_within_days",
            f"no day is left: no exam may be held before {earliest.isoformat()} ("
            + "; ".join(_cite(r, j) for r in because if r.rule != "ime_exam_within_days")
            + f"), and the exam must be held by {latest.isoformat()}",
            _cite(rules.rule(j, "ime", "ime_exam_within_days"), j),
        )
    return Window(earliest, latest, tuple(because), closed)


def examiner_refusals(
    case: ExamCase,
    examiner: PhysicianProfile,
    day: date,
    rules: JurisdictionRules,
    *,
    interpreter: bool,
) -> list[Refusal]:
    """What keeps this examiner from examining on that day, whatever the hour and office."""
    j = case.jurisdiction
    found: list[Refusal] = []
    if examiner.npi in case.peer_reviewers:
        found.append(
            Refusal(
                "peer_reviewer",
                f"{examiner.name} did this referral's peer review; the IME is an independent "
                "second opinion",
                INDEPENDENCE,
            )
        )
    if "ime" not in examiner.services:
        found.append(
            Refusal("service", f"{examiner.name} does not examine (no IME service)", SERVICES)
        )
    rule = rules.maybe(j, "ime", "examiner_licence_in_state")
    if rule is None or rule.yes:
        licensed = any(lic.state == j and lic.expires >= day for lic in examiner.licences)
        if not licensed:
            found.append(
                Refusal(
                    "examiner_licence_in_state",
                    f"{examiner.name} holds no {j} licence active on {day.isoformat()}",
                    _cite(rule, j) if rule else f"{j}: an examiner is licensed in the state",
                )
            )
    rule = rules.maybe(j, "ime", "examiner_board_certified")
    if rule is not None and rule.yes and not examiner.board_certified:
        found.append(
            Refusal(
                "examiner_board_certified",
                f"{examiner.name} is not board certified, as {j} requires of an examiner",
                _cite(rule, j),
            )
        )
    language = (case.language or "en").lower()
    if not interpreter and language not in {x.lower() for x in examiner.languages}:
        found.append(
            Refusal(
                "language",
                f"{examiner.name} does not speak the claimant's language ({language}) and no "
                "interpreter is booked",
                LANGUAGE,
            )
        )
    return found


def office_refusals(
    case: ExamCase, hours: Hours, rules: JurisdictionRules
) -> tuple[float | None, list[Refusal]]:
    """The claimant's distance to the office, and what keeps it from being used."""
    j = case.jurisdiction
    rule = rules.rule(j, "ime", "ime_distance_limit_miles")
    if case.claimant is None or hours.latitude is None or hours.longitude is None:
        return None, [
            Refusal(
                "ime_distance_limit_miles",
                "the distance from the claimant to the office is unknown (a ZIP not found)",
                _cite(rule, j),
            )
        ]
    miles = round(geo.miles(case.claimant, (hours.latitude, hours.longitude)), 1)
    if miles > rule.number:
        return miles, [
            Refusal(
                "ime_distance_limit_miles",
                f"the office at {hours.zip} is {miles:g} miles from the claimant, beyond "
                f"{j}'s limit of {rule.number:g}",
                _cite(rule, j),
            )
        ]
    return miles, []


def day_refusals(
    case: ExamCase, day: date, open_: Window, rules: JurisdictionRules
) -> list[Refusal]:
    """What keeps an exam from that day: the notice, the exam window, the claim's exams."""
    j = case.jurisdiction
    if open_.closed is not None:
        return [open_.closed]
    found = []
    if day < open_.earliest:
        rule = next((r for r in reversed(open_.because) if r.rule != "ime_exam_within_days"), None)
        if rule is not None and rule.rule == "ime_min_interval_days":
            words = (
                f"{day.isoformat()} is too soon after the claim's last IME: the next may be "
                f"held from {open_.earliest.isoformat()} ({rule.number:g} days apart)"
            )
        else:
            notice = (
                f"{rule.number:g} business days' notice"
                if rule is not None and rule.rule == "ime_notice_business_days"
                else f"{rule.number:g} days' notice"
                if rule is not None
                else "notice"
            )
            words = (
                f"{day.isoformat()} leaves the claimant less than {notice}: the earliest "
                f"lawful day is {open_.earliest.isoformat()}"
            )
        found.append(
            Refusal(
                rule.rule if rule else "ime_notice_business_days",
                words,
                _cite(rule, j) if rule else "the notice period",
            )
        )
    if open_.latest is not None and day > open_.latest:
        rule = rules.rule(j, "ime", "ime_exam_within_days")
        found.append(
            Refusal(
                "ime_exam_within_days",
                f"{day.isoformat()} is past {open_.latest.isoformat()}: the exam is held within "
                f"{rule.number:g} days of the IME referral",
                _cite(rule, j),
            )
        )
    return found


def booking_refusals(
    case: ExamCase,
    examiner: PhysicianProfile,
    start: datetime,
    examiner_hours: Sequence[Hours],
    booked: Iterable[datetime],
    rules: JurisdictionRules,
    holidays: Container[date],
    *,
    interpreter: bool,
    length: timedelta = EXAM_LENGTH,
) -> tuple[Hours | None, float | None, list[Refusal]]:
    """Every rule an exam of this examiner at `start` would break, in order (the examiner, the
    day, the hours, the office): the block it falls in, the claimant's distance to it, and the
    refusals (none when the booking is lawful)."""
    found = examiner_refusals(case, examiner, start.date(), rules, interpreter=interpreter)
    found += day_refusals(case, start.date(), window(case, rules, holidays), rules)
    block = next((h for h in examiner_hours if h.holds(start, length)), None)
    miles = None
    if block is None:
        found.append(
            Refusal(
                "hours",
                f"{examiner.name} has no bookable hours at {start.isoformat(timespec='minutes')}",
                HOURS,
            )
        )
    else:
        if any(abs(b - start) < length for b in booked):
            found.append(
                Refusal(
                    "hours",
                    f"{examiner.name} already has an exam booked at "
                    f"{start.isoformat(timespec='minutes')}",
                    HOURS,
                )
            )
        miles, far = office_refusals(case, block, rules)
        found += far
    return block, miles, found


def earliest_slots(
    case: ExamCase,
    examiners: Mapping[str, PhysicianProfile],
    hours: Iterable[Hours],
    booked: Mapping[str, Iterable[datetime]],
    rules: JurisdictionRules,
    holidays: Container[date],
    *,
    interpreter: bool = False,
    limit: int = 20,
    length: timedelta = EXAM_LENGTH,
) -> Slots:
    """The earliest lawful slots among the examiners' hours (given in order of day and start:
    the reading stops once no block left can hold a slot among the first `limit`), each at or
    after the window's first day."""
    open_ = window(case, rules, holidays)
    if open_.closed is not None or limit < 1:
        return Slots(open_, ())
    taken = {npi: frozenset(starts) for npi, starts in booked.items()}
    able: dict[tuple[str, date], bool] = {}
    offices: dict[tuple[float | None, float | None, str], float | None] = {}
    found: list[Slot] = []
    # Blocks come by day and start, so a long block's late slots may follow a short one's
    # early ones: once `limit` slots are found, the latest start among the first `limit` is
    # the cut-off, and reading goes on only while a block starts at or before it (a slot at
    # the cut-off may still win on distance). `found` is cut back to the first `limit` each
    # time it doubles, so a network's first day is never held whole.
    cutoff: datetime | None = None
    for block in hours:
        if block.day < open_.earliest:
            continue
        if open_.latest is not None and block.day > open_.latest:
            break
        if cutoff is not None and datetime.combine(block.day, block.start) > cutoff:
            break
        examiner = examiners.get(block.npi)
        if examiner is None:
            continue
        key = (block.npi, block.day)
        if key not in able:
            able[key] = not examiner_refusals(
                case, examiner, block.day, rules, interpreter=interpreter
            )
        if not able[key]:
            continue
        where = (block.latitude, block.longitude, block.zip)
        if where not in offices:
            miles, far = office_refusals(case, block, rules)
            offices[where] = None if far else miles
        miles = offices[where]
        if miles is None:
            continue
        mine = taken.get(block.npi, frozenset())
        for start in block.starts(length):
            if cutoff is not None and start > cutoff:
                break
            if any(abs(b - start) < length for b in mine):
                continue
            found.append(Slot(block.npi, start, block.address, block.zip, miles))
        if len(found) >= (limit if cutoff is None else 2 * limit):
            found = heapq.nsmallest(limit, found, key=_earliest)
            cutoff = found[-1].start if len(found) == limit else None
    found.sort(key=_earliest)
    return Slots(open_, tuple(found[:limit]))


def _earliest(slot: Slot) -> tuple[datetime, float, str]:
    """The order slots are offered in: the earliest, then the nearest, then by NPI."""
    return (slot.start, slot.distance_miles or 0.0, slot.npi)
