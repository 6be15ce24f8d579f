"""A desk made before patient fields were encrypted is encrypted when it migrates: the
claimant's name, the referral, the triage, the review's words and the audit trail's details no
longer read in clear in the database; the desk reads them as before, every audit chain still
verifies, and the queue finds the claimant by name. Migrating back writes them in clear."""

from __future__ import annotations

from typing import Any

import pytest
from cases import REFERRAL
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from webapp import api, delivered_review, login

from medreview.audit.actions import verify
from medreview.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("audit", "0003_keyed_hashes"),
    ("claims", "0004_notice"),
    ("records", "0005_pendingupload"),
    ("reports", "0001_initial"),
]
NAME = REFERRAL["claimant"]["name"]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _in_clear(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return "\n".join(str(value) for row in cursor.fetchall() for value in row)


def test_the_fields_written_in_clear_are_encrypted_by_the_migration(people: Any) -> None:
    rid, _ = delivered_review(people)
    try:
        _migrate(BEFORE)
        assert NAME in _in_clear("SELECT claimant_name, payload FROM claims_referral")
        assert "The records answer it." in _in_clear("SELECT rationale FROM reports_determination")
        assert "WC-TEST-0001" in _in_clear("SELECT detail FROM audit_auditevent")
    finally:
        _migrate()

    assert NAME not in _in_clear("SELECT * FROM claims_referral")
    assert "The records answer it." not in _in_clear("SELECT * FROM reports_determination")
    assert "WC-TEST-0001" not in _in_clear("SELECT detail FROM audit_auditevent")
    # Every chain's hashes still hold over the details' values, and this referral's reaches
    # its checkpoint.
    chains = set(AuditEvent.objects.values_list("chain", flat=True))
    assert all(verify(AuditEvent.objects.filter(chain=c).order_by("seq")) for c in chains)
    trail = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/audit").json()
    assert trail["verified"] is True
    adjuster = login(people.adjuster_a)
    assert NAME in adjuster.get(f"/referrals/{rid}/").content.decode()
    found = adjuster.get("/", {"q": NAME.split()[-1][:4]}).content.decode()
    assert "WC-TEST-0001" in found
