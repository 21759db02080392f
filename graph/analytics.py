"""Communities and centralities: the node measures a Gephi user would otherwise compute first.

Input: a graph as its number of nodes (numbered in the order of their ids) and its
weighted edges (`measure`), or a networkx graph whose edges carry `weight`. Output: each
node's `community` (Louvain, numbered by size), `degree` (linked entities), `weighted_degree`
(statements shared with them), `pagerank` (weighted by statements) and `betweenness`
(share of shortest paths through the node, by hops; normalised), so Gephi's Ranking
panel, the HTML view and `entigraph stats` can use them as they are.

Louvain (igraph's multilevel, seeded), PageRank and betweenness run in igraph's C code on a copy of the graph: networkx'
pure-Python betweenness took 10 s of a 40 s build on 936 news articles, and its
Louvain ten times igraph's. Betweenness
costs a breadth-first search (nodes + links steps, ~20 ns each in igraph) from every
source node: it is exact while the searches from all sources fit in `BETWEENNESS_BUDGET`
steps (about 2,000 entities with 10 links each) and above that estimated from as many
sources as fit, at least `MIN_SAMPLES`, drawn with a fixed seed; the estimate is the
one networkx gives for the same sources (`nx.betweenness_centrality(k=..., seed=...)`),
in about a second whatever the corpus.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from typing import TYPE_CHECKING

import igraph

if TYPE_CHECKING:
    import networkx as nx

# Louvain visits nodes in a random order; a fixed seed keeps the output byte-identical.
COMMUNITY_SEED = 0
BETWEENNESS_BUDGET = 50_000_000
MIN_SAMPLES = 100
BETWEENNESS_SEED = 0
DAMPING = 0.85
# Floats are rounded to this many significant digits: sums taken in a different order
# differ in the last bits, and the files must be byte-identical for the same input.
DIGITS = 6


Edge = tuple[int, int, float]
"""(u, v, weight) between nodes numbered by their ids' order, u < v."""


@dataclass(frozen=True)
class Measures:
    """Each node's community and centralities, in node order."""

    community: list[int]
    degree: list[int]
    weighted_degree: list[float]
    pagerank: list[float]
    betweenness: list[float]


def measure(nodes: int, edges: Sequence[Edge]) -> Measures:
    """Communities and centralities of a graph of `nodes` nodes, numbered in the order
    of their ids (results never depend on the order the graph was made in), and its
    `edges` sorted: Louvain communities by weight, numbered by size (largest is 0), ties
    by smallest node; degree, weighted degree, PageRank by weight, betweenness by hops."""
    copy = igraph.Graph(n=nodes, edges=[(u, v) for u, v, _ in edges])
    copy.es["weight"] = [w for _, _, w in edges]
    degree = copy.degree()
    strength = copy.strength(weights="weight") if edges else [0.0] * nodes
    if not nodes:
        return Measures([], [], [], [], [])
    # igraph draws from the generator it is given; it goes back to Python's own after.
    igraph.set_random_number_generator(random.Random(COMMUNITY_SEED))
    try:
        membership = copy.community_multilevel(weights="weight").membership
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, list[int]] = {}
    for node, number in enumerate(membership):
        groups.setdefault(number, []).append(node)
    community = [0] * nodes
    for number, group in enumerate(sorted(groups.values(), key=lambda group: (-len(group), min(group)))):
        for node in group:
            community[node] = number
    pagerank = copy.pagerank(damping=DAMPING, weights="weight", directed=False)
    betweenness = sampled_betweenness(copy, betweenness_samples(nodes, copy.ecount()))
    return Measures(
        community, list(degree), [float(w) for w in strength],
        [_round(p) for p in pagerank], [_round(b) for b in betweenness],
    )  # fmt: skip


def add_communities(graph: nx.Graph) -> None:
    """Set `community` on every node of a networkx graph (see `measure`)."""
    if graph.number_of_nodes() == 0:
        return
    nodes, edges = _arrays(graph)
    for node, number in zip(nodes, measure(len(nodes), edges).community):
        graph.nodes[node]["community"] = number


def add_centralities(graph: nx.Graph) -> None:
    """Set `degree`, `weighted_degree`, `pagerank` and `betweenness` on every node of a
    networkx graph (see `measure`)."""
    if graph.number_of_nodes() == 0:
        return
    nodes, edges = _arrays(graph)
    found = measure(len(nodes), edges)
    for position, node in enumerate(nodes):
        data = graph.nodes[node]
        data["degree"] = found.degree[position]
        data["weighted_degree"] = found.weighted_degree[position]
        data["pagerank"] = found.pagerank[position]
        data["betweenness"] = found.betweenness[position]


def _arrays(graph: nx.Graph) -> tuple[list, list[Edge]]:
    nodes = sorted(graph, key=str)
    index = {node: position for position, node in enumerate(nodes)}
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), float(w))
        for u, v, w in graph.edges(data="weight", default=1.0)
    )
    return nodes, edges


def to_igraph(graph: nx.Graph) -> tuple[list, igraph.Graph]:
    """The nodes in sorted order and an igraph copy whose vertex i is node i, edges
    weighted as `weight`."""
    nodes, edges = _arrays(graph)
    copy = igraph.Graph(n=len(nodes), edges=[(u, v) for u, v, _ in edges])
    copy.es["weight"] = [w for _, _, w in edges]
    return nodes, copy


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """How many source nodes betweenness is computed from; None: all of them (exact)."""
    per_source = nodes + edges
    if nodes * per_source <= BETWEENNESS_BUDGET:
        return None
    return min(nodes, max(MIN_SAMPLES, BETWEENNESS_BUDGET // per_source))


def sampled_betweenness(copy: igraph.Graph, samples: int | None) -> list[float]:
    """Normalised betweenness by hops, from every vertex (`samples` None) or from
    `samples` of them drawn with BETWEENNESS_SEED, scaled as networkx scales its estimate."""
    n = copy.vcount()
    if n < 3:
        return [0.0] * n
    if samples is None or samples >= n:
        raw = copy.betweenness(directed=False)
        # igraph counts each unordered pair once; normalised over (n-1)(n-2)/2 pairs.
        return [value * 2 / ((n - 1) * (n - 2)) for value in raw]
    sources = random.Random(BETWEENNESS_SEED).sample(range(n), samples)
    # On an undirected graph igraph halves what it sums over ordered (source, target)
    # pairs; networkx' estimate is over those ordered pairs.
    raw = [2 * value for value in copy.betweenness(directed=False, sources=sources, targets=None)]
    return _scale_estimate(raw, sources, n)


def _scale_estimate(raw: Sequence[float], sources: Sequence[int], n: int) -> list[float]:
    """networkx' scaling of a sampled estimate (endpoints excluded): a source cannot lie
    on its own paths, so sources are scaled over one sample fewer."""
    k = len(sources)
    source_scale = 1 / ((k - 1) * (n - 2)) if k > 1 else 0.0
    other_scale = 1 / (k * (n - 2))
    chosen = set(sources)
    return [
        value * (source_scale if position in chosen else other_scale)
        for position, value in enumerate(raw)
    ]


def _round(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")
