"""The Dask engine: the same batches and unit of work as the local engines, run on a cluster.

Input: the pipeline's batches of new documents (each about TASK_CHARS characters of
text, so no task holds more than a bounded slice of the corpus), each with the
`ExtractSettings` naming the spaCy pipeline that reads it.
Output: (tag, extractions) per batch as batches finish, exactly what `InProcess` and
`ProcessPool` yield; the pipeline stores them and builds the graph from the store in
input order, so the files are the same bytes whichever engine ran.

Where: a `LocalCluster` of `workers` processes on this machine, or the scheduler at
`scheduler` (`tcp://host:8786`), whose workers must have entigraph and the model
installed. Each worker process loads the models once, when the build registers its
`ModelPlugin` (and again in a worker that replaces a dead one): every pipeline of a
build by language that has new text to read. It runs one batch at a time. Dask is an
optional extra: this module is imported only when the engine is chosen, and importing it
without Dask raises a one-line error naming the extra.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain

from graph.errors import EntigraphError
from graph.engines.local import cores
from graph.engines.work import Batch, ExtractSettings, Tag, extract, model
from graph.model import Document, Extraction

EXTRA = "pip install 'entigraph[dask]'"
try:
    from distributed import (
        Client, Future, KilledWorker, LocalCluster, Worker, WorkerPlugin, as_completed,
    )
except ImportError as _missing:
    raise EntigraphError(f"the dask engine needs the optional extra: {EXTRA}") from _missing

# Times a batch whose task raised is run again (on any worker) before its error is
# final. A worker that dies is another matter: the scheduler moves its batches to the
# other workers by itself (up to distributed.scheduler.allowed-failures deaths a batch).
RETRIES = 1
# Batches in flight per worker thread: one running, one queued so that no worker waits
# for the driver; the driver holds no more than this many batches of text.
IN_FLIGHT_PER_THREAD = 2
# Seconds to wait for a scheduler given by address (or a new cluster) to answer.
CONNECT_TIMEOUT = 30
PLUGIN_NAME = "entigraph-model"

# spaCy pipelines are not safe to call from two threads at once, and a worker started
# with several threads would do so: one batch at a time per process. The lock also makes
# a batch that arrives while the plugin is still loading the model wait for it.
_EXTRACTING = threading.Lock()


@dataclass
class DaskEngine:
    """Batches on a Dask cluster: the scheduler at `scheduler`, else a LocalCluster of
    `workers` processes (default: one per core) started for this run and stopped after.
    Each worker loads the pipelines of `preload` as it joins (default: the first batch's).
    Nothing is started when every document came from the cache."""

    workers: int | None = None
    scheduler: str | None = None
    preload: tuple[ExtractSettings, ...] = ()

    def run(self, batches: Iterable[Batch[Tag]]) -> Iterator[tuple[Tag, list[Extraction]]]:
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return
        with self._client() as client:
            # Workers of a cluster started here ignore Ctrl-C; a cluster of others' is theirs.
            plugin = ModelPlugin(self.preload or (first.settings,), ignore_interrupts=self.scheduler is None)
            client.register_plugin(plugin, name=PLUGIN_NAME)
            # Each batch's tag, and its first document and size to name it if it fails.
            pending: dict[Future, tuple[Tag, str, int]] = {}
            finished = as_completed()
            try:
                for batch in chain([first], batches):
                    while len(pending) >= _in_flight(client):
                        yield _next_result(finished, pending)
                    documents = batch.documents
                    future = client.submit(
                        extract_on_worker, documents, batch.settings, pure=False, retries=RETRIES
                    )
                    pending[future] = (batch.tag, documents[0].doc_id, len(documents))
                    finished.add(future)
                while pending:
                    yield _next_result(finished, pending)
            finally:
                # Ctrl-C, an error, or a consumer that stopped: no batch runs for nobody.
                if pending:
                    client.cancel(list(pending))

    @contextmanager
    def _client(self) -> Iterator[Client]:
        if self.scheduler is not None:
            try:
                client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, ValueError, TypeError) as err:
                raise EntigraphError(
                    f"cannot connect to the Dask scheduler at {self.scheduler}: {err}"
                ) from err
            with client:
                yield client
            return
        # Ctrl-C goes to every process of the terminal's group: the workers would each
        # die with a traceback. Started while it is ignored, they keep ignoring it (and
        # the plugin makes a worker that replaces one ignore it too); the driver alone
        # stops the build. A Ctrl-C in those seconds of start-up is lost.
        here = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if here else None
        try:
            cluster = LocalCluster(
                n_workers=self.workers or cores(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                # The scheduler serves HTTP in any case: a free port, never a taken 8787.
                dashboard_address=":0",
                # Dask's own chatter (a worker restarted, a connection closed) is not
                # ours to show; what fails a build reaches the caller as an exception.
                silence_logs=logging.ERROR,
            )
        finally:
            if here:
                signal.signal(signal.SIGINT, previous)
        with cluster, Client(cluster, timeout=CONNECT_TIMEOUT) as client:
            yield client


class ModelPlugin(WorkerPlugin):
    """Loads the build's models (one per language of a build by language) in each worker
    as it joins, off the worker's event loop, so the first batch does not pay for it and
    a model missing on a worker fails the build at once with the model's own error; in a
    LocalCluster's worker, first makes it ignore Ctrl-C (the driver stops the build)."""

    def __init__(self, settings: Sequence[ExtractSettings], *, ignore_interrupts: bool = False) -> None:
        self.settings = tuple(settings)
        self.ignore_interrupts = ignore_interrupts

    async def setup(self, worker: Worker) -> None:
        if self.ignore_interrupts and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        await asyncio.get_running_loop().run_in_executor(None, self._load)

    def _load(self) -> None:
        with _EXTRACTING:
            for settings in self.settings:
                model(settings.model, settings.sentences)


def extract_on_worker(documents: list[Document], settings: ExtractSettings) -> list[Extraction]:
    """`extract` on a worker: one batch at a time in this process."""
    with _EXTRACTING:
        return extract(documents, settings)


def _in_flight(client: Client) -> int:
    # Asked each time the window is full: a cluster that scales up gets more work.
    threads = sum(client.nthreads().values())
    return IN_FLIGHT_PER_THREAD * max(1, threads)


def _next_result(
    finished: as_completed, pending: dict[Future, tuple[Tag, str, int]]
) -> tuple[Tag, list[Extraction]]:
    future = next(finished)
    tag, first, size = pending.pop(future)
    try:
        return tag, future.result()
    except KilledWorker as err:
        others = f" and {size - 1} more" if size > 1 else ""
        deaths = err.allowed_failures + 1
        raise EntigraphError(
            f"the batch of {first}{others} killed {deaths} Dask worker"
            f"{'s in turn' if deaths > 1 else ''} (out of memory, or a crash in spaCy)"
        ) from err
    finally:
        future.release()
