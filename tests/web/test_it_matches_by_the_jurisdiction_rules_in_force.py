"""Matching reads the jurisdiction rules in force, an administrator's corrections included
(`claims.rules.current_rules`): California's IME distance limit corrected from 50 miles to 5
leaves out, at once, the examiner whose office is 9 miles from the claimant; restored, the
examiner is a candidate again."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import REVIEWER, REVIEWER_B, api, import_roster, login, run_worker, send

from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE

pytestmark = pytest.mark.django_db(transaction=True)
# An examiner in Oakland (94612), 9 miles from the claimant's ZIP (94110); the other in San
# Francisco (94107), 1.3 miles.
OAKLAND = {**REVIEWER_B, "zip": "94612"}
LIMIT = {"jurisdiction": "CA", "service": "ime", "rule": "ime_distance_limit_miles"}


def test_a_distance_limit_corrected_changes_the_candidates(people: Any) -> None:
    import_roster(REVIEWER, OAKLAND)
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    desk = api(people.token(people.coordinator))
    url = f"/api/v1/referrals/{rid}/candidates?service=ime"

    def candidates() -> tuple[list[str], int]:
        found = desk.get(url).json()
        return sorted(c["npi"] for c in found["candidates"]), found["excluded"]["distance"]

    assert candidates() == (sorted([REVIEWER["npi"], OAKLAND["npi"]]), 0)

    admin = login(
        do_create_user(
            people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
        )
    )
    corrected = {
        **LIMIT,
        "value": "5",
        "citation": "8 CCR 34 (the desk's reading)",
        "confidence": "S",
    }
    assert admin.post("/settings/jurisdiction-rules/change/", corrected).status_code == 302
    assert candidates() == ([REVIEWER["npi"]], 1)
    page = login(people.coordinator).get(f"/referrals/{rid}/?service=ime").content.decode()
    assert "8 CCR 34 (the desk&#x27;s reading)" in page  # the rule applied, with its citation

    restore = {**LIMIT, "action": "restore"}
    assert admin.post("/settings/jurisdiction-rules/change/", restore).status_code == 302
    assert candidates() == (sorted([REVIEWER["npi"], OAKLAND["npi"]]), 0)
