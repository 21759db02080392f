"""The edge builder: one node per entity, one edge per co-occurring pair, with evidence."""

from __future__ import annotations

import math
from dataclasses import replace

import networkx as nx
import pytest

from graph.edges import npmi
from graph.errors import EntigraphError
from graph.model import TYPE_COLORS, DocumentInfo, Extraction, Relation
from tests.conftest import built, extraction

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
    return built(CORPUS, evidence=2)


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
    graph = built(corpus, evidence=3)
    edge = graph.edges["ORG_hamas", "PLACE_cairo"]
    assert edge["weight"] == 2.0
    assert [e.doc_id for e in edge["evidence"]] == ["a.txt"]


def test_same_input_gives_same_graph_order():
    first = built(CORPUS)
    second = built(list(CORPUS))
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(data=True)) == list(second.edges(data=True))


# -- sources, npmi, dates, windows, filters ----------------------------------------------

# x.txt and its copy x2.txt (one group), y.txt on its own; Hamas is in every statement.
SYNDICATED = [
    extraction("x.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")], [("Hamas", "ORG"), ("Mossad", "ORG"), ("Ronen Bar", "PERSON")]),
    extraction("x2.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")]),
    extraction("y.txt", [("Hamas", "ORG"), ("Doha", "PLACE")], [("Hamas", "ORG")]),
]
INFO = [
    DocumentInfo("x.txt", 0, "2025-04-14"),
    DocumentInfo("x2.txt", 0, "2025-04-16"),
    DocumentInfo("y.txt", 2, None),
]


@pytest.fixture()
def syndicated():
    return built(SYNDICATED, documents=INFO)


def test_copies_of_one_story_count_once_as_sources(syndicated):
    edge = syndicated.edges["ORG_hamas", "PLACE_cairo"]
    assert (edge["weight"], edge["documents"], edge["sources"]) == (2.0, 2, 1)
    assert syndicated.nodes["ORG_hamas"]["documents"] == 3
    assert syndicated.nodes["ORG_hamas"]["sources"] == 2


def test_without_document_infos_every_document_is_its_own_source():
    graph = built(SYNDICATED)
    edge = graph.edges["ORG_hamas", "PLACE_cairo"]
    assert edge["sources"] == edge["documents"] == 2
    assert "first_seen" not in edge


@pytest.mark.parametrize(
    ("both", "first", "second", "total", "expected"),
    [
        pytest.param(1, 1, 1, 10, 1.0, id="only-ever-together"),
        pytest.param(5, 5, 5, 5, 1.0, id="in-every-statement"),
        pytest.param(1, 5, 5, 10, math.log(0.1 / 0.25) / -math.log(0.1), id="less-than-chance"),
        pytest.param(2, 4, 5, 10, 0.0, id="as-often-as-chance"),
        pytest.param(0, 3, 3, 10, -1.0, id="never-together"),
    ],
)
def test_npmi_follows_its_definition(both, first, second, total, expected):
    assert npmi(both, first, second, total) == pytest.approx(expected, abs=1e-4)
    assert repr(npmi(both, first, second, total)) != "-0.0"


def test_npmi_ranks_a_specific_pair_above_a_pair_with_the_entity_that_is_everywhere(syndicated):
    # Statements naming an entity: Hamas 5 of 5, Mossad and Ronen Bar 1 (the same one).
    assert syndicated.graph["statements"] == 5
    specific = syndicated.edges["ORG_mossad", "PERSON_ronen_bar"]["npmi"]
    everywhere = syndicated.edges["ORG_hamas", "ORG_mossad"]["npmi"]
    assert specific == 1.0
    assert everywhere == 0.0
    assert all(-1.0 <= d["npmi"] <= 1.0 for _, _, d in syndicated.edges(data=True))


def test_dates_give_first_and_last_seen_where_a_document_is_dated(syndicated):
    assert syndicated.edges["ORG_hamas", "PLACE_cairo"]["first_seen"] == "2025-04-14"
    assert syndicated.edges["ORG_hamas", "PLACE_cairo"]["last_seen"] == "2025-04-16"
    assert syndicated.nodes["ORG_hamas"]["first_seen"] == "2025-04-14"
    assert syndicated.nodes["ORG_hamas"]["last_seen"] == "2025-04-16"
    # y.txt is undated: Doha and its edge have no dates.
    assert "first_seen" not in syndicated.nodes["PLACE_doha"]
    assert "last_seen" not in syndicated.edges["ORG_hamas", "PLACE_doha"]


def _two_paragraphs() -> Extraction:
    first = extraction("p.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")], [("Doha", "PLACE")], [("Hamas", "ORG")])
    paragraphs = (0, 0, 1)
    statements = tuple(replace(s, paragraph=p) for s, p in zip(first.statements, paragraphs))
    return replace(first, statements=statements)


@pytest.mark.parametrize(
    ("window", "statements", "pairs"),
    [
        pytest.param("sentence", 3, {("ORG_hamas", "PLACE_cairo"): 1.0}, id="sentence"),
        pytest.param(
            "paragraph", 2,
            {("ORG_hamas", "PLACE_cairo"): 1.0, ("ORG_hamas", "PLACE_doha"): 1.0, ("PLACE_cairo", "PLACE_doha"): 1.0},
            id="paragraph",
        ),
    ],
)
def test_the_window_decides_what_one_statement_is(window, statements, pairs):
    corpus = [_two_paragraphs()]
    graph = built(corpus, window=window)
    assert graph.graph["statements"] == statements
    assert graph.graph["window"] == window
    assert {tuple(sorted(e)): d["weight"] for *e, d in graph.edges(data=True)} == pairs
    # Mentions stay mentions whatever the window.
    assert graph.nodes["ORG_hamas"]["mentions"] == 2


def test_a_paragraph_edge_quotes_the_sentences_naming_either_entity():
    corpus = [_two_paragraphs()]
    graph = built(corpus, window="paragraph")
    (example,) = graph.edges["PLACE_cairo", "PLACE_doha"]["evidence"]
    assert example.text == "Hamas and Cairo. Doha."


def test_an_unknown_window_is_an_error_naming_it():
    with pytest.raises(EntigraphError, match="unknown window page; choose from sentence, paragraph"):
        built(CORPUS, window="page")


@pytest.mark.parametrize(
    ("option", "kept"),
    [
        pytest.param({}, 5, id="no-filter"),
        pytest.param({"min_weight": 2}, 1, id="min-weight"),
        pytest.param({"min_documents": 2}, 1, id="min-documents"),
        pytest.param({"min_npmi": 0.5}, 1, id="min-npmi"),
    ],
)
def test_filters_drop_edges_and_keep_every_node(option, kept):
    everything = built(SYNDICATED, documents=INFO)
    graph = built(SYNDICATED, documents=INFO, **option)
    assert graph.number_of_edges() == kept
    assert list(graph.nodes) == list(everything.nodes)
    # What is kept is computed before filtering: the same numbers as unfiltered.
    for u, v, data in graph.edges(data=True):
        assert data["npmi"] == everything.edges[u, v]["npmi"]


def _related(doc_id: str, named: list[tuple[str, str]], *relations: Relation) -> Extraction:
    """One statement naming `named`, with `relations` between them."""
    made = extraction(doc_id, named)
    statement = replace(made.statements[0], relations=relations)
    return replace(made, statements=(statement,))


RELATED = [
    _related("a.txt", [("Hassan Rashad", "PERSON"), ("Hamas", "ORG")], Relation(0, 1, "", "meet")),
    _related("b.txt", [("Hamas", "ORG"), ("Hassan Rashad", "PERSON")], Relation(1, 0, "", "meet"), Relation(1, 0, "head_of", "head of")),
    _related("c.txt", [("Hassan Rashad", "PERSON"), ("Hamas", "ORG")], Relation(1, 0, "", "call")),
    # A role whose resolved types do not fit the scheme keeps only its phrase.
    _related("d.txt", [("Hassan Rashad", "PERSON"), ("Cairo", "PLACE")], Relation(0, 1, "member_of", "visit")),
    # A nationality points to the place entity going by the country's name.
    _related("e.txt", [("Hassan Rashad", "PERSON"), ("Egypt", "PLACE")], Relation(0, None, "citizen_of", "", "Egypt")),
]


def test_edges_count_roles_and_phrases_with_their_direction():
    graph = built(RELATED)
    edge = graph.edges["PERSON_hassan_rashad", "ORG_hamas"]
    assert [(r.role, r.source, r.target, r.count) for r in edge["relations"]] == [
        ("head_of", "PERSON_hassan_rashad", "ORG_hamas", 1)
    ]
    assert [(r.phrase, r.source, r.target, r.count) for r in edge["phrases"]] == [
        ("meet", "PERSON_hassan_rashad", "ORG_hamas", 2),
        ("call", "ORG_hamas", "PERSON_hassan_rashad", 1),
        ("head of", "PERSON_hassan_rashad", "ORG_hamas", 1),  # a role's words are a phrase too
    ]
    assert edge["phrases"][0].example.doc_id == "a.txt"  # the first statement saying it
    cairo = graph.edges["PERSON_hassan_rashad", "PLACE_cairo"]
    assert cairo["relations"] == () and [r.phrase for r in cairo["phrases"]] == ["visit"]
    egypt = graph.edges["PERSON_hassan_rashad", "PLACE_egypt"]
    assert [(r.role, r.target) for r in egypt["relations"]] == [("citizen_of", "PLACE_egypt")]


def test_a_statement_without_relations_gives_edges_none():
    graph = built(CORPUS)
    assert all(d["relations"] == () and d["phrases"] == () for _, _, d in graph.edges(data=True))
