"""A physician's load is the work medreview gave them that is still open, plus the outside
work the roster reports: a roster import replaces the outside part only, so the assignments
given through medreview survive it. The matcher, the assignment's capacity check and the
network pages all count the sum; an administrator edits the outside part only."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import SURGEON, api, import_roster, login, run_worker, send

from medreview.claims.actions import do_create_user
from medreview.claims.models import Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.network.models import Physician
from medreview.reviews.actions import do_assign_physician
from medreview.reviews.models import ClientSettings

pytestmark = pytest.mark.django_db(transaction=True)

# Two slots a week, nothing outside medreview at first.
SMALL = {**SURGEON, "weekly_capacity": "2", "open_assignments": "0"}


def _surgeon() -> Physician:
    return Physician.objects.get(npi=SURGEON["npi"])


def _given_a_peer_review(people: Any) -> str:
    """The surgeon's peer review of a client A referral; the client lets its peer reviewer do
    the exam too, so that the same surgeon is asked for it and only the load decides."""
    import_roster(SMALL)
    ClientSettings.objects.create(organisation=people.client_a, ime_by_peer_reviewer=True)
    rid: str = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    do_assign_physician(
        Referral.objects.get(pk=rid),
        actor=people.coordinator,
        service="peer_review",
        npi=SURGEON["npi"],
    )
    return rid


def test_a_roster_import_replaces_the_outside_work_and_keeps_medreviews_own(
    people: Any,
) -> None:
    rid = _given_a_peer_review(people)
    p = _surgeon()
    assert (p.open_assignments, p.outside_assignments, p.load) == (1, 0, 1)
    coordinator = api(people.token(people.coordinator))
    url = f"/api/v1/referrals/{rid}/candidates?service=ime"
    found = coordinator.get(url).json()
    assert [c["npi"] for c in found["candidates"]] == [SURGEON["npi"]]
    assert "1 of 2 weekly assignments taken (1 left)" in found["candidates"][0]["reasons"]

    # The roster now reports one assignment outside medreview.
    import_roster({**SMALL, "open_assignments": "1"})
    p = _surgeon()
    assert (p.open_assignments, p.outside_assignments, p.load) == (1, 1, 2)

    # Both parts fill the two slots: no candidate, and the exam is refused for capacity.
    found = coordinator.get(url).json()
    assert found["candidates"] == [] and found["excluded"]["capacity"] == 1
    refused = coordinator.post(
        f"/api/v1/referrals/{rid}/assignments",
        {"service": "ime", "npi": SURGEON["npi"]},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "capacity: Avery Chen, MD has no capacity left (2 of 2 taken)"
    )
    assert _surgeon().load == 2

    staff = login(people.coordinator)
    page = staff.get(f"/network/{SURGEON['npi']}/").content.decode()
    assert "2 of 2 weekly assignments taken (1 from medreview, 1 outside)" in page
    listing = staff.get("/network/").content.decode()
    assert "2 of 2 taken (1 from medreview, 1 outside)" in listing

    # A later roster with less outside work frees a slot again, medreview's own still counted.
    import_roster({**SMALL, "open_assignments": "0"})
    p = _surgeon()
    assert (p.open_assignments, p.outside_assignments, p.load) == (1, 0, 1)
    assert [c["npi"] for c in coordinator.get(url).json()["candidates"]] == [SURGEON["npi"]]


def test_an_administrator_edits_the_outside_work_only(people: Any) -> None:
    _given_a_peer_review(people)
    admin = do_create_user(
        people.reviewer,
        actor=COMMAND_LINE,
        email="ada@review.example",
        role="admin",
        password="x" * 12,
    )
    staff = login(admin)
    page = staff.get(f"/network/{SURGEON['npi']}/").content.decode()
    assert "Open assignments outside medreview" in page
    assert 'name="open_assignments"' not in page

    form = {
        "name": SURGEON["name"],
        "zip": SURGEON["zip"],
        "offers_peer_review": "on",
        "offers_ime": "on",
        "weekly_capacity": "2",
        "outside_assignments": "1",
        "open_assignments": "0",  # not a field of the form: ignored
        "median_turnaround_days": "2.5",
        "qa_score": "0.93",
        "active": "on",
        "languages_text": "en; es",
        "affiliations_text": SURGEON["affiliations"],
    }
    assert staff.post(f"/network/{SURGEON['npi']}/edit/", form).status_code == 302
    p = _surgeon()
    assert (p.open_assignments, p.outside_assignments, p.load) == (1, 1, 2)
