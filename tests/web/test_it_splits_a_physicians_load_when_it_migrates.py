"""A database made before a physician's load had two parts keeps it when migrated: of the old
`open_assignments` (the last roster's count plus the assignments given since), the
assignments medreview gave that are in force become medreview's own, and the rest is
counted as work outside medreview, never below zero. Migrating back adds them up again."""

from __future__ import annotations

from typing import Any

import pytest
from cases import referral
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from webapp import COLLEAGUE, SURGEON, import_roster, run_worker, send

from medreview.claims.models import Referral
from medreview.network.models import Physician
from medreview.reviews.actions import do_assign_physician
from medreview.reviews.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("network", "0001_initial")
OTHER = {**SURGEON, "npi": "1000000111", "name": "Olive Other, MD", "affiliations": "Elsewhere"}


def _migrate(*targets: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _loads() -> dict[str, tuple[int, int]]:
    return {
        npi: (own, outside)
        for npi, own, outside in Physician.objects.values_list(
            "npi", "open_assignments", "outside_assignments"
        )
    }


def test_the_old_count_is_split_into_medreviews_own_and_the_outside_work(people: Any) -> None:
    import_roster(SURGEON, COLLEAGUE, OTHER)
    token = people.token(people.adjuster_a)
    first, second = (
        send(token, referral(claim={"number": number})).json()["id"]
        for number in ("WC-MIGRATE-1", "WC-MIGRATE-2")
    )
    run_worker()
    given = [
        do_assign_physician(
            Referral.objects.get(pk=rid), actor=people.coordinator, service=service, npi=npi
        )
        for rid, service, npi in (
            (first, "peer_review", SURGEON["npi"]),
            (second, "peer_review", SURGEON["npi"]),
            (first, "ime", OTHER["npi"]),
        )
    ]
    try:
        _migrate(BEFORE)
        # The old single count, as imports and assignments left it; one of the surgeon's two
        # assignments was cancelled since, and the other physician's roster said 0 after
        # medreview gave them the exam.
        _sql("UPDATE reviews_assignment SET status = 'cancelled' WHERE id = %s", given[1].pk)
        for npi, old in ((SURGEON["npi"], 6), (COLLEAGUE["npi"], 3), (OTHER["npi"], 0)):
            _sql("UPDATE network_physician SET open_assignments = %s WHERE npi = %s", old, npi)
    finally:
        _migrate()

    assert _loads() == {SURGEON["npi"]: (1, 5), COLLEAGUE["npi"]: (0, 3), OTHER["npi"]: (1, 0)}
    assert Assignment.objects.get(pk=given[1].pk).status == Assignment.CANCELLED

    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT npi, open_assignments FROM network_physician ORDER BY npi")
            back = dict(cursor.fetchall())
    finally:
        _migrate()
    assert back == {SURGEON["npi"]: 6, COLLEAGUE["npi"]: 3, OTHER["npi"]: 1}
