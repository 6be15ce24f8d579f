"""A record that cannot be read does not stop the case: it is listed with its error and the
rest is processed (docs/case-folder.md: nothing is ever silently dropped)."""

from __future__ import annotations

import os
from pathlib import Path

from cases import note, referral, run_json, write_case

GOOD = note(
    "PROGRESS NOTE", "03/10/2026", "Maren Holt, MD", "EXAM: knee effusion.\nPLAN: continue therapy."
)
GOOD2 = note(
    "PROGRESS NOTE", "04/07/2026", "Maren Holt, MD", "EXAM: better.\nPLAN: continue therapy."
)


def test_corrupt_and_binary_files_are_listed_with_an_error(tmp_path: Path) -> None:
    records: dict[str, str | bytes] = {
        "a_visit.txt": GOOD,
        "b_visit.txt": GOOD2,
        "corrupt_scan.pdf": b"%PDF-1.7\n" + os.urandom(2000),
        "attachment.bin": os.urandom(4000),
        "blob.txt": b"\x00\x01\x02" + os.urandom(3000),
        "not_fhir.json": b'{"hello": "world"}',
        "truncated.json": b'{"resourceType": "Bundle", "entry": [',
    }
    out = run_json(write_case(tmp_path, referral(), records))
    by_file = {d["file"]: d for d in out["documents"]}
    for bad in (
        "corrupt_scan.pdf",
        "attachment.bin",
        "blob.txt",
        "not_fhir.json",
        "truncated.json",
    ):
        error = by_file[f"records/{bad}"]["error"]
        assert error and "\n" not in error, bad
    assert "not a readable PDF" in by_file["records/corrupt_scan.pdf"]["error"]
    assert "unsupported file type" in by_file["records/attachment.bin"]["error"]
    assert "binary" in by_file["records/blob.txt"]["error"]
    assert by_file["records/a_visit.txt"]["kind"] == "progress_note"
    assert by_file["records/a_visit.txt"]["error"] is None
    assert out["path"] == "peer_review_first"  # the two good notes were triaged


def test_an_unreadable_record_is_not_counted_as_a_clinical_document(tmp_path: Path) -> None:
    out = run_json(
        write_case(tmp_path, referral(), {"visit.txt": GOOD, "scan.pdf": b"%PDF-1.4 broken"})
    )
    assert out["path"] == "obtain_records_first"
    assert "1 clinical document" in " ".join(out["rationale"])
