"""`medreview serve` queues the check of the turnaround clocks when it starts and every
MEDREVIEW_CLOCK_CHECK_MINUTES (`web.runtime.queue_clock_check`): one check waits in the queue
at a time, however long the workers take; a worker runs it. A bad interval stops the start
with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from webapp import run_worker

from medreview.outbox.lateness import check_clocks
from medreview.web.runtime import queue_clock_check


def _checks(status: str) -> int:
    return DBTaskResult.objects.filter(task_path=check_clocks.module_path, status=status).count()


@pytest.mark.django_db(transaction=True)
def test_one_check_waits_in_the_queue_at_a_time() -> None:
    assert queue_clock_check() is True
    assert queue_clock_check() is False  # one waits already
    assert _checks("READY") == 1
    run_worker()
    assert (_checks("READY"), _checks("SUCCESSFUL")) == (0, 1)
    assert queue_clock_check() is True


@pytest.mark.parametrize("value", ["0", "a quarter hour"])
def test_a_bad_interval_stops_the_start_naming_it(tmp_path: Path, value: str) -> None:
    env = {**os.environ, "MEDREVIEW_HOME": str(tmp_path), "MEDREVIEW_CLOCK_CHECK_MINUTES": value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    answer = subprocess.run(
        [sys.executable, "-m", "medreview.cli", "clocks", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 2
    assert "MEDREVIEW_CLOCK_CHECK_MINUTES" in answer.stderr and "Traceback" not in answer.stderr
    assert len(answer.stderr.strip().splitlines()) == 1
