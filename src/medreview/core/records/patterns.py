"""Many regular expressions over one text, in one pass: Hyperscan finds, Python's `re` confirms.

The rules hold a few hundred patterns (document kinds, clinical vocabulary), and a records
packet has thousands of pages. Trying each pattern at every position of every page in Python
costs milliseconds a page; Hyperscan (Intel's multi-pattern matcher) scans a page for all of
them at once in microseconds.

A pattern Hyperscan reads exactly as Python does is compiled exactly, with the start of each
match: on plain ASCII text its report is the answer, and Python only finds the match itself,
on the lines around it. A pattern beyond Hyperscan (a lookaround, a backreference) is compiled
as a prefilter, which reports a superset of the places where a match ends, each confirmed by
Python's `re` on the lines around it. Other text is scanned with an ASCII character standing
in for each other character, and every report is confirmed. Either way the answers are exactly
Python's, only found faster. Without Hyperscan (a platform with no wheel) every pattern is
searched in Python: slower, the same answers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from medreview.core import kept

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

    def __init__(
        self, regexes: Sequence[re.Pattern[str]], supersets: Mapping[int, str] | None = None
    ) -> None:
        """`supersets`: for a pattern Hyperscan cannot compile exactly, one it can that matches
        wherever the pattern does (the same span at least): its starts narrow the lines Python
        searches."""
        self.regexes = tuple(regexes)
        self._supersets = dict(supersets or {})
        self._widths = _widths(self.regexes)
        self._db: Any = None
        self._exact: frozenset[int] = frozenset()  # a report is a match
        self._starts: frozenset[int] = frozenset()  # a report's start is no later than a match's
        self._unscanned: frozenset[int] = frozenset(range(len(self.regexes)))
        self._scanned: list[re.Pattern[str]] = []
        self._flags: list[int | None] = []
        self._existence: Any = None  # built on the first `matching` call on ASCII text
        if _hs is not None:
            self._compile()

    def _compile(self) -> None:
        assert _hs is not None
        scanned = [
            re.compile(self._supersets[i], r.flags) if i in self._supersets else r
            for i, r in enumerate(self.regexes)
        ]
        wanted = [_flags(r, exact=_exact_syntax(r)) for r in scanned]
        loaded = _load(scanned, wanted)
        if loaded is None:
            flags = [_accepted_flags(r, f) for r, f in zip(scanned, wanted, strict=True)]
            ids = [i for i, f in enumerate(flags) if f is not None]
            db = _build(ids, scanned, flags) if ids else None
            loaded = (db, flags)
            if db is not None:
                _store(scanned, wanted, db, flags)
        self._db, flags = loaded
        self._scanned, self._flags = scanned, flags
        self._starts = frozenset(
            i for i, f in enumerate(flags) if f is not None and f & _hs.HS_FLAG_SOM_LEFTMOST
        )
        self._exact = self._starts - frozenset(self._supersets)
        self._unscanned = frozenset(i for i, f in enumerate(flags) if f is None)

    def hits(self, text: str) -> tuple[dict[int, list[tuple[int, int]]], bool] | None:
        """Pattern index -> (start, end) of its possible matches, and whether the patterns
        compiled exactly may be trusted without confirming; None: search everything."""
        if self._db is None:
            return None
        data, exact = _scanned_bytes(text)
        return _scan(self._db, data), exact

    def _existence_db(self) -> Any:
        """The database `matching` scans exact text with: a pattern compiled exactly reports
        its first match only and no start (a report is a match: where it starts does not
        matter), which Hyperscan scans two to three times faster than leftmost starts; the
        other patterns report as in the main database, for confirming."""
        if self._existence is None:
            assert _hs is not None
            som, single = _hs.HS_FLAG_SOM_LEFTMOST, _hs.HS_FLAG_SINGLEMATCH
            flags = [
                (f & ~som) | single if f is not None and i in self._exact else f
                for i, f in enumerate(self._flags)
            ]
            key = [-1 if f is None else f for f in flags]
            loaded = _load(self._scanned, key)
            if loaded is not None:
                self._existence = loaded[0]
            else:
                ids = [i for i, f in enumerate(flags) if f is not None]
                try:
                    self._existence = _build(ids, self._scanned, flags)
                except Exception:  # pragma: no cover - the main database answers as well
                    self._existence = self._db
                else:
                    _store(self._scanned, key, self._existence, flags)
        return self._existence

    def search(self, text: str) -> list[bool]:
        """For each pattern, whether it matches the text (as `regex.search` says)."""
        found = self.matching(text)
        return [i in found for i in range(len(self.regexes))]

    def matching(self, text: str, wanted: Sequence[int] | None = None) -> set[int]:
        """The indexes of the patterns (among `wanted`) that match the text."""
        indexes = range(len(self.regexes)) if wanted is None else wanted
        if self._db is None:
            return {i for i in indexes if self.regexes[i].search(text)}
        data, exact = _scanned_bytes(text)
        found = _scan(self._existence_db() if exact else self._db, data)
        if wanted is None:  # only the patterns reported (and those never scanned) can match
            indexes = sorted(self._unscanned.union(found))
        out = set()
        for i in indexes:
            if i in self._unscanned:
                if self.regexes[i].search(text):
                    out.add(i)
            elif i in found and ((exact and i in self._exact) or self._confirm(i, text, found[i])):
                out.add(i)
        return out

    def finditer(self, text: str) -> list[tuple[int, int, int]]:
        """Every (start, end, pattern index) that `regex.finditer` gives, pattern by pattern."""
        hits = self.hits(text)
        out: list[tuple[int, int, int]] = []
        if hits is None:
            for i, regex in enumerate(self.regexes):
                out += [(m.start(), m.end(), i) for m in regex.finditer(text)]
            return out
        found = hits[0]
        for i in sorted(set(found) | self._unscanned):
            regex = self.regexes[i]
            if i in self._unscanned:
                out += [(m.start(), m.end(), i) for m in regex.finditer(text)]
                continue
            seen = set()
            for start, end in self._windows(i, text, found[i]):
                for m in regex.finditer(text, start, end):
                    if (m.start(), m.end()) not in seen:
                        seen.add((m.start(), m.end()))
                        out.append((m.start(), m.end(), i))
        return out

    def _confirm(self, index: int, text: str, hits: list[tuple[int, int]]) -> bool:
        regex = self.regexes[index]
        return any(
            regex.search(text, start, end) for start, end in self._windows(index, text, hits)
        )

    def _windows(self, index: int, text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Whole lines around each possible match, merged.

        A true match ends where Hyperscan reports an end; it starts at the start Hyperscan
        reports with it for a pattern compiled exactly (the leftmost of any match ending
        there), else at most the pattern's width before the end.
        """
        exact = index in self._starts
        width = self._widths[index]
        spans = []
        for start, end in hits:
            first = text.rfind("\n", 0, start if exact else max(0, end - width)) + 1
            stop = text.find("\n", min(len(text), end + LOOKAHEAD))
            spans.append((first, len(text) if stop < 0 else stop))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for start, stop in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            else:
                merged.append((start, stop))
        return merged


def _scanned_bytes(text: str) -> tuple[bytes, bool]:
    """The bytes Hyperscan scans for the text, and whether they are the text itself (plain
    ASCII), so that a report of a pattern compiled exactly is a match."""
    if text.isascii():
        data = text.encode("ascii")
        # The four separator bytes by memchr: a regex over the text cost twice as much.
        if not any(sep in data for sep in _SEPARATOR_BYTES):
            return data, True
    return _INEXACT.sub(_stand_in, text).encode("ascii"), False


def _scan(db: Any, data: bytes) -> dict[int, list[tuple[int, int]]]:
    found: dict[int, list[tuple[int, int]]] = {}

    def on_match(index: int, start: int, end: int, _flags: int, _context: Any) -> None:
        found.setdefault(index, []).append((start, end))

    db.scan(data, match_event_handler=on_match)
    return found


def _exact_syntax(regex: re.Pattern[str]) -> bool:
    """Whether Hyperscan reads the pattern as Python does, so that its reports need no
    confirming. Hyperscan itself refuses lookarounds and backreferences; these it would
    take with another meaning."""
    p = regex.pattern
    return (
        p.isascii()
        and not regex.flags & re.VERBOSE
        and not any(s in p for s in ("\\Z", "{,", "\\u", "\\U", "\\N", "(?P="))
    )


def _flags(regex: re.Pattern[str], *, exact: bool) -> int:
    assert _hs is not None
    flag = int(_hs.HS_FLAG_ALLOWEMPTY)
    if regex.flags & re.IGNORECASE:
        flag |= _hs.HS_FLAG_CASELESS
    if regex.flags & re.DOTALL:
        flag |= _hs.HS_FLAG_DOTALL
    if exact:
        flag |= _hs.HS_FLAG_SOM_LEFTMOST
        if regex.flags & re.MULTILINE:
            flag |= _hs.HS_FLAG_MULTILINE
    else:  # a prefilter may report more, never less: multiline anchors match more places
        flag |= _hs.HS_FLAG_PREFILTER | _hs.HS_FLAG_MULTILINE
    return int(flag)


def _accepted_flags(regex: re.Pattern[str], wanted: int) -> int | None:
    """The flags Hyperscan takes the pattern with: exactly, else as a prefilter, else None."""
    assert _hs is not None
    if not regex.pattern.isascii():
        return None  # the scanned text stands ASCII in for other characters
    tries = [wanted]
    if wanted & _hs.HS_FLAG_SOM_LEFTMOST:
        tries.append(_flags(regex, exact=False))
    for flag in tries:
        try:
            _build([0], [regex], [flag])
        except Exception:
            continue
        return flag
    return None


def _build(ids: list[int], regexes: Sequence[re.Pattern[str]], flags: Sequence[int | None]) -> Any:
    assert _hs is not None
    db = _hs.Database()
    db.compile(
        expressions=[regexes[i].pattern.encode() for i in ids],
        ids=ids,
        elements=len(ids),
        flags=[flags[i] for i in ids],
    )
    return db


# Compiling takes a second or two; a compiled database is kept on disk, keyed by everything
# that went into it, and loaded in milliseconds by the next process.
def _kept_name(regexes: Sequence[re.Pattern[str]], flags: list[int]) -> str:
    key = hashlib.sha256(
        "\x00".join(
            [str(getattr(_hs, "__version__", "")), *(r.pattern for r in regexes), *map(str, flags)]
        ).encode()
    ).hexdigest()[:24]
    return f"patterns-{key}.hsdb"


def _load(
    regexes: Sequence[re.Pattern[str]], wanted: list[int]
) -> tuple[Any, list[int | None]] | None:
    content = kept.read(_kept_name(regexes, wanted))
    if content is None:
        return None
    try:
        header, _, blob = content.partition(b"\n")
        flags = json.loads(header)
        if len(flags) != len(regexes):
            return None
        db = _hs.loadb(blob, _hs.HS_MODE_BLOCK)
        db.scratch = _hs.Scratch(db)  # compiling allocates one; loading does not
        return db, flags
    except Exception:  # unreadable or from another build: compile again
        return None


def _store(
    regexes: Sequence[re.Pattern[str]], wanted: list[int], db: Any, flags: list[int | None]
) -> None:
    kept.write(_kept_name(regexes, wanted), json.dumps(flags).encode() + b"\n" + _hs.dumpb(db))


def _widths(regexes: Sequence[re.Pattern[str]]) -> tuple[int, ...]:
    """The widest match of each pattern: parsing them all again takes tens of milliseconds,
    so the widths are kept on disk with the databases."""
    key = hashlib.sha256(
        "\x00".join(f"{r.flags}:{r.pattern}" for r in regexes).encode()
    ).hexdigest()[:24]
    name = f"widths-{key}.json"
    content = kept.read(name)
    if content is not None:
        try:
            widths = json.loads(content)
            if len(widths) == len(regexes) and all(isinstance(w, int) for w in widths):
                return tuple(widths)
        except ValueError:
            pass  # unreadable: worked out again
    found = tuple(_max_width(r) for r in regexes)
    kept.write(name, json.dumps(found).encode())
    return found


def _max_width(regex: re.Pattern[str]) -> int:
    from re import _parser  # type: ignore[attr-defined]

    try:
        widest = int(_parser.parse(regex.pattern, regex.flags).getwidth()[1])
    except (re.error, OverflowError):
        return UNBOUNDED_MATCH
    return min(widest, UNBOUNDED_MATCH)


# Text Hyperscan reads as Python does: ASCII, without the four separators Python's `\s`
# matches and Hyperscan's does not.
_INEXACT = re.compile(r"[^\x00-\x1b\x20-\x7f]")
_SEPARATOR_BYTES = (b"\x1c", b"\x1d", b"\x1e", b"\x1f")
# Characters that Python, ignoring case, takes for ASCII letters.
_CASE_TWINS = {"\u212a": "k", "\u017f": "s", "\u0130": "i", "\u0131": "i"}


@lru_cache(maxsize=4096)
def _stand_in_char(char: str) -> str:
    """One ASCII character that every class matching `char` in Python also matches in
    Hyperscan (`.`, `\\w`, `\\s`, `\\d`, a negated class of ASCII characters), so a
    prefilter over the stand-in text misses nothing. Literals may match more: confirmed."""
    if char in _CASE_TWINS:
        return _CASE_TWINS[char]
    if char.isspace():
        return " "
    if char.isdecimal():
        return "0"
    if char.isalnum():
        return "_"  # a word character that no ASCII letter class holds
    return "\x7f"


def _stand_in(m: re.Match[str]) -> str:
    return _stand_in_char(m.group())
