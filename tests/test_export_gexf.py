"""The GEXF exporter: valid against the GEXF 1.3 RELAX NG schema, read back by networkx
with colours, sizes and positions, and dynamic only when the graph has dates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import networkx as nx
import pytest

from graph.analytics import add_centralities
from graph.errors import OutputError
from graph.export import write_outputs
from graph.export.gexf import write_gexf, write_gexf_graph
from graph.export.graphml import node_size
from graph.layout import layout
from tests.browser import XSS_PAYLOADS, news_graph, xss_graph
from tests.conftest import SCHEMAS, built, extraction, recorded

GEXF_RNG = SCHEMAS / "gexf-1.3-rng" / "gexf.rng"
CORPUS = [
    extraction(
        "a.txt",
        [("Benjamin Netanyahu", "PERSON"), ("Cairo", "PLACE"), ("Hamas", "ORG")],
        [("Hamas", "ORG"), ("Cairo", "PLACE")],
    ),
    extraction("b.txt", [("Zoë «Ünïcode» <b>&amp;</b>", "PERSON"), ("Cairo", "PLACE")]),
]


def dated_news_graph() -> nx.Graph:
    """news_graph with first/last seen dates on every node and edge, of three kinds."""
    import datetime as dt

    g = news_graph()
    add_centralities(g)
    for i, node in enumerate(sorted(g)):
        g.nodes[node]["first_seen"] = f"2024-03-{i + 1:02d}"
        g.nodes[node]["last_seen"] = dt.date(2024, 4, i + 1)
    for i, (u, v) in enumerate(sorted(g.edges)):
        g.edges[u, v]["first_seen"] = dt.datetime(2024, 3, 10 + i, 15, 30)
        g.edges[u, v]["last_seen"] = "2024-04-20T08:00:00+02:00"
    return g


def validate(xmllint: str, path: Path) -> None:
    result = subprocess.run(
        [xmllint, "--noout", "--nonet", "--relaxng", str(GEXF_RNG), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: built(CORPUS), id="edge-builder"),
        pytest.param(dated_news_graph, id="with-dates"),
        pytest.param(xss_graph, id="markup-in-text"),
        pytest.param(nx.Graph, id="empty"),
    ],
)
def test_validates_against_the_gexf_13_schema(make, xmllint: str, tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    write_gexf_graph(make(), path)
    validate(xmllint, path)


def test_networkx_reads_back_colours_sizes_positions_and_attributes(tmp_path: Path) -> None:
    graph = built(CORPUS)
    path = tmp_path / "graph.gexf"
    write_gexf_graph(graph, path)
    back = nx.read_gexf(path, version="1.3")
    assert back.graph["mode"] == "static"
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    positions = layout(graph)
    top = max(m for _, m in graph.nodes(data="mentions"))
    for node, data in graph.nodes(data=True):
        got = back.nodes[node]
        assert got["label"] == data["label"]
        colour = data["color"]
        assert got["viz"]["color"] == {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}
        assert got["viz"]["size"] == node_size(data["mentions"], top)
        assert got["viz"]["position"] == {"x": positions[node][0], "y": -positions[node][1], "z": 0.0}
        for key in ("type", "mentions", "documents", "community", "degree", "weighted_degree", "pagerank", "betweenness"):
            assert got[key] == data[key], key
        assert got["aliases"] == " | ".join(data["aliases"])
        assert "start" not in got and "end" not in got
    assert "Zoë «Ünïcode» <b>&amp;</b>" in {d["label"] for _, d in back.nodes(data=True)}
    edge = back.edges["ORG_hamas", "PLACE_cairo"]
    assert (edge["weight"], edge["documents"]) == (2.0, 1)
    assert edge["evidence"].splitlines()[0].startswith("[a.txt] ")


def test_dates_make_a_dynamic_graph_with_start_and_end(tmp_path: Path) -> None:
    graph = dated_news_graph()
    path = tmp_path / "graph.gexf"
    write_gexf_graph(graph, path)
    text = path.read_text(encoding="utf-8")
    assert '<graph defaultedgetype="undirected" mode="dynamic" timeformat="date">' in text
    back = nx.read_gexf(path, version="1.3")
    assert back.graph["mode"] == "dynamic"
    first = sorted(graph)[0]
    assert (back.nodes[first]["start"], back.nodes[first]["end"]) == ("2024-03-01", "2024-04-01")
    u, v = sorted(graph.edges)[0]
    assert (back.edges[u, v]["start"], back.edges[u, v]["end"]) == ("2024-03-10", "2024-04-20")


def test_a_bad_date_is_an_output_error_naming_it(tmp_path: Path) -> None:
    graph = news_graph()
    graph.nodes["PLACE_gaza"]["first_seen"] = "last Tuesday"
    with pytest.raises(OutputError, match="node PLACE_gaza first_seen 'last Tuesday' is not an ISO 8601 date"):
        write_gexf_graph(graph, tmp_path / "graph.gexf")
    assert list(tmp_path.iterdir()) == []


def test_edge_sources_and_npmi_are_written_when_present(tmp_path: Path) -> None:
    graph = news_graph()
    graph.edges["ORG_hamas", "PLACE_gaza"].update(sources=2, npmi=0.5)
    path = tmp_path / "graph.gexf"
    write_gexf_graph(graph, path)
    back = nx.read_gexf(path, version="1.3")
    assert (back.edges["ORG_hamas", "PLACE_gaza"]["sources"], back.edges["ORG_hamas", "PLACE_gaza"]["npmi"]) == (2, 0.5)
    assert "npmi" not in back.edges["ORG_hamas", "PERSON_benjamin_netanyahu"]


def test_script_payloads_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    write_gexf_graph(xss_graph(), path)
    labels = {d["label"] for _, d in nx.read_gexf(path, version="1.3").nodes(data=True)}
    assert {f"P{i} {p}" for i, p in enumerate(XSS_PAYLOADS)} <= labels
    assert b"<script>" not in path.read_bytes()


def test_root_carries_no_schema_location_and_graph_no_name(tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    write_gexf_graph(news_graph(), path)
    head = path.read_text(encoding="utf-8").splitlines()[:5]
    assert head[1] == '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">'
    assert "schemaLocation" not in path.read_text(encoding="utf-8")


def test_same_graph_any_insertion_order_gives_identical_bytes(tmp_path: Path) -> None:
    forward = built(CORPUS)
    backward = nx.Graph()
    backward.add_nodes_from(reversed(list(forward.nodes(data=True))))
    backward.add_edges_from((v, u, d) for u, v, d in reversed(list(forward.edges(data=True))))
    write_gexf_graph(forward, tmp_path / "a.gexf")
    write_gexf_graph(backward, tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()


def test_write_outputs_writes_gexf_only_when_asked(tmp_path: Path) -> None:
    store = recorded(CORPUS)
    written = write_outputs(store, tmp_path / "out", formats=("graphml", "gexf"))
    assert [p.name for p in written] == ["graph.graphml", "graph.gexf"]
    default = write_outputs(store, tmp_path / "default")
    assert [p.name for p in default] == ["graph.graphml", "graph.html", "mentions.csv", "relations.csv", "documents.csv"]


def test_the_store_is_written_as_the_graph_it_holds(tmp_path: Path) -> None:
    store = recorded(CORPUS)
    write_gexf(store, tmp_path / "a.gexf")
    write_gexf_graph(built(CORPUS), tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()


def test_relations_and_phrases_are_edge_attributes_only_where_an_edge_has_them(tmp_path, xmllint):
    from xml.etree import ElementTree as ET

    from tests.browser import related_graph

    path = tmp_path / "related.gexf"
    write_gexf_graph(related_graph(), path)
    validate(xmllint, path)
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.parse(path).getroot()
    declared = {a.get("title"): a.get("id") for a in root.iterfind(".//g:attributes[@class='edge']/g:attribute", ns)}
    assert {"relations", "phrases"} <= set(declared)
    values = {
        (e.get("source"), e.get("target")): {v.get("for"): v.get("value") for v in e.iterfind(".//g:attvalue", ns)}
        for e in root.iterfind(".//g:edge", ns)
    }
    sinwar = values["ORG_hamas", "PERSON_yahya_sinwar"]
    assert sinwar[declared["relations"]] == "head_of:Yahya Sinwar>Hamas 3"
    assert sinwar[declared["phrases"]] == "lead 3; praise 1"
    assert declared["relations"] not in values["ORG_hamas", "PLACE_gaza"]
