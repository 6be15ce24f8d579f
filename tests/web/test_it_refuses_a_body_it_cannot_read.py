"""A body Django cannot read is a mistake of the request, never a server error: a multipart
body without its boundary answers 400 naming it, a body that is not JSON answers 400 naming
where, and a JSON body over the size Django reads into memory answers 413 naming the limit."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import api, delivered_review

from medreview.claims.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_multipart_body_without_its_boundary_is_refused_naming_it(people: Any) -> None:
    answer = api(people.token(people.adjuster_a)).generic(
        "POST", "/api/v1/referrals", b"referral=x", content_type="multipart/form-data"
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "the multipart body cannot be read: Invalid boundary in multipart: None"
    }
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_is_refused_naming_where(people: Any) -> None:
    _, aid = delivered_review(people)

    answer = api(people.token(people.physician)).post(
        f"/api/v1/assignments/{aid}/decline", '{"reason": ', content_type="application/json"
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "the body is not valid JSON: Expecting value at line 1, column 12"
    }


def test_a_json_body_larger_than_django_reads_is_refused_naming_the_limit(people: Any) -> None:
    _, aid = delivered_review(people)
    huge = '{"reason": "' + "x" * (21 * 1024 * 1024) + '"}'

    answer = api(people.token(people.physician)).post(
        f"/api/v1/assignments/{aid}/decline", huge, content_type="application/json"
    )

    assert answer.status_code == 413
    assert answer.json() == {"detail": "the body (apart from files) is larger than 20 MB"}
