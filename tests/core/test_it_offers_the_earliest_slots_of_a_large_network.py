"""The earliest slots of many examiners' hours (core.scheduling.earliest_slots) are those a
reading of every block would give, earliest first, then nearest: reading the hours in order of
day and start, it stops once no block left can hold one of them, so a large network's first
day is read only as far as it must be."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from test_it_books_only_lawful_exams import CLAIMANT, RULES, examiner, new_york

from medreview.core.network import geo
from medreview.core.scheduling import EXAM_LENGTH, Hours, Slot, earliest_slots, window

TODAY = date(2026, 11, 20)
ZIPS = ("10001", "10016", "10451", "11201", "07302", "07030", "10601", "14201")


def _network(seed: int, count: int, days: int) -> tuple[list[Hours], dict[str, list[datetime]]]:
    rng = random.Random(seed)
    blocks: list[Hours] = []
    booked: dict[str, list[datetime]] = {}
    for n in range(count):
        npi = f"{1000000000 + n}"
        for d in range(days):
            day = TODAY + timedelta(days=10 + d)
            for _ in range(rng.randint(0, 2)):
                start = rng.randint(7, 15)
                end = rng.randint(start + 1, 18)
                zip_code = rng.choice(ZIPS)
                c = geo.centroid(zip_code)
                assert c is not None
                blocks.append(
                    Hours(npi, day, time(start, rng.choice((0, 30))), time(end), zip_code,
                          f"{n} Office", c.latitude, c.longitude)
                )  # fmt: skip
            if rng.random() < 0.3:
                booked.setdefault(npi, []).append(datetime.combine(day, time(rng.randint(7, 15))))
    # Overlapping blocks of one examiner are not what an import keeps: one a day and office.
    blocks.sort(key=lambda h: (h.day, h.start))
    return blocks, booked


def _every_slot(
    blocks: list[Hours], booked: dict[str, list[datetime]], earliest: date
) -> list[Slot]:
    found = []
    for h in blocks:
        if h.day < earliest:
            continue
        miles = round(geo.miles(CLAIMANT, (h.latitude or 0.0, h.longitude or 0.0)), 1)
        if miles > 50:
            continue
        for start in h.starts():
            if any(abs(b - start) < EXAM_LENGTH for b in booked.get(h.npi, ())):
                continue
            found.append(Slot(h.npi, start, h.address, h.zip, miles))
    return sorted(found, key=lambda s: (s.start, s.distance_miles or 0.0, s.npi))


def test_the_slots_are_those_of_a_whole_reading() -> None:
    case = new_york(TODAY)
    earliest = window(case, RULES, frozenset()).earliest
    for seed in range(12):
        blocks, booked = _network(seed, 40, 4)
        examiners = {h.npi: examiner(h.npi) for h in blocks}
        for limit in (1, 5, 20, 60):
            got = earliest_slots(case, examiners, blocks, booked, RULES, frozenset(), limit=limit)
            assert list(got.slots) == _every_slot(blocks, booked, earliest)[:limit], (seed, limit)


def test_a_large_first_day_is_read_only_as_far_as_it_must_be() -> None:
    case = new_york(TODAY)
    day = window(case, RULES, frozenset()).earliest
    c = geo.centroid("10001")
    assert c is not None
    read = 0

    def hours() -> Iterator[Hours]:
        nonlocal read
        for start, end in ((9, 12), (13, 17)):
            for n in range(1000):
                read += 1
                yield Hours(f"{2000000000 + n}", day, time(start), time(end), "10001",
                            "Office", c.latitude, c.longitude)  # fmt: skip
        for n in range(1000):
            read += 1
            yield Hours(f"{2000000000 + n}", day + timedelta(days=1), time(8), time(9),
                        "10001", "Office", c.latitude, c.longitude)  # fmt: skip

    examiners = {f"{2000000000 + n}": examiner(f"{2000000000 + n}") for n in range(1000)}
    got = earliest_slots(case, examiners, hours(), {}, RULES, frozenset())
    assert [s.start.time() for s in got.slots] == [time(9)] * 20
    assert [s.npi for s in got.slots] == sorted(examiners)[:20]
    # Every 9:00 block may hold a 9:00 slot; the afternoon's and the next day's cannot.
    assert read == 1001
