"""A referral may come with up to 500 record files, as docs/api.md promises: Django's own
default of 100 files a request no longer refuses it (as a server error), and more than 500 are
refused with 422 naming the limit."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import send

from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_referral_of_500_record_files_is_taken(people: Any) -> None:
    files = {f"note-{i:03}.txt": f"note {i}\n".encode() for i in range(500)}

    answer = send(people.token(people.adjuster_a), files=files)

    assert answer.status_code == 201, answer.content
    assert Referral.objects.get().record_files.count() == 500


# 501 files reach the door's own count; 502, with the referral, Django's, refused alike.
@pytest.mark.parametrize("count", [501, 502])
def test_more_than_500_are_refused_naming_the_limit(people: Any, count: int) -> None:
    files = {f"note-{i:03}.txt": f"note {i}\n".encode() for i in range(count)}

    answer = send(people.token(people.adjuster_a), files=files)

    assert answer.status_code == 422
    assert answer.json() == {"detail": "records: at most 500 record files per referral"}
    assert not Referral.objects.exists()
