"""`medreview audit verify` checks every chain of the audit trail, as a whole process: exit 0
and "verified" when all are whole; exit 1 naming each chain cut short of its checkpoint."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_it_keeps_its_home_to_its_owner import _run


def test_every_chain_is_verified_and_a_cut_one_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for name in ("Acme Mutual", "Other Mutual"):
        assert _run(home, "org", "create", name, "--kind", "client").returncode == 0
    whole = _run(home, "audit", "verify")
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.strip().endswith(": verified")

    with sqlite3.connect(home / "medreview.sqlite3") as db:
        (chain,) = db.execute(
            "SELECT chain FROM audit_auditevent WHERE action = 'organisation.created' LIMIT 1"
        ).fetchone()
        db.execute("DELETE FROM audit_auditevent WHERE chain = ?", (chain,))
    cut = _run(home, "audit", "verify")
    assert cut.returncode == 1
    assert f"{chain}: every event removed (checkpoint at event 1)" in cut.stdout
    assert "1 problem(s)" in cut.stdout
