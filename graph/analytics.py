"""Centralities: the node measures a Gephi user would otherwise compute first.

Input: the edge builder's `nx.Graph` (edges carry `weight`, the number of statements).
Output: the same graph, its nodes given `degree` (linked entities), `weighted_degree`
(statements shared with them), `pagerank` (weighted by statements) and `betweenness`
(share of shortest paths through the node, by hops; normalised), so Gephi's Ranking
panel, the HTML view and `entigraph stats` can use them as they are.

Betweenness costs a breadth-first search (nodes + links steps) from every source node,
~2 microseconds a step in networkx' pure Python: exact, that is 40 s at 2,000 nodes with
10 links each and over 4 minutes at 5,000. So it is exact while the searches from all sources
together fit in `BETWEENNESS_BUDGET` steps (about 1,000 nodes at 10 links each) and above that estimated
from as many sources as fit, drawn with a fixed seed: ~20 s at most, until a graph is so
large (over 200,000 nodes + links) that even `MIN_SAMPLES` sources take longer.
"""

from __future__ import annotations

import networkx as nx

BETWEENNESS_BUDGET = 10_000_000
MIN_SAMPLES = 50
BETWEENNESS_SEED = 0
# Floats are rounded to this many significant digits: sums taken in a different order
# differ in the last bits, and the files must be byte-identical for the same input.
DIGITS = 6


def add_centralities(graph: nx.Graph) -> None:
    """Set `degree`, `weighted_degree`, `pagerank` and `betweenness` on every node."""
    if graph.number_of_nodes() == 0:
        return
    pagerank = nx.pagerank(graph, weight="weight")
    samples = betweenness_samples(graph.number_of_nodes(), graph.number_of_edges())
    # Unweighted on purpose: a heavier link is a stronger tie, not a longer path.
    betweenness = nx.betweenness_centrality(graph, k=samples, seed=BETWEENNESS_SEED)
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = float(graph.degree(node, weight="weight"))
        data["pagerank"] = _round(pagerank[node])
        data["betweenness"] = _round(betweenness[node])


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """How many source nodes betweenness is computed from; None: all of them (exact)."""
    per_source = nodes + edges
    if nodes * per_source <= BETWEENNESS_BUDGET:
        return None
    return min(nodes, max(MIN_SAMPLES, BETWEENNESS_BUDGET // per_source))


def _round(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")
