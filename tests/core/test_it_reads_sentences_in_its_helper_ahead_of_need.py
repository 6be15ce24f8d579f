"""The command line's ConText helper: sentences handed over ahead of need come back with the
answers ConText gives here, and if the helper dies, what is asked is read here instead."""

from __future__ import annotations

import multiprocessing

from medreview.core.case.helper import context_in_a_helper
from medreview.core.records import language

SENTENCES = [
    "No MRI of the lumbar spine is indicated at this time.",
    "Will consider EMG of the right arm if symptoms persist.",
    "MRI of the right knee showed a medial meniscus tear.",
    "She was referred to orthopedic surgery for evaluation.",
]


def _fresh() -> None:
    """No sentence read yet, and ConText not loaded here (so that the helper is forked)."""
    language.forget_sentences()
    language._nlp.cache_clear()


def statuses() -> list[tuple[str, ...]]:
    return [tuple(f.status for f in found) for found in language.read_sentences(SENTENCES)]


def test_sentences_sent_ahead_are_answered_as_here() -> None:
    _fresh()
    expected = statuses()  # read here
    _fresh()
    with context_in_a_helper():
        assert len(multiprocessing.active_children()) == 1
        language.read_ahead(SENTENCES[:2])
        language.read_ahead(SENTENCES)  # asked twice: sent once
        language._analyse_batch(list(reversed(SENTENCES)))
        got = [tuple(f.status for f in language._cache[s]) for s in SENTENCES]
    assert got == expected
    assert not language.loaded()  # the helper read them
    assert expected[0] == ("negated",) and expected[1] == ("hypothetical",)


def test_if_the_helper_dies_what_is_asked_is_read_here() -> None:
    _fresh()
    expected = statuses()
    _fresh()
    with context_in_a_helper():
        (helper,) = multiprocessing.active_children()
        helper.kill()
        helper.join()
        language.read_ahead(SENTENCES)
        language._analyse_batch(SENTENCES)
        got = [tuple(f.status for f in language._cache[s]) for s in SENTENCES]
    assert got == expected
    assert language.loaded()  # read here
