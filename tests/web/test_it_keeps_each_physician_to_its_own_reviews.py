"""A physician reaches only its own assignments, by page and by API; another physician's
assignment answers 404, as one that does not exist; a client or the desk answers 403 on a
physician's doors and a physician 403 on QA's; another client reaches neither the report,
the IME referral nor the addenda of a referral. Nothing changes when refused."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import ATTEST, api, assigned_review, delivered_review, login, post

from medreview.audit.models import AuditEvent
from medreview.claims.models import Notice
from medreview.reports.models import Addendum, Determination, PeerToPeer, QaReview
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = {
    "question_id": "q1",
    "determination": "supported",
    "rationale": "Yes.",
    "citations": [{"guideline": "ODG"}],
}
CALL = {"at": "2026-12-01T10:00:00", "with": "Maren Holt, MD", "outcome": "offered", "note": ""}


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.exclude(action__startswith="token.").count(),
        list(Assignment.objects.order_by("id").values_list("status", flat=True)),
        Determination.objects.count(),
        PeerToPeer.objects.count(),
        QaReview.objects.count(),
        Addendum.objects.count(),
        Notice.objects.count(),
    )


def _physician_doors(aid: int) -> list[tuple[str, dict[str, Any] | None]]:
    base = f"/api/v1/assignments/{aid}"
    return [
        (f"{base}/attestation", ATTEST),
        (f"{base}/determinations", ANSWER),
        (f"{base}/peer-to-peer", CALL),
        (f"{base}/submit", None),
        (f"{base}/decline", {"reason": "busy", "conflict": False}),
        (f"{base}/addenda/1", {"response": "More.", "citations": []}),
    ]


def test_another_physician_neither_sees_nor_touches_an_assignment(people: Any) -> None:
    rid, aid = assigned_review(people)
    other = api(people.token(people.physician_b))
    before = _state()
    assert other.get("/api/v1/assignments").json() == {"items": []}
    assert other.get(f"/api/v1/assignments/{aid}").status_code == 404
    for url, body in _physician_doors(aid):
        assert post(other, url, body).status_code == 404, url
    page = login(people.physician_b)
    for url in (
        f"/portal/{aid}/",
        f"/portal/{aid}/records/?file=records/note.txt&page=1",
        f"/portal/{aid}/records/page.png?file=records/note.txt&page=1",
    ):
        assert page.get(url).status_code == 404, url
    for url in ("attest", "answer", "cite", "uncite", "peer-to-peer", "submit", "decline"):
        assert page.post(f"/portal/{aid}/{url}/", {"question_id": "q1"}).status_code == 404, url
    assert "Nothing to do" in page.get("/portal/").content.decode()
    # A physician reaches no referral, not even one of its own assignments, by the desk's way.
    mine = login(people.physician)
    assert mine.get(f"/referrals/{rid}/").status_code == 404
    assert api(people.token(people.physician)).get(f"/api/v1/referrals/{rid}").status_code == 404
    assert _state() == before


def test_a_client_and_the_desk_are_refused_a_physicians_doors(people: Any) -> None:
    _, aid = assigned_review(people)
    before = _state()
    for user in (people.adjuster_a, people.coordinator, people.qa):
        caller = api(people.token(user))
        assert caller.get("/api/v1/assignments").status_code == 403
        for url, body in _physician_doors(aid):
            assert post(caller, url, body).status_code == 403, (user.email, url)
        page = login(user)
        assert page.get("/portal/").status_code == 403
        assert page.get(f"/portal/{aid}/").status_code == 403
        assert page.post(f"/portal/{aid}/attest/", {"no_conflict": "yes"}).status_code == 403
    assert _state() == before


def test_only_a_qa_nurse_passes_and_never_the_physician(people: Any) -> None:
    _, aid = assigned_review(people)
    from webapp import answer_all

    answer_all(people, aid)
    before = _state()
    for user in (people.physician, people.physician_b, people.coordinator, people.adjuster_a):
        caller = api(people.token(user))
        refused = post(caller, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"})
        assert refused.status_code == 403, user.email
        page = login(user)
        assert page.get(f"/qa/{aid}/").status_code == 403
        assert page.post(f"/qa/{aid}/decide/", {"decision": "pass"}).status_code == 403
    assert _state() == before


def test_another_client_reaches_nothing_of_a_report(people: Any) -> None:
    rid, _ = delivered_review(people)
    before = _state()
    bob = api(people.token(people.adjuster_b))
    assert bob.get(f"/api/v1/referrals/{rid}/report.pdf").status_code == 404
    assert bob.get(f"/api/v1/referrals/{rid}/ime-referral").status_code == 404
    assert post(bob, f"/api/v1/referrals/{rid}/addenda", {"request": "More?"}).status_code == 404
    assert post(bob, f"/api/v1/referrals/{rid}/close", {"reason": "done"}).status_code == 404
    page = login(people.adjuster_b)
    assert page.get(f"/referrals/{rid}/report.pdf").status_code == 404
    assert page.post(f"/referrals/{rid}/addenda/", {"request": "More?"}).status_code == 404
    assert page.post(f"/referrals/{rid}/ime-referral/confirm/").status_code == 404
    assert page.post(f"/referrals/{rid}/close/", {"reason": "x"}).status_code == 404
    # The physician who wrote it reads it in the portal, not as a client's report.
    doctor = api(people.token(people.physician))
    assert doctor.get(f"/api/v1/referrals/{rid}/report.pdf").status_code == 404
    assert _state() == before


def test_roles_are_refused_what_the_client_and_the_coordinator_do(people: Any) -> None:
    rid, _ = delivered_review(people)
    before = _state()
    coordinator = api(people.token(people.coordinator))
    # Only the client who ordered the review asks for an addendum; only a coordinator closes.
    assert (
        post(coordinator, f"/api/v1/referrals/{rid}/addenda", {"request": "x"}).status_code == 403
    )
    adjuster = api(people.token(people.adjuster_a))
    assert post(adjuster, f"/api/v1/referrals/{rid}/close", {"reason": "x"}).status_code == 403
    assert post(adjuster, f"/api/v1/referrals/{rid}/ime-referral/confirm").status_code == 403
    assert _state() == before


def test_an_id_no_row_can_have_answers_404(people: Any) -> None:
    _, aid = assigned_review(people)
    huge = 2**63
    doctor = api(people.token(people.physician))
    assert doctor.get(f"/api/v1/assignments/{huge}").status_code == 404
    assert (
        post(doctor, f"/api/v1/assignments/{aid}/addenda/{huge}", {"response": "x"}).status_code
        == 404
    )
    qa = api(people.token(people.qa))
    assert post(qa, f"/api/v1/assignments/{huge}/qa", {"decision": "pass"}).status_code == 404
    coordinator = api(people.token(people.coordinator))
    assert coordinator.get(f"/api/v1/assignment-batches/{huge}").status_code == 404
    assert login(people.physician).get(f"/portal/{huge}/").status_code == 404
    assert login(people.qa).get(f"/qa/{huge}/").status_code == 404
    assert login(people.coordinator).get(f"/assignments/{huge}/").status_code == 404
