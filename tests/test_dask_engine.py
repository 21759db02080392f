"""The Dask engine: the same bytes as the local engine (cold, and half from the cache),
a killed worker's batches run again, a failing batch fails the build as it does locally,
a corpus of two languages reads each with its pipeline, every pipeline loaded as a worker
joins, and the options that cannot work are one-line errors. Real model, real LocalClusters of
two worker processes."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graph.recognize
from cli import app
from graph.cache import CACHE_NAME
from graph.store import STORE_NAME
from graph.engines.dask import DaskEngine
from graph.engines.work import model
from graph.nlp import SENTENCES
from graph.errors import EntigraphError
from graph.export import FORMATS
from graph.pipeline import BuildOptions, build
from tests.conftest import DASK_CLUSTER, REPO, SAMPLE
from tests.test_languages import ENGLISH, MIXED, mixed_corpus

# Small batches, so that a build of the test corpus is a dozen tasks: several in flight
# on each worker, finishing out of order.
SMALL_TASK_CHARS = 1_500
WIRE = REPO / "data" / "eval" / "wire.jsonl"
# The test corpus: the sample's texts, the wire set's rows and two documents written here.
DOCUMENTS = len(list(SAMPLE.glob("*.txt"))) + len(WIRE.read_text(encoding="utf-8").splitlines()) + 2
EVERY_FORMAT = tuple(FORMATS)
runner = CliRunner()
# The real recognizer, kept before a test replaces it (here and in the workers).
_recognize = graph.recognize.recognize


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """The sample corpus, the wire-copy texts and two documents written here (one a
    copy of the other's text): DOCUMENTS documents, about 29,000 characters."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus / "sample")
    shutil.copy(WIRE, corpus / "wire.jsonl")
    story = "Angela Merkel flew to Paris.\n\nEmmanuel Macron met her at the Elysee with Olaf Scholz.\n"
    (corpus / "merkel.txt").write_text(story, encoding="utf-8")
    (corpus / "merkel-copy.md").write_text(story, encoding="utf-8")
    return corpus


@pytest.fixture()
def small_batches(monkeypatch) -> None:
    monkeypatch.setattr("graph.languages.TASK_CHARS", SMALL_TASK_CHARS)


@pytest.fixture()
def local_output(corpus, tmp_path) -> dict[str, bytes]:
    """The corpus built by the local engine, in this process."""
    out = tmp_path / "local"
    build([corpus], out, BuildOptions(engine="local", workers=1, no_cache=True, formats=EVERY_FORMAT))
    return _outputs(out)


class Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.total = self.cached = self.extracted = self.batches = 0

    def start(self, documents: int, cached: int) -> None:
        self.total, self.cached = documents, cached

    def advance(self, documents: int, words: int) -> None:
        self.extracted += documents
        self.batches += 1


def _outputs(directory: Path) -> dict[str, object]:
    """The files written (a folder's as a dict), not the cache and the store: the build's
    record numbers documents in the order their results came back."""
    return {
        p.name: _outputs(p) if p.is_dir() else p.read_bytes()
        for p in sorted(directory.iterdir()) if p.name not in (CACHE_NAME, STORE_NAME)
    }  # fmt: skip


def test_a_local_cluster_of_two_workers_writes_what_the_local_engine_writes(
    corpus, small_batches, local_output, tmp_path
):
    out = tmp_path / "dask"
    progress = Recorder()
    options = BuildOptions(engine="dask", workers=2, no_cache=True, formats=EVERY_FORMAT)
    summary = build([corpus], out, options, progress=progress)
    assert sorted(local_output) == sorted(f.file for f in FORMATS.values())
    assert _outputs(out) == local_output
    assert (summary.documents, progress.total, progress.extracted) == (DOCUMENTS, DOCUMENTS, DOCUMENTS - 1)
    assert progress.batches > 4  # more batches than the four in flight at once


def test_a_dask_build_finding_half_the_documents_in_the_cache_writes_the_same_bytes(
    corpus, small_batches, local_output, dask_cluster, tmp_path
):
    half = tmp_path / "half"
    shutil.copytree(corpus / "sample", half / "sample")
    shutil.copy(corpus / "merkel.txt", half / "merkel.txt")
    wire = WIRE.read_text(encoding="utf-8").splitlines(keepends=True)
    (half / "wire-part.jsonl").write_text("".join(wire[:2]), encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    options = BuildOptions(
        engine="dask", scheduler=dask_cluster.scheduler_address, cache=cache, formats=EVERY_FORMAT
    )
    build([half], tmp_path / "first", options)

    progress = Recorder()
    summary = build([corpus], tmp_path / "second", options, progress=progress)
    # The cache is keyed by text, not by id: 8 documents found, and merkel-copy.md, whose
    # text is merkel.txt's, makes 9.
    assert (progress.total, progress.cached, progress.extracted) == (DOCUMENTS, 9, DOCUMENTS - 9)
    assert summary.cached == 9
    assert _outputs(tmp_path / "second") == local_output


def _loads(names: tuple[str, ...]) -> int:
    """How many of the pipelines `names` a worker had to load (not loaded before)."""
    before = model.cache_info().misses
    for name in names:
        model(name, SENTENCES)
    return model.cache_info().misses - before


def test_a_mixed_corpus_on_dask_writes_what_the_local_engine_writes_each_pipeline_preloaded(
    small_batches, dask_cluster, tmp_path
):
    from distributed import Client

    corpus = mixed_corpus(tmp_path)
    outputs = {}
    for engine in ("local", "dask"):
        scheduler = dask_cluster.scheduler_address if engine == "dask" else None
        options = BuildOptions(model=MIXED, engine=engine, scheduler=scheduler, workers=None if scheduler else 1,
                               no_cache=True, formats=EVERY_FORMAT)  # fmt: skip
        build([corpus], tmp_path / engine, options)
        outputs[engine] = _outputs(tmp_path / engine)
    assert outputs["dask"] == outputs["local"]
    assert b"fr-elysee.txt,fr-elysee.txt,,2,5,fr,detected" in outputs["dask"]["documents.csv"]
    with Client(dask_cluster.scheduler_address) as client:
        assert set(client.run(_loads, (ENGLISH, "fr_core_news_sm")).values()) == {0}


def _hold_until_released(gate: Path, nlp, documents, **kwargs):
    """A worker's recognizer that says which process holds a batch, then waits for the
    test to let it go: the kill below then always lands on a batch in flight."""
    (gate / f"started-{os.getpid()}").touch()
    while not (gate / "release").exists():
        time.sleep(0.01)
    return _recognize(nlp, documents, **kwargs)


def _started_pid(gate: Path, timeout: float = 120.0) -> int:
    deadline = time.monotonic() + timeout
    while not (started := sorted(gate.glob("started-*"))):
        assert time.monotonic() < deadline, "no batch started on a worker"
        time.sleep(0.01)
    return int(started[0].name.removeprefix("started-"))


def test_a_worker_killed_mid_build_has_its_batches_run_again(corpus, small_batches, local_output, tmp_path):
    from distributed import Client, LocalCluster

    gate = tmp_path / "gate"
    gate.mkdir()
    killed: list[int] = []

    def kill_the_first_busy_worker_then_release_the_rest() -> None:
        killed.append(_started_pid(gate))
        os.kill(killed[0], signal.SIGKILL)
        (gate / "release").touch()

    with LocalCluster(**DASK_CLUSTER) as cluster, Client(cluster) as client:
        before = client.run(os.getpid)
        # The nanny's new worker imports the real recognizer: nothing holds it.
        client.run(_recognize_with, functools.partial(_hold_until_released, gate))
        killer = threading.Thread(target=kill_the_first_busy_worker_then_release_the_rest)
        killer.start()
        progress = Recorder()
        out = tmp_path / "dask"
        options = BuildOptions(
            engine="dask", scheduler=cluster.scheduler_address, no_cache=True, formats=EVERY_FORMAT
        )
        try:
            build([corpus], out, options, progress=progress)
        finally:
            (gate / "release").touch()
            killer.join()
        client.wait_for_workers(2, timeout=60)  # the nanny starts a new worker in its place
        after = client.run(os.getpid)
    assert killed and killed[0] in before.values() and killed[0] not in after.values()
    assert progress.extracted == DOCUMENTS - 1
    assert _outputs(out) == local_output


def _fail_on_poison(nlp, documents, **kwargs):
    for document in documents:
        if document.doc_id == "poison.txt":
            raise ValueError(f"spaCy choked on {document.doc_id}")
    return _recognize(nlp, documents, **kwargs)


def _recognize_with(replacement) -> None:
    graph.recognize.recognize = replacement


def test_a_document_that_fails_fails_a_dask_build_as_it_fails_a_local_one(
    corpus, monkeypatch, dask_cluster, tmp_path
):
    (corpus / "poison.txt").write_text("Boris Johnson left Downing Street.\n", encoding="utf-8")
    monkeypatch.setattr("graph.recognize.recognize", _fail_on_poison)
    with pytest.raises(ValueError) as local:
        build([corpus], tmp_path / "local", BuildOptions(workers=1, no_cache=True))

    from distributed import Client

    with Client(dask_cluster) as client:
        client.run(_recognize_with, _fail_on_poison)
        try:
            options = BuildOptions(engine="dask", scheduler=dask_cluster.scheduler_address, no_cache=True)
            with pytest.raises(ValueError) as remote:
                build([corpus], tmp_path / "dask", options)
        finally:
            client.run(_recognize_with, _recognize)
    assert str(remote.value) == str(local.value) == "spaCy choked on poison.txt"
    assert not list(tmp_path.glob("dask/graph.*"))


def _die_on_poison(nlp, documents, **kwargs):
    if any(document.doc_id == "poison.txt" for document in documents):
        os._exit(1)
    return _recognize(nlp, documents, **kwargs)


def test_a_batch_that_kills_its_workers_is_a_one_line_error(tmp_path):
    import dask
    from distributed import Client, LocalCluster

    poison = tmp_path / "poison.txt"
    poison.write_text("Boris Johnson left Downing Street.\n", encoding="utf-8")
    # One death is enough to give up (the default allows three, each a worker restart).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with LocalCluster(**DASK_CLUSTER) as cluster, Client(cluster) as client:
            client.run(_recognize_with, _die_on_poison)
            options = BuildOptions(engine="dask", scheduler=cluster.scheduler_address, no_cache=True)
            with pytest.raises(EntigraphError) as error:
                build([poison], tmp_path / "out", options)
    assert str(error.value) == (
        "the batch of poison.txt killed 1 Dask worker (out of memory, or a crash in spaCy)"
    )


def test_with_every_document_cached_no_cluster_is_needed():
    # An address where nothing listens: connecting would fail after a timeout.
    engine = DaskEngine(scheduler="tcp://127.0.0.1:9")
    assert list(engine.run(iter([]))) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--engine", "spark"], "unknown engine 'spark'; choose one of: local, dask", id="unknown"),
        pytest.param(
            ["--scheduler", "tcp://h:8786"], "a scheduler address (tcp://h:8786) needs the dask engine",
            id="scheduler-without-dask",
        ),
        pytest.param(
            ["--engine", "dask", "--scheduler", "tcp://h:8786", "--workers", "4"],
            "4 workers asked for, but the cluster at tcp://h:8786 has its own", id="workers-with-scheduler",
        ),
    ],
)
def test_engine_options_that_cannot_work_are_bad_usage(story, tmp_path, args, message):
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "out"), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert not (tmp_path / "out").exists()


def test_without_dask_the_error_names_the_extra(story, tmp_path, monkeypatch):
    # None in sys.modules makes `import distributed` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "graph.engines.dask")
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "out"), "--engine", "dask"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: the dask engine needs the optional extra: pip install 'entigraph[dask]'\n"
    )

