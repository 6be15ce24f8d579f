"""An administrator sets, per client, whether the physician who did a referral's peer review
may also do its IME; nobody else may, and nothing changes when they try."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import login

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.reviews.models import ClientSettings

pytestmark = pytest.mark.django_db


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )


def test_an_administrator_allows_the_peer_reviewer_to_examine(people: Any) -> None:
    admin = login(_admin(people))
    page = admin.get("/settings/clients/")
    assert page.status_code == 200
    assert "Client A Mutual" in page.text and "Client B TPA" in page.text
    assert "<td>Review Desk</td>" not in page.text  # not a client
    saved = admin.post(f"/settings/clients/{people.client_a.pk}/", {"ime_by_peer_reviewer": "on"})
    assert saved.status_code == 302
    assert ClientSettings.objects.get(organisation=people.client_a).ime_by_peer_reviewer
    assert not ClientSettings.objects.filter(organisation=people.client_b).exists()
    assert AuditEvent.objects.filter(
        action="client_settings.changed", organisation=people.client_a
    ).exists()
    assert "checked" in admin.get("/settings/clients/").text
    # Unticked, it is taken back.
    admin.post(f"/settings/clients/{people.client_a.pk}/", {})
    assert not ClientSettings.objects.get(organisation=people.client_a).ime_by_peer_reviewer


def test_the_review_organisation_has_no_client_settings(people: Any) -> None:
    admin = login(_admin(people))
    answer = admin.post(f"/settings/clients/{people.reviewer.pk}/", {"ime_by_peer_reviewer": "on"})
    assert answer.status_code == 404
    assert not ClientSettings.objects.exists()


@pytest.mark.parametrize("who", ["adjuster_a", "coordinator", "qa", "physician"])
def test_nobody_else_may_change_them(people: Any, who: str) -> None:
    events = AuditEvent.objects.count()
    person = login(getattr(people, who))
    assert person.get("/settings/clients/").status_code == 403
    answer = person.post(f"/settings/clients/{people.client_a.pk}/", {"ime_by_peer_reviewer": "on"})
    assert answer.status_code == 403
    assert not ClientSettings.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_page_reads_every_client_in_few_queries(
    people: Any, django_assert_max_num_queries: Any
) -> None:
    from medreview.claims.actions import do_create_organisation

    for n in range(10):
        do_create_organisation(actor=COMMAND_LINE, name=f"Client {n}", kind="client")
    admin = login(_admin(people))
    with django_assert_max_num_queries(6):
        assert admin.get("/settings/clients/").status_code == 200
