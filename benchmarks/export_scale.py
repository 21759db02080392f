"""Benchmark: export a synthetic graph of 100,000 nodes and 1,000,000 edges, or a real build.

    .venv/bin/python benchmarks/export_scale.py [--nodes 100000] [--edges 1000000] [--formats graphml,html]
    .venv/bin/python benchmarks/export_scale.py --store OUT/graph.db [--formats neo4j,ftm,graphml] [--documents]

The synthetic graph carries the edge builder's attributes (labels, aliases, merges,
communities; weights, document counts and one to three evidence sentences per edge),
loaded into a store in memory, which the exporters read as a build's
(graph.store.graphs.from_networkx). With `--store`, the formats are written from a store a
build made (say of `corpus.py --words 1000000`), as `entigraph export` writes them
(`--documents`: the Neo4j files with the documents and MENTIONS). Each format is written in
a fresh process; printed: seconds, output size (a folder's files added up), and peak
resident memory of that process before writing (the graph and its store) and after (with
the writer).
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


def write_one(fmt: str, nodes: int, edges: int, path: Path, store_path: Path | None, documents: bool) -> None:
    from graph.export import FORMATS, ExportOptions
    from graph.store import Store
    from graph.store.graphs import from_networkx

    started = time.perf_counter()
    store = Store.read(store_path) if store_path else from_networkx(synthetic(nodes, edges))
    built, graph_peak = time.perf_counter() - started, peak()
    started = time.perf_counter()
    FORMATS[fmt].write(store, path, ExportOptions(documents=documents))
    wrote = time.perf_counter() - started
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    print(f"{fmt} {built:.1f} {wrote:.1f} {size} {graph_peak} {peak()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--formats", default="graphml,html")
    parser.add_argument("--store", type=Path, help="export from this graph.db instead of a synthetic graph")
    parser.add_argument("--documents", action="store_true", help="neo4j: with the documents and MENTIONS")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.one:
        write_one(args.one, args.nodes, args.edges, args.path, args.store, args.documents)
        return 0
    if args.store:
        from graph.store import Store

        with Store.read(args.store) as store:
            figures = [store.value(f"SELECT count(*) FROM {t}") for t in ("documents", "entities")]
            figures.append(store.value("SELECT count(*) FROM links WHERE kept"))
        print(f"{args.store}: {figures[0]:,} documents, {figures[1]:,} nodes, {figures[2]:,} edges")
    else:
        print(f"{args.nodes:,} nodes, {args.edges:,} edges")
    graph_s = "read graph s" if args.store else "build graph s"
    print(f"{'format':8} {graph_s:>13} {'write s':>8} {'file MiB':>9} {'RSS graph MiB':>14} {'RSS peak MiB':>13}")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in args.formats.split(","):
            extra = ["--store", str(args.store)] if args.store else []
            extra += ["--documents"] if args.documents else []
            line = subprocess.run(
                [sys.executable, __file__, "--one", fmt, "--nodes", str(args.nodes), "--edges", str(args.edges),
                 "--path", str(Path(scratch) / f"out.{fmt}"), *extra],
                check=True, capture_output=True, text=True,
            ).stdout.split()
            _, built, wrote, size, graph_peak, top = line
            print(f"{fmt:8} {float(built):13.1f} {float(wrote):8.1f} {int(size) / MIB:9.1f} "
                  f"{int(graph_peak) / MIB:14.0f} {int(top) / MIB:13.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
