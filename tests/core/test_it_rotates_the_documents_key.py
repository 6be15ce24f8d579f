"""The documents' keys rotate (docs/architecture.md, "Storage and security"): several keys,
newest first, the newest encrypting and any decrypting; `medreview keys rotate` puts a new key
on top of the key file and encrypts every stored document again under it, file by file, so
that it can be cut short and run again; `keys retire` leaves the newest key alone only when no
stored document needs another; keys set in the environment are never changed by medreview;
and a malformed key stops the start naming where it is, never what it is."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from webapp import EXAMPLE_NOTE, run_worker, send

from medreview.cli import main

DB = pytest.mark.django_db(transaction=True)
NOTES = {"note.txt": EXAMPLE_NOTE.encode(), "later.txt": EXAMPLE_NOTE.encode() + b"Seen again.\n"}


@pytest.fixture
def key_file(settings: Any, tmp_path: Path) -> Path:
    """The desk's key in a key file of its own (the database's patient fields are already
    encrypted under it), and the documents in a folder of their own: what a test rotates is
    its own, whatever other tests of the process store meanwhile."""
    path = tmp_path / "keys" / "documents.key"
    path.parent.mkdir(mode=0o700)
    path.write_text(settings.ENCRYPTION_KEYS[0] + "\n")
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    _restart(settings, path)
    return path


def _restart(settings: Any, path: Path) -> list[str]:
    """What a server started now reads: the key file's keys, newest first."""
    settings.ENCRYPTION_KEY_FILE = path
    settings.ENCRYPTION_KEYS = [k for k in path.read_text().splitlines() if k]
    return list(settings.ENCRYPTION_KEYS)


def _stored(people: Any) -> dict[str, bytes]:
    """A referral's records sent and read by the worker: {stored name: plain content}."""
    from medreview.records import storage
    from medreview.records.models import RecordFile

    assert send(people.token(people.adjuster_a), files=NOTES).status_code == 201
    run_worker()
    return {rf.stored_as: storage.load(rf.stored_as) for rf in RecordFile.objects.all()}


def _on_disk(settings: Any) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in Path(settings.DOCUMENTS_DIR).glob("*.bin")}


def _reads_with(settings: Any, keys: list[str], plain: dict[str, bytes]) -> bool:
    """Whether these keys alone open every stored document as it is on the disk (a server
    reads the key file as it is now, so its keys are not what is tried here)."""
    opener = MultiFernet([Fernet(key.encode()) for key in keys])
    stored = _on_disk(settings)
    return all(opener.decrypt(stored[name]) == content for name, content in plain.items())


@DB
def test_rotate_encrypts_every_document_again_under_a_new_key(
    people: Any, settings: Any, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from medreview.audit.models import AuditEvent

    plain = _stored(people)
    (old,) = _restart(settings, key_file)
    before = _on_disk(settings)

    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    assert "added a new key: 2 key(s), newest first" in out
    assert f"re-encrypted {len(plain)} file(s) under the newest key, 0 already" in out
    new, kept = _restart(settings, key_file)
    assert kept == old and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    after = _on_disk(settings)
    assert after.keys() == before.keys()
    assert all(after[name] != before[name] for name in before)
    assert _reads_with(settings, [new], plain)  # the new key alone opens every one
    with pytest.raises(InvalidToken):  # and the old key alone none
        _reads_with(settings, [old], plain)
    assert set(AuditEvent.objects.filter(chain="system").values_list("action", flat=True)) >= {
        "documents_key.added",
        "documents.reencrypted",
    }


@DB
def test_documents_under_an_old_key_still_read_and_retire_waits_for_them(
    people: Any, settings: Any, key_file: Path
) -> None:
    from medreview.claims.errors import ActionError
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.records import actions, storage

    plain = _stored(people)
    (old,) = _restart(settings, key_file)
    assert actions.do_rotate_documents_key(actor=COMMAND_LINE)[0] == 2
    # A server given its keys by the variable, still the old one, stores a document.
    settings.ENCRYPTION_KEY_FILE, settings.ENCRYPTION_KEYS = None, [old]
    late = storage.store(b"stored by a server not yet restarted")
    plain[late] = b"stored by a server not yet restarted"
    keys = _restart(settings, key_file)
    assert _reads_with(settings, keys, plain)
    with pytest.raises(ActionError, match="1 stored file\\(s\\) still need an old key"):
        actions.do_retire_old_keys(actor=COMMAND_LINE)
    assert key_file.read_text().count("\n") == 2  # nothing retired

    # A second rotation is harmless: a third key, every document under it, all still read.
    count, done = actions.do_rotate_documents_key(actor=COMMAND_LINE)
    assert (count, done.rotated, done.current, done.unreadable) == (3, len(plain), 0, [])
    keys = _restart(settings, key_file)
    assert len(keys) == 3 and keys[2] == old and _reads_with(settings, keys, plain)

    assert actions.do_retire_old_keys(actor=COMMAND_LINE) == 2
    assert _restart(settings, key_file) == keys[:1]
    assert _reads_with(settings, keys[:1], plain)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert actions.do_retire_old_keys(actor=COMMAND_LINE) == 0  # nothing left to retire


@DB
def test_a_rotation_cut_short_is_finished_by_running_it_again(
    people: Any,
    settings: Any,
    key_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from medreview.records import storage

    plain = _stored(people)
    written = storage._write
    calls: list[Path] = []

    def cut_after_the_first_document(path: Path, data: bytes) -> None:
        if path.suffix == ".bin":
            calls.append(path)
            if len(calls) == 2:
                raise KeyboardInterrupt
        written(path, data)

    monkeypatch.setattr(storage, "_write", cut_after_the_first_document)
    assert main(["keys", "rotate"]) == 130
    monkeypatch.setattr(storage, "_write", written)
    keys = _restart(settings, key_file)
    assert len(keys) == 2 and _reads_with(settings, keys, plain)  # half done, all readable

    capsys.readouterr()
    assert main(["keys", "reencrypt"]) == 0
    assert "re-encrypted 1 file(s) under the newest key, 1 already under it" in (
        capsys.readouterr().out
    )
    assert _reads_with(settings, keys[:1], plain)
    assert main(["keys", "retire"]) == 0 and _restart(settings, key_file) == keys[:1]


@DB
def test_keys_from_the_environment_are_never_rotated_by_medreview(
    people: Any, settings: Any, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _stored(people)
    settings.ENCRYPTION_KEY_FILE = None  # as read from MEDREVIEW_ENCRYPTION_KEY
    before = _on_disk(settings)
    assert main(["keys", "rotate"]) == 2
    err = capsys.readouterr().err
    assert "come from MEDREVIEW_ENCRYPTION_KEY, which medreview cannot change" in err
    assert "put a new key first in it" in err
    assert _on_disk(settings) == before and key_file.read_text().count("\n") == 1

    # The operator puts a new key first in the variable and restarts: the rest is medreview's.
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, *settings.ENCRYPTION_KEYS]
    assert main(["keys", "reencrypt"]) == 0
    assert f"re-encrypted {len(plain)} file(s)" in capsys.readouterr().out
    assert _reads_with(settings, [new], plain)


# Start-up: settings are read at import, so a bad key is tried in a process of its own.


def _start(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "MEDREVIEW_HOME": str(home), **env}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    for name in ("MEDREVIEW_ENCRYPTION_KEY", "MEDREVIEW_ENCRYPTION_KEY_FILE"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "medreview.cli", "audit", "verify"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_malformed_key_line_stops_the_start_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "documents.key"
    path.write_text(f"{Fernet.generate_key().decode()}\nnot-a-key-at-all\n")
    done = _start(tmp_path / "home", MEDREVIEW_ENCRYPTION_KEY_FILE=str(path))
    assert done.returncode == 2
    assert f"MEDREVIEW_ENCRYPTION_KEY_FILE={str(path)!r}, line 2: not a Fernet key" in done.stderr
    assert "not-a-key-at-all" not in done.stderr and "Traceback" not in done.stderr


def test_a_malformed_key_in_the_variable_stops_the_start_naming_its_place(
    tmp_path: Path,
) -> None:
    good = Fernet.generate_key().decode()
    done = _start(tmp_path / "home", MEDREVIEW_ENCRYPTION_KEY=f"{good},{good[:-4]}")
    assert done.returncode == 2
    assert "MEDREVIEW_ENCRYPTION_KEY, key 2 (of 2): not a Fernet key" in done.stderr
    assert good[:-4] not in done.stderr and "Traceback" not in done.stderr


def test_one_key_in_the_variable_still_works(tmp_path: Path) -> None:
    done = _start(tmp_path / "home", MEDREVIEW_ENCRYPTION_KEY=Fernet.generate_key().decode())
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stdout
