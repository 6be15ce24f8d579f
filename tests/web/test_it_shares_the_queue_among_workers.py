"""Several background workers share one database queue (SQLite here, PostgreSQL the same
code): every referral is read and triaged once, by one of them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from cases import REFERRAL


def test_two_workers_triage_each_referral_exactly_once(tmp_path: Path) -> None:
    env = {**os.environ, "MEDREVIEW_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "medreview.cli", *args],
            env=env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return done.stdout

    cli("org", "create", "Acme Mutual", "--kind", "client")
    cli("user", "create", "ann@acme.example", "--org", "Acme Mutual", "--role", "adjuster")
    script = (
        "from medreview.web.runtime import setup; setup()\n"
        "from medreview.records.actions import Upload, do_create_referral\n"
        "from medreview.claims.models import User\n"
        "import json, sys\n"
        "u = User.objects.get(email='ann@acme.example')\n"
        "for n in range(6):\n"
        "    r = json.loads(sys.argv[1]); r['claim']['number'] = f'WC-{n}'\n"
        "    do_create_referral(u.organisation, actor=u, referral_text=json.dumps(r),\n"
        "        uploads=[Upload('note.txt', b'PROGRESS NOTE\\nDate of Service: 06/20/2026\\nKnee pain.')])\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, json.dumps(REFERRAL)], env=env, check=True, timeout=120
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "medreview.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        database = sqlite3.connect(tmp_path / "medreview.sqlite3", timeout=30)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            (left,) = database.execute(
                "select count(*) from claims_referral where status != 'triaged'"
            ).fetchone()
            if left == 0:
                break
            time.sleep(0.5)
        assert left == 0, "the workers did not triage every referral in time"
        triaged = database.execute(
            "select referral_id, count(*) from audit_auditevent"
            " where action = 'referral.triaged' group by referral_id"
        ).fetchall()
        assert len(triaged) == 6 and all(count == 1 for _, count in triaged)
        claimed = database.execute(
            "select worker_ids from django_tasks_database_dbtaskresult where status = 'SUCCESSFUL'"
        ).fetchall()
        assert len(claimed) == 6
        assert all(len(json.loads(ids)) == 1 for (ids,) in claimed)  # each task ran once
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=60)
