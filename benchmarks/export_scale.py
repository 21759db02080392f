"""Benchmark: export a synthetic graph of 100,000 nodes and 1,000,000 edges.

    .venv/bin/python benchmarks/export_scale.py [--nodes 100000] [--edges 1000000]

The graph carries the edge builder's attributes (labels, aliases, merges, communities;
weights, document counts and one to three evidence sentences per edge), loaded into a
store in memory, which the exporters read as a build's (graph.store.graphs.from_networkx).
Each format is written in a fresh process; printed: seconds, file size, and peak resident
memory of that process before writing (the graph and its store) and after (with the writer).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 2**20


def synthetic(nodes: int, edges: int):
    import networkx as nx

    from graph.model import TYPE_COLORS, Evidence

    rng = random.Random(0)
    types = list(TYPE_COLORS)
    graph = nx.Graph()
    ids = [f"n{i:06d}" for i in range(nodes)]
    for number, node in enumerate(ids):
        kind = types[number % 3]
        graph.add_node(
            node, label=f"Entity {number}", type=kind, mentions=rng.randint(1, 500),
            documents=rng.randint(1, 50), aliases=(f"Entity {number}", f"E. {number}"),
            merges=(f"E. {number} -> Entity {number}: short",), color=TYPE_COLORS[kind],
            community=number % 1000,
        )
    added = 0  # graph.number_of_edges() walks every node: too slow to ask each time
    while added < edges:
        a, b = rng.sample(range(nodes), 2)
        if graph.has_edge(ids[a], ids[b]):
            continue
        added += 1
        evidence = tuple(
            Evidence(f"doc{rng.randint(0, 10**6)}", 0, 90,
                     f"Entity {a} met Entity {b} in a sentence of about ninety characters, case {k}.")
            for k in range(rng.randint(1, 3))
        )
        graph.add_edge(ids[a], ids[b], weight=float(rng.randint(1, 20)),
                       documents=rng.randint(1, 10), evidence=evidence)
    return graph


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def write_one(fmt: str, nodes: int, edges: int, path: Path) -> None:
    from graph.store.graphs import from_networkx

    started = time.perf_counter()
    store = from_networkx(synthetic(nodes, edges))
    built, graph_peak = time.perf_counter() - started, peak()
    started = time.perf_counter()
    if fmt == "graphml":
        from graph.export.graphml import write_graphml

        write_graphml(store, path)
    else:
        from graph.export.html import write_html

        write_html(store, path)
    print(f"{fmt} {built:.1f} {time.perf_counter() - started:.1f} {path.stat().st_size} {graph_peak} {peak()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--formats", default="graphml,html")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.one:
        write_one(args.one, args.nodes, args.edges, args.path)
        return 0
    print(f"{args.nodes:,} nodes, {args.edges:,} edges")
    print(f"{'format':8} {'build graph s':>13} {'write s':>8} {'file MiB':>9} {'RSS graph MiB':>14} {'RSS peak MiB':>13}")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in args.formats.split(","):
            line = subprocess.run(
                [sys.executable, __file__, "--one", fmt, "--nodes", str(args.nodes),
                 "--edges", str(args.edges), "--path", str(Path(scratch) / f"out.{fmt}")],
                check=True, capture_output=True, text=True,
            ).stdout.split()
            _, built, wrote, size, graph_peak, top = line
            print(f"{fmt:8} {float(built):13.1f} {float(wrote):8.1f} {int(size) / MIB:9.0f} "
                  f"{int(graph_peak) / MIB:14.0f} {int(top) / MIB:13.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
