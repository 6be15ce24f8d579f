"""Assigning one physician by hand: the matcher names the first hard rule they break, in
words a coordinator can act on, or none when they may take the review; and an assignment
keeps the physician's qualifications for the claim file, without a score that only means
something among other candidates."""

from __future__ import annotations

import pytest
from test_it_matches_eligible_physicians import (
    DISTANT,
    GOOD,
    IME_ONLY,
    NEVADA,
    PEER_ONLY,
    TRAPS,
    request,
)

from medreview.core.network.jurisdictions import default_rules
from medreview.core.network.matching import qualifications, why_not

RULES = default_rules()


@pytest.mark.parametrize(
    ("who", "service", "rule", "words"),
    [
        ("treating", "peer_review", "conflict", "conflict of interest"),
        ("colleague", "peer_review", "conflict", "colleague"),
        (
            "expired",
            "peer_review",
            "licence",
            "no licence active from today (2026-08-06) until the peer review would be due "
            "(2026-08-11)",
        ),
        ("wrong_specialty", "ime", "specialty", "Orthopaedic Surgery"),
        ("full", "peer_review", "capacity", "8 of 8 taken"),
        ("unverified", "ime", "credentials", "never verified"),
        ("lapsed", "peer_review", "credentials", "re-verified every 3 years"),
    ],
)
def test_it_names_the_first_rule_each_trap_breaks(
    who: str, service: str, rule: str, words: str
) -> None:
    # The treating surgeon's own groups come with the request, as the database adds them.
    asked = request(service, treating_groups=frozenset({"Valley Spine"}))
    found = why_not(TRAPS[who], asked, RULES)
    assert found is not None
    assert found.startswith(f"{rule}: {TRAPS[who].name} ")
    assert words in found


def test_it_names_the_service_licence_and_distance_rules_of_an_exam() -> None:
    peer_only = why_not(PEER_ONLY, request("ime"), RULES)
    assert peer_only == "service: Only Reviews does not offer IMEs"
    nevada = why_not(NEVADA, request("ime"), RULES)
    assert nevada == (
        "jurisdiction_licence: Nevada Only holds no CA licence active until the IME would be due "
        "(2026-08-11), which CA requires for an IME"
    )
    distant = why_not(DISTANT, request("ime"), RULES)
    assert distant == (
        "distance: Excellent Far Away is farther from the claimant than CA's limit of 50 miles"
    )
    assert why_not(IME_ONLY, request("peer_review"), RULES) == (
        "service: Only Exams does not offer peer reviews"
    )


def test_it_finds_nothing_against_an_eligible_physician() -> None:
    assert why_not(GOOD, request("ime"), RULES) is None
    # A records review in California: neither distance nor the Nevada licence matter.
    assert why_not(NEVADA, request("peer_review"), RULES) is None
    assert why_not(DISTANT, request("peer_review"), RULES) is None


def test_an_assignment_keeps_the_physicians_qualifications_without_a_score() -> None:
    reasons = qualifications(GOOD, request("ime"))
    assert reasons[0] == (
        "similar specialty: Orthopaedic Surgery of the Spine Physician "
        "(treating: Orthopaedic Surgery Physician)"
    )
    assert "licensed in CA until 2027-06-30" in reasons
    assert "fee $1,800" in reasons
    assert any(r.endswith("miles from the claimant") for r in reasons)
    assert not any(r.startswith("score") for r in reasons)
