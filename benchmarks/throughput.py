"""Benchmark: build throughput and memory against spaCy's own, cold and incremental.

    .venv/bin/python benchmarks/throughput.py [--words 1000000] [--memory-factor 4]
    .venv/bin/python benchmarks/throughput.py --sizes 250000,1000000,4000000

The corpus is benchmarks/corpus.py's: the GUM news texts and the wire copy of data/eval,
copied round after round to about `--words` words, every copy with people,
organizations and places of its own (a share of the places drawn from a fixed list, so
that a few recur), so that every document is new to the cache and the graph grows with
the corpus as an archive's does. In one run, each variant in a fresh process:

  a  the tutorial way: `nlp(text)` per document, the whole default pipeline, one process,
     linking the entities of each sentence;
  b  spaCy alone at its best here: `nlp.pipe` with only the components entigraph uses,
     `n_process` = the cores, consuming the docs and nothing else;
  c  `entigraph build`, cold (fresh cache, fresh output directory), end to end;
  d  `entigraph build` again into the same directory after adding 1% new documents: the
     store (OUT/graph.db) takes them in and redoes only what they touch;
  u  `entigraph build` again with nothing changed: nothing is read or written;
  m  `entigraph build` cold on a corpus `--memory-factor` times larger, for memory only;
  e  `entigraph build --engine dask` cold on a LocalCluster of N workers (fresh cache),
     for each N of `--dask-workers`, then f the same +1% rebuild on that cache.

Printed: the corpus and the graph built from it (documents, words, entities, links);
seconds, CPU seconds, words/s, peak resident memory of the whole process tree (sampled
every 20 ms, all processes summed: the LocalCluster's scheduler, nannies and workers too)
and of the driver (the build's own process); the seconds of each build stage of every `entigraph build`
(from its `--json` summary's "timings"); the engines side by side (a column per engine:
local, Dask with N workers); then the ratios and targets: c/a >= 3.5, c/b >= 0.665, d/c <= 0.06 (0.04 from 4M words),
u/c <= 0.02, the graph stages (all but reading and extraction) of c <= 10% of b's CPU
seconds, RSS(m)/RSS(c) <= 1.2.

With `--sizes`, only cold builds (c) at each of the sizes, each on a fresh cache: the
seconds per stage with a column per size, CPU seconds and seconds, to see the graph
stages grow linearly with the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 2**20
# The stages of a build that are per-document work, reading and spaCy's; the rest build
# the graph from their results.
DOCUMENT_STAGES = ("read", "extract")


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc). Children are listed per thread that
    started them: Dask's LocalCluster starts its workers from its event-loop thread."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            queue.extend(int(child) for child in children)
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(command: list[str]) -> tuple[float, int, int, float, str]:
    """Run `command`; (seconds, peak RSS summed over its process tree, peak of the
    command's own process (the driver: workers are its children), CPU seconds of the
    tree, its stdout), sampled every 20 ms. On a
    machine shared with other work, CPU time says more than the wall clock about what a
    variant costs (each process counted as last sampled: its final 20 ms may be missed)."""
    # stdout goes to a file: a pipe nobody reads while we sample would stall the command
    # once full.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=output)
        tree_peak = driver_peak = 0
        cpu: dict[int, float] = {}
        while process.poll() is None:
            tree = _tree(process.pid)
            sizes = [_rss(pid) for pid in tree]
            tree_peak = max(tree_peak, sum(sizes))
            driver_peak = max(driver_peak, sizes[0])
            for pid in tree:
                cpu[pid] = _cpu(pid) or cpu.get(pid, 0.0)
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
        output.seek(0)
        return elapsed, tree_peak, driver_peak, sum(cpu.values()), output.read()


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) `pid` has used so far, 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # utime and stime: fields 14 and 15 of stat(5), the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tutorial(corpus: Path) -> None:
    """(a) What a tutorial does: the default pipeline, one document at a time."""
    from collections import Counter
    from itertools import combinations

    import spacy

    from graph.recognize import model_name

    nlp = spacy.load(model_name())
    edges: Counter[tuple[str, str]] = Counter()
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            doc = nlp(json.loads(line)["text"])
            for sent in doc.sents:
                names = sorted({e.text for e in sent.ents if e.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC")})
                edges.update(combinations(names, 2))
    print(len(edges))


def spacy_alone(corpus: Path, processes: int) -> None:
    """(b) spaCy with only the components entigraph uses, all cores, docs consumed."""
    from graph.engines.work import BATCH_SIZE
    from graph.recognize import load_model

    nlp = load_model()
    nlp.remove_pipe("entigraph_line_breaks")  # ours, not spaCy's
    with corpus.open(encoding="utf-8") as handle:
        texts = (json.loads(line)["text"] for line in handle)
        count = sum(1 for _ in nlp.pipe(texts, n_process=processes, batch_size=BATCH_SIZE))
    print(count)


def _engines(
    results: dict[str, tuple[float, int, int, int]], cpu: dict[str, float], dask_sizes: list[int]
) -> None:
    """The local engine and the Dask one side by side (a column each): seconds, CPU
    seconds, words/s and peak RSS of the process tree, cold and after adding 1%."""
    columns = [("local", "c entigraph cold", "d +1% rebuild")] + [
        (f"dask, {n} worker{'s' if n > 1 else ''}", f"e dask cold, {n} workers", f"f dask +1%, {n} workers")
        for n in dask_sizes
    ]
    print(f"{'':12}" + "".join(f"{title:>38}" for title, _, _ in columns))
    for row, index in (("cold", 1), ("+1% rebuild", 2)):
        cells = []
        for column in columns:
            seconds, tree, _, counted = results[column[index]]
            cells.append(
                f"{seconds:6.1f} s {cpu[column[index]]:6.1f} CPU s {counted / seconds:6,.0f} w/s "
                f"{tree / MIB:4,.0f} MiB"
            )
        print(f"{row:12}" + "".join(f"{cell:>38}" for cell in cells))


def _graph_seconds(timings: dict[str, float]) -> float:
    """Seconds of the stages that build the graph: all but reading and extraction."""
    return sum(seconds for stage, seconds in timings.items() if stage not in DOCUMENT_STAGES)


def _table(columns: list[str], rows: list[tuple[str, list[str]]]) -> None:
    """`rows` of (label, a cell per column) under a header of `columns`."""
    label_width = max(len(label) for label, _ in rows)
    width = max(10, *(len(column) + 2 for column in columns))
    print(f"{'':{label_width}}" + "".join(f"{column:>{width}}" for column in columns))
    for label, cells in rows:
        print(f"{label:{label_width}}" + "".join(f"{cell:>{width}}" for cell in cells))


def _stage_rows(timings: list[dict[str, float]]) -> list[tuple[str, list[str]]]:
    """Seconds per build stage, a cell per build: the stages in the order the builds ran
    them, then the sum of the graph stages."""
    stages = list(dict.fromkeys(stage for build in timings for stage in build))
    rows = [
        (stage, [f"{build[stage]:.1f}" if stage in build else "-" for build in timings])
        for stage in stages
    ]
    rows.append(("graph stages", [f"{_graph_seconds(build):.1f}" for build in timings]))
    return rows


def scaling(sizes: list[int], build: list[str], work: Path) -> None:
    """Cold builds only, one per corpus size, each on a fresh cache: seconds per stage,
    CPU seconds and seconds, a column per size."""
    from corpus import write_corpus

    columns: list[str] = []
    timings: list[dict[str, float]] = []
    totals: list[tuple[float, float]] = []
    graphs: list[tuple[int, int]] = []
    for size in sizes:
        corpus = work / f"corpus-{size}.jsonl"
        documents, words = write_corpus(corpus, size)
        cache = work / f"c{size}.sqlite"
        seconds, _, _, cpu, output = run(
            [*build, str(corpus), "-o", str(work / f"c{size}"), "--cache", str(cache)]
        )
        summary = json.loads(output)
        print(f"  {words:,} words, {documents:,} documents: {seconds:.1f} s", file=sys.stderr,
              flush=True)
        columns.append(f"{words:,} words")
        timings.append(summary.get("timings", {}))
        totals.append((cpu, seconds))
        graphs.append((summary["nodes"], summary["edges"]))
    rows = _stage_rows(timings) if any(timings) else []
    rows += [
        ("CPU seconds", [f"{cpu:.1f}" for cpu, _ in totals]),
        ("seconds", [f"{seconds:.1f}" for _, seconds in totals]),
        ("entities", [f"{nodes:,}" for nodes, _ in graphs]),
        ("links", [f"{edges:,}" for _, edges in graphs]),
    ]
    print()
    _table(columns, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size in words")
    parser.add_argument("--memory-factor", type=int, default=4, help="size of the memory run (0: skip)")
    parser.add_argument("--skip", default="", help="variants not to run, e.g. 'a,m'")
    parser.add_argument(
        "--dask-workers", default="1,2",
        help="LocalCluster sizes for the Dask engine, comma-separated ('' or --skip e: none)",
    )
    parser.add_argument(
        "--sizes",
        help="only cold builds (c), one per corpus size in words, comma-separated "
        "(e.g. 250000,1000000,4000000): seconds per stage, to check they grow linearly",
    )
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from graph.engines import cores

    if args.variant == "a":
        tutorial(args.corpus)
        return 0
    if args.variant == "b":
        spacy_alone(args.corpus, cores())
        return 0

    # benchmarks/corpus.py, beside this script; imported here rather than at the top, as
    # variants a and b run this file too and should not load Faker.
    from corpus import write_corpus

    python = sys.executable
    skip = set(args.skip.split(","))
    # --json: the summary on stdout, with the graph's size and the seconds per stage.
    build = [python, "cli.py", "build", "-q", "--json", "--format", "graphml,html,mentions"]
    with tempfile.TemporaryDirectory(prefix="entigraph-throughput-") as scratch:
        work = Path(scratch)
        print(f"{cores()} cores; load average {os.getloadavg()[0]:.1f} at start", flush=True)
        if args.sizes:
            scaling([int(n) for n in args.sizes.split(",") if n], build, work)
            return 0
        corpus = work / "corpus.jsonl"
        documents, words = write_corpus(corpus, args.words)
        print(f"corpus: {documents:,} documents, {words:,} words", flush=True)
        results: dict[str, tuple[float, int, int, int]] = {}
        cpu: dict[str, float] = {}
        # Each `entigraph build` variant's --json summary.
        summaries: dict[str, dict] = {}

        def measure(name: str, command: list[str], counted: int) -> str:
            seconds, tree, driver, cpu[name], output = run(command)
            results[name] = (seconds, tree, driver, counted)
            print(f"  {name}: {seconds:.1f} s", file=sys.stderr, flush=True)
            return output

        def measure_build(name: str, arguments: list[str], counted: int) -> None:
            summaries[name] = json.loads(measure(name, [*build, *arguments], counted))

        if "a" not in skip:
            measure("a tutorial", [python, __file__, "--variant", "a", "--corpus", str(corpus)], words)
        if "b" not in skip:
            measure("b spaCy alone", [python, __file__, "--variant", "b", "--corpus", str(corpus)], words)
        cache = work / "cache.sqlite"
        measure_build(
            "c entigraph cold", [str(corpus), "-o", str(work / "c"), "--cache", str(cache)], words
        )
        graph = summaries["c entigraph cold"]
        print(f"corpus: {documents:,} documents, {words:,} words -> {graph['nodes']:,} entities, "
              f"{graph['edges']:,} links ({graph['mentions']:,} mentions)", flush=True)
        extra = work / "extra.jsonl"
        # Copy numbers from 10**6: new ids, and names of their own (another seed for Faker).
        added, added_words = write_corpus(extra, max(1, words // 100), start=10**6)
        measure_build(
            "d +1% rebuild",
            [str(corpus), str(extra), "-o", str(work / "c"), "--cache", str(cache)],
            words + added_words,
        )
        measure_build(
            "u unchanged rebuild",
            [str(corpus), str(extra), "-o", str(work / "c"), "--cache", str(cache)],
            words + added_words,
        )
        dask_sizes = [int(n) for n in args.dask_workers.split(",") if n] if "e" not in skip else []
        for n in dask_sizes:
            dask_cache = work / f"dask{n}.sqlite"
            dask = ["--engine", "dask", "--workers", str(n), "--cache", str(dask_cache)]
            measure_build(
                f"e dask cold, {n} workers", [*dask, str(corpus), "-o", str(work / f"e{n}")], words
            )
            measure_build(
                f"f dask +1%, {n} workers",
                [*dask, str(corpus), str(extra), "-o", str(work / f"e{n}")],
                words + added_words,
            )
        if args.memory_factor and "m" not in skip:
            big = work / "big.jsonl"
            _, big_words = write_corpus(big, words * args.memory_factor)
            measure_build(
                f"m entigraph cold x{args.memory_factor}",
                [str(big), "-o", str(work / "m"), "--cache", str(work / "big.sqlite")],
                big_words,
            )
    print()
    print(f"{'variant':24} {'seconds':>9} {'CPU s':>7} {'words/s':>10} {'peak RSS tree':>14} "
          f"{'driver':>13}")
    for name, (seconds, tree, driver, counted) in results.items():
        print(f"{name:24} {seconds:9.1f} {cpu[name]:7.1f} {counted / seconds:10,.0f} "
              f"{tree / MIB:10,.0f} MiB {driver / MIB:9,.0f} MiB")
    timed = {name: summary["timings"] for name, summary in summaries.items() if "timings" in summary}
    if timed:
        print()
        print("seconds per stage")
        _table(list(timed), _stage_rows(list(timed.values())))
    print()
    _engines(results, cpu, dask_sizes)
    print()
    c = results["c entigraph cold"]
    lines = []
    if "a tutorial" in results:
        a = results["a tutorial"]
        lines.append(("c/a speed-up", a[0] / c[0], ">= 3.5", a[0] / c[0] >= 3.5))
        lines.append(("c/a by CPU seconds", cpu["a tutorial"] / cpu["c entigraph cold"], "(info)", True))
    if "b spaCy alone" in results:
        b = results["b spaCy alone"]
        lines.append(("c/b (share of spaCy's speed)", b[0] / c[0], ">= 0.665", b[0] / c[0] >= 0.665))
        ratio = cpu["b spaCy alone"] / cpu["c entigraph cold"]
        lines.append(("c/b by CPU seconds", ratio, "(info)", True))
        if "c entigraph cold" in timed:
            share = _graph_seconds(timed["c entigraph cold"]) / cpu["b spaCy alone"]
            lines.append(("c graph stages / b CPU seconds", share, "<= 0.1", share <= 0.1))
    big = next((v for k, v in results.items() if k.startswith("m ")), None)
    if big is not None:
        lines.append((f"RSS x{args.memory_factor} / x1 (tree)", big[1] / c[1], "<= 1.2", big[1] / c[1] <= 1.2))
    d, u = results["d +1% rebuild"], results["u unchanged rebuild"]
    target = 0.04 if words >= 4_000_000 else 0.06
    lines.append(("d/c rebuild time", d[0] / c[0], f"<= {target}", d[0] / c[0] <= target))
    lines.append(("u/c unchanged rebuild time", u[0] / c[0], "<= 0.02", u[0] / c[0] <= 0.02))
    for name, value, target, ok in lines:
        print(f"{name:32} {value:8.3f}  target {target:7} {'ok' if ok else 'MISSED'}")
    print(f"load average at end: {os.getloadavg()[0]:.1f} (other work on the machine slows every variant)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
