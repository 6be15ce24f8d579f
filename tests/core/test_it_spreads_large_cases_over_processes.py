"""A large packet is read and classified by worker processes, with exactly the answer one
process gives, scanned pages included (OCR'd by the parent, whose engine uses every core)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cases import TODAY, referral, write_case

from medreview.core.case import processes as workers_module
from medreview.core.case.pipeline import triage_folder
from medreview.core.case.triage_json import to_json
from medreview.core.config import ConfigError, case_processes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PARTS = [
    "e06_wrist_records_packet/records/SOMA_claim_packet_MO-WC-26-0119246.pdf",
    "e01_foot_peer_review/records/CRMC_ED_record_2026-03-09.pdf",
    "e01_foot_peer_review/records/PFAO_followup_2026-05-07.pdf",
    "e07_shoulder_billing/records/CCSM_CMS1500_0519-0701.pdf",
    "e08_concussion_bad_files/records/CCNA_neurology_consult_2026-02-03.pdf",
]
SCAN = "e03_chiro_only_obtain_records/records/LSC_daily_05-27-2026_scan.pdf"


def packet(path: Path, copies: int) -> int:
    """A records packet of example documents, several times over, and one scanned page."""
    out = pdfium.PdfDocument.new()
    for _ in range(copies):
        for part in PARTS:
            out.import_pages(pdfium.PdfDocument(str(EXAMPLES / part)))
    out.import_pages(pdfium.PdfDocument(str(EXAMPLES / SCAN)))
    out.save(str(path))
    return len(out)


def test_workers_give_the_answer_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_case(tmp_path / "case", referral(), {})
    (folder / "records").mkdir()
    pages = packet(folder / "records" / "packet.pdf", copies=4)
    assert pages >= workers_module.PARALLEL_PAGES
    read_by_workers: list[bool] = []
    real = workers_module.read_and_build

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        read_by_workers.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr("medreview.core.case.pipeline.read_and_build", spy)

    one = to_json(triage_folder(folder, today=TODAY, processes=1))
    assert read_by_workers == []
    two = to_json(triage_folder(folder, today=TODAY, processes=2))
    assert read_by_workers == [True]

    assert json.dumps(two, sort_keys=True) == json.dumps(one, sort_keys=True)
    scanned = [d for d in one["documents"] if d.get("ocr")]
    assert len(scanned) == 1 and scanned[0]["kind"] == "therapy_note"
    assert len(one["documents"]) > 20


def test_a_small_case_stays_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    real_pool = workers_module.pool

    def spy(count: int):  # type: ignore[no-untyped-def]
        started.append(count)
        return real_pool(count)

    monkeypatch.setattr("medreview.core.case.pipeline.pool", spy)
    folder = write_case(tmp_path / "case", referral(), {})
    (folder / "records").mkdir()
    (folder / "records" / "note.pdf").write_bytes((EXAMPLES / PARTS[2]).read_bytes())
    triage_folder(folder, today=TODAY, processes=4)
    assert started == [1]


def test_the_number_of_processes_is_a_setting() -> None:
    assert case_processes({"MEDREVIEW_CASE_PROCESSES": "3"}) == 3
    assert case_processes({}) >= 1
    with pytest.raises(ConfigError, match="MEDREVIEW_CASE_PROCESSES"):
        case_processes({"MEDREVIEW_CASE_PROCESSES": "0"})


def test_workers_stay_for_the_next_case_and_a_dead_one_is_replaced(tmp_path: Path) -> None:
    folder = write_case(tmp_path / "case", referral(), {})
    (folder / "records").mkdir()
    packet(folder / "records" / "packet.pdf", copies=4)
    first = to_json(triage_folder(folder, today=TODAY, processes=2))
    executor = workers_module._shared_pool(2)
    pids = set(executor._processes)  # type: ignore[attr-defined]
    assert len(pids) == 2

    again = to_json(triage_folder(folder, today=TODAY, processes=2))
    assert workers_module._shared_pool(2) is executor  # the same processes served it

    os.kill(next(iter(pids)), signal.SIGKILL)  # a worker dies between cases
    after = to_json(triage_folder(folder, today=TODAY, processes=2))
    assert after == first == again
    assert not pids & set(workers_module._shared_pool(2)._processes)  # type: ignore[attr-defined]
    workers_module.shutdown()


def _signals() -> tuple[bool, bool]:
    return (
        signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
        signal.getsignal(signal.SIGINT) == signal.SIG_DFL,
    )


def test_a_worker_stops_when_told_whatever_the_process_that_forked_it_handles() -> None:
    """The background worker handles SIGTERM and SIGINT to stop gracefully (SystemExit); the
    reading processes it forks must not inherit that, or one sending back its result when
    the pool is ended would catch its stop and live on, blocked, holding its memory."""

    def graceful(signum: int, frame: object) -> None:
        raise SystemExit(0)

    workers_module.shutdown()
    kept = signal.signal(signal.SIGTERM, graceful), signal.signal(signal.SIGINT, graceful)
    try:
        executor = workers_module._shared_pool(2)
        assert executor.submit(_signals).result(timeout=60) == (True, True)
    finally:
        workers_module.shutdown()
        signal.signal(signal.SIGTERM, kept[0])
        signal.signal(signal.SIGINT, kept[1])
