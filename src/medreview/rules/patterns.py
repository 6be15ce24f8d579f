"""Many regular expressions over one text, in one pass: Hyperscan finds, Python's `re` confirms.

The rules hold a few hundred patterns (document kinds, clinical vocabulary), and a records
packet has thousands of pages. Trying each pattern at every position of every page in Python
costs milliseconds a page; Hyperscan (Intel's multi-pattern matcher) scans a page for all of
them at once in microseconds. It is used in prefilter mode, which reports a superset of the
places where a pattern ends, and each candidate is then confirmed by Python's `re` on the
lines around it: the answers are exactly Python's, only found faster. Without Hyperscan (a
platform with no wheel) every pattern is a candidate everywhere: slower, the same answers.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# A true match ends where Hyperscan reports an end, and starts at most its pattern's width
# before it; patterns with unbounded pieces ("\\s*", "\\w*") are allowed this much.
UNBOUNDED_MATCH = 300
# Lookaheads may read a little past the end.
LOOKAHEAD = 60

_hs: Any
try:  # the import itself is what varies between platforms
    import hyperscan as _hs
except ImportError:  # pragma: no cover - a platform without a hyperscan wheel
    _hs = None


class PatternSet:
    """A fixed list of compiled regular expressions, searched together."""

    def __init__(self, regexes: Sequence[re.Pattern[str]]) -> None:
        self.regexes = tuple(regexes)
        self._widths = tuple(_max_width(r) for r in self.regexes)
        self._db: Any = None
        self._unscanned: frozenset[int] = frozenset(range(len(self.regexes)))
        if _hs is not None:
            self._compile()

    def _compile(self) -> None:
        assert _hs is not None
        flags = [_flags(r) for r in self.regexes]
        ids = list(range(len(self.regexes)))
        db = _load(self.regexes, flags)
        if db is None:
            try:
                db = _build(ids, self.regexes, flags)
            except Exception:
                # Some pattern Hyperscan refuses even as a prefilter: find it, search it in
                # Python, and build the database of the others.
                ids = [i for i in ids if _accepts(self.regexes[i], flags[i])]
                db = _build(ids, self.regexes, flags) if ids else None
            if db is not None and len(ids) == len(self.regexes):
                _store(self.regexes, flags, db)
        self._db = db
        self._unscanned = frozenset(range(len(self.regexes))) - frozenset(ids)

    def ends(self, text: str) -> dict[int, list[int]] | None:
        """Pattern index -> where a match may end (character offsets); None: search everything."""
        if self._db is None or not text.isascii():
            return None  # Hyperscan counts bytes; non-ASCII pages are rare enough to search whole
        found: dict[int, list[int]] = {}

        def on_match(index: int, _start: int, end: int, _flags: int, _context: Any) -> None:
            found.setdefault(index, []).append(end)

        self._db.scan(text.encode("ascii"), match_event_handler=on_match)
        return found

    def search(self, text: str) -> list[bool]:
        """For each pattern, whether it matches the text (as `regex.search` says)."""
        ends = self.ends(text)
        return [self._search(i, text, ends) for i in range(len(self.regexes))]

    def matching(self, text: str, wanted: Sequence[int] | None = None) -> set[int]:
        """The indexes of the patterns (among `wanted`) that match the text."""
        ends = self.ends(text)
        indexes = range(len(self.regexes)) if wanted is None else wanted
        if ends is not None:
            indexes = [i for i in indexes if i in ends or i in self._unscanned]
        return {i for i in indexes if self._search(i, text, ends)}

    def finditer(self, text: str) -> list[tuple[int, int, int]]:
        """Every (start, end, pattern index) that `regex.finditer` gives, pattern by pattern."""
        ends = self.ends(text)
        out: list[tuple[int, int, int]] = []
        indexes = range(len(self.regexes)) if ends is None else sorted(set(ends) | self._unscanned)
        for i in indexes:
            regex = self.regexes[i]
            spans = (
                _windows(text, ends.get(i), self._widths[i])
                if ends is not None and i not in self._unscanned
                else None
            )
            if spans is None:
                out += [(m.start(), m.end(), i) for m in regex.finditer(text)]
            else:
                seen = set()
                for start, end in spans:
                    for m in regex.finditer(text, start, end):
                        if (m.start(), m.end()) not in seen:
                            seen.add((m.start(), m.end()))
                            out.append((m.start(), m.end(), i))
        return out

    def _search(self, index: int, text: str, ends: dict[int, list[int]] | None) -> bool:
        regex = self.regexes[index]
        if ends is None or index in self._unscanned:
            return regex.search(text) is not None
        spans = _windows(text, ends.get(index), self._widths[index])
        return any(regex.search(text, start, end) for start, end in spans)


def _flags(regex: re.Pattern[str]) -> int:
    assert _hs is not None
    flag = int(_hs.HS_FLAG_PREFILTER | _hs.HS_FLAG_MULTILINE | _hs.HS_FLAG_ALLOWEMPTY)
    if regex.flags & re.IGNORECASE:
        flag |= _hs.HS_FLAG_CASELESS
    return flag


def _build(ids: list[int], regexes: Sequence[re.Pattern[str]], flags: list[int]) -> Any:
    assert _hs is not None
    db = _hs.Database()
    db.compile(
        expressions=[regexes[i].pattern.encode() for i in ids],
        ids=ids,
        elements=len(ids),
        flags=[flags[i] for i in ids],
    )
    return db


def _accepts(regex: re.Pattern[str], flag: int) -> bool:
    try:
        _build([0], [regex], [flag])
    except Exception:
        return False
    return True


# Compiling takes a second or two; a compiled database is kept on disk, keyed by everything
# that went into it, and loaded in milliseconds by the next process.
def _cache_path(regexes: Sequence[re.Pattern[str]], flags: list[int]) -> Path:
    key = hashlib.sha256(
        "\x00".join(
            [str(getattr(_hs, "__version__", "")), *(r.pattern for r in regexes), *map(str, flags)]
        ).encode()
    ).hexdigest()[:24]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "medreview"
    return root / f"patterns-{key}.hsdb"


def _load(regexes: Sequence[re.Pattern[str]], flags: list[int]) -> Any:
    try:
        return _hs.loadb(_cache_path(regexes, flags).read_bytes())
    except Exception:  # absent, unreadable or from another build: compile again
        return None


def _store(regexes: Sequence[re.Pattern[str]], flags: list[int], db: Any) -> None:
    path = _cache_path(regexes, flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(_hs.dumpb(db))
        partial.replace(path)  # whole or not at all, whoever else writes it
    except OSError:
        pass  # a read-only home only costs the next process a compile


def _max_width(regex: re.Pattern[str]) -> int:
    from re import _parser  # type: ignore[attr-defined]

    try:
        widest = int(_parser.parse(regex.pattern, regex.flags).getwidth()[1])
    except (re.error, OverflowError):
        return UNBOUNDED_MATCH
    return min(widest, UNBOUNDED_MATCH)


def _windows(text: str, ends: list[int] | None, width: int) -> list[tuple[int, int]]:
    """Whole lines around each possible match end, merged."""
    if not ends:
        return []
    spans = []
    for end in ends:
        start = text.rfind("\n", 0, max(0, end - width)) + 1
        stop = text.find("\n", min(len(text), end + LOOKAHEAD))
        spans.append((start, len(text) if stop < 0 else stop))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged
