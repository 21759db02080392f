"""The GraphML exporter: valid against the schema, read back intact by networkx and igraph."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from xml.etree import ElementTree as ET
from pathlib import Path

import igraph
import networkx as nx
import pytest

from graph.export.graphml import GRAPHML_NS, write_graphml
from graph.model import TYPE_COLORS, DocumentInfo, Relation
from graph.store.graphs import to_networkx
from tests.conftest import GRAPHML_XSD, extraction, recorded

CORPUS = [
    extraction(
        "a.txt",
        [("Benjamin Netanyahu", "PERSON"), ("Cairo", "PLACE"), ("Hamas", "ORG")],
        [("Hamas", "ORG"), ("Cairo", "PLACE")],
    ),
    extraction("b.txt", [("Zoë «Ünïcode» <b>&amp;</b>", "PERSON"), ("Cairo", "PLACE")]),
]


@pytest.fixture()
def written(tmp_path) -> tuple[nx.Graph, Path]:
    store = recorded(CORPUS)
    path = tmp_path / "graph.graphml"
    write_graphml(store, path)
    return to_networkx(store), path


def test_validates_against_the_graphml_schema(written, xmllint):
    _, path = written
    result = subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(GRAPHML_XSD), str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_declares_utf8_and_puts_nodes_before_edges(written):
    _, path = written
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert text.rindex("<node ") < text.index("<edge ")


def test_networkx_reads_back_every_attribute(written):
    graph, path = written
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    node = back.nodes["PERSON_benjamin_netanyahu"]
    assert node["label"] == "Benjamin Netanyahu"
    assert node["type"] == "PERSON"
    assert node["mentions"] == 1
    assert node["color"] == TYPE_COLORS["PERSON"]
    assert (node["r"], node["g"], node["b"]) == (0xE1, 0x57, 0x59)
    assert isinstance(node["size"], float)
    edge = back.edges["ORG_hamas", "PLACE_cairo"]
    assert edge["weight"] == 2.0
    assert edge["documents"] == 1
    assert edge["evidence"].splitlines()[0].startswith("[a.txt] ")


def test_igraph_reads_back_nodes_edges_and_weights(written):
    graph, path = written
    back = igraph.Graph.Read_GraphML(str(path))
    assert sorted(back.vs["id"]) == sorted(graph.nodes)
    weights = {
        frozenset((back.vs[e.source]["id"], back.vs[e.target]["id"])): e["weight"]
        for e in back.es
    }
    assert weights == {frozenset((u, v)): d["weight"] for u, v, d in graph.edges(data=True)}
    assert sorted(back.vs["label"]) == sorted(nx.get_node_attributes(graph, "label").values())
    assert "Zoë «Ünïcode» <b>&amp;</b>" in back.vs["label"]


def test_control_characters_are_dropped_and_the_file_stays_well_formed(tmp_path):
    corpus = [extraction("a.txt", [("Bad\x00\x1bName", "PERSON"), ("Cairo", "PLACE")])]
    path = tmp_path / "g.graphml"
    write_graphml(recorded(corpus), path)
    labels = nx.get_node_attributes(nx.read_graphml(path), "label")
    assert "BadName" in labels.values()


def test_node_ids_are_xml_name_tokens(written):
    graph, _ = written
    for node in graph.nodes:
        assert " " not in node and "<" not in node and "&" not in node


def test_sources_npmi_and_dates_are_written_with_their_types(tmp_path, xmllint):
    corpus = [*CORPUS, extraction("a-copy.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")])]
    documents = [DocumentInfo("a.txt", 0, "2025-04-14"), DocumentInfo("b.txt", 1), DocumentInfo("a-copy.txt", 0, "2025-04-16")]
    store = recorded(corpus, documents=documents)
    graph = to_networkx(store)
    path = tmp_path / "g.graphml"
    write_graphml(store, path)
    keys = {
        (key.get("for"), key.get("attr.name")): key.get("attr.type")
        for key in ET.parse(path).getroot().iter(f"{{{GRAPHML_NS}}}key")
    }
    assert {k: keys[k] for k in [
        ("edge", "sources"), ("edge", "npmi"), ("edge", "first_seen"), ("edge", "last_seen"),
        ("node", "sources"), ("node", "first_seen"), ("node", "last_seen"),
    ]} == {
        ("edge", "sources"): "int", ("edge", "npmi"): "double", ("edge", "first_seen"): "string",
        ("edge", "last_seen"): "string", ("node", "sources"): "int", ("node", "first_seen"): "string",
        ("node", "last_seen"): "string",
    }
    back = nx.read_graphml(path)
    edge = back.edges["ORG_hamas", "PLACE_cairo"]
    assert (edge["weight"], edge["documents"], edge["sources"]) == (3.0, 2, 1)
    assert edge["npmi"] == graph.edges["ORG_hamas", "PLACE_cairo"]["npmi"]
    assert isinstance(edge["npmi"], float) and -1 <= edge["npmi"] <= 1
    assert (edge["first_seen"], edge["last_seen"]) == ("2025-04-14", "2025-04-16")
    assert back.nodes["PLACE_cairo"]["sources"] == 2
    assert (back.graph["documents"], back.graph["statements"], back.graph["window"]) == (3, 4, "sentence")
    assert "first_seen" not in back.nodes["PERSON_zoë_ünïcode_b_amp_b"]
    assert igraph.Graph.Read_GraphML(str(path)).es["npmi"] == [d["npmi"] for _, _, d in graph.edges(data=True)]
    result = subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(GRAPHML_XSD), str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_centralities_are_typed_keys_gephi_can_rank_by(written):
    graph, path = written
    text = path.read_text(encoding="utf-8")
    for name, kind in (("degree", "int"), ("weighted_degree", "double"), ("pagerank", "double"),
                       ("betweenness", "double")):  # fmt: skip
        assert f'<key id="{name}" for="node" attr.name="{name}" attr.type="{kind}" />' in text
    back = nx.read_graphml(path)
    for node, data in graph.nodes(data=True):
        got = back.nodes[node]
        assert (got["degree"], got["weighted_degree"]) == (data["degree"], data["weighted_degree"])
        assert (got["pagerank"], got["betweenness"]) == (data["pagerank"], data["betweenness"])
    assert back.nodes["ORG_hamas"]["degree"] == 2 and back.nodes["PLACE_cairo"]["degree"] == 3
    assert isinstance(back.nodes["ORG_hamas"]["pagerank"], float)


def test_same_input_gives_identical_bytes(tmp_path):
    write_graphml(recorded(CORPUS), tmp_path / "a.graphml")
    write_graphml(recorded(CORPUS), tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()


def test_relations_and_phrases_are_strings_with_their_direction(tmp_path, xmllint):
    made = extraction("a.txt", [("Hassan Rashad", "PERSON"), ("Egyptian General Intelligence", "ORG")])
    relations = (Relation(0, 1, "head_of", "head of"), Relation(1, 0, "", "send"), Relation(0, 1, "", "head of"))
    related = replace(made, statements=(replace(made.statements[0], relations=relations),))
    corpus = [related, replace(related, doc_id="b.txt")]
    path = tmp_path / "graph.graphml"
    write_graphml(recorded(corpus), path)
    subprocess.run([xmllint, "--noout", "--schema", str(GRAPHML_XSD), str(path)], check=True, capture_output=True)
    edge = nx.read_graphml(path).edges["PERSON_hassan_rashad", "ORG_egyptian_general_intelligence"]
    assert edge["relations"] == "head_of:Hassan Rashad>Egyptian General Intelligence 2"
    assert edge["phrases"] == "head of 2; send 2"
    write_graphml(recorded(CORPUS), path)
    assert all("relations" not in d and "phrases" not in d for _, _, d in nx.read_graphml(path).edges(data=True))
