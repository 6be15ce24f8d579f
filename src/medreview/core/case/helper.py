"""ConText in a helper process, for a command that triages one case and exits.

Loading ConText (spaCy, medspaCy and their rules) takes more than half a second, as long as
reading a case of a few records, and a case needs it only at the end, for the sentences its
gap rules ask about. `medreview triage` forks the helper before it imports the records rules
(NumPy, which both processes use, comes first), so that the helper loads ConText on another
core while this process imports the rules and reads the records; this process never loads
it. The sentences the audit may ask about are handed over as their documents are built
(`language.read_ahead`), and read by the helper meanwhile.

This module imports nothing of the project at its top: what the fork copies is the
interpreter and the command line, nothing the helper would have to wait for.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
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
    # NumPy serves both (spaCy there, the near-duplicate fingerprints here): it loads once,
    # before the fork.
    import numpy  # noqa: F401

    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    helper = context.Process(target=_serve_sentences, args=(there,), daemon=True)
    helper.start()
    there.close()

    from medreview.core.records import language

    read = _Helper(here, language.read_sentences)
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


class _Helper:
    """This process's side of the helper: sentences sent, ahead of need or when needed, and
    the answers, which come back in the order the sentences were sent."""

    def __init__(self, connection: Connection, read_here: Callable[[list[str]], list[Any]]):
        self.connection = connection
        self.read_here = read_here
        self.sent: list[list[str]] = []  # batches whose answers are not received yet
        self.asked: set[str] = set()
        self.answers: dict[str, Any] = {}

    def ahead(self, texts: list[str]) -> None:
        todo = [t for t in dict.fromkeys(texts) if t not in self.asked]
        if todo and not self.connection.closed:
            try:
                self.connection.send(todo)
            except OSError:  # the helper died: what is asked is read here
                self.connection.close()
                return
            self.sent.append(todo)
            self.asked.update(todo)

    def __call__(self, texts: list[str]) -> list[Any]:
        try:
            self.ahead(texts)
            if self.connection.closed:
                return self.read_here(texts)
            while self.sent:
                batch = self.sent[0]
                self.answers.update(zip(batch, self.connection.recv(), strict=True))
                self.sent.pop(0)
            return [self.answers[t] for t in texts]
        except (EOFError, OSError):  # the helper died: the sentences are read here
            return self.read_here(texts)


def _serve_sentences(requests: Connection) -> None:
    # Ctrl-C is for the parent to answer, which then stops the helper.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Sentences sent ahead arrive while ConText loads: a thread takes them in at once, so
    # that the sender never waits on a full pipe.
    inbox: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()

    def take_in() -> None:
        while True:
            try:
                inbox.put(requests.recv())
            except (EOFError, OSError):
                inbox.put(None)
                return

    threading.Thread(target=take_in, daemon=True).start()
    from medreview.core.records import language

    language.warm_up()
    while (texts := inbox.get()) is not None:
        requests.send(language.read_sentences(texts))
