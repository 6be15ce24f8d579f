"""A referral whose reading has been started three times (a file that stops the worker each
time leaves exactly that behind) is not tried again: the case page says so, the other
referrals go on, and a restart does not queue it into the same death. A proposal left
"computing" by a worker that died is computed again at the next start."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from webapp import login, run_worker, send

from medreview.audit.actions import record
from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.claims.permissions import BACKGROUND
from medreview.reviews.models import AssignmentBatch
from medreview.web.runtime import requeue_unfinished

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_referral_read_three_times_in_vain_is_given_up(people: Any) -> None:
    token = people.token(people.adjuster_a)
    doomed = send(token).json()["id"]
    referral = Referral.objects.get(pk=doomed)
    # Three workers killed in the middle of it: each left its start and nothing else.
    with transaction.atomic():
        for _ in range(3):
            record("records.reading_started", actor=BACKGROUND, referral=referral)
        Referral.objects.filter(pk=doomed).update(status=Referral.PROCESSING)
    other = send(token).json()["id"]
    run_worker()

    gone = Referral.objects.get(pk=doomed)
    assert gone.status == Referral.RECEIVED
    assert gone.processing_error.startswith("The records could not be read after 3 attempts")
    assert Referral.objects.get(pk=other).status == Referral.TRIAGED
    page = login(people.adjuster_a).get(f"/referrals/{doomed}/").content.decode()
    assert "they are not tried again" in page
    # A restart queues it, and it is given up at once, without a fourth reading.
    requeue_unfinished(reclaim_running=True)
    run_worker()
    started = AuditEvent.objects.filter(referral_id=doomed, action="records.reading_started")
    assert started.count() == 3
    assert AuditEvent.objects.filter(action="records.reading_given_up").count() == 1


def test_a_proposal_left_computing_is_computed_at_the_next_start(people: Any) -> None:
    batch = AssignmentBatch.objects.create(created_by=people.coordinator)  # its worker died
    assert requeue_unfinished(reclaim_running=True) == 1
    run_worker()
    batch.refresh_from_db()
    assert batch.status == AssignmentBatch.READY


def test_a_failed_reading_keeps_the_referral_and_no_words_of_the_error(people: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from medreview.records import storage

    rid = send(people.token(people.adjuster_a)).json()["id"]
    (stored,) = Referral.objects.get(pk=rid).record_files.values_list("stored_as", flat=True)
    storage.delete(stored)  # the reader cannot load it: a real failure of the reading
    run_worker()
    failed = Referral.objects.get(pk=rid)
    assert failed.status == Referral.RECEIVED
    assert failed.processing_error == (
        "The records could not be read (StoredFileError). They will be read again when the"
        " worker restarts."
    )
    kept = DBTaskResult.objects.get(status="FAILED")
    assert "StoredFileError" in kept.traceback
    assert "the stored file is missing" not in f"{kept.traceback}{kept.exception_class_path}"


def test_decrypted_records_left_by_a_killed_worker_are_removed(people: Any) -> None:
    import os

    from medreview.records.tasks import _scratch, clear_stale_scratch

    dead = _scratch() / "case-999999-left"  # no such process
    live = _scratch() / f"case-{os.getpid()}-reading"
    for folder in (dead, live):
        (folder / "records").mkdir(parents=True)
        (folder / "records" / "note.txt").write_text("decrypted")
    assert clear_stale_scratch(every=False) == 1
    assert not dead.exists() and live.exists()
    assert clear_stale_scratch(every=True) == 1  # `serve` starting: no worker reads yet
    assert not live.exists()
