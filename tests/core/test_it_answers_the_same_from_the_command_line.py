"""`medreview triage` as a user runs it (a process of its own, which loads ConText in a helper
process while it reads the records) gives the answer of the engine run in one process, for a
case of a few records and for a packet that its worker processes read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cases import TODAY, compare, medreview, referral, write_case

from medreview.core.case.pipeline import triage_folder
from medreview.core.case.processes import PARALLEL_PAGES
from medreview.core.case.triage_json import to_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CASE = EXAMPLES / "e06_wrist_records_packet"  # a packet whose gaps ConText decides
PARTS = [
    "e06_wrist_records_packet/records/SOMA_claim_packet_MO-WC-26-0119246.pdf",
    "e01_foot_peer_review/records/CRMC_ED_record_2026-03-09.pdf",
    "e01_foot_peer_review/records/PFAO_followup_2026-05-07.pdf",
    "e07_shoulder_billing/records/CCSM_CMS1500_0519-0701.pdf",
]


def triage(home: Path, case: Path) -> dict[str, object]:
    done = medreview(home, "triage", str(case), "--json", "--today", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out: dict[str, object] = json.loads(done.stdout)
    return out


def test_a_case_of_a_few_records_reads_as_in_one_process(tmp_path: Path) -> None:
    out = triage(tmp_path, CASE)
    assert compare(out, json.loads((CASE / "expected.json").read_text())) == []
    assert out == to_json(triage_folder(CASE, today=TODAY))


def test_a_packet_read_by_worker_processes_reads_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_case(tmp_path / "case", referral(), {})
    (folder / "records").mkdir()
    packet = pdfium.PdfDocument.new()
    for _ in range(5):
        for part in PARTS:
            packet.import_pages(pdfium.PdfDocument(str(EXAMPLES / part)))
    packet.save(str(folder / "records" / "packet.pdf"))
    assert len(packet) >= PARALLEL_PAGES
    monkeypatch.setenv("MEDREVIEW_CASE_PROCESSES", "2")
    out = triage(tmp_path, folder)
    assert out == to_json(triage_folder(folder, today=TODAY, processes=1))


def test_the_command_itself_never_loads_spacy(tmp_path: Path) -> None:
    # The command's own process, watched from inside: ConText ran, in its helper.
    watched = (
        "import sys\nfrom medreview.cli import main\ncode = main(sys.argv[1:])\n"
        "print(sorted(m for m in ('spacy', 'medspacy') if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", watched, "triage", str(CASE), "--json", "--today", "2026-11-23"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr.strip() == "[]", done.stderr
    assert json.loads(done.stdout) == to_json(triage_folder(CASE, today=TODAY))
