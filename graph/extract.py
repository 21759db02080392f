"""Extraction: batches of documents in, one compact `Extraction` per document out.

Input: lists of `Document`s and `ExtractSettings`. Output: for each batch, its
extractions (plain data: offsets, labels, paragraph numbers, the statements naming
entities and the text's MinHash signature for near-duplicate grouping; never spaCy
objects). `extract` is the unit of work, a top-level function a process pool (or a
cluster) can run anywhere the model is installed; an engine decides
where batches run: `InProcess` (this process, one model) or `ProcessPool` (N worker
processes, one model each, results coming back as they finish), or, with the optional
extra, `graph.dask_engine.DaskEngine` (a Dask cluster). Looking results up in
the cache and storing them is the caller's job, kept apart from the compute.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from spacy.language import Language

from graph.dedupe import SIGNATURE, signature
from graph.errors import EntigraphError
from graph.model import ENTITY_TYPES, Document, Extraction
from graph.recognize import MAX_CHUNK_CHARS, SENTENCES, load_model, model_identity, recognize

# Bumped whenever recognize() would give different results for the same text and model,
# so that older cached results are not reused.
EXTRACTOR_VERSION = 3  # 3: statements carry their paragraph, extractions a MinHash signature
# Texts spaCy takes at once (nlp.pipe's batch_size); chunks are up to MAX_CHUNK_CHARS,
# so a task of TASK_CHARS is a batch or two: 64 and 256 ran at the same speed on GUM.
BATCH_SIZE = 64
# Characters of text per task sent to a worker: big enough that shipping documents and
# results costs nothing beside spaCy, small enough to keep every worker busy to the end.
TASK_CHARS = 50_000
# Below this many characters of new text per worker, starting one costs more than it saves.
MIN_CHARS_PER_WORKER = 300_000

Tag = TypeVar("Tag")


@dataclass(frozen=True)
class ExtractSettings:
    """What shapes an extraction: together with the text, the key of a cached result."""

    model: str | None = None
    types: tuple[str, ...] = tuple(ENTITY_TYPES)
    sentences: str = SENTENCES
    batch_size: int = BATCH_SIZE

    def describe(self) -> dict[str, Any]:
        """Everything a cached result depends on besides the text (batch size does not
        change results)."""
        return {
            "model": model_identity(self.model),
            "sentences": self.sentences,
            "types": list(self.types),
            "chunk_chars": MAX_CHUNK_CHARS,
            "extractor": EXTRACTOR_VERSION,
            "signature": SIGNATURE,
        }


def extract(documents: Sequence[Document], settings: ExtractSettings) -> list[Extraction]:
    """One Extraction per document, in order: the unit of work a worker runs."""
    return extract_with(_model(settings.model, settings.sentences), documents, settings)


def extract_with(
    nlp: Language, documents: Sequence[Document], settings: ExtractSettings
) -> list[Extraction]:
    extractions = recognize(nlp, documents, types=settings.types, batch_size=settings.batch_size)
    # The signature is taken here, where the text is, so the graph stage never needs it.
    return [
        replace(extraction, signature=signature(document.text))
        for document, extraction in zip(documents, extractions)
    ]


@lru_cache(maxsize=2)
def _model(name: str | None, sentences: str) -> Language:
    # One model per process, loaded by its first batch and kept for the next ones.
    return load_model(name, sentences=sentences)


class Engine(Protocol):
    """Runs `extract` on tagged batches; yields (tag, extractions) as batches finish."""

    def run(
        self, batches: Iterable[tuple[Tag, list[Document]]], settings: ExtractSettings
    ) -> Iterator[tuple[Tag, list[Extraction]]]: ...


@dataclass
class InProcess:
    """Every batch in this process, in order, with `nlp` or the settings' model."""

    nlp: Language | None = None

    def run(
        self, batches: Iterable[tuple[Tag, list[Document]]], settings: ExtractSettings
    ) -> Iterator[tuple[Tag, list[Extraction]]]:
        for tag, documents in batches:
            # Loaded at the first batch: a run that finds everything cached needs no model.
            nlp = self.nlp if self.nlp is not None else _model(settings.model, settings.sentences)
            yield tag, extract_with(nlp, documents, settings)


@dataclass
class ProcessPool:
    """Batches on `workers` processes; at most two batches per worker are in flight, so
    memory stays flat however long the input."""

    workers: int

    def run(
        self, batches: Iterable[tuple[Tag, list[Document]]], settings: ExtractSettings
    ) -> Iterator[tuple[Tag, list[Extraction]]]:
        # forkserver: workers forked from a clean server that has imported spaCy once,
        # not from this process (which may run a progress thread, and fork copies locks).
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["graph.extract"])
            _start_forkserver_deaf_to_ctrl_c()
        pending: dict[Future[list[Extraction]], Tag] = {}
        pool = ProcessPoolExecutor(self.workers, mp_context=context)
        try:
            for tag, documents in batches:
                while len(pending) >= 2 * self.workers:
                    yield from _finished(pending)
                with _ctrl_c_deferred():
                    pending[pool.submit(extract, documents, settings)] = tag
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


def _start_forkserver_deaf_to_ctrl_c() -> None:
    """Start the fork server with Ctrl-C ignored, a setting it and every worker forked
    from it inherit. Ctrl-C in a terminal reaches every process of the group: this one
    stops the workers and reports it in one line; the workers would each print a
    traceback from wherever spaCy was."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold Ctrl-C back until the block is done: a submit may be starting a worker, and
    one interrupted half-way lives on unseen by the pool, failing with a traceback."""
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _finished(
    pending: dict[Future[list[Extraction]], Tag],
) -> Iterator[tuple[Tag, list[Extraction]]]:
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        yield pending.pop(future), future.result()


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


ENGINES = ("local", "dask")


def check_engine(name: str, *, workers: int | None = None, scheduler: str | None = None) -> str:
    """`name` if it is an engine that can run here with these options (Dask's is an
    optional extra)."""
    if name not in ENGINES:
        raise EntigraphError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    if scheduler is not None and name != "dask":
        raise EntigraphError(f"a scheduler address ({scheduler}) needs the dask engine")
    if scheduler is not None and workers is not None:
        raise EntigraphError(
            f"{workers} workers asked for, but the cluster at {scheduler} has its own"
        )
    if name == "dask":
        import graph.dask_engine  # noqa: F401  (raises the one-line error naming the extra)
    return name


def choose_engine(
    workers: int | None,
    new_chars: int,
    nlp: Language | None = None,
    *,
    engine: str = "local",
    scheduler: str | None = None,
) -> Engine:
    """`engine` "dask": a Dask cluster (the scheduler at `scheduler`, else a local one
    of `workers` processes). "local": `workers` processes (default: one per core, fewer
    where the new text is too little to repay starting them); one means this process.
    A pipeline handed in (`nlp`) runs here: worker processes could only load the named
    one (so the dask engine refuses it)."""
    check_engine(engine, workers=workers, scheduler=scheduler)
    if engine == "dask":
        if nlp is not None:
            raise EntigraphError(
                "the dask engine loads the model by name on each worker, not a pipeline object"
            )
        from graph.dask_engine import DaskEngine

        return DaskEngine(workers, scheduler)
    if nlp is not None:
        return InProcess(nlp)
    if workers is None:
        workers = max(1, min(cores(), new_chars // MIN_CHARS_PER_WORKER))
    return InProcess(nlp) if workers <= 1 else ProcessPool(workers)
