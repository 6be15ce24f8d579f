"""Spreading a large case over the machine's cores.

A records packet is hundreds or thousands of independent pages and documents: worker
processes read page ranges (text layer and the facts that place each page in its document)
and classify documents, while this process decides where documents begin, folds duplicates,
audits gaps and triages. Pages that need OCR are only flagged by the workers and read here:
the OCR engine already uses every core, and its threads must not be forked.

Small cases run in one process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from medreview import rules
from medreview.reader.model import Page, SourceDocument
from medreview.reader.pdf import ocr_page, text_layer
from medreview.reader.split import PageFacts, page_facts
from medreview.rules import compile_patterns, language

PARALLEL_PAGES = 64  # below this many pages in a file, one process is quicker
CHUNK_PAGES = 24
PARALLEL_DOCUMENTS = 16

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


_pool: tuple[int, int, ProcessPoolExecutor] | None = None  # (owner pid, workers, pool)
_generation = 0  # bumped to make the workers forget the text they have read


@contextmanager
def pool(workers: int) -> Iterator[Executor | None]:
    """Worker processes for a case, or None when one process will do.

    The workers outlive the case: a new worker pays for every memory page it touches of what
    it inherited (a quarter of a second on a 600-page case), so a process that triages case
    after case forks its workers once.
    """
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    yield _shared_pool(workers)


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    global _pool
    if _pool is not None and _pool[:2] == (os.getpid(), workers):
        return _pool[2]
    shutdown()
    # Once, here: the forked workers inherit the patterns compiled and ConText loaded.
    compile_patterns()
    language.warm_up()
    # The collector would visit every object inherited from this process and so copy each
    # memory page it touches into the worker: what exists now is left out of its rounds.
    gc.freeze()
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork")
    )
    _pool = (os.getpid(), workers, executor)
    return executor


def shutdown() -> None:
    """Stop the worker processes (they are started again when needed)."""
    global _pool
    if _pool is not None and _pool[0] == os.getpid():
        _pool[2].shutdown(wait=True, cancel_futures=True)
    _pool = None


def _broken() -> None:
    global _pool
    if _pool is not None and _pool[0] == os.getpid():
        _pool[2].shutdown(wait=False, cancel_futures=True)
    _pool = None  # a worker died: the next case starts new ones


def forget_read_text() -> None:
    """`rules.forget_read_text` here, and in each worker before its next job."""
    global _generation
    _generation += 1
    rules.forget_read_text()


_seen_generation = 0


def _job(generation: int, work: Callable[[T], R], item: T) -> R:
    global _seen_generation
    if generation != _seen_generation:
        rules.forget_read_text()
        _seen_generation = generation
    return work(item)


def read_pdf(
    executor: Executor | None, path: Path, name: str, *, ocr: bool, count: int | None
) -> tuple[SourceDocument, list[PageFacts]] | None:
    """A large PDF of `count` pages read by the workers, page range by page range; None to
    read it the usual way (no workers, a small or unreadable file)."""
    if executor is None or count is None or count < PARALLEL_PAGES:
        return None
    ranges = [
        (path, first, min(first + CHUNK_PAGES - 1, count))
        for first in range(1, count + 1, CHUNK_PAGES)
    ]
    pages: list[Page] = []
    facts: list[PageFacts] = []
    try:
        chunks = list(executor.map(functools.partial(_job, _generation, _read_range), ranges))
    except BrokenProcessPool:
        _broken()
        return None  # a worker died: read the file here, the usual way
    for chunk in chunks:
        for page, scanned, fact in chunk:
            if scanned and ocr:
                page = ocr_page(path, page)
                fact = page_facts(page)
            pages.append(page)
            facts.append(fact if fact is not None else page_facts(page))
    return SourceDocument(name, name, tuple(pages)), facts


def _read_range(job: tuple[Path, int, int]) -> list[tuple[Page, bool, PageFacts | None]]:
    path, first, last = job
    return [
        (page, scanned, None if scanned else page_facts(page))
        for page, scanned in text_layer(path, first, last)
    ]


def map_in_order(executor: Executor | None, work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`[work(item) for item in items]`, on the workers when there are enough items."""
    if executor is None or len(items) < PARALLEL_DOCUMENTS:
        return [work(item) for item in items]
    chunk = max(1, len(items) // (8 * (os.cpu_count() or 1)))
    try:
        return list(
            executor.map(functools.partial(_job, _generation, work), items, chunksize=chunk)
        )
    except BrokenProcessPool:
        _broken()
        return [work(item) for item in items]  # a worker died: finish here
