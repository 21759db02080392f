"""How alias suggestion time grows with the number of nodes (it should grow linearly).

Run: .venv/bin/python benchmarks/suggest_scaling.py
Builds synthetic graphs of Faker names (seeded): people named in full and, for some, by
surname alone, organizations with and without their acronym, towns, each linked to a few
random others, and times `suggest_aliases` on each size. An all-pairs comparison would be
quadratic: 20,000 nodes are 200 million pairs.
"""

from __future__ import annotations

import random
import time

import networkx as nx
from faker import Faker

from graph.suggest import suggest_aliases

SIZES = (5_000, 10_000, 20_000, 40_000)
LINKS_PER_NODE = 4


def synthetic(nodes: int, seed: int = 0) -> nx.Graph:
    fake = Faker(["en_US", "de_DE", "fr_FR", "es_ES"])
    fake.seed_instance(seed)
    pick = random.Random(seed)
    graph = nx.Graph()

    def add(label: str, kind: str) -> None:
        if label not in graph:
            graph.add_node(label, label=label, type=kind, mentions=pick.randint(1, 50), documents=1, aliases="")

    while graph.number_of_nodes() < nodes:
        roll = pick.random()
        if roll < 0.45:
            first, last = fake.first_name(), fake.last_name()
            add(f"{first} {last}", "PERSON")
            if pick.random() < 0.3:
                add(last, "PERSON")
        elif roll < 0.8:
            company = fake.company()
            add(company, "ORG")
            words = [w for w in company.replace(",", " ").split() if w[:1].isupper()]
            if len(words) > 1 and pick.random() < 0.3:
                add("".join(w[0] for w in words).upper(), "ORG")
        else:
            add(fake.city(), "PLACE")
    labels = sorted(graph.nodes)
    for node in labels:
        for other in pick.sample(labels, LINKS_PER_NODE):
            if other != node:
                graph.add_edge(node, other, weight=1)
    return graph


def main() -> None:
    print(f"{'nodes':>7} {'found':>7} {'seconds':>8} {'µs/node':>8}")
    for size in SIZES:
        graph = synthetic(size)
        began = time.perf_counter()
        result = suggest_aliases(graph, limit=100)
        seconds = time.perf_counter() - began
        print(f"{size:>7,} {result.found:>7,} {seconds:>8.2f} {seconds / size * 1e6:>8.1f}")


if __name__ == "__main__":
    main()
