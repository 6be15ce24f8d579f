"""What the benchmarks of pages and endpoints share: running their measuring half in a child
process on a fresh SQLite desk (a temporary `MEDREVIEW_HOME`, tasks run at once), and, in
that child, the desk's people and its reviewing physician."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

PASSWORD = "a long bench password"
REVIEWER_NPI = "1234567893"


def run_child(module: str, *args: object) -> dict[str, Any]:
    """Run `python -m MODULE ARGS` on a desk of its own and return the JSON object it
    prints last."""
    with tempfile.TemporaryDirectory(prefix=f"medreview-{module.replace('.', '-')}-") as home:
        env = {
            **os.environ,
            "MEDREVIEW_HOME": home,
            "MEDREVIEW_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "MEDREVIEW_ALLOWED_HOSTS": "testserver",  # Django's test client's host
        }
        env.pop("DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", module, *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed: {done.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@dataclass(frozen=True)
class Desk:
    """A client's adjuster, the desk's coordinator, QA nurse and scheduler, and a physician
    user (NPI 1234567893) with its row in the network."""

    adjuster: Any
    coordinator: Any
    qa: Any
    scheduler: Any
    doctor: Any


def make_desk(*, licences: str, zip_code: str, capacity: int) -> Desk:
    """The desk's people, and its reviewer in the network: an orthopaedic surgeon with the
    licences (`CA:2030-06-30;…`), office and weekly capacity given."""
    from datetime import date

    from medreview.claims.actions import do_create_organisation, do_create_user
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.core.network.roster import read_roster, rows_to_csv
    from medreview.network.actions import do_import_network

    client = do_create_organisation(actor=COMMAND_LINE, name="Client", kind="client")
    desk = do_create_organisation(actor=COMMAND_LINE, name="Desk", kind="reviewer")

    def person(org: Any, email: str, role: str, npi: str = "") -> Any:
        return do_create_user(
            org, actor=COMMAND_LINE, email=email, role=role, password=PASSWORD, npi=npi
        )

    made = Desk(
        adjuster=person(client, "a@c.example", "adjuster"),
        coordinator=person(desk, "c@d.example", "coordinator"),
        qa=person(desk, "q@d.example", "qa"),
        scheduler=person(desk, "s@d.example", "scheduler"),
        doctor=person(desk, "p@d.example", "physician", REVIEWER_NPI),
    )
    row = {
        "npi": REVIEWER_NPI, "name": "Dana Reyes, MD", "specialties": "Orthopaedic Surgery",
        "board_certified": "yes", "licenses": licences, "zip": zip_code,
        "services": "peer_review;ime", "languages": "en", "weekly_capacity": str(capacity),
        "open_assignments": "0", "median_turnaround_days": "2", "qa_score": "0.9",
        "affiliations": "Reyes Review", "fee_peer_review": "350", "fee_ime": "1800",
    }  # fmt: skip
    rows, rejected = read_roster(rows_to_csv([row]), today=date.today())
    assert not rejected, rejected
    do_import_network(rows, actor=COMMAND_LINE, source="bench")
    return made
