"""The web application's settings fail loudly on a bad value, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "medreview.cli", "token", "create", "nobody@example.com"],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"MEDREVIEW_SECURE_COOKIES": "perhaps"}, "MEDREVIEW_SECURE_COOKIES"),
        ({"MEDREVIEW_TREATMENT_GAP_DAYS": "six weeks"}, "MEDREVIEW_TREATMENT_GAP_DAYS"),
        ({"MEDREVIEW_CASE_PROCESSES": "0"}, "MEDREVIEW_CASE_PROCESSES"),
    ],
)
def test_a_bad_setting_stops_with_one_line_naming_it(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    answer = _start({"MEDREVIEW_HOME": str(tmp_path), **env})
    assert answer.returncode == 2
    assert named in answer.stderr and "Traceback" not in answer.stderr
    assert len(answer.stderr.strip().splitlines()) == 1
