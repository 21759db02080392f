"""Engines: where the extraction runs. The one place the choice is made.

Input: the options of a build (engine name, workers, scheduler), how much new text
there is and the pipelines it needs. Output: an `Engine`, which runs `work.extract` on
`Batch`es (tagged documents of one language, with the settings naming their pipeline)
and yields (tag, extractions) as batches finish. The package holds the unit of work
(`work`), this machine's engines (`local`: this process, or a pool of worker processes)
and the Dask engine (`dask`, an optional extra imported only when it is chosen). Looking
results up in the cache and storing them is the caller's job, kept apart from the compute.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from graph.engines.local import InProcess, ProcessPool, cores
from graph.engines.work import TASK_CHARS, Batch, ExtractSettings, Tag, extract
from graph.errors import EntigraphError
from graph.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "ENGINES", "MIN_CHARS_PER_WORKER", "TASK_CHARS", "Batch", "Engine", "ExtractSettings", "InProcess",
    "ProcessPool", "check_engine", "choose_engine", "cores", "extract",
]

ENGINES = ("local", "dask")
# Below this many characters of new text per worker, starting one costs more than it saves.
MIN_CHARS_PER_WORKER = 300_000


class Engine(Protocol):
    """Runs `extract` on batches; yields (tag, extractions) as batches finish."""

    def run(self, batches: Iterable[Batch[Tag]]) -> Iterator[tuple[Tag, list[Extraction]]]: ...


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
        import graph.engines.dask  # noqa: F401  (raises the one-line error naming the extra)
    return name


def choose_engine(
    workers: int | None,
    new_chars: int,
    nlp: Language | None = None,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    preload: Sequence[ExtractSettings] = (),
) -> Engine:
    """`engine` "dask": a Dask cluster (the scheduler at `scheduler`, else a local one
    of `workers` processes), each worker loading the pipelines of `preload` as it joins.
    "local": `workers` processes (default: one per core, fewer where the new text is too
    little to repay starting them); one means this process. A pipeline handed in (`nlp`)
    runs here: worker processes could only load the named one (so the dask engine
    refuses it)."""
    check_engine(engine, workers=workers, scheduler=scheduler)
    if engine == "dask":
        if nlp is not None:
            raise EntigraphError(
                "the dask engine loads the model by name on each worker, not a pipeline object"
            )
        from graph.engines.dask import DaskEngine

        return DaskEngine(workers, scheduler, tuple(preload))
    if nlp is not None:
        return InProcess(nlp)
    if workers is None:
        workers = max(1, min(cores(), new_chars // MIN_CHARS_PER_WORKER))
    return InProcess(nlp) if workers <= 1 else ProcessPool(workers)
