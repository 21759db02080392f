"""The shared layout: linked nodes close, communities apart, unlinked ones on a shelf,
the same integers whatever the insertion order."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

import graph.layout as layout_module
from graph.layout import GAP, layout, place_discs, spring_positions
from tests.browser import add_entity, link, synthetic_graph


def mean_distance(pos: dict, pairs: list[tuple[str, str]]) -> float:
    return sum(math.dist(pos[a], pos[b]) for a, b in pairs) / len(pairs)


def two_cliques(*, communities: bool) -> nx.Graph:
    """Two 15-node cliques joined by one light link; each clique a community (or none)."""
    g = nx.Graph()
    for side, number in (("L", 0), ("R", 1)):
        members = [f"{side}{i:02d}" for i in range(15)]
        for node in members:
            add_entity(g, node, node, "ORG", 3, community=number if communities else None)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                link(g, a, b, 3.0, ("d", f"{a} and {b}."))
    link(g, "L00", "R00", 1.0, ("d", "L00 and R00."))
    return g


def test_spring_layout_puts_linked_nodes_closer_than_unlinked_ones() -> None:
    left = [f"L{i}" for i in range(20)]
    right = [f"R{i}" for i in range(20)]
    edges = [(a, b, 3.0) for group in (left, right) for i, a in enumerate(group) for b in group[i + 1 :]]
    edges.append(("L0", "R0", 1.0))
    pos = spring_positions(sorted(left + right), edges)
    within = mean_distance(pos, [(a, b) for a, b, _ in edges[:-1]])
    across = mean_distance(pos, [(a, b) for a in left for b in right])
    assert within * 2 < across
    assert max(math.hypot(*p) for p in pos.values()) == 1.0


def test_communities_occupy_separate_patches() -> None:
    g = two_cliques(communities=True)
    pos = layout(g)
    left = [n for n in g if n.startswith("L")]
    right = [n for n in g if n.startswith("R")]
    # every node nearer its own community's centre than the other one's
    centre = {side: [sum(pos[n][i] for n in group) / len(group) for i in (0, 1)]
              for side, group in (("L", left), ("R", right))}  # fmt: skip
    for node in g:
        own, other = ("L", "R") if node.startswith("L") else ("R", "L")
        assert math.dist(pos[node], centre[own]) < math.dist(pos[node], centre[other])
    # and a clear gap between the two patches: the closest pair across is far apart
    closest = min(math.dist(pos[a], pos[b]) for a in left for b in right)
    assert closest > GAP


def test_without_communities_connected_components_are_the_patches() -> None:
    g = two_cliques(communities=False)
    g.remove_edge("L00", "R00")
    pos = layout(g)
    left = [n for n in g if n.startswith("L")]
    right = [n for n in g if n.startswith("R")]
    assert min(math.dist(pos[a], pos[b]) for a in left for b in right) > GAP


def test_unlinked_entities_sit_on_a_shelf_below_most_mentioned_first() -> None:
    g = two_cliques(communities=True)
    add_entity(g, "ORG_lonely_big", "Lonely Big", "ORG", 50)
    add_entity(g, "ORG_lonely_small", "Lonely Small", "ORG", 1)
    pos = layout(g)
    lowest_linked = max(y for n, (_, y) in pos.items() if not n.startswith("ORG_lonely"))
    assert pos["ORG_lonely_big"][1] > lowest_linked and pos["ORG_lonely_small"][1] > lowest_linked
    assert pos["ORG_lonely_big"][0] < pos["ORG_lonely_small"][0]


def test_only_links_among_the_chosen_nodes_count() -> None:
    g = two_cliques(communities=True)
    add_entity(g, "ORG_x", "X", "ORG", 1, community=2)
    link(g, "ORG_x", "L00", 1.0, ("d", "X and L00."))
    chosen = [n for n in g if n != "L00"]
    pos = layout(g, chosen)
    assert set(pos) == set(chosen)
    assert pos["ORG_x"][1] > max(y for n, (_, y) in pos.items() if n != "ORG_x")


def test_discs_never_overlap() -> None:
    radii = [300.0, 200.0, 120.0, 80.0, 80.0, 50.0, 50.0, 50.0]
    links = {(0, 1): 5.0, (0, 7): 1.0, (2, 3): 2.0, (5, 6): 9.0}
    centres = place_discs(radii, links)
    for i in range(len(radii)):
        for j in range(i + 1, len(radii)):
            assert math.dist(centres[i], centres[j]) >= radii[i] + radii[j]


def test_same_graph_any_insertion_order_gives_the_same_integer_positions() -> None:
    forward = synthetic_graph(120, edges_per_node=3)
    backward = nx.Graph()
    backward.add_nodes_from(reversed(list(forward.nodes(data=True))))
    backward.add_edges_from((v, u, d) for u, v, d in reversed(list(forward.edges(data=True))))
    pos = layout(forward)
    assert pos == layout(backward)
    assert all(isinstance(c, int) for p in pos.values() for c in p)


def test_empty_and_single_node_graphs() -> None:
    assert layout(nx.Graph()) == {}
    g = nx.Graph()
    add_entity(g, "ORG_a", "A", "ORG", 1)
    assert layout(g) == {"ORG_a": (0, 0)}


def test_separating_many_discs_moves_them_as_testing_every_pair_does() -> None:
    rng = np.random.default_rng(3)
    n = layout_module.PAIRWISE_UP_TO + 100
    r = np.concatenate([rng.uniform(40, 90, n - 5), rng.uniform(300, 900, 5)])
    x, y = rng.uniform(-4_000, 4_000, (2, n))
    x[1], y[1] = x[0], y[0]  # two coincident centres
    near_x, near_y = x.copy(), y.copy()
    assert layout_module.separate_near(near_x, near_y, r)
    every_x, every_y = x.copy(), y.copy()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout_module, "PAIRWISE_UP_TO", n)
        assert layout_module._separate(every_x, every_y, r)
    assert not np.allclose(near_x, x)
    assert np.allclose(near_x, every_x) and np.allclose(near_y, every_y)
