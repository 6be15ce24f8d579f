"""Uploads are bounded before they are read: the role is checked first, a request over its
declared limit is refused (413) before its body is parsed, a record file over the per-file
limit is refused (413) from its size, by the API and the form alike; the referral's own
lists and texts have limits, NaN is no number, and nothing is left half-written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cases import REFERRAL, referral
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from webapp import EXAMPLE_NOTE, api, login, send

from medreview.claims.models import Referral
from medreview.records.models import PendingUpload, RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
MB = 1024 * 1024


def _nothing_saved() -> bool:
    return not Referral.objects.exists() and not RecordFile.objects.exists()


@override_settings(MAX_FILE_BYTES=1 * MB)
def test_a_file_over_the_limit_is_refused_by_the_api(people: Any) -> None:
    big = send(
        people.token(people.adjuster_a),
        files={"note.txt": EXAMPLE_NOTE.encode(), "scan.pdf": b"%PDF" + b"0" * (MB + 1)},
    )
    assert big.status_code == 413
    assert big.json()["detail"] == "records: record file 'scan.pdf' is larger than 1 MB"
    assert _nothing_saved()


@override_settings(MAX_REQUEST_BYTES=1 * MB)
def test_a_request_over_the_limit_is_refused_before_it_is_read(people: Any) -> None:
    big = send(people.token(people.adjuster_a), files={"a.txt": b"x" * (2 * MB)})
    assert big.status_code == 413
    assert big.json() == {"detail": "the request is larger than 1 MB: send fewer or smaller files"}
    page = login(people.adjuster_a).post(
        "/referrals/new/", {"records": SimpleUploadedFile("a.txt", b"x" * (2 * MB))}
    )
    assert page.status_code == 413 and "Nothing was sent" in page.content.decode()
    assert _nothing_saved() and not PendingUpload.objects.exists()


def test_a_role_that_sends_no_referral_is_refused_first(people: Any) -> None:
    refused = send(people.token(people.physician))
    assert refused.status_code == 403
    assert _nothing_saved()


@override_settings(MAX_FILE_BYTES=1 * MB)
def test_the_form_refuses_a_file_over_the_limit_and_keeps_the_others(people: Any) -> None:
    page = login(people.adjuster_a).post(
        "/referrals/new/",
        {
            "via": "file",
            "referral_file": SimpleUploadedFile("referral.json", json.dumps(REFERRAL).encode()),
            "records": [
                SimpleUploadedFile("note.txt", EXAMPLE_NOTE.encode()),
                SimpleUploadedFile("scan.pdf", b"%PDF" + b"0" * (MB + 1)),
            ],
        },
    )
    assert page.status_code == 422
    assert "record file &#x27;scan.pdf&#x27; is larger than 1 MB" in page.content.decode()
    assert _nothing_saved()
    assert list(PendingUpload.objects.values_list("name", flat=True)) == ["note.txt"]


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        (
            {"questions": [{"id": f"q{n}", "type": "causation", "text": "?"} for n in range(101)]},
            "questions: at most 100 items (101 sent)",
        ),
        ({"claim": {"number": "C" * 65}}, "claim.number: at most 64 characters (65 sent)"),
    ],
)
def test_the_referrals_lists_and_texts_have_limits(
    people: Any, changes: dict[str, Any], detail: str
) -> None:
    refused = send(people.token(people.adjuster_a), referral(**changes))
    assert refused.status_code == 422
    assert detail in refused.json()["detail"]
    assert _nothing_saved()


def test_nan_is_no_number(people: Any) -> None:
    text = json.dumps(REFERRAL).replace('"received": "2026-06-01"', '"received": NaN')
    refused = api(people.token(people.adjuster_a)).post(
        "/api/v1/referrals", {"referral": text, "records": [SimpleUploadedFile("a.txt", b"x")]}
    )
    assert refused.status_code == 422
    assert "NaN is not a number JSON allows" in refused.json()["detail"]
    assert _nothing_saved()
