"""The case page offers "Download the claim file" to those who may download it (the client's
people, a coordinator, an administrator) and to nobody else; the button's link answers the
same ZIP as the API, recorded as made from the case page."""

from __future__ import annotations

from typing import Any

import pytest
from claim_files import files_of, text_of
from webapp import delivered_review, login

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.permissions import COMMAND_LINE

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Download the claim file"


def test_the_button_shows_to_those_who_may_use_it(people: Any) -> None:
    rid, _ = delivered_review(people)
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    link = f'href="/referrals/{rid}/claim-file.zip"'
    for user in (people.adjuster_a, people.coordinator, admin):
        page = login(user).get(f"/referrals/{rid}/").content.decode()
        assert BUTTON in page and link in page, user.email
    for user in (people.qa, people.scheduler):
        page = login(user).get(f"/referrals/{rid}/").content.decode()
        assert BUTTON not in page and link not in page, user.email


def test_the_buttons_link_answers_the_claim_file(people: Any) -> None:
    rid, _ = delivered_review(people)

    answer = login(people.coordinator).get(f"/referrals/{rid}/claim-file.zip")

    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"] == 'attachment; filename="claim-file-WC-TEST-0001.zip"'
    files = files_of(answer)
    assert {"claim-file.pdf", "manifest.json", "records/note.txt"} <= set(files)
    assert "Made: " in text_of(files["claim-file.pdf"])
    event = AuditEvent.objects.filter(referral_id=rid).order_by("seq").last()
    assert event is not None and event.action == "claim_file.downloaded"
    assert (event.actor, event.detail["via"]) == (people.coordinator.email, "case page")
