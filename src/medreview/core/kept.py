"""What a process computed once, kept on disk for the next process: compiled pattern
databases, the ZIP code centroids, holiday calendars.

Files live in `$XDG_CACHE_HOME/medreview` (else `~/.cache/medreview`). Each name carries a
key of everything that went into its content, so a stale file is never read, only left
behind. Writing is whole or not at all, whoever else writes the same file; a folder that
cannot be written only costs the next process the work again.
"""

from __future__ import annotations

import os
from pathlib import Path


def folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "medreview"


def read(name: str) -> bytes | None:
    """The content kept under `name`, or None when there is none (or it cannot be read)."""
    try:
        return (folder() / name).read_bytes()
    except OSError:
        return None


def write(name: str, content: bytes) -> None:
    path = folder() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(content)
        partial.replace(path)
    except OSError:
        pass
