"""A claim file is whole or not made: a record file the store cannot give back (removed from
the disk, or under a key no longer held) stops it with a 409 naming the file, and nothing is
recorded as downloaded."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import api, delivered_review, login

from medreview.audit.models import AuditEvent
from medreview.records import storage
from medreview.records.models import RecordFile

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_record_missing_from_the_store_stops_the_claim_file(people: Any) -> None:
    rid, _ = delivered_review(people)
    record = RecordFile.objects.get(referral_id=rid)
    storage.delete(record.stored_as)
    before = AuditEvent.objects.filter(referral_id=rid).count()

    answer = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/claim-file.zip")

    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "the claim file cannot be made: records/note.txt: the stored file is missing"
    }
    page = login(people.adjuster_a).get(f"/referrals/{rid}/claim-file.zip")
    assert page.status_code == 409
    assert "the claim file cannot be made: records/note.txt" in page.content.decode()
    assert not AuditEvent.objects.filter(action="claim_file.downloaded").exists()
    # Nothing of either attempt is in the referral's chain.
    assert AuditEvent.objects.filter(referral_id=rid).count() == before
