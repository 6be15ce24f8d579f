"""Credentials are judged on the day of the match, never on the day the referral was
received: a licence that lapsed since the referral arrived, or that lapses before the review
would be due, makes the physician ineligible; the same physician a week earlier was not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from test_it_matches_eligible_physicians import GOOD, request, surgeon

from medreview.core.network.jurisdictions import default_rules
from medreview.core.network.matching import LicenceTerm, Network, match, why_not
from medreview.core.thresholds import Thresholds

RULES = default_rules()
VERIFIED = date(2025, 1, 10)


def lapsing(on: date) -> object:
    return surgeon("1000000111", "Lapsing Licence", licences=(LicenceTerm("CA", on, VERIFIED),))


def test_a_licence_lapsed_three_days_ago_is_not_current_though_the_referral_is_older() -> None:
    physician = lapsing(date(2026, 8, 3))
    # The referral arrived on 27 July, when the licence was active; the match is on 6 August.
    found = match(Network([physician, GOOD]), request("peer_review"), RULES)
    assert [c.name for c in found.candidates] == ["Good Near"]
    assert why_not(physician, request("peer_review"), RULES) == (  # type: ignore[arg-type]
        "licence: Lapsing Licence holds no licence active from today (2026-08-06) until the "
        "peer review would be due (2026-08-11)"
    )


def test_a_licence_that_lapses_before_the_review_is_due_excludes_the_physician() -> None:
    physician = lapsing(date(2026, 8, 10))  # active today, lapsed on the due day (11 August)
    assert why_not(physician, request("peer_review"), RULES) is not None  # type: ignore[arg-type]
    longer = replace(request("peer_review"), due=date(2026, 8, 10))
    assert why_not(physician, longer, RULES) is None  # type: ignore[arg-type]


def test_the_due_day_counts_business_days_of_the_jurisdiction() -> None:
    from medreview.core.network.matching import service_due

    # Friday 4 September 2026, then Labor Day on Monday 7 September: 3 business days is the 10th.
    assert service_due("peer_review", "CA", date(2026, 9, 4), Thresholds()) == date(2026, 9, 10)
    lead = Thresholds(ime_lead_time_days=15)
    assert service_due("ime", "CA", date(2026, 9, 4), lead) == date(2026, 9, 28)
