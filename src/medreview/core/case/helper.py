"""ConText in a helper process, for a command that triages one case and exits.

Loading ConText (spaCy, medspaCy and their rules) takes more than half a second, as long as
reading a case of a few records, and a case needs it only at the end, for the sentences its
gap rules ask about. `medreview triage` forks the helper before it imports anything else, so
that the helper loads ConText on another core while this process imports the records rules
and reads the records; this process never loads it.

This module imports nothing of the project at its top: what the fork copies is the
interpreter and the command line, nothing the helper would have to wait for.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any


@contextmanager
def context_in_a_helper() -> Iterator[None]:
    """Within the block, ConText reads every sentence in a helper process forked now.

    Where ConText is already loaded here, or processes cannot be forked, it is read here.
    """
    already = sys.modules.get("medreview.core.records.language")
    if (already is not None and already.loaded()) or (
        "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield
        return
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    helper = context.Process(target=_serve_sentences, args=(there,), daemon=True)
    helper.start()
    there.close()

    from medreview.core.records import language

    def read(texts: list[str]) -> list[Any]:
        try:
            here.send(texts)
            found: list[Any] = here.recv()
            return found
        except (EOFError, OSError):  # the helper died: the sentences are read here
            return language.read_sentences(texts)

    try:
        with language.reading_elsewhere(read, fewest=1):
            yield
    finally:
        here.close()
        helper.terminate()  # it may still be loading, for a case that never needed it
        helper.join()
        processes = sys.modules.get("medreview.core.case.processes")
        if processes is not None:
            processes.forget_helper()


def _serve_sentences(requests: Connection) -> None:
    # Ctrl-C is for the parent to answer, which then stops the helper.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from medreview.core.records import language

    language.warm_up()
    while True:
        try:
            texts = requests.recv()
        except EOFError:
            return
        requests.send(language.read_sentences(texts))
