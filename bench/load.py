"""Benchmark: proof under load. `medreview serve` as a whole process against a real
PostgreSQL server started here, driven through the API by locust users of a client
organisation, then the background reading of scanned pages with 1 and 2 workers.

Intake: `medreview serve --workers 3` on a fresh database; a client organisation, an adjuster
and a token made with the command line; locust users (in a process of their own,
`bench/locustfile.py`) send referrals (the referral of `examples/e02`, a new claim number
each time, with its text note and its text PDF) and read them back (one referral, the list)
for 60 s (15 s with --quick). Then, waited for up to a bound, every referral sent is read by
the workers. Goals: no server error (5xx, or no answer), no referral lost (sent and never
read) and none read twice (more than one successful `read_records` task, or more than one
`referral.triaged` audit event).

OCR: referrals each holding a scanned PDF (image-only pages of the generated packet) queued
through the API into `serve --workers 1`, then `--workers 2` (each on a fresh database of the
same server, after a warm-up referral per worker); the time from the first enqueued to the
last read, from the task table, gives pages/s for each, their ratio, and the linear
prediction for N machines. No goal: the figure is for capacity planning.

Skipped, saying so, when this machine has no PostgreSQL (`/usr/lib/postgresql/*/bin`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Outcome, percentile

GOAL = "0 server errors, 0 lost, 0 read twice"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "e02_lumbar_exam_questions"
RECORDS = ("CFM_office_visit_2026-02-24.txt", "SSR_consult_Sandoval_2026-04-07.pdf")
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
READ_RECORDS = "%read_records"


@dataclass(frozen=True)
class Sizes:
    seconds: int  # of load
    users: int  # locust users
    drain_s: int  # longest wait, after the load, for every referral to be read
    ocr_referrals: int
    ocr_pages: int  # scanned pages in each


FULL = Sizes(seconds=60, users=8, drain_s=600, ocr_referrals=6, ocr_pages=4)
QUICK = Sizes(seconds=15, users=4, drain_s=240, ocr_referrals=2, ocr_pages=2)


def run(quick: bool) -> Outcome:
    sizes = QUICK if quick else FULL
    pg_bin = _pg_bin()
    if pg_bin is None:
        print("skipped: no PostgreSQL here (no /usr/lib/postgresql/*/bin/pg_ctl)", flush=True)
        return Outcome(
            name="load",
            figure="skipped",
            goal=GOAL,
            passed=True,
            notes=["no PostgreSQL here: install Debian's postgresql package to run it"],
        )
    with tempfile.TemporaryDirectory(prefix="medreview-bench-load-") as scratch:
        tmp = Path(scratch)
        with _postgres(pg_bin) as database:
            if _locust() is None:
                intake: dict[str, Any] | None = None
            else:
                intake = _intake(database("postgres"), tmp, sizes)
            ocr = {w: _ocr(database, tmp, sizes, workers=w) for w in (1, 2)}
    return _outcome(intake, ocr, sizes)


# --- the intake under load --------------------------------------------------------------


def _intake(url: str, tmp: Path, sizes: Sizes) -> dict[str, Any]:
    env = _env(tmp / "home-intake", url)
    token = _client(env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out = tmp / "locust.json"
    with _serve(env, workers=3, port=port, log=tmp / "serve-intake.log") as log:
        print(
            f"  load: {sizes.users} locust users for {sizes.seconds} s on {base}"
            " (serve --workers 3, PostgreSQL)",
            file=sys.stderr,
            flush=True,
        )
        started = time.monotonic()
        locust = subprocess.run(
            [
                str(_locust()),
                "-f", str(LOCUSTFILE),
                "--headless",
                "-u", str(sizes.users),
                "-r", str(sizes.users),
                "-t", f"{sizes.seconds}s",
                "--stop-timeout", "30",
                "--host", base,
                "--only-summary",
                "--loglevel", "WARNING",
            ],
            env={
                **os.environ,
                "LOAD_TOKEN": token,
                "LOAD_REFERRAL": str(EXAMPLE / "referral.json"),
                "LOAD_RECORDS": os.pathsep.join(str(EXAMPLE / "records" / n) for n in RECORDS),
                "LOAD_OUT": str(out),
            },
            capture_output=True,
            text=True,
            cwd=ROOT,
        )  # fmt: skip
        loaded_s = time.monotonic() - started
        if not out.is_file():
            raise RuntimeError(f"locust wrote nothing (exit {locust.returncode}):"
                               f" {locust.stderr[-2000:]}")  # fmt: skip
        got = json.loads(out.read_text())
        at_stop = _referral_statuses(url)
        print(f"  load stopped: waiting (at most {sizes.drain_s} s) for"
              f" {sum(s != 'triaged' for s, _ in at_stop.values())} referral(s) still to read",
              file=sys.stderr, flush=True)  # fmt: skip
        drained, drain_s = _wait_read(url, sizes.drain_s)
        server_log = log()
    referrals = _referral_statuses(url)
    tasks = _tasks(url)
    triaged_events = _audit_counts(url, "referral.triaged")
    started_events = _audit_counts(url, "records.reading_started")
    created = set(got["created"])
    successful = Counter(t["referral"] for t in tasks if t["status"] == "SUCCESSFUL")
    lost = sorted(
        pk for pk in created | set(referrals) if referrals.get(pk, ("missing", ""))[0] != "triaged"
    )
    read = [t for t in tasks if t["status"] == "SUCCESSFUL" and t["finished_at"]]
    span = (
        (max(t["finished_at"] for t in read) - min(t["enqueued_at"] for t in read)).total_seconds()
        if read
        else 0.0
    )
    return {
        "requests": got["requests"],
        "seconds": sizes.seconds,
        "wall_s": loaded_s,
        "created": len(created),
        "in_database": len(referrals),
        "not_acknowledged": len(set(referrals) - created),
        "read_at_stop": sum(s == "triaged" for s, _ in at_stop.values()),
        "drained": drained,
        "drain_s": drain_s,
        "lost": lost,
        "lost_errors": Counter(referrals.get(pk, ("missing", "no row"))[1] for pk in lost),
        "duplicated": sorted(pk for pk, n in successful.items() if n > 1),
        "triaged_twice": sorted(pk for pk, n in triaged_events.items() if n > 1),
        "restarted": sum(1 for n in started_events.values() if n > 1),
        "failed_tasks": sum(t["status"] == "FAILED" for t in tasks),
        "read": len(read),
        "read_span_s": span,
        "workers_used": len({t["worker"] for t in read}),
        "tracebacks": server_log.count("Traceback"),
        "locust_exit": locust.returncode,
    }


# --- OCR throughput ---------------------------------------------------------------------


def _ocr(
    database: Callable[[str], str], tmp: Path, sizes: Sizes, *, workers: int
) -> dict[str, Any]:
    url = database(f"ocr_{workers}")
    _create_database(database("postgres"), f"ocr_{workers}")
    env = _env(tmp / f"home-ocr-{workers}", url)
    token = _client(env)
    warm = [_scan(tmp, pages=1, seed=900 + workers * 10 + n) for n in range(workers)]
    scans = [
        _scan(tmp, pages=sizes.ocr_pages, seed=100 + workers * 100 + n)
        for n in range(sizes.ocr_referrals)
    ]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"  OCR: {sizes.ocr_referrals} referrals of {sizes.ocr_pages} scanned pages,"
          f" serve --workers {workers}", file=sys.stderr, flush=True)  # fmt: skip
    with _serve(env, workers=workers, port=port, log=tmp / f"serve-ocr-{workers}.log"):
        warm_ids = {_send(base, token, path, pages) for path, pages in warm}
        done, _ = _wait_read(url, sizes.drain_s)
        if not done:
            raise RuntimeError(f"the warm-up referrals were not read in {sizes.drain_s} s")
        warmed = len({t["worker"] for t in _tasks(url) if t["referral"] in warm_ids})
        ids = {_send(base, token, path, pages) for path, pages in scans}
        done, waited = _wait_read(url, sizes.drain_s)
    timed = [t for t in _tasks(url) if t["referral"] in ids and t["status"] == "SUCCESSFUL"]
    if not done or len({t["referral"] for t in timed}) != len(ids):
        raise RuntimeError(
            f"OCR with {workers} worker(s): not every referral read in {waited:.0f} s"
        )
    span = (
        max(t["finished_at"] for t in timed) - min(t["enqueued_at"] for t in timed)
    ).total_seconds()
    pages = sizes.ocr_referrals * sizes.ocr_pages
    each = [(t["finished_at"] - t["started_at"]).total_seconds() for t in timed]
    return {
        "each_s": sum(each) / len(each),
        "workers": workers,
        "pages": pages,
        "span_s": span,
        "pages_per_s": pages / span,
        "warmed": warmed,
        "used": len({t["worker"] for t in timed}),
    }


def _scan(tmp: Path, *, pages: int, seed: int) -> tuple[Path, int]:
    """An image-only PDF of `pages` pages of the generated records packet (its own text for
    each seed, so that no sentence is read twice across referrals)."""
    from bench import packet, render

    texts = [p.lines for r in packet.records(pages, seed) for p in r.pages][:pages]
    path = tmp / f"scan-{pages}p-{seed}.pdf"
    render.write_scanned_pdf(texts, path)
    return path, len(texts)


def _send(base: str, token: str, record: Path, pages: int) -> str:
    """A referral with one record file, sent as multipart through the API; its id."""
    from bench import story

    referral = json.loads(story.referral_json(story.injury_for(pages)))
    referral["claim"]["number"] = f"OCR-{uuid.uuid4().hex[:12].upper()}"
    boundary = uuid.uuid4().hex
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n'
    file_head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="records";'
        f' filename="{record.name}"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    body = b"".join(
        [
            head.encode(),
            json.dumps(referral).encode(),
            b"\r\n",
            file_head.encode(),
            record.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    request = urllib.request.Request(
        f"{base}/api/v1/referrals",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return str(json.loads(answer.read())["id"])


# --- the outcome ------------------------------------------------------------------------


def _outcome(
    intake: dict[str, Any] | None, ocr: dict[int, dict[str, Any]], sizes: Sizes
) -> Outcome:
    rows: list[tuple[str, str]] = []
    notes: list[str] = []
    passed = True
    figure = ""
    if intake is None:
        notes.append("intake under load skipped: locust is not installed (pip install -e '.[dev]')")
    else:
        requests = intake["requests"]
        by_name: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for name, status, ms in requests:
            by_name[name].append((status, ms))
        errors = sum(1 for _, status, _ in requests if status >= 500 or status == 0)
        other = Counter(status for _, status, _ in requests if 400 <= status < 500)
        lost, twice = len(intake["lost"]), len(intake["duplicated"]) + len(intake["triaged_twice"])
        per_min = intake["read"] / intake["read_span_s"] * 60 if intake["read_span_s"] else 0.0
        rows += [
            ("load", f"{sizes.users} users, {sizes.seconds} s, serve --workers 3, PostgreSQL"),
            ("requests", f"{len(requests):,} ({len(requests) / sizes.seconds:.1f} requests/s)"),
        ]
        for name in sorted(by_name):
            took = [ms for _, ms in by_name[name]]
            rows.append(
                (
                    f"  {name}",
                    f"{len(took):,}: p50 {percentile(took, 50):,.0f} ms,"
                    f" p95 {percentile(took, 95):,.0f} ms",
                )
            )
        rows += [
            ("server errors (5xx or no answer)", f"{errors} (goal 0)"),
            (
                "other refusals (4xx)",
                ", ".join(f"{n} x {s}" for s, n in sorted(other.items())) or "0",
            ),
            (
                "referrals sent (201) / in the database",
                f"{intake['created']} / {intake['in_database']}",
            ),
            (
                "read when the load stopped",
                f"{intake['read_at_stop']} of {intake['in_database']}",
            ),
            (
                "then all read within",
                f"{intake['drain_s']:.0f} s"
                if intake["drained"]
                else f"NOT within {sizes.drain_s} s",
            ),
            (
                "referrals read per minute",
                f"{per_min:,.1f} ({intake['read']} in {intake['read_span_s']:.0f} s,"
                f" {intake['workers_used']} workers)",
            ),
            ("tasks lost (referrals never read)", f"{lost} (goal 0)"),
            (
                "read twice (>1 successful read_records / >1 referral.triaged)",
                f"{len(intake['duplicated'])} / {len(intake['triaged_twice'])} (goal 0)",
            ),
            (
                "readings restarted, tasks failed",
                f"{intake['restarted']}, {intake['failed_tasks']}",
            ),
            ("tracebacks in the server's log", str(intake["tracebacks"])),
        ]
        if intake["not_acknowledged"]:
            notes.append(f"{intake['not_acknowledged']} referral(s) stored whose sender got no 201")
        if intake["lost"]:
            notes.append(f"never read: {intake['lost'][:5]} ({dict(intake['lost_errors'])})")
        passed = errors == 0 and lost == 0 and twice == 0 and intake["drained"]
        figure = f"{errors} server errors, {lost} lost, {twice} read twice;" \
                 f" {len(requests) / sizes.seconds:.1f} req/s"  # fmt: skip
    one, two = ocr[1], ocr[2]
    ratio = two["pages_per_s"] / one["pages_per_s"]
    best = max(one["pages_per_s"], two["pages_per_s"])
    rows += [
        (
            f"OCR, {one['pages']} scanned pages, 1 worker",
            f"{one['pages_per_s']:.2f} pages/s ({one['span_s']:.1f} s; a referral"
            f" {one['each_s']:.1f} s)",
        ),
        (
            f"OCR, {two['pages']} scanned pages, 2 workers",
            f"{two['pages_per_s']:.2f} pages/s ({two['span_s']:.1f} s; a referral"
            f" {two['each_s']:.1f} s; {two['used']} workers took pages)",
        ),
        ("OCR 2 workers / 1 worker", f"{ratio:.2f}x (on {os.cpu_count()} cores)"),
        (
            f"predicted, N machines of {os.cpu_count()} cores",
            ", ".join(f"N={n}: {n * best:.2f}" for n in (1, 2, 4, 8)) + " pages/s",
        ),
    ]
    notes += [
        "OCR prediction: linear in machines, each running its best worker count, assuming the"
        " database is not the bottleneck. What would be: the shared PostgreSQL (every worker"
        " polls the task table every 0.5 s and writes each triage and audit event), the shared"
        " document store (MEDREVIEW_HOME/documents) and the single web process taking uploads.",
        "One worker's OCR engine already spreads over every core (core/case/processes.py): a"
        " second worker on the same machine shares them; the ratio is what is left to gain.",
    ]
    if two["warmed"] < 2:
        notes.append("only one of the 2 workers took a warm-up referral: the other started cold")
    figure = (figure + "; " if figure else "") + f"OCR 2 vs 1 workers {ratio:.2f}x"
    return Outcome(name="load", figure=figure, goal=GOAL, passed=passed, rows=rows, notes=notes)


# --- PostgreSQL, the server and the database ---------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.parent.name.split(".")],
    )
    return found[-1].parent if found else None


@contextmanager
def _postgres(pg_bin: Path) -> Iterator[Callable[[str], str]]:
    """A PostgreSQL server of its own, as .ci/run starts one (as the postgres user when this
    runs as root: initdb refuses root); yields the address of a database by name."""
    folder = Path(tempfile.mkdtemp(prefix="medreview-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    pg_ctl = [*as_user, str(pg_bin / "pg_ctl"), "-D", str(data)]
    started = False
    try:
        subprocess.run(
            [*as_user, str(pg_bin / "initdb"), "-D", str(data), "-U", "medreview", "--auth=trust"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*pg_ctl, "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
             "-l", str(folder / "log"), "-w", "start"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        started = True
        yield lambda name: f"postgresql://medreview@127.0.0.1:{port}/{name}"
    finally:
        if started:
            subprocess.run([*pg_ctl, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def _env(home: Path, url: str) -> dict[str, str]:
    env = {**os.environ, "MEDREVIEW_HOME": str(home), "DATABASE_URL": url}
    for name in ("DJANGO_SETTINGS_MODULE", "MEDREVIEW_TASK_BACKEND"):
        env.pop(name, None)
    return env


def _medreview(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "medreview.cli", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"medreview {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


def _client(env: dict[str, str]) -> str:
    """A client organisation and its adjuster, made with the command line; the adjuster's
    API token."""
    _medreview(env, "org", "create", "Load Test Mutual", "--kind", "client")
    email = "adjuster@load.example"
    _medreview(env, "user", "create", email, "--org", "Load Test Mutual", "--role", "adjuster")
    (token,) = [w for w in _medreview(env, "token", "create", email).split() if w.startswith("mr_")]
    return token


@contextmanager
def _serve(
    env: dict[str, str], *, workers: int, port: int, log: Path
) -> Iterator[Callable[[], str]]:
    """`medreview serve` as a whole process, answering; stopped (SIGINT, as Ctrl-C) at the
    end. Yields a function that reads its log so far."""
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "medreview.cli", "serve", "--workers", str(workers),
             "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"medreview serve exited {server.returncode}:"
                                       f" {log.read_text(errors='replace')[-2000:]}")  # fmt: skip
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5
                    ) as answer:
                        if answer.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("medreview serve did not answer within 180 s")
                time.sleep(0.5)
            yield lambda: log.read_text(errors="replace")
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def _referral_statuses(url: str) -> dict[str, tuple[str, str]]:
    """Every referral's id → (status, processing error)."""
    return {
        str(pk): (status, error)
        for pk, status, error in _rows(
            url, "SELECT id, status, processing_error FROM claims_referral"
        )
    }


def _tasks(url: str) -> list[dict[str, Any]]:
    """The read_records tasks: referral, status, times and the worker that last took it."""
    found = []
    for status, args, enqueued, started, finished, workers in _rows(
        url,
        "SELECT status, args_kwargs, enqueued_at, started_at, finished_at, worker_ids"
        f" FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '{READ_RECORDS}'",
    ):
        args = json.loads(args) if isinstance(args, str) else args
        workers = json.loads(workers) if isinstance(workers, str) else workers
        found.append(
            {
                "referral": str(uuid.UUID(str(args["args"][0]))),
                "status": status,
                "enqueued_at": enqueued,
                "started_at": started,
                "finished_at": finished,
                "worker": workers[-1] if workers else None,
            }
        )
    return found


def _audit_counts(url: str, action: str) -> dict[str, int]:
    return {
        str(pk): n
        for pk, n in _rows(
            url,
            "SELECT referral_id, count(*) FROM audit_auditevent"
            f" WHERE action = '{action}' GROUP BY referral_id",
        )
    }


def _wait_read(url: str, bound_s: float) -> tuple[bool, float]:
    """Wait until no referral is left to read (or one was given up); whether all were read
    within `bound_s`, and the seconds waited."""
    started = time.monotonic()
    while True:
        statuses = _referral_statuses(url).values()
        if all(status == "triaged" for status, _ in statuses):
            return True, time.monotonic() - started
        if any("not tried again" in error for _, error in statuses):
            return False, time.monotonic() - started
        if time.monotonic() - started > bound_s:
            return False, time.monotonic() - started
        time.sleep(0.5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _locust() -> Path | None:
    path = Path(sys.executable).with_name("locust")
    return path if path.is_file() else None
