"""A password is long, uncommon, not all digits and not the email again, and can be given on
standard input instead of the command line (where other local users may see it); an API token
can be revoked from the command line, and stops working after `MEDREVIEW_TOKEN_DAYS`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_it_keeps_its_home_to_its_owner import _run


def _with_input(home: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDREVIEW_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "medreview.cli", *args],
        env=env, input=text, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_passwords_and_tokens_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(home, "org", "create", "Acme", "--kind", "client").returncode == 0
    create = ("user", "create", "ann@acme.example", "--org", "Acme", "--role", "adjuster")
    for weak, why in (
        ("password123", "this password is too common"),
        ("12345678901", "this password is entirely numeric"),
        ("ann@acme.example", "too similar to the username"),
    ):
        refused = _run(home, *create, "--password", weak)
        assert refused.returncode == 2 and why in refused.stderr, refused.stderr
    made = _with_input(home, "correct horse battery\n", *create, "--password-stdin")
    assert made.returncode == 0, made.stderr

    token = _run(home, "token", "create", "ann@acme.example").stdout.strip()
    assert token.startswith("mr_")
    revoked = _run(home, "token", "revoke", "ann@acme.example")
    assert revoked.returncode == 0 and revoked.stdout.strip() == (
        "revoked 1 token(s) of ann@acme.example"
    )
