"""Background work on records, through Django's Tasks API (django-tasks, database queue).
Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from medreview.records.actions import do_read_records, do_retriage


@task()
def read_records(referral_id: str) -> str | None:
    referral = do_read_records(referral_id)
    return None if referral is None else referral.status


@task()
def retriage(referral_id: str) -> str | None:
    """Triage again after a person's correction (the corrections win)."""
    referral = do_retriage(referral_id)
    return None if referral is None else referral.status
