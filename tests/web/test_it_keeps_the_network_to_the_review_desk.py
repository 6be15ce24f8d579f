"""The physician network is the review desk's: its staff find physicians and see a
referral's candidates (on the case page and through the API), an administrator edits a
physician and records verified credentials; a client's user, and a physician, see none of
it and change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from webapp import COLLEAGUE, SURGEON, api, login, run_worker, send

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.core.network.roster import read_roster, rows_to_csv
from medreview.network.actions import do_import_network
from medreview.network.models import Licence, Physician

pytestmark = pytest.mark.django_db(transaction=True)


def _network() -> None:
    rows, rejected = read_roster(rows_to_csv([SURGEON, COLLEAGUE]), today=date(2026, 5, 1))
    assert not rejected
    do_import_network(rows, actor=COMMAND_LINE, source="test")


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer,
        actor=COMMAND_LINE,
        email="ada@review.example",
        role="admin",
        password="x" * 12,
    )


def test_the_review_desk_sees_a_referrals_candidates_and_a_client_does_not(people: Any) -> None:
    _network()
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    url = f"/api/v1/referrals/{rid}/candidates?service=peer_review"

    found = api(people.token(people.coordinator)).get(url)
    assert found.status_code == 200
    body = found.json()
    # The colleague of the treating surgeon's group is never offered.
    assert [c["npi"] for c in body["candidates"]] == [SURGEON["npi"]]
    assert body["excluded"]["conflict"] == 1
    assert any("Orthopaedic Surgery" in r for r in body["candidates"][0]["reasons"])

    assert api(people.token(people.adjuster_a)).get(url).status_code == 403
    assert api(people.token(people.adjuster_b)).get(url).status_code == 404
    assert api(people.token(people.physician)).get(url).status_code == 404
    bad = api(people.token(people.coordinator)).get(f"/api/v1/referrals/{rid}/candidates?service=x")
    assert bad.status_code == 422

    assert b"Avery Chen" not in login(people.coordinator).get(f"/referrals/{rid}/").content
    page = login(people.coordinator).get(f"/referrals/{rid}/?service=peer_review")
    assert b"Avery Chen, MD" in page.content and b"Col League" not in page.content
    asked = login(people.adjuster_a).get(f"/referrals/{rid}/?service=peer_review")
    assert b"Avery Chen" not in asked.content and b"Find peer reviewers" not in asked.content


def test_staff_find_physicians_and_a_client_or_physician_is_refused(people: Any) -> None:
    _network()
    staff = login(people.coordinator)
    listing = staff.get("/network/?specialty=orthopedic+surgeon&state=CA")
    assert listing.status_code == 200
    assert b"Avery Chen, MD" in listing.content
    assert b"Avery" not in staff.get("/network/?specialty=Dermatology").content
    assert b"not a US state code" in staff.get("/network/?state=ZZ").content
    detail = staff.get(f"/network/{SURGEON['npi']}/")
    assert b"Orthopaedic Surgery" in detail.content and b"next due 1 May 2029" in detail.content
    for user in (people.adjuster_a, people.physician):
        assert login(user).get("/network/").status_code == 403
        assert login(user).get(f"/network/{SURGEON['npi']}/").status_code == 403


def test_only_an_administrator_edits_a_physician_and_the_edit_is_audited(people: Any) -> None:
    _network()
    url = f"/network/{SURGEON['npi']}/edit/"
    form = {
        "name": "Avery Chen, MD",
        "zip": "94107",
        "offers_peer_review": "on",
        "weekly_capacity": "10",
        "outside_assignments": "3",
        "median_turnaround_days": "2.5",
        "qa_score": "0.95",
        "active": "on",
        "languages_text": "en; es",
        "affiliations_text": "Bayview Spine Group",
    }
    for user in (people.coordinator, people.adjuster_a):
        assert login(user).post(url, form).status_code == 403
    assert Physician.objects.get(npi=SURGEON["npi"]).weekly_capacity == 8

    admin = login(_admin(people))
    refused = admin.post(url, {**form, "zip": "00000", "qa_score": "93"})
    assert refused.status_code == 422
    assert b"not a known US ZIP code" in refused.content and b"between 0 and 1" in refused.content
    assert Physician.objects.get(npi=SURGEON["npi"]).weekly_capacity == 8

    assert admin.post(url, form).status_code == 302
    saved = Physician.objects.get(npi=SURGEON["npi"])
    assert (saved.weekly_capacity, saved.offers_ime, saved.qa_score) == (10, False, 0.95)
    event = AuditEvent.objects.filter(action="network.physician_updated").get()
    assert event.detail["changed"]["weekly_capacity"] == ["8", "10"]


def test_a_recorded_verification_clears_a_lapsed_credential(people: Any) -> None:
    rows, _ = read_roster(
        rows_to_csv([{**SURGEON, "verified_on": "2022-01-03"}]), today=date(2026, 5, 1)
    )
    do_import_network(rows, actor=COMMAND_LINE, source="test")
    admin = login(_admin(people))
    page = admin.get(f"/network/{SURGEON['npi']}/")
    assert b"lapsed" in page.content and b"re-verification was due 3 Jan 2025" in page.content

    url = f"/network/{SURGEON['npi']}/verify/"
    refused = admin.post(url, {"credential": "licence", "verified_on": "2026-05-02"})
    assert refused.status_code == 422 and b"two-letter state" in refused.content
    assert (
        login(people.coordinator)
        .post(url, {"credential": "sanctions", "verified_on": "2026-05-02"})
        .status_code
        == 403
    )

    for credential in ("board_certification", "sanctions"):
        assert (
            admin.post(url, {"credential": credential, "verified_on": "2026-05-02"}).status_code
            == 302
        )
    assert (
        admin.post(
            url,
            {
                "credential": "licence",
                "verified_on": "2026-05-02",
                "state": "ca",
                "expires": "2028-06-30",
            },
        ).status_code
        == 302
    )
    licence = Licence.objects.get(physician__npi=SURGEON["npi"], state="CA")
    assert (licence.verified_on, licence.expires) == (date(2026, 5, 2), date(2028, 6, 30))
    assert b"lapsed" not in admin.get(f"/network/{SURGEON['npi']}/").content
    assert AuditEvent.objects.filter(action="network.credential_verified").count() == 3
