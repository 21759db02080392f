"""Extraction: the unit of work and the engines that run it, with the real model."""

from __future__ import annotations

import pickle

import pytest

from graph.engines import (
    MIN_CHARS_PER_WORKER,
    Batch,
    ExtractSettings,
    InProcess,
    ProcessPool,
    choose_engine,
    cores,
    extract,
)
from graph.model import Document
from graph.store import STORE_NAME
from graph.pipeline import BuildOptions, build
from tests.conftest import SAMPLE

DOCUMENTS = [
    Document("d1", "Hassan Rashad met Hamas leaders in Cairo."),
    Document("d2", "Angela Merkel flew to Paris.\n\nEmmanuel Macron met her at the Elysee."),
    Document("d3", "Nothing here names anyone."),
]


def test_the_unit_of_work_and_its_settings_travel_by_pickle():
    settings = ExtractSettings(types=("PERSON",))
    assert pickle.loads(pickle.dumps(extract)) is extract
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert pickle.loads(pickle.dumps(DOCUMENTS)) == DOCUMENTS


def test_a_process_pool_gives_what_this_process_gives(nlp):
    settings = ExtractSettings()
    batches = [Batch("first", settings, DOCUMENTS[:2]), Batch("second", settings, DOCUMENTS[2:])]
    here = dict(InProcess(nlp).run(batches))
    pooled = dict(ProcessPool(2).run(batches))
    assert pooled == here
    assert [e.doc_id for e in here["first"]] == ["d1", "d2"]
    assert {m.text for e in here["first"] for m in e.mentions} >= {"Hassan Rashad", "Cairo", "Paris"}


@pytest.mark.parametrize(
    ("workers", "chars", "engine", "processes"),
    [
        pytest.param(None, 1_000, InProcess, None, id="small-input-one-process"),
        pytest.param(None, 10 * MIN_CHARS_PER_WORKER, ProcessPool if cores() > 1 else InProcess,
                     min(cores(), 10) if cores() > 1 else None, id="big-input-every-core"),
        pytest.param(1, 10 * MIN_CHARS_PER_WORKER, InProcess, None, id="one-asked-for"),
        pytest.param(2, 1_000, ProcessPool, 2, id="two-asked-for-even-when-small"),
    ],
)
def test_the_engine_fits_the_work(workers, chars, engine, processes):
    chosen = choose_engine(workers, chars)
    assert type(chosen) is engine
    if processes is not None:
        assert chosen.workers == processes


def test_one_or_two_workers_write_the_same_bytes(tmp_path):
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        build([SAMPLE], out, BuildOptions(workers=workers, no_cache=True))
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != STORE_NAME})
    assert sorted(outputs[0]) == ["documents.csv", "graph.graphml", "graph.html", "mentions.csv", "relations.csv"]
    assert outputs[0] == outputs[1]
