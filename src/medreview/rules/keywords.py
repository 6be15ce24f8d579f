"""Skipping patterns that cannot match: the words any match of a regular expression must contain.

The rules hold a few hundred regular expressions (document kinds, clinical vocabulary). Most
cannot match a given page, and Python's regex engine pays for every position it tries. So each
pattern's trigger words are derived from the pattern itself, with Python's own regex parser:
words that start a word in the text and that every match must contain (one of them, for an
alternation). A text is reduced once to its set of words and word beginnings, and a pattern
runs only on texts holding one of its triggers. A pattern with no derivable trigger always
runs: the check can only skip work, never change an answer (a test holds it to that on real
transcriptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_TOKEN = re.compile(r"[a-z0-9]+")
_WORD_START = {sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_STRING, sre.AT_BEGINNING_LINE}
_WORD_END = {sre.AT_BOUNDARY, sre.AT_END, sre.AT_END_LINE, sre.AT_END_STRING}
_SEPARATOR_CATEGORIES = {sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD, sre.CATEGORY_NOT_DIGIT}
MAX_PREFIX = 8
EXACT = "="  # a trigger written "=h" is the whole word "h", not a word beginning with h


@dataclass(frozen=True)
class Words:
    """A text's words and word beginnings, lower case."""

    tokens: frozenset[str]
    beginnings: frozenset[str]

    def any_of(self, triggers: frozenset[str] | None) -> bool:
        if triggers is None:
            return True
        for t in triggers:
            if t[0] == EXACT:
                if t[1:] in self.tokens:
                    return True
            elif t in self.beginnings:
                return True
        return False

    def __or__(self, other: Words) -> Words:
        return Words(self.tokens | other.tokens, self.beginnings | other.beginnings)


def words_of(lowered: str) -> Words:
    tokens = frozenset(_TOKEN.findall(lowered))
    beginnings = frozenset(t[:k] for t in tokens for k in range(1, min(len(t), MAX_PREFIX) + 1))
    return Words(tokens, beginnings)


def triggers(pattern: str) -> frozenset[str] | None:
    """Triggers one of which any match must contain (see module docstring), or None."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _required(list(parsed.data), word_start=True)
    return frozenset(found) if found else None


# Words on nearly every page of a record select nothing.
COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "had",
        "has",
        "he",
        "her",
        "him",
        "his",
        "in",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
        "patient",
    ]
)


def _score(words: set[str]) -> int:
    """How selective a requirement is: its weakest word, whole words counting extra."""
    return min(
        0 if w.lstrip(EXACT) in COMMON else len(w) + (2 if w[0] == EXACT else 0) for w in words
    )


def _run_words(run: str, at_word_start: bool, complete: bool) -> set[str] | None:
    """The most selective word of a literal run ("was admitted" -> "admitted")."""
    lowered = run.lower()
    best: str | None = None
    for m in _TOKEN.finditer(lowered):
        starts_word = m.start() > 0 or at_word_start
        if not starts_word:
            continue
        ends_word = m.end() < len(lowered) or complete
        word = m.group(0)
        trigger = EXACT + word if ends_word and len(word) <= MAX_PREFIX else word[:MAX_PREFIX]
        if best is None or _score({trigger}) > _score({best}):
            best = trigger
    return {best} if best else None


def _separators_only(items: list[Any]) -> bool:
    """A piece that matches only spaces, punctuation and line starts ("\\s*", "[ ,:-]", "^")."""
    for op, av in items:
        if op is sre.AT:
            continue
        if op is sre.LITERAL and not chr(av).isalnum():
            continue
        if op is sre.IN and _separator_class(av):
            continue
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and _separators_only(
            list(av[2].data)
        ):
            continue
        if op is sre.SUBPATTERN and _separators_only(list(av[-1].data)):
            continue
        if op is sre.BRANCH and all(_separators_only(list(b.data)) for b in av[1]):
            continue
        return False
    return bool(items)


def _separator_class(members: list[Any]) -> bool:
    return all(
        (o is sre.CATEGORY and a in _SEPARATOR_CATEGORIES)
        or (o is sre.LITERAL and not chr(a).isalnum())
        for o, a in members
    )


def _required(items: list[Any], *, word_start: bool, prefix: str = "") -> set[str] | None:
    """Words one of which a match of `items` (a parsed sequence) must contain, if known.

    Every piece of a sequence must match, so any piece's requirement will do: the most
    selective is kept ("medically" rather than "is"). `prefix` is a literal the regex parser
    factored out in front of an alternation ("e" + "stimated blood loss|bl").
    """
    found: list[set[str]] = []
    run = prefix
    run_at_word_start = word_start
    boundary = word_start and not prefix

    def close_run(complete: bool) -> None:
        nonlocal run
        if run:
            words = _run_words(run, run_at_word_start, complete)
            if words:
                found.append(words)
        run = ""

    for index, (op, av) in enumerate(items):
        if op is sre.LITERAL:
            if not run and not chr(av).isalnum():
                boundary = True  # what follows a space or a colon starts a word
                continue
            if not run:
                run_at_word_start = boundary
            run += chr(av)
            boundary = False
            continue
        if op is sre.BRANCH and run:
            # The parser moved a shared beginning out of the alternatives: put it back.
            branches = [list(b.data) for b in av[1]]
            alternatives = [
                _required(b, word_start=run_at_word_start, prefix=run) for b in branches
            ]
            run = ""
            if all(alternatives):
                found.append(set().union(*(a for a in alternatives if a)))
            boundary = False
            continue
        ends_word = (op is sre.AT and av in _WORD_END) or (
            _separators_only([(op, av)]) and not _may_be_empty(op, av)
        )
        close_run(complete=ends_word)
        if op is sre.AT:
            boundary = av in _WORD_START
            continue
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # lookarounds consume nothing
        if _separators_only([(op, av)]):
            boundary = boundary or not _may_be_empty(op, av)
            continue
        if op is sre.SUBPATTERN:
            inner = _required(list(av[-1].data), word_start=boundary)
            if inner:
                found.append(inner)
        elif op is sre.BRANCH:
            alternatives = [_required(list(b.data), word_start=boundary) for b in av[1]]
            if all(alternatives):
                found.append(set().union(*(a for a in alternatives if a)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner = _required(list(av[2].data), word_start=boundary)
            if av[0] >= 1 and inner:
                found.append(inner)
            elif av[0] == 0 and inner and boundary:
                # "(micro)?discectomy": the optional word is there, or what follows starts a word.
                rest = _required(items[index + 1 :], word_start=True)
                if rest:
                    found.append(inner | rest)
        boundary = False
    close_run(complete=False)
    if not found:
        return None
    return max(found, key=lambda words: (_score(words), -len(words)))


def _may_be_empty(op: Any, av: Any) -> bool:
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] == 0


WINDOW_BEFORE = 160  # how far before its trigger word a match may start
WINDOW_AFTER = 240  # and how far after it may end
MIN_WINDOW_TRIGGER = 3  # shorter triggers occur everywhere: search the whole text instead


def windows(lowered: str, found: frozenset[str] | None) -> list[tuple[int, int]] | None:
    """The stretches of a text, whole lines, around every occurrence of a trigger word.

    A match must contain one of its pattern's triggers, so it lies in one of these stretches.
    None when the whole text must be searched (no triggers, or triggers too short to locate).
    """
    if found is None or any(len(t.lstrip(EXACT)) < MIN_WINDOW_TRIGGER for t in found):
        return None
    spans: list[tuple[int, int]] = []
    for trigger in found:
        word = trigger.lstrip(EXACT)
        at = lowered.find(word)
        while at >= 0:
            start = lowered.rfind("\n", 0, max(0, at - WINDOW_BEFORE)) + 1
            end = lowered.find("\n", min(len(lowered), at + WINDOW_AFTER))
            spans.append((start, len(lowered) if end < 0 else end))
            at = lowered.find(word, at + len(word))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def search(regex: re.Pattern[str], text: str, lowered: str, found: frozenset[str] | None) -> bool:
    """`regex.search(text)`, looking only where the pattern's trigger words are."""
    spans = windows(lowered, found)
    if spans is None:
        return regex.search(text) is not None
    return any(regex.search(text, start, end) for start, end in spans)


def finditer(
    regex: re.Pattern[str], text: str, lowered: str, found: frozenset[str] | None
) -> list[tuple[int, int]]:
    """The spans of `regex.finditer(text)`, looking only where the trigger words are."""
    spans = windows(lowered, found)
    if spans is None:
        return [(m.start(), m.end()) for m in regex.finditer(text)]
    return [(m.start(), m.end()) for start, end in spans for m in regex.finditer(text, start, end)]
