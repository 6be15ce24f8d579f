"""Patient data encrypted at rest: the documents' keys as they are now, and the fields of the
database that hold patient data (the referral as sent, the triage of its records, the
claimant's name, the physician's and client's own words on a review, the audit trail's
details).

Each field value is stored as `enc1:` and a Fernet token under the documents' keys (newest
first: the newest encrypts, any decrypts). The keys are the key file's as it is now
(`current_keys`: read again when `medreview keys rotate` changes it, so that a running server
follows a rotation), else `settings.ENCRYPTION_KEYS`. Whoever reads the
database alone (a copy, a backup of it, a stolen disk) reads no patient's name or record.

A value is decrypted when a row is read and encrypted when it is written, so the code above
uses plain strings and dicts. What SQL cannot do on a ciphertext is done otherwise: the work
queue's search by claimant matches keyed tokens of the name's word prefixes
(`search_tokens`, keyed with the audit key), and its sort by claimant is made in Python.

A value stored before encryption (no `enc1:` prefix) is read as it is, so that the migration
that encrypts existing rows can read them.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac

from medreview.core.config import ConfigError, fernet_keys

PREFIX = "enc1:"


class UnreadableField(RuntimeError):
    """A stored value no key of this desk decrypts (a key missing, or the value damaged)."""


@lru_cache(maxsize=4)
def fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


# The key file as last read: (its stamp, its keys), replaced whole, so that a thread never
# reads one file's stamp with another's keys.
_read: dict[str, tuple[Any, tuple[str, ...]]] = {}


def current_keys(*, fresh: bool = False) -> tuple[str, ...]:
    """The documents' keys, newest first: the key file's as it is now (read again whenever it
    changes, or `fresh`), or the variable's, read at start. A key file that cannot be read
    now leaves the keys read last."""
    path = settings.ENCRYPTION_KEY_FILE
    started = tuple(settings.ENCRYPTION_KEYS)
    if path is None:
        return started
    last = _read.get("file")
    try:
        seen = os.stat(path)
        stamp = (str(path), seen.st_mtime_ns, seen.st_size, started)
        if fresh or last is None or last[0] != stamp:
            keys = fernet_keys(Path(path).read_text(), where=str(path), per_line=True)
            last = _read["file"] = (stamp, tuple(keys))
    except (OSError, ConfigError):
        return last[1] if last is not None else started
    return last[1]


def _current() -> MultiFernet:
    return fernet(current_keys())


def encrypt(data: bytes) -> bytes:
    """A Fernet token of `data` under the newest key (a stored file, a field's value)."""
    return _current().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """What a token holds, under any of the keys; raises `InvalidToken` when none opens it,
    even with the key file read again, whatever its stamp says."""
    try:
        return _current().decrypt(token)
    except InvalidToken:
        return fernet(current_keys(fresh=True)).decrypt(token)


def seal(text: str) -> str:
    return PREFIX + encrypt(text.encode()).decode()


def unseal(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption: read as it is
    try:
        return decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise UnreadableField("a patient field cannot be decrypted with this desk's keys") from None


def sealed_under(stored: str | None, newest_key: str) -> bool:
    """Whether a stored value opens with `newest_key` alone (or holds nothing to open)."""
    if not stored or not stored.startswith(PREFIX):
        return not stored
    try:
        Fernet(newest_key.encode()).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest. Never filter or sort on it in SQL: the database holds tokens."""

    if TYPE_CHECKING:  # a model's attribute reads and takes the value itself, as Django's do

        def __get__(self, instance: Any, owner: Any) -> Any: ...

        def __set__(self, instance: Any, value: Any) -> None: ...

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else self._load(unseal(value))

    def to_python(self, value: Any) -> Any:
        # A restored backup gives the stored token; a form gives the value itself.
        if isinstance(value, str) and value.startswith(PREFIX):
            return self._load(unseal(value))
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return seal(self._dump(value))

    def value_to_string(self, obj: Any) -> Any:
        # What a serializer writes (`medreview backup`): the token, never the clear text.
        value = self.value_from_object(obj)
        return None if value is None else seal(self._dump(value))

    def _dump(self, value: Any) -> str:
        return str(value)

    def _load(self, text: str) -> Any:
        return text


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dicts, lists) encrypted at rest."""

    def _dump(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))

    def _load(self, text: str) -> Any:
        return json.loads(text)


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(folded)


def _token(prefix: str) -> str:
    # Keyed with the audit key: kept outside the database, and the same after a restore.
    made = salted_hmac("medreview.search-tokens", prefix, secret=settings.AUDIT_KEY)
    return made.hexdigest()[:16]


def search_tokens(text: str) -> str:
    """Keyed tokens of every prefix (2 letters or more) of every word of `text`: a search for
    the start of a word finds it, and the database learns no letter of it."""
    found = {_token(word[:n]) for word in _words(text) for n in range(2, len(word) + 1)}
    return " ".join(sorted(found))


def query_tokens(query: str) -> list[str]:
    """The tokens a search for `query` looks for, one a word (case and accents aside); words
    of one letter are too short to look for."""
    return [_token(word) for word in _words(query) if len(word) >= 2]


def encrypt_rows(model: Any, names: list[str], *, derived: Any = None) -> None:
    """Encrypt the named fields of every row written before they were encrypted (the
    migrations that introduced them): each value is read as it is and written back sealed,
    with the columns `derived(row)` gives (the claimant's search tokens, say)."""
    for row in model.objects.all().iterator(chunk_size=200):
        values = {name: getattr(row, name) for name in names}
        model.objects.filter(pk=row.pk).update(**values, **(derived(row) if derived else {}))


def _encrypted_fields() -> list[tuple[Any, list[str]]]:
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def _raw_rows(model: Any, names: list[str]) -> Iterator[tuple[Any, ...]]:
    """(pk, stored value of each field): the tokens as stored, not decrypted."""
    raw = {f"_stored_{n}": Cast(n, models.TextField()) for n in names}
    rows = model._base_manager.annotate(**raw).values_list("pk", *raw).order_by("pk")
    yield from rows.iterator(chunk_size=500)


def reseal(keys: Sequence[str]) -> tuple[int, int]:
    """Encrypt again under the newest of `keys` every patient field not under it (`medreview
    keys rotate`): (rows written, values no key opens, left as they are)."""
    every = MultiFernet([Fernet(k.encode()) for k in keys])
    written = unreadable = 0
    for model, names in _encrypted_fields():
        for pk, *stored in _raw_rows(model, names):
            changes = {}
            for name, value in zip(names, stored, strict=True):
                if sealed_under(value, keys[0]) or not value.startswith(PREFIX):
                    continue
                try:
                    token = every.rotate(value[len(PREFIX) :].encode()).decode()
                except InvalidToken:
                    unreadable += 1
                    continue
                # Written as it is (an expression skips the field's own encryption).
                changes[name] = Value(PREFIX + token, output_field=models.TextField())
            if changes:
                model._base_manager.filter(pk=pk).update(**changes)
                written += 1
    return written, unreadable


def needing_old_keys(newest_key: str) -> int:
    """How many stored patient field values the newest key alone does not open."""
    return sum(
        1
        for model, names in _encrypted_fields()
        for _, *stored in _raw_rows(model, names)
        for value in stored
        if not sealed_under(value, newest_key)
    )


def decrypt_rows(model: Any, names: list[str]) -> None:
    """Write the named fields back in clear (undoing `encrypt_rows`, to migrate back): each
    value as its field writes it, as an expression, which skips the field's encryption."""
    for row in model.objects.all().iterator(chunk_size=200):
        values = {}
        for name in names:
            value = getattr(row, name)
            field = model._meta.get_field(name)
            text = None if value is None else field._dump(value)
            values[name] = Value(text, output_field=models.TextField())
        model.objects.filter(pk=row.pk).update(**values)


def migration_steps(
    app_label: str, fields: dict[str, list[str]], *, derived: Any = None
) -> tuple[Any, Any]:
    """The two steps of a migration that encrypts fields (`migrations.RunPython(*steps)`):
    each model's named fields encrypted going forward (with the columns `derived(row)` gives),
    written back in clear going back."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for model, names in fields.items():
            encrypt_rows(apps.get_model(app_label, model), names, derived=derived)

    def backward(apps: Any, schema_editor: Any) -> None:
        for model, names in fields.items():
            decrypt_rows(apps.get_model(app_label, model), names)

    return forward, backward
