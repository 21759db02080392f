"""The edge builder: one node per entity, one edge per co-occurring pair, with evidence."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.edges import build_graph
from graph.model import TYPE_COLORS
from graph.resolve import resolve
from tests.conftest import extraction

CORPUS = [
    extraction(
        "a.txt",
        [("Hamas", "ORG"), ("Cairo", "PLACE")],
        [("Hamas", "ORG"), ("Cairo", "PLACE"), ("Hassan Rashad", "PERSON")],
        [("Hamas", "ORG"), ("Hamas", "ORG")],
    ),
    extraction("b.txt", [("Cairo", "PLACE"), ("Hamas", "ORG")], [("Doha", "PLACE")]),
]


@pytest.fixture()
def graph():
    return build_graph(CORPUS, resolve(CORPUS), evidence=2)


def test_nodes_carry_counts_type_and_colour(graph):
    hamas = graph.nodes["ORG_hamas"]
    assert hamas["label"] == "Hamas"
    assert hamas["type"] == "ORG"
    assert hamas["mentions"] == 5
    assert hamas["documents"] == 2
    assert hamas["color"] == TYPE_COLORS["ORG"]
    assert "community" in hamas


@pytest.mark.parametrize(
    ("pair", "weight", "documents"),
    [
        pytest.param(("ORG_hamas", "PLACE_cairo"), 3.0, 2, id="three-sentences-two-docs"),
        pytest.param(("ORG_hamas", "PERSON_hassan_rashad"), 1.0, 1, id="one-sentence"),
        pytest.param(("PERSON_hassan_rashad", "PLACE_cairo"), 1.0, 1, id="third-in-sentence"),
    ],
)
def test_edge_weight_counts_sentences_and_documents(graph, pair, weight, documents):
    data = graph.edges[pair]
    assert data["weight"] == weight
    assert isinstance(data["weight"], float)
    assert data["documents"] == documents


def test_a_name_twice_in_one_sentence_makes_no_self_loop(graph):
    assert nx.number_of_selfloops(graph) == 0


def test_entity_alone_in_its_sentences_is_a_node_without_edges(graph):
    assert graph.degree["PLACE_doha"] == 0


def test_evidence_is_capped_and_quotes_the_sentences(graph):
    evidence = graph.edges["ORG_hamas", "PLACE_cairo"]["evidence"]
    assert [e.doc_id for e in evidence] == ["a.txt", "a.txt"]
    assert evidence[0].text == "Hamas and Cairo."
    assert evidence[1].text == "Hamas and Cairo and Hassan Rashad."


def test_word_for_word_repeated_sentence_is_kept_once_as_evidence():
    corpus = [
        extraction("a.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")]),
        extraction("copy.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")]),
    ]
    graph = build_graph(corpus, resolve(corpus), evidence=3)
    edge = graph.edges["ORG_hamas", "PLACE_cairo"]
    assert edge["weight"] == 2.0
    assert [e.doc_id for e in edge["evidence"]] == ["a.txt"]


def test_same_input_gives_same_graph_order():
    first = build_graph(CORPUS, resolve(CORPUS))
    second = build_graph(list(CORPUS), resolve(list(CORPUS)))
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True)) == list(second.edges(data=True))
