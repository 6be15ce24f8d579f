"""`POST /api/v1/referrals` takes `referral` as a text field or as a file part, as curl sends
it with `-F referral=@referral.json` (docs/api.md): UTF-8, with or without a byte-order mark.
A referral missing, sent twice, or not UTF-8 answers 422 naming it. The README's own curl
command lines run against a live server."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL, referral
from django.core.files.uploadedfile import SimpleUploadedFile
from pdfs import make_text_pdf
from webapp import EXAMPLE_NOTE, api

from medreview.claims.models import Referral
from medreview.records.models import RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
README = Path(__file__).resolve().parents[2] / "README.md"
_NOT_UTF8 = referral(claimant={"name": "José"})  # é in Windows-1252 is no UTF-8


def _post(token: str, parts: dict[str, Any]) -> Any:
    return api(token).post("/api/v1/referrals", parts)


def _as_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("referral.json", content, content_type="application/octet-stream")


def test_a_referral_sent_as_a_file_part_is_received_with_its_records(people: Any) -> None:
    answer = _post(
        people.token(people.adjuster_a),
        {
            "referral": _as_file(json.dumps(REFERRAL).encode()),
            "records": [SimpleUploadedFile("note.txt", EXAMPLE_NOTE.encode())],
        },
    )
    assert answer.status_code == 201, answer.content
    made = Referral.objects.get(pk=answer.json()["id"])
    assert made.claim_number == "WC-TEST-0001"
    assert [f.name for f in RecordFile.objects.filter(referral=made)] == ["records/note.txt"]


def test_a_referral_file_with_a_byte_order_mark_is_read(people: Any) -> None:
    named = referral(claimant={"name": "José Ñúñez"})
    content = b"\xef\xbb\xbf" + json.dumps(named, ensure_ascii=False).encode()
    answer = _post(people.token(people.adjuster_a), {"referral": _as_file(content)})
    assert answer.status_code == 201, answer.content
    assert Referral.objects.get().claimant_name == "José Ñúñez"


def test_a_byte_order_mark_in_the_text_field_is_no_part_of_the_json(people: Any) -> None:
    answer = _post(people.token(people.adjuster_a), {"referral": "\ufeff" + json.dumps(REFERRAL)})
    assert answer.status_code == 201, answer.content


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({}, "referral: missing"),
        ({"records": [SimpleUploadedFile("note.txt", b"knee")]}, "referral: missing"),
        (
            {"referral": _as_file(json.dumps(_NOT_UTF8, ensure_ascii=False).encode("cp1252"))},
            "referral: the referral file is not UTF-8 text",
        ),
        (
            {"referral": [json.dumps(REFERRAL), _as_file(json.dumps(REFERRAL).encode())]},
            "referral: send the referral once",
        ),
        ({"referral": _as_file(b"{not json")}, "referral: invalid JSON"),
    ],
)
def test_a_referral_missing_twice_or_not_utf8_is_a_422_naming_it(
    people: Any, parts: dict[str, Any], words: str
) -> None:
    answer = _post(people.token(people.adjuster_a), parts)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(words), answer.json()
    assert Referral.objects.count() == 0 and RecordFile.objects.count() == 0


def _readme_curl_lines() -> list[str]:
    """The README's curl examples, each as one command line (continuations joined)."""
    block = re.search(r"```sh\n(curl .*?)```", README.read_text(), re.S)
    assert block is not None, "the README has no curl example"
    return [line for line in block.group(1).replace("\\\n", " ").splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readmes_curl_command_lines_work_against_a_live_server(
    live_server: Any, people: Any, tmp_path: Path
) -> None:
    send, read = _readme_curl_lines()
    (tmp_path / "referral.json").write_text(json.dumps(REFERRAL, indent=2))
    make_text_pdf(tmp_path / "note.pdf", [EXAMPLE_NOTE])
    make_text_pdf(tmp_path / "mri.pdf", ["MRI RIGHT KNEE\nDate of Service: 06/25/2026\nNo tear."])
    # The README's host and port are the demo's; the test server listens elsewhere. No proxy
    # of the machine stands between curl and the test server.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "TOKEN": people.token(people.adjuster_a),
    }

    def run(line: str) -> dict[str, Any]:
        line = line.replace("http://localhost:8000", live_server.url)
        done = subprocess.run(
            ["sh", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    created = run(send)
    assert created.get("status") == "received", created
    made = Referral.objects.get(pk=created["id"])
    assert sorted(made.record_files.values_list("name", flat=True)) == [
        "records/mri.pdf",
        "records/note.pdf",
    ]
    assert read.endswith("/ID")
    detail = run(read.removesuffix("ID") + created["id"])
    assert detail["id"] == created["id"] and detail["claim"]["number"] == "WC-TEST-0001"
