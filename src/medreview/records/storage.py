"""Documents encrypted at rest: each file is one Fernet token (AES-128-CBC with HMAC-SHA256)
under `MEDREVIEW_HOME/documents`, written whole or not at all. The key is a setting
(`ENCRYPTION_KEY`); plain text exists only in memory, and in a private temporary folder while
the records engine reads a case."""

from __future__ import annotations

import os
import uuid
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class StoredFileError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def _root() -> Path:
    root = Path(settings.DOCUMENTS_DIR)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def store(content: bytes) -> str:
    """Encrypt and store `content`; returns the stored name."""
    name = f"{uuid.uuid4().hex}.bin"
    path = _root() / name
    partial = path.with_suffix(".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(_fernet(settings.ENCRYPTION_KEY).encrypt(content))
        f.flush()
        os.fsync(f.fileno())
    partial.replace(path)
    return name


def load(name: str) -> bytes:
    try:
        token = (_root() / name).read_bytes()
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token)
    except FileNotFoundError as exc:
        raise StoredFileError("the stored file is missing") from exc
    except InvalidToken as exc:
        raise StoredFileError("the stored file cannot be decrypted with this key") from exc


def delete(name: str) -> None:
    (_root() / name).unlink(missing_ok=True)
