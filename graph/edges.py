"""Edge builder: one undirected networkx graph of entities linked by shared statements.

Input: the corpus' `Extraction`s and their `Resolution`. Output: an `nx.Graph` whose
nodes are entity ids with attributes `label`, `type`, `mentions`, `documents`,
`aliases`, `merges`, `color`, `community` and the centralities set by `graph.analytics`
(`degree`, `weighted_degree`, `pagerank`, `betweenness`), and whose edges carry
`weight` (sentences naming both, float), `documents` (distinct documents) and
`evidence` (up to K example `Evidence` sentences). Two entities in one sentence are linked once for that sentence;
there are no self-loops.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from graph.analytics import add_centralities
from graph.model import TYPE_COLORS, Evidence, Extraction, Resolution

# Community detection is randomised; a fixed seed keeps the output byte-identical.
COMMUNITY_SEED = 0


def build_graph(
    extractions: Iterable[Extraction], resolution: Resolution, *, evidence: int = 3
) -> nx.Graph:
    """Build the co-occurrence graph; nodes and edges are added in sorted order.

    `extractions` is read once, one at a time: a statement's text is kept only while it
    is one of an edge's examples.
    """
    mentions: Counter[str] = Counter()
    node_docs: dict[str, set[str]] = defaultdict(set)
    weights: Counter[tuple[str, str]] = Counter()
    edge_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    examples: dict[tuple[str, str], list[Evidence]] = defaultdict(list)

    documents = 0
    for extraction in extractions:
        documents += 1
        doc_id = extraction.doc_id
        for statement in extraction.statements:
            present: set[str] = set()
            for mention in statement.mentions:
                entity_id = resolution.links.get((doc_id, mention.start, mention.end))
                if entity_id is not None:
                    mentions[entity_id] += 1
                    node_docs[entity_id].add(doc_id)
                    present.add(entity_id)
            for pair in combinations(sorted(present), 2):
                weights[pair] += 1
                edge_docs[pair].add(doc_id)
                kept = examples[pair]
                # Syndicated copies repeat sentences word for word; one copy is evidence enough.
                if len(kept) < evidence and all(e.text != statement.text for e in kept):
                    kept.append(Evidence(doc_id, statement.start, statement.end, statement.text))

    graph = nx.Graph()
    graph.graph["documents"] = documents
    for entity_id in sorted(mentions):
        entity = resolution.entities[entity_id]
        graph.add_node(
            entity_id,
            label=entity.name,
            type=entity.type,
            mentions=mentions[entity_id],
            documents=len(node_docs[entity_id]),
            aliases=entity.aliases,
            merges=entity.merges,
            color=TYPE_COLORS[entity.type],
        )
    for pair in sorted(weights):
        graph.add_edge(
            *pair,
            weight=float(weights[pair]),
            documents=len(edge_docs[pair]),
            evidence=tuple(examples[pair]),
        )
    _add_communities(graph)
    add_centralities(graph)
    return graph


def _add_communities(graph: nx.Graph) -> None:
    """Number Louvain communities by size (largest is 0), ties by smallest node id."""
    if graph.number_of_nodes() == 0:
        return
    groups = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    ordered = sorted(groups, key=lambda group: (-len(group), min(group)))
    for number, group in enumerate(ordered):
        for node in group:
            graph.nodes[node]["community"] = number
