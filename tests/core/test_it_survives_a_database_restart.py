"""`medreview serve` on PostgreSQL, as a whole process, while the database restarts under it:
while the database is down, the API and the pages answer 503 "the database is unavailable, try
again shortly" at once (no 500, no hang, nothing of the error itself); once it is back,
requests succeed within seconds and the background worker reads the referrals sent, without
anyone restarting `serve`.

Runs where PostgreSQL's programs are installed (/usr/lib/postgresql/*/bin), on a cluster of
its own in a temporary folder; skipped elsewhere, and where it may not start one."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL
from test_it_replaces_a_worker_that_dies import _free_port

pytestmark = pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reason="PostgreSQL is not installed"
)
DOWN = "the database is unavailable, try again shortly"
NOTE = b"ORTHOPAEDIC NOTE\nDate of Service: 06/20/2026\nRight knee sprain after a fall.\n"


class Cluster:
    """A PostgreSQL cluster of this test's own: its folder, port and socket are its alone. As
    root, the server runs as the postgres user (initdb refuses root), as .ci/run does."""

    def __init__(self) -> None:
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="medreview-pg-"))
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql://medreview@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        data = str(self.dir / "data")
        return self.run("pg_ctl", "-D", data, "-o", options, "-l", str(self.dir / "log"), *args)

    def start(self) -> None:
        started = self.pg_ctl("-w", "start")
        assert started.returncode == 0, started.stderr + self.log()

    def stop(self) -> None:
        stopped = self.pg_ctl("-w", "-m", "fast", "stop")
        assert stopped.returncode == 0, stopped.stderr

    def log(self) -> str:
        log = self.dir / "log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""


@pytest.fixture
def postgres() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        made = cluster.run(
            "initdb", "-D", str(cluster.dir / "data"), "-U", "medreview", "--auth=trust"
        )
        if made.returncode != 0:
            pytest.skip(f"cannot make a PostgreSQL cluster here: {made.stderr.strip()[-300:]}")
        started = cluster.pg_ctl("-w", "start")
        if started.returncode != 0:
            pytest.skip(f"cannot start PostgreSQL here: {cluster.log()[-300:]}")
        yield cluster
    finally:
        cluster.pg_ctl("-w", "-m", "immediate", "stop")
        shutil.rmtree(cluster.dir, ignore_errors=True)


def _env(home: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "MEDREVIEW_HOME": str(home), "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("MEDREVIEW_DB_CONN_MAX_AGE", None)  # connections kept, as a server keeps them
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "medreview.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _ask(request: urllib.request.Request) -> tuple[int, bytes]:
    """The status and body of an answer, whatever its status; never more than 15 s."""
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()


def _referral(base: str, token: str, number: str) -> urllib.request.Request:
    """`POST /api/v1/referrals` with the referral JSON and one record file."""
    data = {**REFERRAL, "claim": {**REFERRAL["claim"], "number": number}}
    b = "medreviewboundary"
    body = (
        (
            f'--{b}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n{json.dumps(data)}\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="records"; filename="note.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        + NOTE
        + f"\r\n--{b}--\r\n".encode()
    )
    return urllib.request.Request(
        f"{base}/api/v1/referrals",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={b}",
        },
    )


def _status(base: str, token: str, referral_id: str) -> str:
    got = urllib.request.Request(
        f"{base}/api/v1/referrals/{referral_id}", headers={"Authorization": f"Bearer {token}"}
    )
    status, body = _ask(got)
    return str(json.loads(body)["status"]) if status == 200 else f"answered {status}"


def _wait(ready: Callable[[], Any], seconds: float, what: str) -> float:
    """Seconds until `ready()` is true; fails naming `what` after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if ready():
                return time.monotonic() - start
        except OSError:  # the server not listening yet
            pass
        time.sleep(0.3)
    pytest.fail(f"waited {seconds:.0f} s in vain for {what}")


def test_the_server_and_its_worker_come_back_with_the_database(
    postgres: Cluster, tmp_path: Path
) -> None:
    env = _env(tmp_path / "home", postgres.url)
    _cli(env, "org", "create", "Acme Mutual", "--kind", "client")
    _cli(env, "user", "create", "ann@acme.example", "--org", "Acme Mutual", "--role", "adjuster")
    token = _cli(env, "token", "create", "ann@acme.example")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "medreview.cli", "serve", "--workers", "1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(lambda: _ask(urllib.request.Request(f"{base}/login/"))[0] == 200, 120, "serve")
        status, body = _ask(_referral(base, token, "WC-BEFORE-1"))
        assert status == 201, body
        before = json.loads(body)["id"]
        _wait(lambda: _status(base, token, before) == "triaged", 180, "the first reading")

        postgres.stop()
        # Down: the API and a page (a session to look up) answer 503 at once, in words.
        started = time.monotonic()
        status, body = _ask(_referral(base, token, "WC-DOWN-2"))
        assert (status, json.loads(body)) == (503, {"detail": DOWN})
        page = urllib.request.Request(f"{base}/", headers={"Cookie": "sessionid=" + "a1" * 16})
        status, body = _ask(page)
        assert status == 503 and DOWN in body.decode() and "Traceback" not in body.decode()
        assert time.monotonic() - started < 10
        time.sleep(4)  # long enough for the worker to find the database gone
        postgres.start()

        # Back: within seconds a referral is taken (503 meanwhile, never a 500), and read.
        answers: list[tuple[int, bytes]] = []

        def taken() -> bool:
            answers.append(_ask(_referral(base, token, "WC-AFTER-3")))
            return answers[-1][0] == 201

        _wait(taken, 10, "a referral taken after the restart")
        assert {status for status, _ in answers} <= {201, 503}, answers
        after = json.loads(answers[-1][1])["id"]
        # And every request after it, on each of the server's threads (a connection each,
        # opened before the restart): none fails on a connection the restart cut.
        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda _: _status(base, token, before), range(48)))
        assert set(statuses) == {"triaged"}, statuses
        _wait(lambda: _status(base, token, after) == "triaged", 180, "the reading after it")
        assert _status(base, token, before) == "triaged"
        assert server.poll() is None  # the same `serve`, never restarted
    except BaseException:
        # Shown with the failure: what the server and its worker said.
        print((tmp_path / "serve.log").read_text()[-20000:])
        raise
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=90)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
        log.close()
    assert code == 0, (tmp_path / "serve.log").read_text()[-3000:]
