"""Property tests for the writers that carry document text: whatever the text, GraphML
reads back to the same values in networkx and igraph (less the characters XML 1.0
cannot carry, which the writer drops), and the HTML page keeps it inert data."""

from __future__ import annotations

import html
import json
import re
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import igraph
import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.export.graphml import write_graphml, xml_text
from graph.export.html import render_html
from graph.model import TYPE_COLORS, Evidence
from tests.conftest import store_of

# Any Unicode hypothesis draws (surrogates aside: the reader replaces lone ones), with
# the characters markup and XML treat specially drawn more often.
_TRICKY = "<>&\"'/\\{}$`=\r\n\t\x00\x01\x0b\x1f\x7f\x85\u2028\u2029\ufeff\ufffe\uffff"
texts = st.text(st.characters(exclude_categories=("Cs",)) | st.sampled_from(_TRICKY), max_size=60)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def graphs(draw) -> nx.Graph:
    """Graphs shaped like the edge builder's, every string attribute drawn from `texts`."""
    graph = nx.Graph()
    count = draw(st.integers(min_value=1, max_value=5))
    for number in range(count):
        kind = draw(st.sampled_from(sorted(TYPE_COLORS)))
        graph.add_node(
            f"{kind}_{number}",
            label=draw(texts),
            type=kind,
            mentions=draw(st.integers(min_value=1, max_value=10_000)),
            documents=draw(st.integers(min_value=1, max_value=100)),
            aliases=tuple(draw(st.lists(texts, max_size=3))),
            merges=tuple(draw(st.lists(texts, max_size=2))),
            color=TYPE_COLORS[kind],
            community=draw(st.integers(min_value=0, max_value=9)),
        )
    ids = list(graph.nodes)
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] < p[1])
    for a, b in draw(st.lists(pairs, max_size=6, unique=True)):
        evidence = tuple(
            Evidence(draw(texts), start, start + 10, draw(texts))
            for start in draw(st.lists(st.integers(min_value=0, max_value=10**6), max_size=3))
        )
        graph.add_edge(
            a,
            b,
            weight=float(draw(st.integers(min_value=1, max_value=1000))),
            documents=draw(st.integers(min_value=1, max_value=100)),
            evidence=evidence,
        )
    return graph


def _expected_graphml(graph: nx.Graph) -> tuple[dict, dict]:
    """The string values the GraphML must carry, as the writer documents them (aliases
    as the store holds them: each once, in order)."""
    nodes = {
        node: {
            "label": xml_text(data["label"]),
            "aliases": xml_text(" | ".join(sorted(set(data["aliases"])))),
            "merges": xml_text("\n".join(data["merges"])),
        }
        for node, data in graph.nodes(data=True)
    }
    edges = {
        frozenset((a, b)): xml_text("\n".join(f"[{e.doc_id}] {e.text}" for e in evidence))
        for a, b, evidence in graph.edges(data="evidence")
    }
    return nodes, edges


@SETTINGS
@given(graphs())
def test_graphml_round_trips_any_text_through_networkx_and_igraph(graph):
    nodes, edges = _expected_graphml(graph)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "graph.graphml"
        write_graphml(store_of(graph), path)
        back = nx.read_graphml(path)
        loaded = igraph.Graph.Read_GraphML(str(path))

    # networkx leaves an empty <data> element out of the attributes; igraph gives "".
    assert {
        node: {key: back.nodes[node].get(key, "") for key in ("label", "aliases", "merges")}
        for node in back.nodes
    } == nodes
    assert {frozenset((a, b)): e.get("evidence", "") for a, b, e in back.edges(data=True)} == edges

    assert {
        v["id"]: {key: v[key] for key in ("label", "aliases", "merges")} for v in loaded.vs
    } == nodes
    ids = loaded.vs["id"]
    assert {frozenset((ids[e.source], ids[e.target])): e["evidence"] for e in loaded.es} == edges


class _Structure(HTMLParser):
    """The elements of a page, in order, with their attributes: what script could hide in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.tags.append(("end", tag))

    def handle_comment(self, data):
        self.tags.append(("comment", data))


def _structure(page: str) -> list[tuple]:
    parser = _Structure()
    parser.feed(page)
    parser.close()
    return parser.tags


REFERENCE = _structure(render_html(nx.Graph(), title="entigraph"))
_DATA = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.DOTALL)


@SETTINGS
@given(graphs(), texts)
def test_html_page_keeps_any_text_inert_data(graph, title):
    page = render_html(graph, title=title)
    # The same elements and attributes as a page of an empty graph: no text made markup.
    assert _structure(page) == REFERENCE
    assert f"<title>{html.escape(title)}</title>" in page

    data = _DATA.findall(page)
    assert len(data) == 1
    assert "<" not in data[0]  # nothing in the data can end or re-open the script element
    # Every string of the graph is in the data, unchanged, whatever shape the page uses
    # (once: a document id or a sentence two links share is carried once).
    drawn = {text for _, d in graph.nodes(data=True) for text in (d["label"], *d["aliases"], *d["merges"])} | {
        text for _, _, ev in graph.edges(data="evidence") for e in ev for text in (e.doc_id, e.text)
    }
    assert drawn <= set(_strings(json.loads(data[0])))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
