"""When the server's disk is full (or the documents' quota spent), a referral sent through the
API or the form is refused with 507 and says so in words ("the server's disk is full: the
referral was not saved; try again later"), and nothing half-made is left: no referral, no
record file, no stored document or `.part` of one, no audit event. Sent again once there is
room, it goes through.

A disk cannot be filled safely in a test: the write system calls into the documents' folder
fail as a full disk makes them fail, part-way through a file."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from test_it_keeps_the_files_of_a_refused_referral_form import _fields
from webapp import EXAMPLE_NOTE, login, send

from medreview.audit.models import AuditEvent
from medreview.claims.models import Referral
from medreview.records.models import PendingUpload, RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
FULL = "the server's disk is full: the referral was not saved; try again later"


@pytest.fixture
def documents(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "documents"
    settings.DOCUMENTS_DIR = folder
    return folder


def _in(folder: Path, fd: int) -> bool:
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}")).parent == folder.resolve()
    except OSError:
        return False


def _disk_full(
    monkeypatch: pytest.MonkeyPatch, folder: Path, *, code: int, call: str, room: int
) -> None:
    """The documents' folder as a disk of `room` bytes: `call` fails with `code` once it is
    full. A `write` that does not fit writes what fits first (a short write, as the kernel's);
    an `fsync` fails when what was written does not fit (as with delayed allocation)."""
    real_write, real_fsync = os.write, os.fsync

    def used() -> int:
        return sum(p.stat().st_size for p in folder.iterdir())

    def write(fd: int, data: Any) -> int:
        if call == "write" and _in(folder, fd):
            free = room - used()
            if free <= 0:
                _raise(code)
            data = bytes(data)[:free]
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        if call == "fsync" and _in(folder, fd) and used() > room:
            _raise(code)
        real_fsync(fd)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)


def _raise(code: int) -> None:
    raise OSError(code, os.strerror(code))


def _nothing_left(folder: Path) -> None:
    assert not Referral.objects.exists()
    assert not RecordFile.objects.exists()
    assert not PendingUpload.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.received").exists()
    assert not folder.exists() or not list(folder.iterdir())


FAULTS = [
    pytest.param(errno.ENOSPC, "write", id="disk-full-on-write"),
    pytest.param(errno.EDQUOT, "write", id="quota-spent-on-write"),
    pytest.param(errno.ENOSPC, "fsync", id="disk-full-on-flush"),
]


@pytest.mark.parametrize(("code", "call"), FAULTS)
def test_the_api_answers_507_and_keeps_nothing_of_the_referral(
    people: Any, documents: Path, monkeypatch: pytest.MonkeyPatch, code: int, call: str
) -> None:
    token = people.token(people.adjuster_a)
    big = EXAMPLE_NOTE.encode() * 50
    # The first file fits whole, the second does not: the first is not kept either.
    _disk_full(monkeypatch, documents, code=code, call=call, room=len(big) * 3 // 2)
    answer = send(token, files={"first.txt": big, "second.txt": big})
    assert answer.status_code == 507, answer.content
    assert answer.json() == {"detail": FULL}
    _nothing_left(documents)
    monkeypatch.undo()
    again = send(token, files={"first.txt": big, "second.txt": big})
    assert again.status_code == 201, again.content
    assert len(list(documents.glob("*.bin"))) == 2 and not list(documents.glob("*.part"))


def test_the_form_answers_507_in_words_and_keeps_nothing(
    people: Any, documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full(monkeypatch, documents, code=errno.ENOSPC, call="fsync", room=10)
    records = [SimpleUploadedFile("note.txt", EXAMPLE_NOTE.encode())]
    answer = login(people.adjuster_a).post("/referrals/new/", _fields(records=records))
    assert answer.status_code == 507
    page = answer.content.decode()
    assert "the server&#x27;s disk is full: the referral was not saved; try again later" in page
    assert "Traceback" not in page
    _nothing_left(documents)


def test_a_full_disk_under_the_audit_checkpoints_loses_no_referral(
    people: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkpoint is written after the commit: it lags, the referral stands, and no piece
    of a checkpoint is left to be taken for one."""
    folder = Path(settings.AUDIT_CHECKPOINTS_DIR)
    real = Path.write_text

    def write_text(path: Path, text: str, *args: Any, **kwargs: Any) -> int:
        if path.parent == folder:
            real(path, text[: len(text) // 2])
            _raise(errno.ENOSPC)
        return real(path, text, *args, **kwargs)

    token = people.token(people.adjuster_a)
    monkeypatch.setattr(Path, "write_text", write_text)
    answer = send(token)
    assert answer.status_code == 201, answer.content
    assert Referral.objects.filter(pk=answer.json()["id"]).exists()
    assert not list(folder.glob("*.part"))
