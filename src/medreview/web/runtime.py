"""Starting Django from the command line: settings, migrations, the server and the workers.

`medreview serve` runs the web server (waitress) in this process and the background workers
(django-tasks-db's `db_worker`) as child processes, each replaced if it dies; SIGINT or
SIGTERM stops the server, then asks each worker to finish its task and stop. It queues the
check of the turnaround clocks when it starts and every `MEDREVIEW_CLOCK_CHECK_MINUTES`.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Collection
from types import FrameType
from typing import Any

log = logging.getLogger(__name__)


def setup(*, migrate: bool = True) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medreview.web.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def manage(argv: list[str]) -> int:
    """`medreview manage ARGS…`: a Django management command against the configured
    database, as a Django project's `manage.py` runs it. Pending migrations are applied
    first, as for every other command, except for help and `migrate` itself."""
    from django.core.management import execute_from_command_line

    first = argv[0] if argv else "help"
    setup(migrate=first not in ("help", "-h", "--help", "--version", "version", "migrate"))
    try:
        execute_from_command_line(["medreview manage", *argv])
    except SystemExit as exc:  # Django exits 1 on a CommandError, after printing it
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def migrate_if_new() -> None:
    """Apply the migrations when the database has no physician network table yet, or not
    the table of the jurisdiction rules' corrections that a match reads."""
    from django.core.management import call_command
    from django.db import connection

    read = {"network_physician", "claims_jurisdictionruleedit"}
    if read - set(connection.introspection.table_names()):
        call_command("migrate", verbosity=0, interactive=False)


def requeue_unfinished(*, reclaim_running: bool, dead_workers: Collection[str] = ()) -> int:
    """Queue again the reading of every referral not yet triaged, the computing of every
    assignment proposal not yet computed, and the next attempt of every webhook delivery and
    e-mail not yet sent, whose task is not waiting in the queue: a worker killed mid-task
    loses nothing (a referral given up after its attempts says so at once).

    `reclaim_running`: tasks marked running belong to no live worker, which is so when
    `medreview serve` starts (its workers are its own children, all stopped). Otherwise the
    running tasks of `dead_workers` only (the ids `serve` gave them) are reclaimed: marked
    failed, so that they are not taken for live ones, and their work queued again; the
    others' running tasks are left to them."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from medreview.claims.models import Referral
    from medreview.records.tasks import clear_stale_scratch, read_records

    clear_stale_scratch(every=reclaim_running)

    running = DBTaskResult.objects.filter(status="RUNNING")
    dead = set(dead_workers)
    orphans = [
        r.pk
        for r in running.only("pk", "worker_ids")
        if reclaim_running or (r.worker_ids and r.worker_ids[-1] in dead)
    ]
    # Marked failed with no traceback of its own: the worker died, the task did not fail.
    running.filter(pk__in=orphans).update(status="FAILED", finished_at=timezone.now())
    waiting = set()
    for result in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]):
        args = (result.args_kwargs or {}).get("args") or []
        if args:
            waiting.add(str(args[0]))
    count = 0
    for pk in Referral.objects.filter(
        status__in=(Referral.RECEIVED, Referral.PROCESSING)
    ).values_list("pk", flat=True):
        if str(pk) not in waiting:
            read_records.enqueue(str(pk))
            count += 1
    # A proposal left "computing" by a worker that died is computed again (its task is
    # idempotent), so that its page stops waiting.
    from medreview.reviews.models import AssignmentBatch
    from medreview.reviews.tasks import propose_assignments

    for pk in AssignmentBatch.objects.filter(status=AssignmentBatch.COMPUTING).values_list(
        "pk", flat=True
    ):
        if str(pk) not in waiting:
            propose_assignments.enqueue(pk)
            count += 1
    from medreview.outbox.tasks import requeue_unsent

    return count + requeue_unsent()


def queue_clock_check() -> bool:
    """Queue the check of the turnaround clocks (`outbox.lateness.check_clocks`: each clock
    that became nearly late or late told once), unless one waits in the queue already (a
    worker busy for longer than the interval need not find a pile of them). True if queued."""
    from django_tasks_db.models import DBTaskResult

    from medreview.outbox.lateness import check_clocks

    if DBTaskResult.objects.filter(status="READY", task_path=check_clocks.module_path).exists():
        return False
    check_clocks.enqueue()
    return True


def run_worker(worker_id: str | None = None) -> None:
    """One background worker: the database queue's `db_worker` (under `worker_id`, which the
    tasks it takes carry, when `serve` gives one)."""
    setup(migrate=False)
    from django.core.management import call_command

    named = ["--worker-id", worker_id] if worker_id else []
    call_command("db_worker", "--no-startup-delay", "--interval", "0.5", "--no-reload", *named)


# How often `serve` looks whether its background workers still run.
WORKER_CHECK_SECONDS = 2.0


def _start_worker() -> tuple[subprocess.Popen[bytes], str]:
    """A worker process and the id it works under (in its command line, so that an operator
    sees which process ran which task)."""
    worker_id = f"serve-{uuid.uuid4().hex}"
    call = f"from medreview.web.runtime import run_worker; run_worker({worker_id!r})"
    return subprocess.Popen([sys.executable, "-c", call]), worker_id


def settle_heap() -> None:
    """Load what every request may read for good (the ZIP centroids' table, the URL
    patterns), then freeze the heap as it stands: a full garbage collection, which would walk
    every object the process holds, then walks only what requests made. Without it, one
    request in eight of the IME's slots waited ~80 ms more for one (bench/slots.py)."""
    import gc

    from django.urls import get_resolver

    from medreview.core.network import geo

    geo.centroid("10001")
    get_resolver().url_patterns  # noqa: B018 - loads every app's views and URLs now
    gc.collect()
    gc.freeze()


def serve(port: int, *, host: str = "127.0.0.1", workers: int = 1) -> int:
    setup()
    requeue_unfinished(reclaim_running=True)
    queue_clock_check()
    from waitress import create_server

    from medreview.web.wsgi import application

    settle_heap()

    started = [_start_worker() for _ in range(workers)]
    children = [child for child, _ in started]
    ids = [worker_id for _, worker_id in started]
    stopping = threading.Event()
    from django.conf import settings

    clocks_every = settings.CLOCK_CHECK_MINUTES * 60
    clocks_checked = time.monotonic()

    def supervise() -> None:
        """A worker that dies (killed by the kernel for its memory, say) is replaced: what
        it was reading is queued again first, and given up after its attempts."""
        nonlocal clocks_checked
        while not stopping.wait(WORKER_CHECK_SECONDS):
            if time.monotonic() - clocks_checked >= clocks_every:
                # Every MEDREVIEW_CLOCK_CHECK_MINUTES: late work is told within that time.
                try:
                    queue_clock_check()
                    clocks_checked = time.monotonic()
                except Exception as exc:  # the database away: the next round tries again
                    log.warning("clock check not queued: %s", type(exc).__name__)
                finally:
                    from django.db import connection

                    connection.close()
            for n, child in enumerate(children):
                if child.poll() is not None and not stopping.is_set():
                    log.warning("a background worker stopped (exit %s): starting another",
                                child.returncode)  # fmt: skip
                    try:
                        requeue_unfinished(
                            reclaim_running=len(children) == 1, dead_workers=[ids[n]]
                        )
                    except Exception as exc:  # the database away: the next round tries again
                        log.warning("requeue failed: %s", type(exc).__name__)
                        continue
                    finally:
                        from django.db import connection

                        connection.close()
                    children[n], ids[n] = _start_worker()

    threading.Thread(target=supervise, name="worker-supervisor", daemon=True).start()
    server: Any = create_server(
        application,
        host=host,
        port=port,
        threads=8,
        ident="medreview",
        # A body sent without its length (chunked) is cut off here, as a declared one is by
        # `web/limits.py`.
        max_request_body_size=settings.MAX_REQUEST_BYTES,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"medreview: serving on http://localhost:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        server.close()
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        print("medreview: stopped", flush=True)
    return 0
