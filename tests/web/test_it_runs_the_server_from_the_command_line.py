"""The commands of docs/command-line.md against a new MEDREVIEW_HOME: org, user and token create
(bad input exits 2 with one line), and `medreview serve` (migrations, the web server and
the background worker) stopping cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cases import REFERRAL, medreview


def test_people_are_set_up_from_the_command_line(tmp_path: Path) -> None:
    assert medreview(tmp_path, "org", "create", "Acme Mutual", "--kind", "client").returncode == 0
    made = medreview(
        tmp_path, "user", "create", "ann@acme.example", "--org", "Acme Mutual", "--role", "adjuster"
    )
    assert made.returncode == 0, made.stderr
    token = medreview(tmp_path, "token", "create", "ann@acme.example")
    assert token.returncode == 0 and token.stdout.strip().startswith("mr_")
    assert len(token.stdout.strip().splitlines()) == 1  # the token and nothing else

    for args, message in (
        (("org", "create", "Acme Mutual", "--kind", "client"), "exists already"),
        (
            ("user", "create", "bob@x.example", "--org", "Nobody", "--role", "adjuster"),
            "no organisation",
        ),
        (
            ("user", "create", "bob@x.example", "--org", "Acme Mutual", "--role", "wizard"),
            "unknown role",
        ),
        (("token", "create", "nobody@x.example"), "no user"),
    ):
        bad = medreview(tmp_path, *args)
        assert bad.returncode == 2
        assert message in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
        assert "Traceback" not in bad.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_triages_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    medreview(tmp_path, "org", "create", "Acme Mutual", "--kind", "client")
    medreview(
        tmp_path, "user", "create", "ann@acme.example", "--org", "Acme Mutual", "--role", "adjuster"
    )
    token = medreview(tmp_path, "token", "create", "ann@acme.example").stdout.strip()
    port = _free_port()
    env = {**os.environ, "MEDREVIEW_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "medreview.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(
            lambda: urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2).status == 200
        )
        boundary = "medreviewboundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n'
            f"{json.dumps(REFERRAL)}\r\n--{boundary}--\r\n"
        ).encode()
        request = urllib.request.Request(
            f"{base}/api/v1/referrals",
            data=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        created = json.load(urllib.request.urlopen(request, timeout=10))
        get = urllib.request.Request(
            f"{base}/api/v1/referrals/{created['id']}", headers={"Authorization": f"Bearer {token}"}
        )
        _wait(lambda: json.load(urllib.request.urlopen(get, timeout=5))["status"] == "triaged")

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        output = server.stdout.read() if server.stdout else ""
        assert "stopped" in output and "Traceback" not in output
    finally:
        if server.poll() is None:
            server.kill()


def _wait(ready: object, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():  # type: ignore[operator]
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("the server did not answer in time")
        time.sleep(0.3)
