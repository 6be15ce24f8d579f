"""Background work on records, through Django's Tasks API (django-tasks, database queue).
Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from medreview.records.actions import do_read_records


@task()
def read_records(referral_id: str) -> str | None:
    referral = do_read_records(referral_id)
    return None if referral is None else referral.status
