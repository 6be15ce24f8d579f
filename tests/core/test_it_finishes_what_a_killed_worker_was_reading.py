"""`medreview serve --workers 2`, as a whole process: the worker reading a scanned packet is
killed (SIGKILL, as the kernel's out-of-memory killer does) in the middle of it. Its task is
marked failed rather than left "running" forever, the reading is queued again and finished
by a worker, the other worker's reading goes on untouched, and nothing is lost or doubled:
each referral has its record files once and one successful reading."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL
from pdfs import make_scanned_pdf
from test_it_replaces_a_worker_that_dies import _children, _free_port, _wait

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="reads the SQLite file of its own server"
)

# Two referrals made in the server's own database, as a client's upload makes them.
_MAKE = """
import json, sys
from datetime import date
from medreview.web.runtime import setup
setup()
from medreview.claims.actions import do_create_organisation, do_create_user
from medreview.claims.permissions import COMMAND_LINE
from medreview.records.actions import Upload, do_create_referral
org = do_create_organisation(actor=COMMAND_LINE, name="Client A Mutual", kind="client")
ann = do_create_user(org, actor=COMMAND_LINE, email="ann@a.example", role="adjuster")
referral, scan, note = sys.argv[1], sys.argv[2], sys.argv[3]
for number, files in (("WC-SCAN-1", [("scan.pdf", scan)]), ("WC-NOTE-2", [("note.txt", note)])):
    data = json.loads(referral)
    data["claim"]["number"] = number
    uploads = [Upload(name, open(path, "rb").read()) for name, path in files]
    do_create_referral(org, actor=ann, referral_text=json.dumps(data), uploads=uploads,
                       today=date(2026, 6, 1))
"""


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def _referrals(db: Path) -> dict[str, str]:
    """Claim number → referral id as the tasks' arguments write it."""
    rows = _rows(db, "SELECT claim_number, id FROM claims_referral")
    return {number: str(uuid.UUID(str(pk))) for number, pk in rows}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_a_reading_cut_by_a_killed_worker_is_finished_by_another(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "MEDREVIEW_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    pages = [f"PHYSICAL THERAPY NOTE\nDate of Service: 06/{10 + i}/2026\nVisit {i}." for i in
             range(6)]  # fmt: skip
    scan = make_scanned_pdf(tmp_path / "scan.pdf", pages)
    note = tmp_path / "note.txt"
    note.write_text("ORTHOPAEDIC NOTE\nDate of Service: 06/20/2026\nRight wrist sprain.\n")
    made = subprocess.run(
        [sys.executable, "-c", _MAKE, json.dumps(REFERRAL), str(scan), str(note)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    db = home / "medreview.sqlite3"
    port = str(_free_port())
    server = subprocess.Popen(
        [sys.executable, "-m", "medreview.cli", "serve", "--workers", "2", "--port", port],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        running: list[tuple[Any, ...]] = []

        def scan_is_being_read() -> bool:
            scan_id = _referrals(db)["WC-SCAN-1"]
            running[:] = [
                (pk, workers)
                for pk, workers, args in _rows(
                    db,
                    "SELECT id, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult"
                    " WHERE status = 'RUNNING'",
                )
                if scan_id in args
            ]
            return bool(running)

        _wait(scan_is_being_read, 120)
        (task, worker_ids), *_ = running
        worker = json.loads(worker_ids)[-1]
        (victim,) = [pid for pid in _children(server.pid) if worker in _cmdline(pid)]
        time.sleep(0.5)  # into the file
        os.kill(victim, signal.SIGKILL)

        def all_read() -> bool:
            statuses = _rows(db, "SELECT status FROM claims_referral")
            return all(status == "triaged" for (status,) in statuses)

        _wait(all_read, 240)
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=90) == 0

    (killed,) = _rows(
        db, f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id = '{task}'"
    )
    assert killed == ("FAILED",)
    files = _rows(
        db,
        "SELECT r.claim_number, f.name FROM records_recordfile f"
        " JOIN claims_referral r ON r.id = f.referral_id ORDER BY r.claim_number",
    )
    assert files == [("WC-NOTE-2", "records/note.txt"), ("WC-SCAN-1", "records/scan.pdf")]
    ids = _referrals(db)
    readings = sorted(
        number
        for (args,) in _rows(
            db,
            "SELECT args_kwargs FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'SUCCESSFUL' AND task_path LIKE '%read_records'",
        )
        for number, pk in ids.items()
        if pk in args
    )
    assert readings == ["WC-NOTE-2", "WC-SCAN-1"]
    (recommended,) = _rows(
        db, "SELECT recommended_path FROM claims_referral WHERE claim_number = 'WC-SCAN-1'"
    )
    assert recommended[0]  # read to its end: a triage with its path
