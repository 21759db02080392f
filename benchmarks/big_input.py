"""Benchmark: one big text file (200 MB by default) through the reader, and a slice of
it through the whole pipeline, each in a fresh process so peak memory is its own.

    .venv/bin/python benchmarks/big_input.py [--size-mb 200] [--pipeline-mb 0.5]

The file is the sample corpus repeated (names, paragraphs, blank lines). Printed: time,
documents (pieces), peak resident memory (ru_maxrss) over the process' baseline after
imports, and the reader's peak Python allocation (tracemalloc). The whole 200 MB
through spaCy would take hours on one CPU, so the pipeline runs on a slice and its
throughput is reported instead (benchmarks/throughput.py measures speed and memory at
scale). Its peak memory is mostly spaCy working on a batch of chunks: the extractions
wait in the cache file, not in memory, until the graph is built.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SAMPLE = REPO / "data" / "sample"
MIB = 2**20


def write_corpus(path: Path, size: int) -> None:
    """`size` bytes of the sample articles, repeated, written in blocks."""
    block = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(SAMPLE.glob("*.txt")))
    data = (block + "\n\n").encode("utf-8")
    with path.open("wb") as handle:
        written = 0
        while written < size:
            chunk = data[: size - written]
            handle.write(chunk)
            written += len(chunk)


def max_rss() -> int:
    """Peak resident set size of this process, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def read_only(path: Path, traced: bool) -> dict:
    from graph.documents import ReadReport, read_documents

    baseline = max_rss()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    report = ReadReport()
    characters = sum(len(d.text) for d in read_documents([path], report))
    elapsed = time.perf_counter() - started
    result = {
        "seconds": round(elapsed, 2),
        "documents": report.documents,
        "characters": characters,
        "rss_over_baseline_mib": round((max_rss() - baseline) / MIB, 1),
    }
    if traced:
        result["python_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / MIB, 1)
    return result


def pipeline(path: Path) -> dict:
    from graph.pipeline import build
    from graph.recognize import load_model

    nlp = load_model()
    baseline = max_rss()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        summary = build([path], Path(out), nlp=nlp)
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 2),
        "documents": summary.documents,
        "statements": summary.statements,
        "nodes": summary.nodes,
        "mib_per_minute": round(path.stat().st_size / MIB / elapsed * 60, 2),
        "rss_over_baseline_mib": round((max_rss() - baseline) / MIB, 1),
    }


def child(*args: str) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200, help="size of the big file")
    parser.add_argument("--pipeline-mb", type=float, default=0.5, help="slice run through spaCy")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        if kind == "pipeline":
            result = pipeline(path)
        else:
            result = read_only(path, traced=kind == "traced")
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as directory:
        big = Path(directory) / "big.txt"
        write_corpus(big, args.size_mb * 10**6)
        size = big.stat().st_size / MIB
        plain = child("read", str(big))
        traced = child("traced", str(big))
        print(f"reader, {size:.0f} MiB file: {plain['seconds']} s, {plain['documents']} pieces, "
              f"peak RSS +{plain['rss_over_baseline_mib']} MiB, "
              f"Python peak {traced['python_peak_mib']} MiB (tracemalloc run: {traced['seconds']} s)")

        piece = Path(directory) / "slice.txt"
        write_corpus(piece, int(args.pipeline_mb * 10**6))
        full = child("pipeline", str(piece))
        print(f"pipeline, {piece.stat().st_size / MIB:.1f} MiB slice: {full['seconds']} s "
              f"({full['mib_per_minute']} MiB/min), {full['documents']} documents, "
              f"{full['statements']} statements, {full['nodes']} nodes, "
              f"peak RSS +{full['rss_over_baseline_mib']} MiB")
        hours = size / full["mib_per_minute"] / 60
        print(f"the whole {size:.0f} MiB through the pipeline would take about {hours:.1f} h on this machine")


if __name__ == "__main__":
    main()
