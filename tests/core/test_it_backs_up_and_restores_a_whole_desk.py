"""`medreview backup FILE` and `medreview restore FILE` (docs/command-line.md, "Backup and
restore"): a desk backed up, wiped and restored is the same desk to the people who use it (the
referral, its record file to the byte, the delivered report, every audit chain verified, as
many rows of everything), and goes on making new ones. The keys are not in the archive. A
damaged archive, a desk that is not empty and another audit key are refused, nothing changed;
`--force` replaces a desk, setting its files aside."""

from __future__ import annotations

import gzip
import io
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL
from django.core.management import call_command
from webapp import api, delivered_review, login, send

from medreview.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(settings: Any, tmp_path: Path) -> Path:
    """This test's documents and audit checkpoints, in a folder of its own."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.AUDIT_CHECKPOINTS_DIR = tmp_path / "audit_heads"
    return tmp_path


def _counts() -> dict[str, int]:
    from medreview.web.backup import data_models

    return {m._meta.label_lower: m._base_manager.count() for m in data_models()}


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def _wipe(settings: Any) -> None:
    """What a lost machine leaves behind: an empty database, no documents, no checkpoints."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.DOCUMENTS_DIR, ignore_errors=True)
    shutil.rmtree(settings.AUDIT_CHECKPOINTS_DIR, ignore_errors=True)


def _keys(settings: Any) -> list[str]:
    encryption = getattr(settings, "ENCRYPTION_KEYS", None) or [settings.ENCRYPTION_KEY]
    return [*encryption, settings.AUDIT_KEY, settings.SECRET_KEY]


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def test_a_desk_backed_up_wiped_and_restored_is_the_same_desk(
    people: Any, desk: Path, settings: Any, capsys: Any
) -> None:
    from medreview.audit.actions import problems
    from medreview.audit.models import AuditEvent
    from medreview.records.models import RecordFile
    from medreview.reports.models import Report

    rid, _ = delivered_review(people)
    record = RecordFile.objects.get(referral_id=rid)
    download = f"/referrals/{rid}/records/{record.pk}/download/"
    original = login(people.adjuster_a).get(download).content
    report_url = f"/api/v1/referrals/{rid}/report.pdf"
    report = api(people.token(people.adjuster_a)).get(report_url).content
    assert original.startswith(b"ORTHOPAEDIC PROGRESS NOTE") and report.startswith(b"%PDF")
    stored = RecordFile.objects.count() + Report.objects.count()
    before = _counts()
    archive = desk / "desk.tar.gz"

    assert main(["backup", str(archive)]) == 0
    said = capsys.readouterr().out
    assert f"documents: {stored} file(s), still encrypted" in said
    assert "not in the archive: the keys (encryption_key, audit_key, secret_key)" in said
    assert archive.stat().st_mode & 0o777 == 0o600
    members = _members(archive)
    assert {"manifest.json", "database.json"} < set(members)
    kept = members[f"documents/{record.stored_as}"]
    assert kept == (desk / "documents" / record.stored_as).read_bytes()
    assert original not in kept  # as stored: still encrypted
    whole = gzip.decompress(archive.read_bytes())
    assert not [k for k in _keys(settings) if k.encode() in whole]
    assert AuditEvent.objects.filter(chain="system", action="desk.backed_up").exists()

    _wipe(settings)
    assert sum(_counts().values()) == 0
    assert main(["restore", str(archive)]) == 0
    said = capsys.readouterr().out
    assert f"{stored} of {stored} stored file(s) decrypt with this desk's key" in said
    assert "every chain verifies" in said and "problem" not in said
    # The restore itself is the one event more (the backup's own is after the archive's end).
    after = _counts()
    assert after.pop("audit.auditevent") == before.pop("audit.auditevent") + 1
    assert after == before
    assert problems() == []
    logged = list(AuditEvent.objects.filter(chain="system").values_list("action", flat=True))
    assert logged[-1] == "desk.restored" and "desk.backed_up" not in logged

    # What the people of the desk notice: the same referral, record, report, audit trail.
    adjuster = login(people.adjuster_a)
    page = adjuster.get(f"/referrals/{rid}/")
    assert page.status_code == 200 and "WC-TEST-0001" in page.content.decode()
    assert adjuster.get(download).content == original
    assert api(people.token(people.adjuster_a)).get(report_url).content == report
    verdict = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}/audit")
    assert verdict.json()["verified"] is True
    # And the desk goes on: new rows take new ids past those restored.
    later = {**REFERRAL, "claim": {**REFERRAL["claim"], "number": "WC-TEST-0002"}}
    assert send(people.token(people.adjuster_a), later).status_code == 201
    assert problems() == []


def test_a_damaged_archive_is_refused_naming_what_is_wrong_and_nothing_changes(
    people: Any, desk: Path, settings: Any, capsys: Any
) -> None:
    from medreview.web.backup import BackupError, restore

    assert send(people.token(people.adjuster_a)).status_code == 201
    archive = desk / "desk.tar.gz"
    assert main(["backup", str(archive)]) == 0
    _wipe(settings)
    whole = archive.read_bytes()
    cut = desk / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    garbled = desk / "garbled.tar.gz"
    middle = len(whole) // 2
    garbled.write_bytes(whole[:middle] + bytes([whole[middle] ^ 0xFF]) + whole[middle + 1 :])
    changed = desk / "changed.tar.gz"
    members = _members(archive)
    (document,) = [n for n in members if n.startswith("documents/")]
    with tarfile.open(changed, "w:gz") as tar:
        for name, content in {**members, document: members[document] + b"\n"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))

    assert main(["restore", str(cut)]) == 2
    assert "cut.tar.gz: not a whole medreview backup, truncated or corrupted" in (
        capsys.readouterr().err
    )
    with pytest.raises(BackupError, match=r"truncated or corrupted|does not match the manifest"):
        restore(garbled)
    with pytest.raises(
        BackupError, match=re.escape(f"{document} does not match the manifest's sha256")
    ):
        restore(changed)
    with pytest.raises(BackupError, match="no such file"):
        restore(desk / "nowhere.tar.gz")
    assert sum(_counts().values()) == 0
    assert _files(desk / "documents") == [] and _files(desk / "audit_heads") == []


def test_a_desk_not_empty_is_kept_unless_forced(
    people: Any, desk: Path, settings: Any, capsys: Any
) -> None:
    from medreview.audit.actions import problems
    from medreview.claims.models import Organisation, Referral

    rid = send(people.token(people.adjuster_a)).json()["id"]
    archive = desk / "desk.tar.gz"
    assert main(["backup", str(archive)]) == 0
    assert main(["org", "create", "Later Mutual", "--kind", "client"]) == 0
    capsys.readouterr()
    before = _counts()
    documents = _files(desk / "documents")

    assert main(["restore", str(archive)]) == 2
    refused = capsys.readouterr().err
    assert "medreview: restore: this desk is not empty" in refused and "--force" in refused
    assert _counts() == before and _files(desk / "documents") == documents

    assert main(["restore", str(archive), "--force"]) == 0
    said = capsys.readouterr().out
    assert "set aside: " in said and "every chain verifies" in said
    assert not Organisation.objects.filter(name="Later Mutual").exists()
    assert Referral.objects.filter(pk=rid).exists()
    (aside,) = [n for n in _files(desk / "documents") if n.startswith(".before-restore-")]
    assert _files(desk / "documents" / aside) == documents
    assert problems() == []


def test_another_audit_key_is_refused_before_anything_changes(
    people: Any, desk: Path, settings: Any, capsys: Any
) -> None:
    archive = desk / "desk.tar.gz"
    assert main(["backup", str(archive)]) == 0
    _wipe(settings)
    settings.AUDIT_KEY = "not the key of the desk backed up"
    assert main(["restore", str(archive)]) == 2
    assert "does not verify with this audit key" in capsys.readouterr().err
    assert sum(_counts().values()) == 0
