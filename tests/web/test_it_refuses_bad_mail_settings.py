"""The e-mail settings fail loudly at start, naming the variable: a port that is not one, a
yes/no that is neither, a sender that is not an address, a user without a password."""

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
        [sys.executable, "-m", "medreview.cli", "webhook", "list"],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MEDREVIEW_SMTP_PORT": "smtp"}, "MEDREVIEW_SMTP_PORT"),
        ({"MEDREVIEW_SMTP_PORT": "70000"}, "MEDREVIEW_SMTP_PORT"),
        ({"MEDREVIEW_SMTP_TLS": "maybe"}, "MEDREVIEW_SMTP_TLS"),
        ({"MEDREVIEW_SMTP_HOST": "smtp://mail.example"}, "MEDREVIEW_SMTP_HOST"),
        ({"MEDREVIEW_MAIL_FROM": "the desk"}, "MEDREVIEW_MAIL_FROM"),
        ({"MEDREVIEW_SMTP_USER": "desk"}, "MEDREVIEW_SMTP_PASSWORD"),
        ({"MEDREVIEW_WEBHOOK_ALLOW_HTTP": "sometimes"}, "MEDREVIEW_WEBHOOK_ALLOW_HTTP"),
    ],
)
def test_a_bad_mail_setting_stops_with_one_line_naming_it(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    answer = _start({"MEDREVIEW_HOME": str(tmp_path), **env})
    assert answer.returncode == 2
    assert named in answer.stderr and "Traceback" not in answer.stderr
    assert len(answer.stderr.strip().splitlines()) == 1


def test_good_mail_settings_start(tmp_path: Path) -> None:
    answer = _start(
        {
            "MEDREVIEW_HOME": str(tmp_path),
            "MEDREVIEW_SMTP_HOST": "mail.example.com",
            "MEDREVIEW_SMTP_PORT": "587",
            "MEDREVIEW_SMTP_TLS": "1",
            "MEDREVIEW_SMTP_USER": "desk",
            "MEDREVIEW_SMTP_PASSWORD": "secret",
            "MEDREVIEW_MAIL_FROM": "desk@review.example",
        }
    )
    assert answer.returncode == 0, answer.stderr
