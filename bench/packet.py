"""A claim's records packet of exactly n pages: the records of one claim in date order.

It opens with the emergency visit on the day of injury and goes on with therapy daily notes
(the bulk of any workers' compensation packet), office notes of three treating physicians,
consultations, imaging reports, now and then an emergency visit or an operative report, and
CMS-1500 bills of the therapy and office visits already documented. About one record in fifty
is sent twice (a re-fax), as happens in real packets.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from bench import bills, kinds
from bench.documents import Record
from bench.story import OCCMED, ORTHO, PMR, RECEIVED, THERAPY, injury_for

WEIGHTS = {
    "therapy": 40,
    "office": 22,
    "consult": 4,
    "imaging": 6,
    "emergency": 2,
    "operative": 1,
}
OFFICE_TITLES = {
    "occmed": (OCCMED, "PROGRESS NOTE - WORK-RELATED CONDITION"),
    "pmr": (PMR, "FOLLOW-UP VISIT - PHYSICAL MEDICINE AND REHABILITATION"),
    "ortho": (ORTHO, "ORTHOPAEDIC FOLLOW-UP VISIT - WORK STATUS REPORT"),
}
CONSULT_TITLES = (
    (PMR, "PHYSICAL MEDICINE AND REHABILITATION CONSULTATION"),
    (ORTHO, "ORTHOPAEDIC SURGERY CONSULTATION"),
)
REPEAT = 0.02


def records(n_pages: int, seed: int) -> Iterator[Record]:
    """Records whose pages add up to exactly `n_pages`."""
    rng = random.Random(seed)
    injury = injury_for(n_pages)
    last_day = RECEIVED - timedelta(days=1)
    day = injury
    left = n_pages
    recent: list[Record] = []
    therapy_services: list[tuple[date, str, str]] = []
    office_services: list[tuple[date, str, str]] = []
    visit, authorized = 0, 12
    first = kinds.emergency_record(rng, day, min(left, 2))
    left -= len(first.pages)
    yield first
    while left > 0:
        if recent and rng.random() < REPEAT:
            again = rng.choice(recent[-50:])
            if len(again.pages) <= left:
                left -= len(again.pages)
                yield again
                continue
        if len(therapy_services) >= rng.randint(12, 30) or len(office_services) >= 6:
            services = therapy_services if len(therapy_services) >= 12 else office_services
            facility = THERAPY if services is therapy_services else OCCMED
            record = bills.bill(rng, facility, services[: left * 10], injury)
            services.clear()
        else:
            day = min(last_day, day + timedelta(days=rng.choice((0, 1, 1, 1, 2, 2, 3))))
            kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            if kind == "therapy":
                visit += 1
                if visit > authorized:
                    visit, authorized = 1, rng.choice((12, 18, 24))
                n = min(left, 1 if rng.random() < 0.85 else 2)
                record, author, codes = kinds.therapy_note(rng, day, n, visit, authorized)
                therapy_services.extend((day, code, author) for code in codes)
            else:
                record = _clinical(rng, kind, day, left, injury)
                if record.pages[0].lines[0][1] == OCCMED.name:
                    office_services.append((day, "99213", OCCMED.authors[0]))
        left -= len(record.pages)
        recent.append(record)
        yield record


def _clinical(rng: random.Random, kind: str, day: date, left: int, injury: date) -> Record:
    def pages(lo: int, hi: int) -> int:
        return min(left, rng.randint(lo, hi))

    if kind == "office":
        facility, title = OFFICE_TITLES[rng.choice(list(OFFICE_TITLES))]
        return kinds.office_note(rng, day, pages(1, 4), facility, title, injury)
    if kind == "consult":
        facility, title = rng.choice(CONSULT_TITLES)
        return kinds.consult(rng, day, pages(2, 4), facility, title, injury)
    if kind == "imaging":
        referrer = rng.choice((OCCMED, PMR, ORTHO)).authors[0]
        return kinds.imaging_report(rng, day, pages(1, 2), referrer)
    if kind == "emergency":
        return kinds.emergency_record(rng, day, pages(2, 4))
    return kinds.operative_report(rng, day, pages(2, 3))
