"""Each chain's newest event, checkpointed outside the database: one small file a chain in
`settings.AUDIT_CHECKPOINTS_DIR`, written after the event's transaction commits. Deleting a
chain's newest events, or all of them, leaves the database short of its checkpoint: `verify`
sees it.

A checkpoint may lag (a process stopped between the commit and the write), never lead: the
database holds at least what it says."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    chain: str
    seq: int
    hash: str


def _folder() -> Path:
    folder = Path(settings.AUDIT_CHECKPOINTS_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _path(chain: str) -> Path:
    return _folder() / f"{hashlib.sha256(chain.encode()).hexdigest()[:40]}.json"


def write(chain: str, seq: int, hash_: str) -> None:
    """Checkpoint the chain at this event, unless a later one is checkpointed already. A
    checkpoint that cannot be written is logged, not raised: the event is committed, and a
    lagging checkpoint still proves what it holds."""
    partial: Path | None = None
    try:
        path = _path(chain)
        found = read(chain)
        if found is not None and found.seq >= seq:
            return
        partial = path.with_suffix(f".{os.getpid()}.{seq}.part")
        partial.write_text(json.dumps({"chain": chain, "seq": seq, "hash": hash_}))
        partial.replace(path)
    except OSError as exc:
        log.warning("audit checkpoint not written: %s", type(exc).__name__)
        if partial is not None:  # a disk full mid-write leaves a piece that is no checkpoint
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)


def read(chain: str) -> Checkpoint | None:
    return _load(_path(chain))


def every() -> Iterator[Checkpoint]:
    for path in sorted(_folder().glob("*.json")):
        found = _load(path)
        if found is not None:
            yield found


def _load(path: Path) -> Checkpoint | None:
    try:
        data = json.loads(path.read_text())
        return Checkpoint(str(data["chain"]), int(data["seq"]), str(data["hash"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        # A damaged checkpoint proves nothing either way: it is reported as such.
        return Checkpoint(path.stem, -1, "")
