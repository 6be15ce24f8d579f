"""Spreading a large case over the machine's cores.

A records packet is hundreds or thousands of independent pages and documents: worker
processes read page ranges (text layer and the facts that place each page in its document),
classify each document as soon as it is whole, and read with ConText the sentences the gap
audit asks about, while this process decides where documents begin, folds duplicates,
audits gaps and triages. Pages that need OCR are only flagged by the workers and read here:
the OCR engine already uses every core, and its threads must not be forked. The workers are
forked once and serve case after case.

Small cases run in one process: starting workers would cost more than it saves.

A command that triages one case and exits forks a helper instead (`helper.context_in_a_helper`)
that loads ConText while the case is read.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from medreview.core import records
from medreview.core.reading.limits import PageTooLarge
from medreview.core.reading.model import Fact, Page, SourceDocument
from medreview.core.reading.pdf import ocr_page, text_layer
from medreview.core.records import compile_patterns, duplicates, language
from medreview.core.records.split import PacketSplitter, PageFacts, page_facts

PARALLEL_PAGES = 64  # below this many pages in a file, one process is quicker
CHUNK_PAGES = 24
PARALLEL_DOCUMENTS = 16

T = TypeVar("T")
R = TypeVar("R")


# (owner pid, workers, pool, whether the workers inherited ConText)
_pool: tuple[int, int, ProcessPoolExecutor, bool] | None = None
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
    # Under `helper.context_in_a_helper` the helper reads ConText's sentences: the workers
    # need not inherit ConText, and this process does not wait to load it before forking them.
    with_context = not language.reads_elsewhere()
    if _pool is not None and _pool[:2] == (os.getpid(), workers) and (_pool[3] or not with_context):
        return _pool[2]
    shutdown()
    _close_database_connections()
    # Once, here: the forked workers inherit the patterns compiled, datasketch and ConText.
    compile_patterns()
    duplicates.warm_up()
    if with_context:
        language.warm_up()
    # The collector would visit every object inherited from this process and so copy each
    # memory page it touches into the worker: what exists now is left out of its rounds.
    gc.freeze()
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_stoppable,
    )
    _pool = (os.getpid(), workers, executor, with_context)
    return executor


def _stoppable() -> None:
    """In each worker, first: the signals that stop a process stop it. A worker forked from
    the background worker inherits its handlers (a graceful stop that raises SystemExit),
    which a worker sending back its result would catch and then try to send again; when a
    sibling dies and the pool is ended, such a worker outlived it, blocked on a pipe no one
    read, with every model it had loaded."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def forget_helper() -> None:
    """After `helper.context_in_a_helper`: workers forked without ConText are stopped, so a
    later case here forks them again, with it."""
    if _pool is not None and not _pool[3]:
        shutdown()


def _close_database_connections() -> None:
    """The workers live on and must not hold this process's database connections (the web
    application's): those not inside a transaction are closed, and reopened when next used."""
    db = sys.modules.get("django.db")
    if db is None:
        return  # not running inside the web application
    for connection in db.connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


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
    """`records.forget_read_text` here, and in each worker before its next job."""
    global _generation
    _generation += 1
    records.forget_read_text()


_seen_generation = 0


def _job(generation: int, work: Callable[[T], R], item: T) -> R:
    global _seen_generation
    if generation != _seen_generation:
        records.forget_read_text()
        _seen_generation = generation
    return work(item)


BUILD_BATCH = 8  # documents a worker classifies per job


def read_and_build(
    executor: Executor,
    files: Sequence[tuple[Path, str]],
    build: Callable[[SourceDocument], R],
    read_here: Callable[[Path, str], tuple[list[SourceDocument], list[Fact]]],
    *,
    ocr: bool,
    page_counts: dict[Path, int],
    on_built: Callable[[list[R]], None] = lambda built: None,
) -> tuple[list[R], list[Fact]]:
    """Every file read and every document built, on the workers, in the files' order;
    `on_built` is called here with each batch of documents as soon as it is built.

    A large PDF is read by the workers range by range; this process splits it as the ranges
    come back, in order, and queues each document for building as soon as it is whole, so
    that no worker waits for the last page of the file before classifying the first
    document. Other files are read here (OCR among them) and built on the workers.
    """
    try:
        return _read_and_build(executor, files, build, read_here, ocr, page_counts, on_built)
    except BrokenProcessPool:
        _broken()  # a worker died: the case is done here, the usual way
        built: list[R] = []
        facts: list[Fact] = []
        for path, name in files:
            sources, found = read_here(path, name)
            built += [build(s) for s in sources]
            facts += found
        return built, facts


def _read_and_build(
    executor: Executor,
    files: Sequence[tuple[Path, str]],
    build: Callable[[SourceDocument], R],
    read_here: Callable[[Path, str], tuple[list[SourceDocument], list[Fact]]],
    ocr: bool,
    page_counts: dict[Path, int],
    on_built: Callable[[list[R]], None],
) -> tuple[list[R], list[Fact]]:
    batches: list[Future[list[R]]] = []
    delivered = 0
    pending: list[SourceDocument] = []
    facts: list[Fact] = []
    work = functools.partial(_job, _generation, functools.partial(_build_batch, build))

    def queue(docs: Sequence[SourceDocument], *, flush: bool = False) -> None:
        nonlocal delivered
        pending.extend(docs)
        while len(pending) >= BUILD_BATCH or (flush and pending):
            batch = pending[:BUILD_BATCH]
            del pending[:BUILD_BATCH]
            batches.append(executor.submit(work, batch))
        while delivered < len(batches) and (flush or batches[delivered].done()):
            on_built(batches[delivered].result())
            delivered += 1

    reads = {
        path: [
            executor.submit(
                functools.partial(_job, _generation, _read_range),
                (path, first, min(first + CHUNK_PAGES - 1, count)),
            )
            for first in range(1, count + 1, CHUNK_PAGES)
        ]
        for path, count in page_counts.items()
        if count >= PARALLEL_PAGES
    }
    for path, name in files:
        if path not in reads:
            sources, found = read_here(path, name)
            facts += found
            queue(sources)
            continue
        splitter = PacketSplitter(SourceDocument(name, name, ()), page_counts[path])
        for chunk in reads[path]:
            for page, scanned, fact in chunk.result():
                if scanned and ocr:
                    # One giant page of a long packet keeps its text layer alone.
                    with contextlib.suppress(PageTooLarge):
                        page = ocr_page(path, page)
                    fact = page_facts(page)
                queue(splitter.add(page, fact if fact is not None else page_facts(page)))
        queue(splitter.finish())
    queue((), flush=True)
    return [doc for batch in batches for doc in batch.result()], facts


def read_sentences(executor: Executor, texts: list[str]) -> list[Any]:
    """ConText on the workers, the sentences shared out in order (`language.reading_elsewhere`)."""
    share = max(1, -(-len(texts) // (2 * _workers(executor))))
    parts = [texts[i : i + share] for i in range(0, len(texts), share)]
    work = functools.partial(_job, _generation, language.read_sentences)
    try:
        return [found for part in executor.map(work, parts) for found in part]
    except BrokenProcessPool:
        _broken()
        return language.read_sentences(texts)


def _workers(executor: Executor) -> int:
    return int(getattr(executor, "_max_workers", 1) or 1)


def _build_batch(build: Callable[[SourceDocument], R], docs: list[SourceDocument]) -> list[R]:
    return [build(doc) for doc in docs]


def _read_range(job: tuple[Path, int, int]) -> list[tuple[Page, bool, PageFacts | None]]:
    path, first, last = job
    return [
        (page, scanned, None if scanned else page_facts(page))
        for page, scanned in text_layer(path, first, last)
    ]
