"""The scheduling rules of an IME (core.scheduling): the earliest day the claimant's notice
allows, in business days with the jurisdiction's holidays; slots only from the examiners'
hours, within the distance limit, never the peer reviewer; and every rule a booking breaks,
named with its citation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from medreview.core.network import geo
from medreview.core.network.jurisdictions import default_rules
from medreview.core.network.matching import LicenceTerm, PhysicianProfile
from medreview.core.scheduling import (
    EarlierExam,
    ExamCase,
    Hours,
    booking_refusals,
    earliest_slots,
    window,
)

RULES = default_rules()
# Thanksgiving and Christmas 2026 (federal), as core.triage.calendars would give them.
HOLIDAYS = frozenset({date(2026, 11, 26), date(2026, 12, 25)})
MANHATTAN = geo.centroid("10001")
assert MANHATTAN is not None
CLAIMANT = (MANHATTAN.latitude, MANHATTAN.longitude)


def examiner(npi: str, **changes: object) -> PhysicianProfile:
    base: dict[str, object] = {
        "npi": npi,
        "name": f"Dr {npi[-3:]}",
        "specialties": ("207X00000X",),
        "licences": (LicenceTerm("NY", date(2027, 6, 30)),),
        "services": frozenset({"ime"}),
        "board_certified": True,
        "languages": frozenset({"en", "es"}),
    }
    base.update(changes)
    return PhysicianProfile(**base)  # type: ignore[arg-type]


def hours(npi: str, day: date, zip_code: str = "10001", start: int = 9, end: int = 12) -> Hours:
    c = geo.centroid(zip_code)
    assert c is not None
    return Hours(
        npi,
        day,
        time(start),
        time(end),
        zip_code,
        f"1 Main St, {zip_code}",
        c.latitude,
        c.longitude,
    )


def new_york(today: date = date(2026, 11, 20), **changes: object) -> ExamCase:
    base: dict[str, object] = {
        "jurisdiction": "NY",
        "today": today,
        "confirmed": today,
        "claimant": CLAIMANT,
        "language": "en",
    }
    base.update(changes)
    return ExamCase(**base)  # type: ignore[arg-type]


def test_new_york_gives_seven_business_days_notice_skipping_its_holidays() -> None:
    # Friday 20 Nov: 23, 24, 25, (26 Thanksgiving), 27, 30 Nov, 1, 2 Dec: the 7th is 2 Dec.
    found = window(new_york(), RULES, HOLIDAYS)
    assert found.earliest == date(2026, 12, 2)
    assert [r.citation for r in found.because] == ["WCL 137(1)(a)"]


def test_texas_gives_ten_calendar_days_and_holds_the_exam_within_thirty() -> None:
    found = window(new_york(jurisdiction="TX"), RULES, HOLIDAYS)
    assert found.earliest == date(2026, 11, 30)
    assert found.latest == date(2026, 12, 20)


def test_only_the_rule_that_binds_is_named() -> None:
    # Georgia has no rule in business days (the default's 5 reach 30 Nov, Thanksgiving
    # skipped) but 10 calendar days of its own, which reach the same day: its own is named.
    found = window(new_york(jurisdiction="GA"), RULES, HOLIDAYS)
    assert found.earliest == date(2026, 11, 30)
    assert [r.citation for r in found.because] == ["Board Rule 202"]


def test_the_earliest_slots_lie_at_or_after_the_notice_and_come_in_time_order() -> None:
    ny = new_york()
    blocks = [
        hours("1000000001", date(2026, 12, 1)),  # too soon
        hours("1000000001", date(2026, 12, 2), start=9, end=17),
        hours("1000000002", date(2026, 12, 2), start=10, end=12),
        hours("1000000002", date(2026, 12, 3)),
    ]
    examiners = {e.npi: e for e in (examiner("1000000001"), examiner("1000000002"))}
    found = earliest_slots(ny, examiners, blocks, {}, RULES, HOLIDAYS, limit=4)
    assert found.window.earliest == date(2026, 12, 2)
    assert [(s.npi[-1], s.start.hour) for s in found.slots] == [
        ("1", 9),
        ("1", 10),
        ("2", 10),
        ("1", 11),
    ]
    assert all(s.start.date() >= found.window.earliest for s in found.slots)


def test_no_slot_of_the_peer_reviewer_a_far_office_or_a_booked_hour() -> None:
    day = date(2026, 12, 2)
    blocks = [
        hours("1000000001", day),  # the peer reviewer
        hours("1000000002", day, zip_code="90210"),  # Beverly Hills: far from Manhattan
        hours("1000000003", day, start=9, end=11),
    ]
    examiners = {e.npi: e for e in map(examiner, ("1000000001", "1000000002", "1000000003"))}
    ny = new_york(peer_reviewers=frozenset({"1000000001"}))
    booked = {"1000000003": [datetime(2026, 12, 2, 9)]}
    found = earliest_slots(ny, examiners, blocks, booked, RULES, HOLIDAYS)
    assert [(s.npi, s.start.hour) for s in found.slots] == [("1000000003", 10)]
    assert found.slots[0].distance_miles == 0.0


def test_a_claimant_of_another_language_needs_an_interpreter_or_a_speaker() -> None:
    day = date(2026, 12, 2)
    blocks = [hours("1000000001", day), hours("1000000002", day)]
    speaks_ru = examiner("1000000002", languages=frozenset({"en", "ru"}))
    examiners = {"1000000001": examiner("1000000001"), "1000000002": speaks_ru}
    ny = new_york(language="ru")
    alone = earliest_slots(ny, examiners, blocks, {}, RULES, HOLIDAYS)
    assert {s.npi for s in alone.slots} == {"1000000002"}
    helped = earliest_slots(ny, examiners, blocks, {}, RULES, HOLIDAYS, interpreter=True)
    assert {s.npi for s in helped.slots} == {"1000000001", "1000000002"}


def test_a_booking_two_days_out_names_the_notice_and_its_citation() -> None:
    ny = new_york()
    day = ny.today + timedelta(days=2)
    doctor = examiner("1000000001")
    _, _, refusals = booking_refusals(
        ny,
        doctor,
        datetime.combine(day, time(9)),
        [hours(doctor.npi, day)],
        [],
        RULES,
        HOLIDAYS,
        interpreter=False,
    )
    assert [r.rule for r in refusals] == ["ime_notice_business_days"]
    assert "7 business days' notice" in refusals[0].message
    assert "2026-12-02" in refusals[0].message
    assert "WCL 137(1)(a)" in refusals[0].message


def test_every_rule_broken_is_named_in_order() -> None:
    ny = new_york(peer_reviewers=frozenset({"1000000001"}), language="ru")
    doctor = examiner(
        "1000000001",
        licences=(LicenceTerm("NJ", date(2027, 6, 30)),),
        board_certified=False,
    )
    day = date(2026, 12, 4)
    _, _, refusals = booking_refusals(
        ny,
        doctor,
        datetime.combine(day, time(9)),
        [hours(doctor.npi, day, zip_code="90210")],
        [],
        RULES,
        HOLIDAYS,
        interpreter=False,
    )
    assert [r.rule for r in refusals] == [
        "peer_reviewer",
        "examiner_licence_in_state",
        "examiner_board_certified",
        "language",
        "ime_distance_limit_miles",
    ]
    assert "WCL 137(3)(a)" in refusals[1].message
    assert "independent second opinion" in refusals[0].message


def test_a_time_outside_the_hours_or_already_booked_is_refused() -> None:
    ny = new_york()
    doctor = examiner("1000000001")
    day = date(2026, 12, 3)
    block = [hours(doctor.npi, day, start=9, end=11)]
    late = datetime.combine(day, time(10, 30))  # the exam would run past 11:00
    _, _, refusals = booking_refusals(
        ny, doctor, late, block, [], RULES, HOLIDAYS, interpreter=False
    )
    assert [r.rule for r in refusals] == ["hours"]
    taken = datetime.combine(day, time(9, 30))
    _, _, refusals = booking_refusals(
        ny,
        doctor,
        datetime.combine(day, time(10)),
        block,
        [taken],
        RULES,
        HOLIDAYS,
        interpreter=False,
    )
    assert "already has an exam booked" in refusals[0].message


def test_florida_allows_one_ime_per_party_per_accident() -> None:
    fl = new_york(
        jurisdiction="FL",
        earlier_exams=(EarlierExam(date(2026, 10, 1), same_party=True),),
    )
    doctor = examiner("1000000001", licences=(LicenceTerm("FL", date(2027, 6, 30)),))
    found = window(fl, RULES, HOLIDAYS)
    assert found.closed is not None and "FS 440.13(5)(a)" in found.closed.message
    assert earliest_slots(fl, {doctor.npi: doctor}, [], {}, RULES, HOLIDAYS).slots == ()
    other_party = new_york(
        jurisdiction="FL", earlier_exams=(EarlierExam(date(2026, 10, 1), same_party=False),)
    )
    assert window(other_party, RULES, HOLIDAYS).closed is None


def test_texas_holds_two_exams_of_a_claim_at_least_180_days_apart() -> None:
    tx = new_york(
        jurisdiction="TX",
        today=date(2026, 11, 20),
        confirmed=date(2026, 11, 20),
        earlier_exams=(EarlierExam(date(2026, 9, 1), same_party=False),),
    )
    found = window(tx, RULES, HOLIDAYS)
    # 180 days after 1 Sep is 28 Feb 2027, past the 30 days Texas allows from the order.
    assert found.earliest == date(2027, 2, 28)
    assert found.closed is not None and "28 TAC 126.6" in found.closed.message
    doctor = examiner("1000000001", licences=(LicenceTerm("TX", date(2027, 6, 30)),))
    day = date(2026, 12, 10)
    _, _, refusals = booking_refusals(
        tx,
        doctor,
        datetime.combine(day, time(9)),
        [hours(doctor.npi, day, zip_code="77002")],
        [],
        RULES,
        HOLIDAYS,
        interpreter=False,
    )
    assert refusals[0].rule == "ime_exam_within_days"


def test_a_lawful_booking_has_no_refusal_and_gives_the_office_and_its_distance() -> None:
    ny = new_york()
    doctor = examiner("1000000002")
    day = date(2026, 12, 2)
    block, miles, refusals = booking_refusals(
        ny,
        doctor,
        datetime.combine(day, time(9)),
        [hours(doctor.npi, day, zip_code="10016")],
        [],
        RULES,
        HOLIDAYS,
        interpreter=False,
    )
    assert refusals == []
    assert block is not None and block.zip == "10016"
    assert miles is not None and 0 < miles < 5
