"""Engines on this machine: every batch in this process, or in a pool of worker processes.

Input: tagged batches of documents, each with the `ExtractSettings` (the pipeline) that
reads it. Output: (tag, extractions) per batch as batches finish: in order for
`InProcess`, as workers finish for `ProcessPool`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.engines.work import Batch, Tag, extract, extract_with, model
from graph.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language

def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class InProcess:
    """Every batch in this process, in order, with `nlp` or the settings' model."""

    nlp: Language | None = None

    def run(self, batches: Iterable[Batch[Tag]]) -> Iterator[tuple[Tag, list[Extraction]]]:
        for batch in batches:
            settings = batch.settings
            # Loaded at the first batch: a run that finds everything cached needs no model.
            nlp = self.nlp if self.nlp is not None else model(settings.model, settings.sentences)
            yield batch.tag, extract_with(nlp, batch.documents, settings)


@dataclass
class ProcessPool:
    """Batches on `workers` processes; at most two batches per worker are in flight, so
    memory stays flat however long the input."""

    workers: int

    def run(self, batches: Iterable[Batch[Tag]]) -> Iterator[tuple[Tag, list[Extraction]]]:
        # forkserver: workers forked from a clean server that has imported spaCy once,
        # not from this process (which may run a progress thread, and fork copies locks).
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        if context.get_start_method() == "forkserver":
            # The fork server starts at the first submit, where Ctrl-C is deferred.
            context.set_forkserver_preload(["graph.deaf_to_ctrl_c", "graph.recognize", "graph.engines.work"])
        pending: dict[Future[list[Extraction]], Tag] = {}
        pool = ProcessPoolExecutor(self.workers, mp_context=context)
        try:
            for batch in batches:
                while len(pending) >= 2 * self.workers:
                    yield from _finished(pending)
                with _ctrl_c_deferred():
                    pending[pool.submit(extract, batch.documents, batch.settings)] = batch.tag
            while pending:
                yield from _finished(pending)
        except BaseException:
            # Ctrl-C or an error: stop the workers now rather than let them finish their
            # batches for nobody (ProcessPoolExecutor has no public way before 3.14).
            # Workers go first: one still starting would otherwise find the pool's queues
            # gone and print a traceback.
            for worker in list(getattr(pool, "_processes", {}).values()):
                worker.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold Ctrl-C back until the block is done: a submit may be starting a worker, and
    one interrupted half-way lives on unseen by the pool, failing with a traceback. A
    submit may also start the fork server: Ctrl-C is blocked in this thread too (not
    only handled), so the server is born with it blocked until graph.deaf_to_ctrl_c
    makes it ignore it."""
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if blocked:
            # A Ctrl-C that came meanwhile is delivered now, to the recording handler.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _finished(
    pending: dict[Future[list[Extraction]], Tag],
) -> Iterator[tuple[Tag, list[Extraction]]]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        yield pending.pop(future), future.result()
