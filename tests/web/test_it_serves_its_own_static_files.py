"""`medreview serve` (waitress, DEBUG off) serves the files its pages load, from the installed
package: the API's interactive docs load Swagger UI from the server itself, and no page
names another host for a script, a style or an icon."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

# What a page loads by itself: scripts, styles, icons, images, fonts (not the links it shows).
LOADED = re.compile(r'<(?:script|link|img|source)\b[^>]*?\b(?:src|href)="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {**os.environ, "MEDREVIEW_HOME": str(home)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDREVIEW_DEBUG"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "medreview.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _get(f"{base}/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("medreview serve did not answer in time")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("path", ["/api/v1/docs", "/login/", "/no-such-page/"])
def test_every_file_a_page_loads_comes_from_the_server(server: str, path: str) -> None:
    status, _, body = _get(f"{server}{path}")
    assert status == (404 if path == "/no-such-page/" else 200)
    loaded = LOADED.findall(body.decode())
    assert loaded, "the page loads no file at all"
    for url in loaded:
        assert url.startswith("/") and not url.startswith("//"), url  # this host, no other
        status, kind, content = _get(f"{server}{url}")
        assert status == 200 and content, url
        assert not kind.startswith("text/html"), (url, kind)


def test_swagger_ui_is_the_packages_own(server: str) -> None:
    status, kind, content = _get(f"{server}/static/ninja/swagger-ui-bundle.js")
    assert status == 200 and "javascript" in kind and b"SwaggerUIBundle" in content


def test_the_icon_answers_where_browsers_look_for_it(server: str) -> None:
    status, kind, content = _get(f"{server}/favicon.ico")
    assert status == 200 and kind.startswith("image/") and b"<svg" in content
