"""Exact and near-duplicate documents: a re-fax, a second scan, the same note as .txt and PDF.

Duplicates are marked, never dropped. Texts are compared on word shingles after folding case
and accents and removing fax stamps and page numbers; candidates come from MinHash LSH
(datasketch) so that a packet of thousands of documents is not compared pair by pair. Two
documents are the same when their shingles overlap almost entirely and their dates of service
agree: two normal radiographs of different days are not copies of each other.
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from medreview.core.imports import without_the_packages_own_code
from medreview.core.records.text import fold, is_fax_header

SHINGLE = 4
NUM_PERM = 32
MINHASH_SCHEME = (
    "affine32"  # datasketch's default scheme, named: signatures are rebuilt from values
)
# 8 bands of 4 rows: documents sharing about half their shingles become candidates. Fixed
# here rather than tuned by datasketch, which integrates numerically on every new index.
LSH_BANDS = (8, 4)
LSH_THRESHOLD = 0.5
MAX_WORDS = 250  # a document's first page is enough to know a copy
SAME_TEXT = 0.8  # Jaccard of shingles
CONTAINED = 0.9  # share of the smaller document found in the larger
MIN_WORDS = 12
_PAGE_LINE = re.compile(r"\bpage\s*\d+\s*(of|/)\s*\d+\b|^\s*\d+\s*/\s*\d+\s*$", re.I)
# OCR reads "lb" as "Ib" and "0" as "O": such letters are folded together before comparing.
_OCR_FOLD = str.maketrans({"l": "i", "1": "i", "0": "o", "5": "s"})


def _word_bytes() -> bytes:
    """A byte table for `bytes.translate`: each letter or digit to itself lower-cased and
    OCR-folded, every other byte to a space. Words are then what `split` finds: the runs of
    [a-z0-9] of the folded text, in one pass of C where a regex took four times as long."""
    table = bytearray(b" " * 256)
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        folded = ord(c.translate(_OCR_FOLD))
        table[ord(c)] = table[ord(c.upper())] = folded
    return bytes(table)


_WORD_BYTES = _word_bytes()


@dataclass(frozen=True)
class Fingerprint:
    """What is compared of a document: the digest of its words, its MinHash signature, and
    the CRC-32 of each of its shingles (sorted, 4 bytes each: about 1 KiB a document)."""

    digest: str
    words: int
    signature: tuple[int, ...] | None
    shingles: bytes = b""

    def shingle_set(self) -> frozenset[int]:
        import numpy as np

        return frozenset(np.frombuffer(self.shingles, "<u4").tolist())


def fingerprint(text: str) -> Fingerprint | None:
    """A document's fingerprint, or None when it has no words to compare."""
    tokens = words(text)
    if not tokens:
        return None
    digest = hashlib.sha1(b" ".join(tokens)).hexdigest()
    if len(tokens) < MIN_WORDS:
        return Fingerprint(digest, len(tokens), None)
    hashes = shingle_hashes(tokens)
    mh = _datasketch().MinHash(
        num_perm=NUM_PERM, hashfunc=int, scheme=MINHASH_SCHEME, permutations=_permutations()
    )
    mh.update_batch(hashes.tolist())
    signature = tuple(int(v) for v in mh.hashvalues)
    return Fingerprint(digest, len(tokens), signature, hashes.astype("<u4").tobytes())


_MIX = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F)  # odd multipliers, one per word


def shingle_hashes(tokens: list[bytes]) -> Any:
    """The distinct 32-bit hashes of a document's shingles (runs of SHINGLE words), sorted.

    Each word is hashed once with CRC-32 (unlike hash(), the same in every process: the
    workers that read the documents make them), and each run's hash mixes its words' hashes,
    all at once in numpy."""
    import numpy as np

    words = np.fromiter(map(zlib.crc32, tokens), np.uint64, len(tokens))
    if len(tokens) < SHINGLE:
        runs = np.array([sum(int(w) * m for w, m in zip(words, _MIX, strict=False))], np.uint64)
    else:
        last = len(tokens) - SHINGLE + 1
        runs = np.zeros(last, np.uint64)
        for i, multiplier in enumerate(_MIX[:SHINGLE]):
            runs = runs * np.uint64(0x100000001B3) + words[i : i + last] * np.uint64(multiplier)
    return np.unique((runs ^ (runs >> np.uint64(29))) & np.uint64(0xFFFFFFFF))


@lru_cache(maxsize=1)
def _permutations() -> Any:
    # datasketch draws a MinHash's permutations from its seed at every construction, which
    # costs more than hashing a document: they are drawn once.
    return _datasketch().MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME).permutations


def warm_up() -> None:
    """Import datasketch and draw its permutations now, for worker processes to inherit."""
    _permutations()


@lru_cache(maxsize=1)
def _datasketch() -> Any:
    """datasketch's MinHash and MinHash LSH, imported without the rest of datasketch and
    without SciPy's numerical integration.

    datasketch's package imports every sketch it has (an asyncio LSH among them), and its
    LSH module imports `scipy.integrate.quad` as it loads (half a second, as long as reading
    a case of a few records) to tune an index's bands and rows when it is not given them;
    ours are given (`LSH_BANDS`). So the two modules we use are imported alone, handed a
    `quad` that imports SciPy's own at its first call; afterwards `scipy.integrate` and
    `datasketch` import as usual.
    """
    if "scipy.integrate" in sys.modules or "datasketch" in sys.modules:
        import datasketch

        return datasketch

    def quad(*args: Any, **kwargs: Any) -> Any:
        from scipy.integrate import quad

        return quad(*args, **kwargs)

    stand_in = types.ModuleType("scipy.integrate")
    stand_in.quad = quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = stand_in
    try:
        with without_the_packages_own_code("datasketch"):
            from datasketch.lsh import MinHashLSH
            from datasketch.minhash import MinHash
    finally:
        if sys.modules.get("scipy.integrate") is stand_in:
            del sys.modules["scipy.integrate"]
    return types.SimpleNamespace(MinHash=MinHash, MinHashLSH=MinHashLSH)


@dataclass(frozen=True)
class Comparable:
    name: str
    text: str
    date: date | None
    ocr: bool
    file: str = ""
    first_page: int = 1
    fingerprint: Fingerprint | None = None

    def preference(self) -> tuple[bool, bool, str, int]:
        """Originals first: a text layer over a scan, no fax stamp over a re-fax, then file order."""
        faxed = any(is_fax_header(line) for line in self.text[:1000].splitlines()[:3])
        return (self.ocr, faxed, self.file or self.name, self.first_page)


def words(text: str) -> list[bytes]:
    """The first words of a document (ASCII), case, accents and OCR's look-alike letters
    folded, fax stamps and page numbers left out."""
    kept = "\n".join(
        line
        for line in text[: MAX_WORDS * 8].splitlines()
        if not (_may_be_stamp(line) and (is_fax_header(line) or _is_page_line(line)))
    )
    if not kept.isascii():
        kept = fold(kept)  # accents off; what is still not ASCII separates words
    return kept.encode("ascii", "replace").translate(_WORD_BYTES).split()[:MAX_WORDS]


def _may_be_stamp(line: str) -> bool:
    # Every fax stamp holds a colon or a slash; every page line a slash or "of".
    return "/" in line or ":" in line or "of" in line.lower()


def _is_page_line(line: str) -> bool:
    # "Page 2 of 5" names the page; "2/5" alone on its line starts with a digit.
    return ("page" in line.lower() or line.lstrip()[:1].isdecimal()) and bool(
        _PAGE_LINE.search(line)
    )


def find_duplicates(candidates: Sequence[Comparable]) -> dict[str, str]:
    """Map each duplicate's name to the name of the document it repeats.

    Each document's MinHash signature is indexed, and the shingle hashes of the few LSH
    candidates are compared to confirm a match: about 1.5 KiB a document.
    """
    MinHash = _datasketch().MinHash
    ordered = sorted(candidates, key=Comparable.preference)
    exact: dict[str, str] = {}
    lsh = _datasketch().MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, params=LSH_BANDS)
    kept: dict[str, Comparable] = {}
    duplicates: dict[str, str] = {}

    prints: dict[str, Fingerprint] = {}

    @lru_cache(maxsize=256)
    def kept_shingles(name: str) -> frozenset[int]:
        # Templated records (every daily note of a clinic) are each other's LSH candidates
        # again and again: their shingle sets are unpacked once, not at every query.
        return prints[name].shingle_set()

    for c in ordered:
        fp = c.fingerprint or fingerprint(c.text)
        if fp is None:
            continue
        if fp.digest in exact:
            duplicates[c.name] = exact[fp.digest]
            continue
        exact[fp.digest] = c.name
        if fp.signature is None:
            continue
        mh = MinHash(hashvalues=fp.signature, scheme=MINHASH_SCHEME, permutations=_permutations())
        match = None
        for other in lsh.query(mh):
            if not (_same_day(c.date, kept[other].date) and _same_side(c, kept[other])):
                continue
            if _same(fp.shingle_set(), kept_shingles(other)):
                match = other
                break
        if match is not None:
            duplicates[c.name] = match
            continue
        lsh.insert(c.name, mh)
        kept[c.name] = c
        prints[c.name] = fp
    return duplicates


def _same(a: frozenset[int], b: frozenset[int]) -> bool:
    common = len(a & b)
    if not common:
        return False
    jaccard = common / len(a | b)
    contained = common / min(len(a), len(b))
    return jaccard >= SAME_TEXT or (
        contained >= CONTAINED and min(len(a), len(b)) / max(len(a), len(b)) > 0.6
    )


def _same_day(a: date | None, b: date | None) -> bool:
    return a is None or b is None or a == b


_SIDE = re.compile(r"\b(right|left|rt|lt)\b", re.I)


def side(text: str) -> str | None:
    """The side a document's header is about: a right knee MRI is no copy of a left knee MRI."""
    head = fold(text[:600])
    rights = lefts = 0
    for m in _SIDE.finditer(head):
        if m.group(1) in ("right", "rt"):
            rights += 1
        else:
            lefts += 1
    if rights == lefts:
        return None
    return "right" if rights > lefts else "left"


def _same_side(a: Comparable, b: Comparable) -> bool:
    sa, sb = side(a.text), side(b.text)
    return sa is None or sb is None or sa == sb
