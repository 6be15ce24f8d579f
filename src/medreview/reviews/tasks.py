"""Background work on assignments, through Django's Tasks API. Tasks take ids and are safe
to run twice."""

from __future__ import annotations

from django_tasks import task

from medreview.reviews.actions import do_compute_assignment_batch


@task()
def propose_assignments(batch_id: int) -> str | None:
    batch = do_compute_assignment_batch(batch_id)
    return None if batch is None else batch.status
