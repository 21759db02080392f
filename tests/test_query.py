"""Questions from a built graph: name lookup, stats and neighbours, read back from GraphML."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.analytics import add_centralities
from graph.export.graphml import write_graphml
from graph.query import (
    AmbiguousNameError,
    Evidence,
    GraphFileError,
    QueryError,
    RelationCount,
    UnknownEntityError,
    find_entity,
    neighbors,
    open_graph,
    stats,
)
from tests.browser import add_entity, link, news_graph, relate, related_graph
from tests.conftest import store_of


def query_graph() -> nx.Graph:
    """news_graph plus Hunter Biden and House Democrats, with centralities and a corpus size."""
    g = news_graph()
    add_entity(g, "PERSON_hunter_biden", "Hunter Biden", "PERSON", 2, community=1)
    add_entity(g, "ORG_house_democrats", "House Democrats", "ORG", 2, community=1)
    link(g, "PERSON_hunter_biden", "PERSON_joe_biden", 1, ("h.txt", "Joe Biden pardoned Hunter Biden."))
    link(g, "ORG_house_democrats", "ORG_white_house", 1, ("h.txt", "House Democrats went to the White House."))
    add_centralities(g)
    g.graph["documents"] = 8
    return g


@pytest.fixture()
def graphml(tmp_path: Path) -> Path:
    path = tmp_path / "graph.graphml"
    write_graphml(store_of(query_graph()), path)
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Joe Biden", "PERSON_joe_biden", id="label"),
        pytest.param("  BIBI ", "PERSON_benjamin_netanyahu", id="alias-any-case-and-spaces"),
        pytest.param("biden", "PERSON_joe_biden", id="alias-beats-word-match"),
        pytest.param("hunter", "PERSON_hunter_biden", id="one-word-match"),
        pytest.param("u.n.", "ORG_united_nations", id="alias-with-dots"),
    ],
)
def test_find_entity_by_name_or_alias(name: str, expected: str) -> None:
    assert find_entity(query_graph(), name) == expected


def test_several_word_matches_are_listed_not_guessed() -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        find_entity(query_graph(), "house")
    assert caught.value.candidates == ("White House (ORG)", "House Democrats (ORG)")
    assert str(caught.value) == "'house' could be 2 entities in the graph: White House (ORG), House Democrats (ORG)"


@pytest.mark.parametrize(
    ("name", "message", "suggestions"),
    [
        pytest.param("Atlantis", "no entity named 'Atlantis' in the graph", (), id="nothing-close"),
        pytest.param("Netanyahoo", "no entity named 'Netanyahoo' in the graph; did you mean Benjamin Netanyahu?",
                     ("Benjamin Netanyahu",), id="misspelt-alias"),  # fmt: skip
        pytest.param("Ham", "no entity named 'Ham' in the graph; did you mean Hamas?", ("Hamas",),
                     id="part-of-a-word-is-no-match"),  # fmt: skip
    ],
)
def test_unknown_names_say_so_with_near_spellings(name: str, message: str, suggestions: tuple[str, ...]) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        find_entity(query_graph(), name)
    assert str(caught.value) == message
    assert caught.value.suggestions == suggestions


def test_neighbors_from_graphml_by_weight_with_evidence(graphml: Path) -> None:
    answer = neighbors(graphml, "Netanyahu", limit=3)
    assert answer.entity.label == "Benjamin Netanyahu"
    assert (answer.by, answer.total) == ("weight", 4)
    assert [(n.entity.label, n.link.weight, n.link.documents) for n in answer.neighbors] == [
        ("Hamas", 6.0, 2), ("Joe Biden", 5.0, 1), ("Gaza", 4.0, 1),
    ]  # fmt: skip
    assert answer.neighbors[0].link.evidence == Evidence("a.txt", "Netanyahu vowed to defeat Hamas.")
    assert answer.neighbors[0].link.npmi is None and answer.neighbors[0].link.sources is None


def test_neighbors_by_npmi_when_links_carry_it() -> None:
    g = query_graph()
    for (u, v), npmi in zip(sorted(g.edges("PLACE_gaza")), (0.1, 0.9, 0.5, 0.3)):
        g.edges[u, v].update(npmi=npmi, sources=1)
    answer = neighbors(g, "gaza", by="npmi")
    assert [n.link.npmi for n in answer.neighbors] == [0.9, 0.5, 0.3, 0.1]


def test_neighbors_by_npmi_without_it_is_a_query_error(graphml: Path) -> None:
    with pytest.raises(QueryError, match=f"the links in {graphml} carry no npmi"):
        neighbors(graphml, "gaza", by="npmi")


def test_stats_from_graphml(graphml: Path) -> None:
    answer = stats(graphml, top=2)
    corpus = answer.corpus
    assert (corpus.documents, corpus.entities, corpus.links, corpus.mentions, corpus.communities) == (8, 12, 13, 204, 2)
    assert corpus.types == {"ORG": 4, "PERSON": 4, "PLACE": 4}
    assert answer.ranked_by == "pagerank"
    assert {kind: [e.label for e in top] for kind, top in answer.top_entities.items()} == {
        "ORG": ["Hamas", "White House"], "PERSON": ["Benjamin Netanyahu", "Joe Biden"], "PLACE": ["Gaza", "Washington"],
    }  # fmt: skip
    assert [(l.source, l.target, l.weight) for l in answer.strongest_links] == [
        ("Benjamin Netanyahu", "Hamas", 6.0), ("Gaza", "Hamas", 6.0),
    ]  # fmt: skip
    assert answer.specific_links == ()
    assert [(c.number, c.size) for c in answer.communities] == [(1, 7), (0, 5)]


def test_stats_without_centralities_rank_by_mentions() -> None:
    answer = stats(news_graph(), top=1)
    assert answer.ranked_by == "mentions"
    assert answer.top_entities["PLACE"][0].label == "Gaza"
    assert answer.corpus.documents is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "cannot read {path}: No such file or directory", id="missing"),
        pytest.param("not xml at all", "{path} is not a GraphML graph: ", id="not-xml"),
        pytest.param("<graphml><nope/></graphml>", "{path} is not a GraphML graph: ", id="xml-not-graphml"),
    ],
)
def test_a_missing_or_broken_file_is_a_graph_file_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "graph.graphml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GraphFileError) as caught:
        open_graph(path)
    assert str(caught.value).startswith(message.format(path=path))


def test_most_specific_links_leave_out_pairs_named_together_once() -> None:
    g = query_graph()
    for u, v, data in g.edges(data=True):
        data.update(npmi=1.0 if data["weight"] == 1 else 0.5, sources=1)
    specific = stats(g, top=50).specific_links
    assert specific and all(link.weight >= 2 for link in specific)
    assert {link.npmi for link in specific} == {0.5}


def test_neighbors_and_stats_read_relations_and_phrases_back_from_graphml(tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    write_graphml(store_of(related_graph()), path)
    answer = neighbors(path, "Hamas")
    by_label = {n.entity.label: n.link for n in answer.neighbors}
    assert by_label["Yahya Sinwar"].relations == (RelationCount("head_of", "Yahya Sinwar", "Hamas", 3),)
    assert by_label["Yahya Sinwar"].phrase == "lead"
    assert by_label["Benjamin Netanyahu"].relations == ()
    assert by_label["Benjamin Netanyahu"].phrase == "vow to defeat"
    assert by_label["Gaza"].phrase is None
    assert stats(path).relations == (RelationCount("head_of", "Yahya Sinwar", "Hamas", 3),)
    assert stats(query_graph()).relations == ()


def test_relation_ends_holding_the_separator_are_read_by_the_links_labels(tmp_path: Path) -> None:
    g = news_graph()
    g.nodes["ORG_hamas"]["label"] = "A>B"
    relate(g, "PERSON_yahya_sinwar", "ORG_hamas", "relations", ("head_of", "PERSON_yahya_sinwar", "ORG_hamas", 2, "x"))
    path = tmp_path / "graph.graphml"
    write_graphml(store_of(g), path)
    (link,) = [n.link for n in neighbors(path, "Sinwar").neighbors]
    assert link.relations == (RelationCount("head_of", "Yahya Sinwar", "A>B", 2),)
