"""Documents encrypted at rest: each file is one Fernet token (AES-128-CBC with HMAC-SHA256)
under `MEDREVIEW_HOME/documents`, written whole or not at all. The keys are a setting
(`ENCRYPTION_KEYS`, newest first): the newest encrypts, any decrypts (cryptography's
MultiFernet), so that a key can be rotated (`medreview keys rotate`, docs/architecture.md,
"Storage and security"); plain text exists only in memory, and in a private temporary folder
while the records engine reads a case."""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from medreview import encryption
from medreview.core.config import fernet_keys


class StoredFileError(RuntimeError):
    pass


class DiskFullError(OSError):
    """No room left on the documents' disk (or the owner's quota spent): nothing was stored.
    An `OSError` still, with the error's number, for those who take any failed write alike."""


DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _root() -> Path:
    root = Path(settings.DOCUMENTS_DIR)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a `.part` file beside it, flushed to the disk, then
    renamed over it (an interrupted write leaves the file as it was). A write that fails
    removes its `.part`; a full disk raises `DiskFullError`."""
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)  # left by a write of the same file cut short
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            left = memoryview(data)
            while left:  # a full disk may first take part of a write, then refuse the rest
                left = left[os.write(fd, left) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        partial.replace(path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)  # half a file is no use, and takes the room left
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise DiskFullError(exc.errno, "the disk is full") from exc
        raise


def store(content: bytes) -> str:
    """Encrypt and store `content`; returns the stored name."""
    name = f"{uuid.uuid4().hex}.bin"
    _write(_root() / name, encryption.encrypt(content))
    return name


def load(name: str) -> bytes:
    try:
        token = (_root() / name).read_bytes()
    except FileNotFoundError as exc:
        raise StoredFileError("the stored file is missing") from exc
    try:
        return encryption.decrypt(token)
    except InvalidToken as exc:
        raise StoredFileError("the stored file cannot be decrypted with this key") from exc


def delete(name: str) -> None:
    (_root() / name).unlink(missing_ok=True)


# Rotation: a new key on top of the key file, then every stored file encrypted again under it.


def read_key_file(path: Path) -> list[str]:
    """The keys of a key file as it is now (not as the settings read it at start)."""
    return fernet_keys(path.read_text(), where=str(path), per_line=True)


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Replace the key file whole (mode 0600), and make the rename itself durable before any
    document is encrypted under a key it holds: a document under a key lost in a crash is
    lost with it."""
    target = path.resolve()  # a symbolic link stays one: the file it names is replaced
    _write(target, "".join(f"{key}\n" for key in keys).encode())
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def new_key() -> str:
    return Fernet.generate_key().decode()


@dataclass
class Rotation:
    """What re-encrypting the stored files did: files encrypted again under the newest key,
    files already under it (left as they are), and files no key opens (named, left alone)."""

    rotated: int = 0
    current: int = 0
    unreadable: list[str] = field(default_factory=list)
    # The patient fields of the database (`claims.fields`): rows written again, values no
    # key opens.
    rows_resealed: int = 0
    fields_unreadable: int = 0


def stored_names() -> list[str]:
    """Every stored file (not the `.part` of a write cut short)."""
    return sorted(path.name for path in _root().glob("*.bin"))


def reencrypt(keys: Sequence[str]) -> Rotation:
    """Encrypt every stored file again under the newest of `keys`, one file at a time, each
    written whole: interrupted, it is run again, and what is done already is skipped."""
    newest, every = Fernet(keys[0].encode()), encryption.fernet(tuple(keys))
    done = Rotation()
    for name in stored_names():
        token = _read(name)
        if token is None:
            continue
        if _opens(newest, token):
            done.current += 1
            continue
        try:
            rotated = every.rotate(token)
        except InvalidToken:
            done.unreadable.append(name)
            continue
        _write(_root() / name, rotated)
        done.rotated += 1
    return done


def needing_old_keys(newest_key: str) -> list[str]:
    """The stored files the newest key alone does not open: what retiring the others would
    lose."""
    newest = Fernet(newest_key.encode())
    found = []
    for name in stored_names():
        token = _read(name)
        if token is not None and not _opens(newest, token):
            found.append(name)
    return found


def _read(name: str) -> bytes | None:
    try:
        return (_root() / name).read_bytes()
    except FileNotFoundError:  # deleted since the folder was listed: nothing to lose
        return None


def _opens(fernet: Fernet, token: bytes) -> bool:
    try:
        fernet.decrypt(token)
    except InvalidToken:
        return False
    return True
