"""`medreview serve`, as a whole process: a background worker killed (SIGKILL, as the kernel
kills one out of memory) is replaced within seconds, and Ctrl-C still stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (Linux's /proc; a zombie is not alive)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in ("Z", "X") and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: object, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if what():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("waited in vain")


def test_a_killed_worker_is_replaced(tmp_path: Path) -> None:
    env = {**os.environ, "MEDREVIEW_HOME": str(tmp_path / "home")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "medreview.cli", "serve", "--port", str(_free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: len(_children(server.pid)) == 1)
        (first,) = _children(server.pid)
        os.kill(first, signal.SIGKILL)
        # One worker again, not the one killed (checked in one reading of the processes).
        _wait(lambda: len(kids := _children(server.pid)) == 1 and kids != [first])
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
