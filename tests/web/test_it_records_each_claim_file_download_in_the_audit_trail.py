"""Each download of the claim file is an event of the referral's chain, written in the same
transaction as the file is made: who, the number of files in the ZIP and the SHA-256 of its
manifest. The file cannot hold its own download: the PDF lists the events before it, says so,
and the next claim file lists it."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from claim_files import files_of, manifest_of, text_of
from webapp import api, delivered_review

from medreview.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_download_is_recorded_with_its_files_and_manifest_digest(people: Any) -> None:
    rid, _ = delivered_review(people)
    client = api(people.token(people.adjuster_a))
    before = AuditEvent.objects.filter(referral_id=rid).count()

    files = files_of(client.get(f"/api/v1/referrals/{rid}/claim-file.zip"))

    events = list(AuditEvent.objects.filter(referral_id=rid).order_by("seq"))
    assert len(events) == before + 1
    event = events[-1]
    assert (event.action, event.actor) == ("claim_file.downloaded", people.adjuster_a.email)
    assert event.detail == {
        "files": len(files),
        "manifest_sha256": hashlib.sha256(files["manifest.json"]).hexdigest(),
        "via": "api",
    }
    text = text_of(files["claim-file.pdf"])
    assert f"Verified: {before} events" in text
    assert "claim_file.downloaded" in text  # named only where the PDF says it comes after
    assert manifest_of(files)["audit"]["events"] == before
    assert client.get(f"/api/v1/referrals/{rid}/audit").json()["verified"] is True

    # The next claim file lists the first download among its events.
    again = files_of(client.get(f"/api/v1/referrals/{rid}/claim-file.zip"))
    words = " ".join(text_of(again["claim-file.pdf"]).split())
    assert f"Verified: {before + 1} events" in words
    listed = f"{before + 1}. {event.at.isoformat()} {people.adjuster_a.email} claim_file.downloaded"
    assert listed in words
    assert AuditEvent.objects.filter(referral_id=rid, action="claim_file.downloaded").count() == 2
