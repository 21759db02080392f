"""Centralities on the nodes: right values, exact or seeded estimates, stable bytes."""

from __future__ import annotations

import random

import networkx as nx
import pytest

import graph.analytics as analytics
from graph.analytics import (
    add_centralities,
    add_communities,
    betweenness_samples,
    sampled_betweenness,
    to_igraph,
)


def star_with_tail() -> nx.Graph:
    """hub - a, hub - b, hub - c (weight 3), c - d: the hub is on most shortest paths."""
    g = nx.Graph()
    g.add_edge("hub", "a", weight=1.0)
    g.add_edge("hub", "b", weight=1.0)
    g.add_edge("hub", "c", weight=3.0)
    g.add_edge("c", "d", weight=1.0)
    g.add_node("alone")
    return g


def test_nodes_get_degree_weighted_degree_pagerank_and_betweenness() -> None:
    g = star_with_tail()
    add_centralities(g)
    hub = g.nodes["hub"]
    assert (hub["degree"], hub["weighted_degree"]) == (3, 5.0)
    assert (g.nodes["alone"]["degree"], g.nodes["alone"]["weighted_degree"]) == (0, 0.0)
    # the hub is inside the shortest paths a-b, a-c, a-d, b-c, b-d: 5, normalised by
    # (n-1)(n-2)/2 = 10 for n = 6
    assert hub["betweenness"] == 0.5
    assert g.nodes["c"]["betweenness"] == 0.3  # a-d, b-d, hub-d
    assert g.nodes["a"]["betweenness"] == 0.0
    ranks = sorted(g, key=lambda n: -g.nodes[n]["pagerank"])
    assert ranks[0] == "hub" and ranks[1] == "c"
    assert sum(d["pagerank"] for _, d in g.nodes(data=True)) == pytest.approx(1.0, abs=1e-5)


def test_pagerank_follows_the_weights() -> None:
    g = star_with_tail()
    add_centralities(g)
    assert g.nodes["c"]["pagerank"] > g.nodes["a"]["pagerank"]


def test_empty_graph_is_left_alone() -> None:
    g = nx.Graph()
    add_centralities(g)
    assert g.number_of_nodes() == 0


@pytest.mark.parametrize(
    ("nodes", "edges", "samples"),
    [
        pytest.param(500, 5_000, None, id="small-exact"),
        pytest.param(2_000, 20_000, None, id="two-thousand-exact"),
        pytest.param(5_000, 50_000, 909, id="larger-sampled"),
        pytest.param(40_000, 150_000, 263, id="archive-fewer-samples"),
        pytest.param(100_000, 1_000_000, 100, id="huge-floor"),
    ],
)
def test_betweenness_is_exact_within_the_budget_and_sampled_beyond(nodes: int, edges: int, samples: int | None) -> None:
    assert betweenness_samples(nodes, edges) == samples


def test_sampled_betweenness_is_seeded_and_ranks_the_bridge_on_top(monkeypatch: pytest.MonkeyPatch) -> None:
    # two cliques joined through one bridge node: any decent estimate puts it first
    g = nx.Graph()
    for side in ("l", "r"):
        members = [f"{side}{i}" for i in range(30)]
        g.add_edges_from(((a, b) for i, a in enumerate(members) for b in members[i + 1 :]), weight=1.0)
        g.add_edge("bridge", f"{side}0", weight=1.0)
    monkeypatch.setattr(analytics, "BETWEENNESS_BUDGET", 1_000)
    monkeypatch.setattr(analytics, "MIN_SAMPLES", 20)
    assert betweenness_samples(g.number_of_nodes(), g.number_of_edges()) == 20
    first, second = g.copy(), g.copy()
    add_centralities(first)
    add_centralities(second)
    assert dict(first.nodes(data="betweenness")) == dict(second.nodes(data="betweenness"))
    top = sorted(first, key=lambda n: -first.nodes[n]["betweenness"])[:3]
    assert sorted(top) == ["bridge", "l0", "r0"]


def random_graph(seed: int) -> nx.Graph:
    g = nx.gnm_random_graph(200, 600, seed=seed)
    return nx.relabel_nodes(g, {i: f"n{i:03d}" for i in g})


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"random-graph-{s}") for s in range(3)])
@pytest.mark.parametrize("samples", [pytest.param(None, id="exact"), pytest.param(30, id="sampled")])
def test_betweenness_is_what_networkx_gives_for_the_same_sources(seed: int, samples: int | None) -> None:
    g = random_graph(seed)
    nodes, copy = to_igraph(g)
    # networkx draws its sources from the graph's node order: give it the sorted one.
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(g.edges)
    expected = nx.betweenness_centrality(ordered, k=samples, seed=random.Random(analytics.BETWEENNESS_SEED))
    ours = sampled_betweenness(copy, samples)
    assert ours == pytest.approx([expected[node] for node in nodes], abs=1e-12)
    assert max(ours) > 0


def test_pagerank_is_what_networkx_gives() -> None:
    g = random_graph(0)
    for u, v in g.edges:
        g[u][v]["weight"] = float(1 + (hash((u, v)) % 3))
    expected = nx.pagerank(g, weight="weight", tol=1e-12)
    add_centralities(g)
    for node in g:
        assert g.nodes[node]["pagerank"] == pytest.approx(expected[node], rel=1e-5)


def test_communities_are_numbered_by_size_and_seeded() -> None:
    g = nx.Graph()
    for side, size in (("big", 12), ("small", 6)):
        members = [f"{side}{i:02d}" for i in range(size)]
        g.add_edges_from(((a, b) for i, a in enumerate(members) for b in members[i + 1 :]), weight=1.0)
    g.add_edge("big00", "small00", weight=1.0)
    add_communities(g)
    numbers = dict(g.nodes(data="community"))
    assert {numbers[f"big{i:02d}"] for i in range(12)} == {0}
    assert {numbers[f"small{i:02d}"] for i in range(6)} == {1}
    again = g.copy()
    add_communities(again)
    assert dict(again.nodes(data="community")) == numbers


def test_values_do_not_depend_on_insertion_order() -> None:
    forward = star_with_tail()
    backward = nx.Graph()
    backward.add_nodes_from(reversed(list(forward.nodes)))
    backward.add_edges_from((v, u, d) for u, v, d in reversed(list(forward.edges(data=True))))
    add_centralities(forward)
    add_centralities(backward)
    assert dict(forward.nodes(data=True)) == dict(backward.nodes(data=True))
