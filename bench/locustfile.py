"""The load of `bench/load.py`: locust users of one client organisation who send referrals
with their records and read them back, through the API as an integration does.

Run by `bench/load.py` as `locust -f bench/locustfile.py --headless …` in a process of its own
(locust monkey-patches the standard library with gevent, which the bench's own process must
not be). It reads from the environment:

- `LOAD_TOKEN`: the API token of the client's user (an adjuster);
- `LOAD_REFERRAL`: a referral.json, whose claim number each send replaces with a new one;
- `LOAD_RECORDS`: the record files sent with every referral, separated by `os.pathsep`;
- `LOAD_OUT`: where to write, when the run ends, every request as `[name, status, ms]` and the
  ids of the referrals created (JSON), for exact percentiles and the database's checks.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

SEND, READ_ONE, READ_LIST = (
    "POST /api/v1/referrals",
    "GET /api/v1/referrals/{id}",
    "GET /api/v1/referrals",
)

_referral = json.loads(Path(os.environ["LOAD_REFERRAL"]).read_text())
_records = [
    (Path(p).name, Path(p).read_bytes()) for p in os.environ["LOAD_RECORDS"].split(os.pathsep)
]
_claims = itertools.count(1)
_run = uuid.uuid4().hex[:6].upper()
_requests: list[tuple[str, int, float]] = []
_created: list[str] = []


@events.request.add_listener
def _seen(name: str, response_time: float, response: Any, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0  # 0: no answer (connection refused, …)
    _requests.append((name, status, response_time))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    Path(os.environ["LOAD_OUT"]).write_text(
        json.dumps({"requests": _requests, "created": _created})
    )


class Adjuster(HttpUser):
    """Sends a referral now and then, and reads the ones it sent and the list between."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {os.environ['LOAD_TOKEN']}"
        self.mine: list[str] = []

    def _check(self, response: Any, expected: int) -> None:
        if response.status_code >= 500 or response.status_code == 0:
            response.failure(f"server error {response.status_code}")
        elif response.status_code != expected:
            response.failure(f"unexpected {response.status_code}: {response.text[:200]}")

    @task(1)
    def send(self) -> None:
        data = json.loads(json.dumps(_referral))
        data["claim"]["number"] = f"LOAD-{_run}-{os.getpid()}-{next(_claims):06d}"
        files = [("records", (name, content)) for name, content in _records]
        with self.client.post(
            "/api/v1/referrals",
            data={"referral": json.dumps(data)},
            files=files,
            name=SEND,
            catch_response=True,
        ) as response:
            self._check(response, 201)
            if response.status_code == 201:
                pk = response.json()["id"]
                self.mine.append(pk)
                _created.append(pk)

    @task(4)
    def read_one(self) -> None:
        if not self.mine:
            return self.read_list()
        pk = random.choice(self.mine)
        with self.client.get(
            f"/api/v1/referrals/{pk}", name=READ_ONE, catch_response=True
        ) as response:
            self._check(response, 200)

    @task(2)
    def read_list(self) -> None:
        with self.client.get("/api/v1/referrals", name=READ_LIST, catch_response=True) as response:
            self._check(response, 200)
