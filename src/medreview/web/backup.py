"""`medreview backup FILE` and `medreview restore FILE` (docs/command-line.md, "Backup and
restore"): the whole desk in one archive, and back.

The archive is a `.tar.gz` of four parts: `database.json` (every row of medreview's apps and of
Django's groups, through Django's serializers, so that it works alike on SQLite and PostgreSQL
with no engine tool installed), `documents/` (the record files and reports exactly as stored,
still encrypted), `audit_heads/` (the audit trail's checkpoints) and `manifest.json` (the
version, the migrations, the rows per model and the sha256 of every other member). The keys
are never in it: whoever holds the archive without them can read neither the documents nor
forge the audit trail, and a restore needs the same encryption and audit keys put back apart.

A restore checks the whole archive against its manifest before changing anything, loads the
database in one transaction, moves the files in at the end of that transaction (moved back if
it fails), then verifies every audit chain and decrypts every stored file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import medreview
from medreview.audit.actions import problems, record
from medreview.audit.models import AuditEvent
from medreview.claims.permissions import COMMAND_LINE
from medreview.records import storage

FORMAT = "medreview-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
DOCUMENTS = "documents"
CHECKPOINTS = "audit_heads"
KEYS_NOT_INCLUDED = (
    "not in the archive: the keys (encryption_key, audit_key, secret_key). Keep them apart:"
    " a restore needs the same encryption and audit keys"
)
# Rows that are not the desk's own: made again by `migrate` (permissions; content types are
# a whole app left out), or passing state: sign-in sessions, lockout counters and the task
# queue (`serve` queues again the reading of every referral not yet triaged).
_NOT_DATA = {"auth.permission"}
_CHUNK = 500
_MEMBER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class BackupError(Exception):
    """A backup or a restore refused, with a message for the person; nothing was changed."""


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    counts: dict[str, int]
    documents: int
    checkpoints: int
    missing: list[str]  # stored files the database names that were not found


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    documents: int
    checkpoints: int
    set_aside: list[Path]
    stored: int  # stored files the database names, each decrypted once restored
    problems: list[str] = field(default_factory=list)  # audit chains not whole
    unreadable: list[str] = field(default_factory=list)  # stored files that do not decrypt
    miscounted: list[str] = field(default_factory=list)  # models whose rows differ

    @property
    def whole(self) -> bool:
        return not (self.problems or self.unreadable or self.miscounted)


# --- what is kept --------------------------------------------------------------------------


def data_models() -> list[type[models.Model]]:
    """The models whose rows are the desk's data, those referred to by natural key first."""
    configs = [
        c for c in apps.get_app_configs() if c.name.startswith("medreview.") or c.label == "auth"
    ]
    ordered = serializers.sort_dependencies([(c, None) for c in configs], allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in _NOT_DATA
    ]


def _stored_file_models(kept: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    # Every model that names a file of `records.storage` does so in a `stored_as` field.
    return [m for m in kept if any(f.name == "stored_as" for f in m._meta.get_fields())]


def _migrations(labels: set[str]) -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied if app in labels)


def _counts(kept: Iterable[type[models.Model]]) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in kept}


# --- backup --------------------------------------------------------------------------------


class _Exact(DjangoJSONEncoder):
    """Times to the microsecond: DjangoJSONEncoder cuts them to the millisecond, and the audit
    trail's hashes cover each event's time whole."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | clock_time):
            return o.isoformat()
        return super().default(o)


class _Hashing:
    """A file read through, its sha256 taken on the way (tarfile reads members in chunks)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        return chunk


def backup(target: Path) -> Written:
    """Write the whole desk to `target`, whole or not at all (a hidden `.part` file renamed)."""
    if target.exists():
        raise BackupError(f"{target} exists already: give a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder")
    kept = data_models()
    # The checkpoints first, the database after, the documents last: a checkpoint may lag the
    # database but never lead it (audit.checkpoints), and every row naming a document was
    # committed after its file was written whole.
    heads = _read_checkpoints()
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    members: dict[str, dict[str, Any]] = {}
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                counts, stored = _add_database(tar, kept, members, partial)
                missing = _add_documents(tar, stored, members)
                for name, content in heads.items():
                    _add_bytes(tar, f"{CHECKPOINTS}/{name}", content, members)
                manifest = _manifest(kept, counts, members)
                _add_bytes(tar, MANIFEST, _json_bytes(manifest), {})
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    documents = sum(1 for n in members if n.startswith(f"{DOCUMENTS}/"))
    return Written(target, target.stat().st_size, counts, documents, len(heads), missing)


def _read_checkpoints() -> dict[str, bytes]:
    folder = Path(settings.AUDIT_CHECKPOINTS_DIR)
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json")) if p.is_file()}


def _add_database(
    tar: tarfile.TarFile,
    kept: list[type[models.Model]],
    members: dict[str, dict[str, Any]],
    beside: Path,
) -> tuple[dict[str, int], set[str]]:
    """The rows of every kept model, read in one transaction: one moment of the database.
    Returns the rows per model and the stored files they name."""
    dump = beside.with_name(f"{beside.name}.{DATABASE}")
    try:
        fd = os.open(dump, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out, _snapshot():
            counts = _dump(out, kept)
            stored = {
                str(name)
                for m in _stored_file_models(kept)
                for name in m._base_manager.values_list("stored_as", flat=True)
            }
        with dump.open("rb") as f:
            _add_file(tar, DATABASE, f, dump.stat().st_size, members)
    finally:
        dump.unlink(missing_ok=True)
    return counts, stored


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction that sees one moment: REPEATABLE READ on PostgreSQL; on SQLite the
    transaction itself (writers wait for it, up to the 30 seconds they allow)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _dump(out: IO[str], kept: list[type[models.Model]]) -> dict[str, int]:
    """One JSON list, as Django's `dumpdata --natural-foreign` writes it, but with times to
    the microsecond (`_Exact`); written in chunks, never the whole table in memory."""
    counts: dict[str, int] = {}
    out.write("[")
    first = True
    for model in kept:
        rows = model._base_manager.order_by("pk").iterator(chunk_size=_CHUNK)
        counts[model._meta.label_lower] = 0
        while chunk := list(itertools.islice(rows, _CHUNK)):
            for item in serializers.serialize("python", chunk, use_natural_foreign_keys=True):
                out.write("\n" if first else ",\n")
                out.write(json.dumps(item, cls=_Exact, ensure_ascii=False))
                first = False
            counts[model._meta.label_lower] += len(chunk)
    out.write("\n]\n")
    return counts


def _add_documents(
    tar: tarfile.TarFile, stored: set[str], members: dict[str, dict[str, Any]]
) -> list[str]:
    """The stored files the database names, as stored (encrypted); those not found are
    returned by their stored name (a random name, no patient data)."""
    root = Path(settings.DOCUMENTS_DIR)
    missing = []
    for name in sorted(stored):
        path = root / name
        try:
            f = path.open("rb")
        except FileNotFoundError:
            missing.append(name)
            continue
        with f:
            _add_file(tar, f"{DOCUMENTS}/{name}", f, os.fstat(f.fileno()).st_size, members)
    return missing


def _add_file(
    tar: tarfile.TarFile,
    name: str,
    f: IO[bytes],
    size: int,
    members: dict[str, dict[str, Any]],
) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    reader = _Hashing(f)
    tar.addfile(info, reader)  # type: ignore[arg-type]  # tarfile only calls read()
    members[name] = {"sha256": reader.digest.hexdigest(), "size": size}


def _add_bytes(
    tar: tarfile.TarFile, name: str, content: bytes, members: dict[str, dict[str, Any]]
) -> None:
    _add_file(tar, name, io.BytesIO(content), len(content), members)


def _manifest(
    kept: list[type[models.Model]], counts: dict[str, int], members: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "medreview_version": medreview.__version__,
        "created": timezone.now().isoformat(),
        "database_engine": connection.vendor,
        "migrations": _migrations({m._meta.app_label for m in kept}),
        "counts": counts,
        "members": members,
        "keys": KEYS_NOT_INCLUDED,
    }


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, indent=1, sort_keys=True).encode()


# --- restore: reading the archive ----------------------------------------------------------


@dataclass
class _Staged:
    """The archive unpacked and checked, beside where its parts go, before anything moves."""

    work: Path  # database.json, in a private folder of MEDREVIEW_HOME
    documents: Path  # DOCUMENTS_DIR/.restore-<stamp>
    checkpoints: Path  # AUDIT_CHECKPOINTS_DIR/.restore-<stamp>
    manifest: dict[str, Any] = field(default_factory=dict)

    def folder_of(self, part: str) -> Path:
        return self.documents if part == DOCUMENTS else self.checkpoints

    def remove(self) -> None:
        for folder in (self.work, self.documents, self.checkpoints):
            shutil.rmtree(folder, ignore_errors=True)


def _stage(stamp: str) -> _Staged:
    documents = Path(settings.DOCUMENTS_DIR)
    checkpoints = Path(settings.AUDIT_CHECKPOINTS_DIR)
    for folder in (documents, checkpoints):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Staged inside the folders they go to, so that moving them in is a rename on one disk
    # even when a folder is a mount point of its own.
    staged = _Staged(
        work=Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.HOME)),
        documents=documents / f".restore-{stamp}",
        checkpoints=checkpoints / f".restore-{stamp}",
    )
    staged.documents.mkdir(mode=0o700)
    staged.checkpoints.mkdir(mode=0o700)
    return staged


def _unpack(archive: Path, staged: _Staged) -> None:
    """Every member written to its staging folder with its sha256, then checked against the
    manifest: a member missing, added, changed, or an archive cut short is refused."""
    found: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    try:
        with gzip.open(archive, "rb") as gz:
            with tarfile.open(fileobj=gz, mode="r|") as tar:
                for member in tar:
                    if member.name in found or (member.name == MANIFEST and manifest_bytes):
                        raise BackupError(f"{archive}: {member.name} is in it twice")
                    source = tar.extractfile(member) if member.isreg() else None
                    if source is None:
                        raise BackupError(f"{archive}: {member.name} is not a plain file")
                    if member.name == MANIFEST:
                        manifest_bytes = source.read()
                        continue
                    found[member.name] = _write_member(
                        source, _destination(archive, member, staged)
                    )
            # The tar's end is not the file's: read on to the gzip trailer, whose CRC and
            # length catch a cut or a changed byte the members' hashes would not reach.
            while gz.read(1 << 20):
                pass
    except FileNotFoundError as exc:
        raise BackupError(f"{archive}: no such file") from exc
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            f"{archive}: not a whole medreview backup, truncated or corrupted"
            f" ({type(exc).__name__}: {exc})"
        ) from exc
    except OSError as exc:
        raise BackupError(f"{archive}: cannot be read or unpacked ({exc.strerror})") from exc
    staged.manifest = _check_manifest(archive, manifest_bytes, found)


def _destination(archive: Path, member: tarfile.TarInfo, staged: _Staged) -> Path:
    if member.name == DATABASE:
        return staged.work / DATABASE
    part, _, name = member.name.partition("/")
    if part in (DOCUMENTS, CHECKPOINTS) and _MEMBER_NAME.fullmatch(name):
        return staged.folder_of(part) / name
    raise BackupError(f"{archive}: {member.name!r} is not part of a medreview backup")


def _write_member(source: IO[bytes], path: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _check_manifest(archive: Path, raw: bytes, found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if not raw:
        raise BackupError(f"{archive}: no {MANIFEST}, so not a medreview backup")
    try:
        manifest = json.loads(raw)
        listed = dict(manifest["members"])
        if manifest["format"] != FORMAT:
            raise ValueError("format")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{archive}: {MANIFEST} is damaged") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive}: backup format {manifest.get('format_version')!r}; this medreview"
            f" ({medreview.__version__}) restores format {FORMAT_VERSION}"
        )
    for name in sorted(set(listed) | set(found) | {DATABASE}):
        if name not in found:
            raise BackupError(f"{archive}: the manifest lists {name}, which the archive lacks")
        if name not in listed:
            raise BackupError(f"{archive}: {name} is not in the manifest")
        if found[name] != listed[name]:
            raise BackupError(
                f"{archive}: {name} does not match the manifest's sha256 (changed or damaged)"
            )
    return dict(manifest)


# --- restore: checks before any change ------------------------------------------------------


def _check_migrations(manifest: dict[str, Any], kept: list[type[models.Model]]) -> None:
    """The archive's schema is this code's: its rows are loaded into these models as they are.
    A backup of another version is restored by that version, then upgraded."""
    here = set(_migrations({m._meta.app_label for m in kept}))
    there = set(manifest.get("migrations", []))
    if here != there:
        unknown, lacking = sorted(there - here), sorted(here - there)
        said = (
            f"migrations unknown here: {', '.join(unknown)}"
            if unknown
            else f"migrations it lacks: {', '.join(lacking)}"
        )
        raise BackupError(
            f"the backup was made by medreview {manifest.get('medreview_version')} with another"
            f" database schema ({said}): restore it with that version, then upgrade"
        )


def _occupied() -> list[str]:
    """What already holds a desk here: tables with rows (bar the content types and
    permissions `migrate` makes), and files in the documents and checkpoints folders."""
    skip = {
        apps.get_model("contenttypes", "ContentType")._meta.db_table,
        apps.get_model("auth", "Permission")._meta.db_table,
    }
    found = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table in skip:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                found.append(f"table {table}")
    for folder in (Path(settings.DOCUMENTS_DIR), Path(settings.AUDIT_CHECKPOINTS_DIR)):
        if _files_in(folder):
            found.append(f"folder {folder}")
    return found


def _files_in(folder: Path) -> list[Path]:
    # Hidden entries are a restore's own: its staging, the folders a forced one set aside.
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _check_keys(staged: _Staged) -> None:
    """The keys here are the backed-up desk's: refused when not one stored file decrypts, or
    not one audit event's hash matches (one broken file or event is the archive's own fault,
    and is reported after the restore)."""
    # Read through `records.storage` itself, whatever keys it holds: the staging folder is
    # inside the documents folder, so a staged file is a stored name of its own.
    sample = sorted(staged.documents.iterdir())[:3]

    def opens(path: Path) -> bool:
        try:
            storage.load(f"{staged.documents.name}/{path.name}")
        except storage.StoredFileError:
            return False
        return True

    if sample and not any(opens(p) for p in sample):
        raise BackupError(
            "the archive's documents do not decrypt with this desk's encryption key: put the"
            " backed-up desk's key in place (MEDREVIEW_HOME/encryption_key,"
            " MEDREVIEW_ENCRYPTION_KEY or MEDREVIEW_ENCRYPTION_KEY_FILE), then restore again"
        )
    events = list(_audit_events(staged.work / DATABASE))
    if events and not any(e.compute_hash() == e.hash for e in events):
        raise BackupError(
            "the archive's audit trail does not verify with this audit key: put the backed-up"
            " desk's key in place (MEDREVIEW_HOME/audit_key, MEDREVIEW_AUDIT_KEY or"
            " MEDREVIEW_AUDIT_KEY_FILE), then restore again"
        )


def _audit_events(dump: Path) -> Iterator[Any]:
    rows = [r for r in _read_dump(dump) if r.get("model") == "audit.auditevent"]
    for item in serializers.deserialize("python", rows):
        yield item.object


def _read_dump(dump: Path) -> list[dict[str, Any]]:
    try:
        rows = json.loads(dump.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{DATABASE} in the archive is not readable JSON") from exc
    if not isinstance(rows, list):
        raise BackupError(f"{DATABASE} in the archive is not a list of rows")
    return rows


# --- restore: the change, all or nothing ----------------------------------------------------


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Restore the desk of `archive` into this one (which must hold nothing, unless `force`),
    then verify it. Refused with a `BackupError`, nothing changed, when the archive is not
    whole, its schema is not this code's, the keys are not the backed-up desk's, or this desk
    is not empty."""
    kept = data_models()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    staged = _stage(stamp)
    try:
        _unpack(archive, staged)
        _check_migrations(staged.manifest, kept)
        if not force and (held := _occupied()):
            raise BackupError(
                f"this desk is not empty ({'; '.join(held[:3])}"
                f"{'; …' if len(held) > 3 else ''}): restore into an empty one, or give"
                " --force to replace it (back it up first)"
            )
        _check_keys(staged)
        set_aside = _replace(staged, kept, stamp)
    finally:
        staged.remove()
    return _verify(staged.manifest, kept, set_aside)


def _replace(staged: _Staged, kept: list[type[models.Model]], stamp: str) -> list[Path]:
    """The database emptied and loaded in one transaction; the files moved in as its last
    step, and moved back if the transaction does not commit."""
    moves = _Moves()
    try:
        with transaction.atomic():
            _empty_database()
            _load(staged.work / DATABASE, kept)
            for folder, staging in (
                (Path(settings.DOCUMENTS_DIR), staged.documents),
                (Path(settings.AUDIT_CHECKPOINTS_DIR), staged.checkpoints),
            ):
                moves.put_in_place(staging, folder, stamp)
    except BaseException:
        moves.undo()
        raise
    return moves.set_aside


def _empty_database() -> None:
    """Every table but the migrations, content types and permissions: with --force, sessions
    and the task queue of the desk replaced go too (a session of its user 5 is not the
    restored desk's user 5)."""
    skip = {
        apps.get_model("contenttypes", "ContentType")._meta.db_table,
        apps.get_model("auth", "Permission")._meta.db_table,
    }
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in skip
    ]
    for sql in connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _load(dump: Path, kept: list[type[models.Model]]) -> None:
    """As Django's `loaddata` loads a fixture: references to rows further on resolved at the
    end, the foreign keys checked once all is in, the id sequences moved past the ids
    loaded."""
    rows = _read_dump(dump)
    try:
        with connection.constraint_checks_disabled():
            later = []
            for item in serializers.deserialize("python", rows, handle_forward_references=True):
                item.save()
                if item.deferred_fields:
                    later.append(item)
            for item in later:
                item.save_deferred_fields()
        connection.check_constraints(table_names=[m._meta.db_table for m in kept])
    except Exception as exc:
        # The message may quote a value of a row: the type only, as everywhere in the logs.
        raise BackupError(
            f"{DATABASE} in the archive does not load ({type(exc).__name__}); nothing was restored"
        ) from exc
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), kept):
            cursor.execute(sql)


class _Moves:
    """Files moved into a folder, and the folder's earlier files set aside in a hidden folder
    of its own (kept: the operator deletes it), all undone on failure."""

    def __init__(self) -> None:
        self.done: list[tuple[Path, Path]] = []  # (from, to), in order
        self.set_aside: list[Path] = []

    def put_in_place(self, staging: Path, folder: Path, stamp: str) -> None:
        earlier = _files_in(folder)
        if earlier:
            aside = folder / f".before-restore-{stamp}"
            aside.mkdir(mode=0o700)
            self.set_aside.append(aside)
            for path in earlier:
                self._move(path, aside / path.name)
        for path in sorted(staging.iterdir()):
            self._move(path, folder / path.name)

    def _move(self, source: Path, target: Path) -> None:
        source.rename(target)
        self.done.append((source, target))

    def undo(self) -> None:
        for source, target in reversed(self.done):
            target.rename(source)
        for aside in self.set_aside:
            aside.rmdir()
        self.set_aside = []


# --- restore: verification ------------------------------------------------------------------


def _verify(
    manifest: dict[str, Any], kept: list[type[models.Model]], set_aside: list[Path]
) -> Restored:
    counts = _counts(kept)
    expected = manifest.get("counts", {})
    miscounted = [
        f"{label}: {counts.get(label, 0)} rows, the backup had {n}"
        for label, n in sorted(expected.items())
        if counts.get(label, 0) != n
    ]
    unreadable, stored = [], 0
    for model in _stored_file_models(kept):
        for pk, name in model._base_manager.values_list("pk", "stored_as"):
            stored += 1
            try:
                storage.load(name)
            except storage.StoredFileError as exc:
                unreadable.append(f"{model._meta.label_lower} {pk} ({name}): {exc}")
    members = manifest.get("members", {})
    return Restored(
        manifest=manifest,
        counts=counts,
        documents=sum(1 for n in members if n.startswith(f"{DOCUMENTS}/")),
        checkpoints=sum(1 for n in members if n.startswith(f"{CHECKPOINTS}/")),
        set_aside=set_aside,
        stored=stored,
        problems=problems(),
        unreadable=unreadable,
        miscounted=miscounted,
    )


# --- the commands ----------------------------------------------------------------------------


def run_command(command: str, path: Path, *, force: bool = False) -> int:
    """`medreview backup FILE` and `medreview restore FILE [--force]`: what was written or
    restored on stdout, in counts and stored names only (no patient data); exit 2 when
    refused, nothing changed; 1 when done but not whole (a stored file missing or unreadable,
    a chain that does not verify)."""
    try:
        if command == "backup":
            written = backup(path)
            _log("desk.backed_up", {"archive": path.name, "documents": written.documents})
            return _print_backup(written)
        restored = restore(path, force=force)
        _log("desk.restored", {"archive": path.name, "whole": restored.whole})
        return _print_restore(path, restored)
    except BackupError as exc:
        print(f"medreview: {command}: {exc}", file=sys.stderr)
        return 2


def _log(action: str, detail: dict[str, Any]) -> None:
    """A backup carries every patient's data out, and a restore replaces the desk: each is
    in the audit trail (after the fact: the archive holds the trail up to its own making)."""
    with transaction.atomic():
        record(action, actor=COMMAND_LINE, detail=detail)


def _print_backup(done: Written) -> int:
    print(f"wrote {done.path} ({done.size / 1024:.1f} KiB, readable by its owner only)")
    print(f"  database: {_rows(done.counts)}")
    print(f"  documents: {done.documents} file(s), still encrypted")
    print(f"  audit checkpoints: {done.checkpoints}")
    print(KEYS_NOT_INCLUDED)
    for name in done.missing:
        print(
            f"medreview: backup: stored file {name} is missing, not in the archive", file=sys.stderr
        )
    return 1 if done.missing else 0


def _print_restore(path: Path, done: Restored) -> int:
    made = done.manifest
    print(
        f"restored {path} (made {made.get('created', '?')} by medreview"
        f" {made.get('medreview_version', '?')} on {made.get('database_engine', '?')})"
    )
    print(f"  database: {_rows(done.counts)}")
    decrypted = done.stored - len(done.unreadable)
    print(
        f"  documents: {done.documents} file(s); {decrypted} of {done.stored} stored file(s)"
        " decrypt with this desk's key"
    )
    print(f"  audit checkpoints: {done.checkpoints}")
    for aside in done.set_aside:
        print(f"  set aside: {aside} (the files of the desk replaced; delete it when done)")
    for line in [*done.miscounted, *done.unreadable, *done.problems]:
        print(f"  problem: {line}")
    chains = AuditEvent.objects.values("chain").distinct().count()
    events = AuditEvent.objects.count()
    verdict = "every chain verifies" if not done.problems else f"{len(done.problems)} problem(s)"
    print(f"  audit trail: {chains} chains, {events} events: {verdict}")
    return 0 if done.whole else 1


def _rows(counts: dict[str, int]) -> str:
    held = ", ".join(f"{label} {n}" for label, n in counts.items() if n)
    return f"{sum(counts.values())} rows ({held or 'none'})"
