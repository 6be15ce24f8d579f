"""Matching a referral to physicians: the hard rules never let a trap through, a records
review ignores distance and (in California) the state licence, an exam does not, and each
candidate comes with its reasons and each rule with the count it excluded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from medreview.core.network import geo
from medreview.core.network.jurisdictions import default_rules
from medreview.core.network.matching import (
    LicenceTerm,
    Network,
    PhysicianProfile,
    Request,
    match,
    why_not,
)

TODAY = date(2026, 8, 6)  # the day of the match
DUE = date(2026, 8, 11)  # when the review would be due
VERIFIED = date(2025, 1, 10)
ORTHO = "207X00000X"
SPINE = "207XS0117X"
DERM = "207N00000X"
FRESNO = "93725"  # the claimant
NEAR = "93710"  # Fresno, a few miles away
FAR = "94110"  # San Francisco, about 160 miles
VERY_FAR = "92101"  # San Diego, about 280 miles
RENO = "89501"
TREATING_NPI = "1234567893"


def _at(zip_code: str) -> dict[str, float | str]:
    where = geo.centroid(zip_code)
    assert where is not None
    return {"zip": zip_code, "latitude": where.latitude, "longitude": where.longitude}


def surgeon(npi: str, name: str, **changes: object) -> PhysicianProfile:
    base = PhysicianProfile(
        npi=npi,
        name=name,
        specialties=(ORTHO,),
        licences=(LicenceTerm("CA", date(2027, 6, 30), VERIFIED),),
        services=frozenset({"peer_review", "ime"}),
        board_certified=True,
        board_verified_on=VERIFIED,
        sanctions_checked_on=VERIFIED,
        languages=frozenset({"en"}),
        weekly_capacity=8,
        open_assignments=2,
        median_turnaround_days=3.0,
        qa_score=0.9,
        affiliations=frozenset({f"{name} Orthopaedics"}),
        fee_peer_review=400,
        fee_ime=1800,
        **_at(NEAR),  # type: ignore[arg-type]
    )
    return replace(base, **changes)  # type: ignore[arg-type]


TRAPS = {
    "treating": surgeon(TREATING_NPI, "Treating Himself", affiliations=frozenset({"Valley Spine"})),
    "colleague": surgeon("1000000004", "Colleague", affiliations=frozenset({"VALLEY SPINE, Inc."})),
    "expired": surgeon(
        "1000000012", "Expired", licences=(LicenceTerm("CA", date(2026, 7, 1), VERIFIED),)
    ),
    "wrong_specialty": surgeon("1000000020", "Dermatologist", specialties=(DERM,)),
    "full": surgeon("1000000038", "Full Calendar", open_assignments=8),
    "unverified": surgeon("1000000046", "Unverified", board_verified_on=None),
    "lapsed": surgeon("1000000053", "Lapsed", sanctions_checked_on=date(2023, 1, 2)),
}
IME_ONLY = surgeon("1000000061", "Only Exams", services=frozenset({"ime"}))
PEER_ONLY = surgeon("1000000079", "Only Reviews", services=frozenset({"peer_review"}))
NEVADA = surgeon(
    "1000000087",
    "Nevada Only",
    licences=(LicenceTerm("NV", date(2027, 6, 30), VERIFIED),),
    **_at(RENO),
)
DISTANT = surgeon(
    "1000000095", "Excellent Far Away", qa_score=1.0, median_turnaround_days=1.0, **_at(VERY_FAR)
)
GOOD = surgeon("1000000103", "Good Near", specialties=(SPINE,))
NETWORK = Network([*TRAPS.values(), IME_ONLY, PEER_ONLY, NEVADA, DISTANT, GOOD])


def request(service: str, **changes: object) -> Request:
    where = geo.centroid(FRESNO)
    assert where is not None
    base = Request(
        service=service,
        jurisdiction="CA",
        today=TODAY,
        due=DUE,
        specialties=(ORTHO,),
        treating_npis=frozenset({TREATING_NPI}),
        treating_groups=frozenset(),
        claimant=(where.latitude, where.longitude),
        language="en",
        top=20,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def names(service: str, **changes: object) -> set[str]:
    found = match(NETWORK, request(service, **changes), default_rules())
    return {c.name for c in found.candidates}


@pytest.mark.parametrize("service", ["peer_review", "ime"])
def test_it_never_returns_a_trap(service: str) -> None:
    assert not names(service) & {p.name for p in TRAPS.values()}


def test_a_peer_review_keeps_the_distant_and_the_nevada_surgeon() -> None:
    # Distance means nothing for a records review, and California does not require its own
    # licence of a reviewer (LC 4610; 8 CCR 9792.7).
    assert names("peer_review") == {
        "Only Reviews",
        "Nevada Only",
        "Excellent Far Away",
        "Good Near",
    }


def test_an_ime_drops_the_distant_and_the_nevada_surgeon() -> None:
    assert names("ime") == {"Only Exams", "Good Near"}


def test_a_state_that_requires_its_licence_drops_the_out_of_state_reviewer() -> None:
    # Texas requires a Texas licence of a reviewer (28 TAC 19.2006(a)): nobody here has one.
    found = match(NETWORK, request("peer_review", jurisdiction="TX"), default_rules())
    assert found.candidates == ()
    assert found.excluded["jurisdiction_licence"] > 0
    assert any("28 TAC 19.2006(a)" in rule for rule in found.rules_cited)


def test_it_counts_each_physician_under_the_first_rule_that_excludes_them() -> None:
    found = match(NETWORK, request("ime"), default_rules())
    assert found.excluded == {
        "specialty": 1,  # the dermatologist
        "service": 1,  # only reviews
        "licence": 1,  # expired
        "jurisdiction_licence": 1,  # Nevada only
        "board_certification": 0,
        "credentials": 2,  # never verified, lapsed sanctions check
        "capacity": 1,  # full calendar
        "conflict": 2,  # the treating surgeon and his colleague
        "declined_review": 0,
        "peer_reviewer": 0,
        "distance": 1,  # San Diego
    }
    assert found.eligible == 2
    assert sum(found.excluded.values()) + found.eligible == len(NETWORK.physicians)


def test_an_erisa_appeal_excludes_the_physician_consulted_on_the_first_decision() -> None:
    assert "Good Near" not in names("peer_review", first_decision_npis=frozenset({GOOD.npi}))


def test_an_ime_is_never_by_the_physician_who_did_the_peer_review() -> None:
    reviewers = frozenset({GOOD.npi})
    found = match(NETWORK, request("ime", peer_reviewer_npis=reviewers), default_rules())
    assert {c.name for c in found.candidates} == {"Only Exams"}
    assert found.excluded["peer_reviewer"] == 1
    why = why_not(GOOD, request("ime", peer_reviewer_npis=reviewers), default_rules())
    assert why is not None and "independent second opinion" in why


def test_a_physical_therapists_care_is_reviewed_by_orthopaedics_or_pmr() -> None:
    assert "Good Near" in names("peer_review", specialties=("225100000X",))


def test_it_ranks_by_turnaround_qa_load_and_fee_and_says_why() -> None:
    found = match(NETWORK, request("peer_review"), default_rules())
    best = found.candidates[0]
    assert best.name == "Excellent Far Away"  # fastest and best QA; distance does not count
    assert best.distance_miles is None
    assert any("median turnaround 1 business days" in r for r in best.reasons)
    assert any("licensed in CA until 2027-06-30" in r for r in best.reasons)
    assert [c.score for c in found.candidates] == sorted(
        (c.score for c in found.candidates), reverse=True
    )
    nevada = next(c for c in found.candidates if c.name == "Nevada Only")
    assert any("CA does not require its own licence" in r for r in nevada.reasons)


def test_an_ime_ranks_nearer_and_speaking_the_claimants_language_higher() -> None:
    speaks = surgeon("1000000111", "Habla Espanol", languages=frozenset({"en", "es"}))
    network = Network([GOOD, speaks])
    found = match(network, request("ime", language="es"), default_rules())
    assert [c.name for c in found.candidates] == ["Habla Espanol", "Good Near"]
    assert any("interpreter" in r for r in found.candidates[1].reasons)
    assert all(c.distance_miles is not None and c.distance_miles < 25 for c in found.candidates)


def test_the_part_of_the_network_not_loaded_counts_as_excluded_by_specialty() -> None:
    found = match(Network([GOOD], total=1000), request("peer_review"), default_rules())
    assert found.excluded["specialty"] == 999
