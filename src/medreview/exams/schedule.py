"""What the IME's scheduling reads from the database, for the pure rules of
`core.scheduling` (docs/rules.md, "Scheduling an IME"): the case (the claimant's ZIP and
language, the referral's peer reviewers, the claim's earlier exams), the examiners who pass
the matcher's rules, their hours in order of day and start, and the exams they have booked.

The earliest slots are found in a fixed number of queries, whatever the network's size: the
examiners of the treating specialties are read as the matcher reads them (`network.pool`),
and their hours from the first lawful day on by the (day, start) index, a page at a time,
fed to `core.scheduling.earliest_slots`, which stops reading once it has enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from medreview.claims.clocks import holidays_of
from medreview.claims.models import Referral
from medreview.claims.rules import current_rules
from medreview.core import scheduling
from medreview.core.network import geo, matching
from medreview.core.scheduling import EarlierExam, ExamCase, Hours, Slots
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import is_business_day
from medreview.exams.models import Appointment
from medreview.network import pool
from medreview.network.models import Availability, Physician
from medreview.reports.models import ImeReferral
from medreview.reviews.models import Assignment
from medreview.reviews.queue import declined_npis, keep_out, peer_reviewer_npis

HOURS_PAGE = 5000  # blocks a query at most: the first lawful day of a large network
HOURS_CHUNK = 250  # blocks fetched at a time: what is not needed is never read
SLOTS_SHOWN = 20

# The matcher's rules the scheduling rules state again, with their citations, for the day and
# the office of the exam: a refusal names them once, in the scheduling rules' words.
STATED_BY_SCHEDULING = frozenset(
    {"service", "jurisdiction_licence", "board_certification", "peer_reviewer", "distance"}
)


@dataclass(frozen=True)
class Booking:
    """A confirmed IME referral as the scheduling rules read it."""

    referral: Referral
    ime: ImeReferral
    case: ExamCase
    claimant_zip: str
    request: matching.Request  # the matcher's, with those who declined kept out
    peer_reviewers: frozenset[str]
    assigned: Assignment | None  # the IME assignment in force, if any


def booking_of(referral: Referral, ime: ImeReferral, *, today: date) -> Booking:
    parsed = referral.as_data()
    where = geo.centroid(parsed.claimant_zip or "")
    reviewers = peer_reviewer_npis([referral]).get(str(referral.pk), frozenset())
    confirmed = timezone.localdate(ime.confirmed) if ime.confirmed else today
    case = ExamCase(
        jurisdiction=referral.jurisdiction,
        today=today,
        confirmed=confirmed,
        claimant=(where.latitude, where.longitude) if where else None,
        language=(parsed.claimant_language or "en").lower(),
        peer_reviewers=reviewers,
        earlier_exams=earlier_exams(referral),
    )
    request = keep_out(
        pool.request_for(parsed, "ime", today=today),
        referral,
        declined_npis([referral.pk]),
        {str(referral.pk): reviewers},
    )
    assigned = (
        Assignment.objects.active()
        .filter(referral=referral, service="ime")
        .select_related("physician")
        .first()
    )
    return Booking(referral, ime, case, parsed.claimant_zip or "", request, reviewers, assigned)


def earlier_exams(referral: Referral) -> tuple[EarlierExam, ...]:
    """The claim's other IMEs booked or held (a claim is its claim number; the same party is
    the same client organisation), never one missed, cancelled or moved."""
    return tuple(
        EarlierExam(day=day, same_party=org == referral.organisation_id)
        for day, org in Appointment.objects.filter(
            referral__claim_number=referral.claim_number,
            status__in=Appointment.HELD_OR_BOOKED,
        ).values_list("day", "referral__organisation_id")
    )


def as_examiner(
    physician: matching.PhysicianProfile, booking: Booking
) -> matching.PhysicianProfile:
    """The examiner as the matcher weighs an exam: at the claimant's place (the office that
    counts is the exam's, whose distance the scheduling rules check with their citation), and
    without the slot the referral's own IME already takes of their capacity."""
    mine = booking.assigned is not None and booking.assigned.physician.npi == physician.npi
    claimant = booking.case.claimant
    return replace(
        physician,
        latitude=claimant[0] if claimant else physician.latitude,
        longitude=claimant[1] if claimant else physician.longitude,
        open_assignments=physician.open_assignments - (1 if mine else 0),
    )


def matcher_refusal(physician: matching.PhysicianProfile, booking: Booking) -> str | None:
    """The first of the matcher's rules the examiner breaks (specialty, credentials, capacity,
    a conflict, an exam declined...), in its words; None when none does, or when it is one
    the scheduling rules state with their citation."""
    request = replace(booking.request, peer_reviewer_npis=frozenset())
    why = matching.why_not(as_examiner(physician, booking), request, current_rules())
    if why is None or why.split(":", 1)[0] in STATED_BY_SCHEDULING:
        return None
    return why


def eligible_examiners(booking: Booking) -> dict[str, matching.PhysicianProfile]:
    """Every examiner of the network who passes the matcher's rules for this IME (wherever
    their registered office: the offices of their hours are checked slot by slot)."""
    network = pool.load_network(
        matching.similar_codes(booking.request.specialties), booking.request.service
    )
    # The network as `as_examiner` sees each examiner, in its columns (the matcher reads
    # those): everyone at the claimant's place, the referral's own examiner's slot free.
    claimant = booking.case.claimant
    if claimant is not None:
        network.latitude.fill(claimant[0])
        network.longitude.fill(claimant[1])
    if booking.assigned is not None and booking.assigned.physician.npi in network.by_npi:
        network.capacity_left[network.by_npi[booking.assigned.physician.npi]] += 1
    found = matching.ranked(
        network, booking.request, current_rules(), limit=len(network.physicians)
    )
    return {p.npi: p for p, _ in found}


def hours_in_order(ids: dict[int, str], since: date, until: date | None) -> Iterator[Hours]:
    """The blocks of hours of these physicians (id: NPI) from `since` (through `until`), in
    order of day and start, read as they are needed, by the (day, start) index: a page of
    `HOURS_PAGE` a query (a large network's first day in one)."""
    if not ids:
        return
    # The physician is matched as an expression (`physician_id + 0`): compared as a column,
    # its own index would be chosen, and every block of every examiner sorted by day.
    query = Availability.objects.annotate(who=F("physician_id") + 0).filter(
        who__in=list(ids), day__gte=since
    )
    if until is not None:
        query = query.filter(day__lte=until)
    fields = (
        "id",
        "physician_id",
        "day",
        "start",
        "end",
        "zip",
        "address",
        "latitude",
        "longitude",
    )
    after = Q()
    while True:
        page = (
            query.filter(after)
            .order_by("day", "start", "id")
            .values_list(*fields)[:HOURS_PAGE]
            .iterator(chunk_size=HOURS_CHUNK)
        )
        count, last = 0, None
        for row in page:
            count, last = count + 1, row
            _, pid, day, start, end, zip_code, address, lat, lon = row
            yield Hours(ids[pid], day, start, end, zip_code, address, lat, lon)
        if count < HOURS_PAGE or last is None:
            return
        pk, _, day, start = last[:4]
        after = Q(day__gt=day) | Q(day=day, start__gt=start) | Q(day=day, start=start, id__gt=pk)


def booked_exams(ids: dict[int, str], since: date) -> dict[str, list[datetime]]:
    """The exams each physician (id: NPI) has booked from `since` on."""
    found: dict[str, list[datetime]] = defaultdict(list)
    for pid, day, at in Appointment.objects.filter(
        physician_id__in=list(ids), status=Appointment.BOOKED, day__gte=since
    ).values_list("physician_id", "day", "at"):
        found[ids[pid]].append(datetime.combine(day, at))
    return found


@dataclass(frozen=True)
class Offered:
    slots: Slots
    examiners: dict[str, matching.PhysicianProfile]
    why_none: str | None = None  # the examiner asked for passes no rule: why


def lawful_slots(
    booking: Booking,
    *,
    npi: str | None = None,
    interpreter: bool = False,
    limit: int = SLOTS_SHOWN,
) -> Offered:
    """The earliest lawful slots of the IME: among every eligible examiner, or of one."""
    found = current_rules()
    days_off = holidays_of(booking.case.jurisdiction, booking.case.today)
    if npi is not None:
        one = pool.load_physicians([npi]).get(npi)
        why = None if one is None else matcher_refusal(one, booking)
        if one is None or why is not None:
            window = scheduling.window(booking.case, found, days_off)
            return Offered(
                Slots(window, ()),
                {},
                why or f"no physician of the network has NPI {npi!r}",
            )
        examiners = {npi: one}
    else:
        examiners = eligible_examiners(booking)
    window = scheduling.window(booking.case, found, days_off)
    ids = dict(
        Physician.objects.filter(npi__in=sorted(examiners), active=True).values_list("id", "npi")
    )
    slots = scheduling.earliest_slots(
        booking.case,
        examiners,
        hours_in_order(ids, window.earliest, window.latest),
        booked_exams(ids, window.earliest),
        found,
        days_off,
        interpreter=interpreter,
        limit=limit,
    )
    why_none = None
    if npi is not None and not slots.slots and window.closed is None:
        # Say why, when a rule of the examiner's own keeps them from every day.
        why_none = (
            "; ".join(
                r.message
                for r in scheduling.examiner_refusals(
                    booking.case, examiners[npi], window.earliest, found, interpreter=interpreter
                )
            )
            or None
        )
    return Offered(slots, examiners, why_none)


def reminder_day(exam_day: date, jurisdiction: str) -> date:
    """Two business days before the exam (the day the examiner and the client are
    reminded)."""
    days_off = holidays_for(jurisdiction, exam_day.year - 1, exam_day.year)
    day, left = exam_day, 2
    while left:
        day -= timedelta(days=1)
        if is_business_day(day, days_off):
            left -= 1
    return day
