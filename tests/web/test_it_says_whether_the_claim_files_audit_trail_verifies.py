"""The claim file's audit trail says whether the referral's chain of events verifies, with
the same check as `GET /api/v1/referrals/{id}/audit`: verified, with the number of events,
or not verified, naming the event removed or changed."""

from __future__ import annotations

from typing import Any

import pytest
from claim_files import files_of, manifest_of, text_of
from webapp import api, delivered_review

from medreview.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_whole_chain_is_said_verified(people: Any) -> None:
    rid, _ = delivered_review(people)
    count = AuditEvent.objects.filter(referral_id=rid).count()
    client = api(people.token(people.adjuster_a))
    assert client.get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is True

    files = files_of(client.get(f"/api/v1/referrals/{rid}/claim-file.zip"))

    text = text_of(files["claim-file.pdf"])
    assert f"Verified: {count} events, the chain is unbroken." in text
    assert "Not verified" not in text
    assert manifest_of(files)["audit"] == {"verified": True, "events": count, "problems": []}


@pytest.mark.parametrize(
    ("tamper", "said"),
    [
        ("delete", "event 1 is missing (the sequence goes on at event 2)"),
        ("edit", "event 1 was changed after it was written (its content does not match its hash)"),
    ],
)
def test_a_chain_with_an_event_removed_or_changed_is_said_not_verified(
    people: Any, tamper: str, said: str
) -> None:
    rid, _ = delivered_review(people)
    client = api(people.token(people.adjuster_a))
    first = AuditEvent.objects.filter(referral_id=rid).order_by("seq").first()
    assert first is not None
    if tamper == "delete":
        AuditEvent.objects.filter(pk=first.pk).delete()
    else:
        AuditEvent.objects.filter(pk=first.pk).update(detail={"claim_number": "SOMETHING-ELSE"})
    assert client.get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is False

    files = files_of(client.get(f"/api/v1/referrals/{rid}/claim-file.zip"))

    text = text_of(files["claim-file.pdf"])
    assert "Not verified: " in text and "Verified:" not in text
    assert said in " ".join(text.split())
    audit = manifest_of(files)["audit"]
    assert audit["verified"] is False and audit["problems"] == [said]
