"""The client downloads the claim file of a reviewed referral: one ZIP holding a PDF with a
numbered section for each part of the review (contents on page 1), every original record
byte for byte with the digest it had when received, every version of the report as delivered,
and a manifest of them all that names no claimant."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import pytest
from claim_files import SECTIONS, files_of, manifest_of, text_of
from pdfs import make_text_pdf
from webapp import EXAMPLE_NOTE, answer_all, api, assigned_review, post

from medreview.records.models import RecordFile
from medreview.reports.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _reviewed_with_an_addendum(people: Any, files: dict[str, bytes]) -> tuple[str, int]:
    """A referral with two record files, its peer review delivered, then an addendum
    answered and delivered: two versions of the report."""
    rid, aid = assigned_review(people, files=files)
    answer_all(people, aid)
    qa = api(people.token(people.qa))
    assert post(qa, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}).status_code == 200
    asked = post(
        api(people.token(people.adjuster_a)),
        f"/api/v1/referrals/{rid}/addenda",
        {"request": "Does the MRI change the answer?"},
    )
    assert asked.status_code == 201, asked.content
    answered = post(
        api(people.token(people.physician)),
        f"/api/v1/assignments/{aid}/addenda/1",
        {"response": "No: the MRI shows no tear.", "citations": []},
    )
    assert answered.status_code == 200, answered.content
    assert post(qa, f"/api/v1/assignments/{aid}/qa", {"decision": "pass"}).status_code == 200
    return rid, aid


def test_the_client_downloads_the_whole_claim_file(people: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        mri = make_text_pdf(
            Path(folder) / "mri.pdf",
            ["MRI RIGHT KNEE\nDate of Service: 06/10/2026\nImpression: no meniscal tear."],
        ).read_bytes()
    sent = {"note.txt": EXAMPLE_NOTE.encode(), "mri.pdf": mri}
    rid, aid = _reviewed_with_an_addendum(people, sent)

    answer = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/claim-file.zip")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"] == 'attachment; filename="claim-file-WC-TEST-0001.zip"'
    files = files_of(answer)
    assert set(files) == {
        "claim-file.pdf",
        "manifest.json",
        "records/note.txt",
        "records/mri.pdf",
        "reports/peer-review-report-v1.pdf",
        "reports/peer-review-report-v2.pdf",
    }
    # The records as sent, byte for byte, with the digest they had when received.
    for name, content in sent.items():
        assert files[f"records/{name}"] == content
        received = RecordFile.objects.get(referral_id=rid, name=f"records/{name}")
        assert _sha(content) == received.sha256
    # Each report version as delivered.
    delivered = {r.version: r for r in Report.objects.filter(assignment_id=aid)}
    assert sorted(delivered) == [1, 2]
    for version, report in delivered.items():
        assert _sha(files[f"reports/peer-review-report-v{version}.pdf"]) == report.sha256

    text = text_of(files["claim-file.pdf"])
    first_page = text.split("Contents", 1)[1]
    for heading in SECTIONS:
        assert heading in first_page, heading  # listed in the contents
        assert text.count(heading) >= 2, heading  # and written
    for said in (
        "Claim number: WC-TEST-0001",
        "Is further physical therapy necessary?",  # the question
        "Maren Holt, MD",  # a treating provider
        "records/note.txt, page 1",  # a chronology entry's citation
        "Why this physician (the matcher's reasons):",
        "Passed",  # QA's decision
        "Addendum 1",
        "No: the MRI shows no tear.",
        "No appointment booked",
        "Verified:",
        "this download is recorded after this file was made",
    ):
        assert said.lower() in text.lower(), said
    for content in sent.values():
        assert text.count(_sha(content)) == 2  # as received, and in this ZIP
    for report in delivered.values():
        assert report.sha256 in text
    assert "2 of 2 files byte-identical to what was received." in text

    manifest = manifest_of(files)
    assert manifest["referral_id"] == rid
    assert manifest["claim_number"] == "WC-TEST-0001"
    assert manifest["made_by"] == people.adjuster_a.email
    assert manifest["made"]
    assert manifest["audit"]["verified"] is True
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == _sha(files[path]) and entry["size"] == len(files[path])
    assert "Test Claimant" not in files["manifest.json"].decode()
