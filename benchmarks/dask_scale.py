"""Benchmark: the Dask engine's driver, alone, as the corpus grows; the local engine beside it.

    .venv/bin/python benchmarks/dask_scale.py [--sizes 250000,1000000,4000000] [--workers 2]

Job: measure what the machine that runs `entigraph build --engine dask` (the driver) needs
when the cluster is not its own: today only extraction runs on the cluster and the graph
stage runs in the driver, so this is the baseline a cluster-side reduce must beat.
Input: corpus sizes in words (benchmarks/corpus.py's corpus: the largest is written once,
and each smaller one is its first documents, the bytes `write_corpus` writes at that size)
and the number of Dask workers.
Output: printed tables. For each size, in fresh processes and with no cache:

  dask   a `dask scheduler` on 127.0.0.1 (a free port) and `--workers` x `dask worker
         --nthreads 1 --nworkers 1 --memory-limit 0` (each with its nanny), every one in a
         process group of its own, started for this build and stopped after it; then
         `cli.py build CORPUS --engine dask --scheduler ADDRESS --no-cache --json --quiet`;
  local  `cli.py build CORPUS --engine local --workers N --no-cache --json --quiet`, as
         many spaCy processes as the cluster has workers;

then whether the two builds wrote the same bytes, file by file (every file in the
summary's "files": GraphML, the HTML view, the CSVs; not the store). Every 50 ms the
benchmark reads the driver's own kernel high-water mark (VmHWM: the `cli.py` process
alone, not its children), the resident memory summed over the driver's process tree (the
local engine's spaCy processes, the export helper) and over the scheduler's and workers'
trees. Printed per size and engine: documents, words, mentions, entities, links, seconds,
the graph stage's seconds (every timing of the `--json` summary but read and extract),
the three peaks, and the seconds per stage; then the targets: identical outputs at every
size, and the Dask driver's peak at the largest size within 1.3 times its peak at the
middle size.

Ctrl-C stops the build and the cluster (their process groups) and removes the scratch
directory.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from throughput import MIB, REPO, _graph_seconds, _rss, _stage_rows, _table, _tree

POLL = 0.05
# The Dask driver's peak at the largest size over its peak at the middle size.
DRIVER_GROWTH = 1.3
# How long the scheduler and the workers may take to come up, and to go down on SIGTERM.
START_TIMEOUT = 120.0
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class Measured:
    """One build: its wall time, peaks in bytes, and its `--json` summary."""

    seconds: float
    driver: int  # the driver's own high-water mark
    driver_tree: int  # the driver and its children, summed
    cluster: int  # the scheduler and the workers with their nannies, summed
    summary: dict


def write_prefix(source: Path, target: Path, words: int) -> tuple[int, int]:
    """The first rows of the corpus `source` into `target`, until `words` words, as
    corpus.write_corpus stops: the bytes it writes at that size, since a smaller corpus
    is the start of a larger one. (documents, words) written."""
    documents = written = 0
    with source.open(encoding="utf-8") as rows, target.open("w", encoding="utf-8") as handle:
        for line in rows:
            if written >= words:
                break
            handle.write(line)
            documents += 1
            written += len(json.loads(line)["text"].split())
    return documents, written


def differing(left: Path, right: Path, names: Sequence[str]) -> list[str]:
    """Of the files `names`, those missing in either directory or whose bytes differ."""
    return [
        name for name in names
        if not ((left / name).is_file() and (right / name).is_file())
        or (left / name).read_bytes() != (right / name).read_bytes()
    ]


def middle(sizes: Sequence[int]) -> int:
    """The size the largest is compared with: the middle one of the sizes in order (the
    lower middle of an even count), 1,000,000 of the defaults."""
    ordered = sorted(sizes)
    return ordered[(len(ordered) - 1) // 2]


def _high_water(pid: int) -> int:
    """The kernel's record of `pid`'s largest resident memory, 0 if it is gone: no peak
    between two samples is missed."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _start(command: list[str], scratch: Path | None = None, **options) -> subprocess.Popen:
    """`command` in a session (so a process group) of its own: Ctrl-C reaches only this
    script, which stops the group, whatever the process has started. Dask's files go
    into `scratch` (its default is a directory under /tmp that outlives the run)."""
    # The workers unpickle this checkout's `graph` package: put it ahead of any installed one.
    path = os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path}
    if scratch is not None:
        env["DASK_TEMPORARY_DIRECTORY"] = str(scratch)
    return subprocess.Popen(command, cwd=REPO, env=env, start_new_session=True, **options)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to `process`'s group, SIGKILL if it has not ended in STOP_TIMEOUT."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            break
        try:
            process.wait(STOP_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()


def _address(file: Path, scheduler: subprocess.Popen, log: TextIO) -> str:
    """The address the scheduler writes into `file` once it listens."""
    deadline = time.monotonic() + START_TIMEOUT
    while scheduler.poll() is None and time.monotonic() < deadline:
        try:
            return json.loads(file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError):
            # Not there yet, or half-written: the scheduler writes it in place.
            time.sleep(POLL)
    log.flush()
    lines = Path(log.name).read_text(encoding="utf-8").splitlines()[-10:]
    raise SystemExit("\n".join(["the Dask scheduler did not start:", *lines]))


@contextmanager
def cluster(workers: int, scratch: Path) -> Iterator[tuple[str, list[subprocess.Popen]]]:
    """A scheduler and `workers` one-thread workers, up and joined; (its address, the
    processes). Everything is stopped on the way out."""
    from distributed import Client

    scratch.mkdir()
    file = scratch / "scheduler.json"
    processes: list[subprocess.Popen] = []
    # Dask logs every connection to stderr: into one file, shown if the cluster fails.
    with (scratch / "cluster.log").open("w", encoding="utf-8") as log:
        try:
            processes.append(_start(
                [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                 "--port", "0", "--no-dashboard", "--scheduler-file", str(file)],
                scratch, stdout=log, stderr=log,
            ))
            address = _address(file, processes[0], log)
            for _ in range(workers):
                processes.append(_start(
                    [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                     "--nworkers", "1", "--memory-limit", "0", "--no-dashboard"],
                    scratch, stdout=log, stderr=log,
                ))
            with Client(address, timeout=START_TIMEOUT) as client:
                client.wait_for_workers(workers, timeout=START_TIMEOUT)
            yield address, processes
        finally:
            # Workers first, so that none is left trying to reach a scheduler that is gone.
            for process in reversed(processes):
                _stop(process)


def measure(command: list[str], watched: Sequence[subprocess.Popen] = ()) -> Measured:
    """Run `command` (an `entigraph build --json`), sampling memory every POLL seconds:
    the driver's own high-water mark, its tree's resident memory and that of `watched`'s
    trees (the cluster)."""
    # stdout to a file: a pipe nobody reads while we sample would stall the build once full.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        started = time.perf_counter()
        process = _start(command, stdout=output)
        driver = driver_tree = cluster_peak = 0
        try:
            while process.poll() is None:
                driver = max(driver, _high_water(process.pid))
                driver_tree = max(driver_tree, sum(map(_rss, _tree(process.pid))))
                cluster_peak = max(
                    cluster_peak, sum(_rss(pid) for other in watched for pid in _tree(other.pid))
                )
                time.sleep(POLL)
        finally:
            if process.poll() is None:
                _stop(process)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
        output.seek(0)
        return Measured(seconds, driver, driver_tree, cluster_peak, json.loads(output.read()))


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f}"


def report(
    sizes: list[int], words: dict[int, tuple[int, int]], builds: dict[tuple[int, str], Measured],
    same: dict[int, list[str]],
) -> None:
    """The tables: a column per size and engine, the seconds per stage, the targets."""
    keys = [(size, engine) for size in sizes for engine in ("dask", "local")]
    columns = [f"{engine} {words[size][1]:,}" for size, engine in keys]
    summaries = [builds[key].summary for key in keys]
    rows = [
        ("documents", [f"{summary['documents']:,}" for summary in summaries]),
        ("words", [f"{words[size][1]:,}" for size, _ in keys]),
        ("mentions", [f"{summary['mentions']:,}" for summary in summaries]),
        ("entities", [f"{summary['nodes']:,}" for summary in summaries]),
        ("links", [f"{summary['edges']:,}" for summary in summaries]),
        ("seconds", [f"{builds[key].seconds:.1f}" for key in keys]),
        ("graph stage seconds", [f"{_graph_seconds(summary['timings']):.1f}" for summary in summaries]),
        ("driver peak MiB", [_mib(builds[key].driver) for key in keys]),
        ("driver tree peak MiB", [_mib(builds[key].driver_tree) for key in keys]),
        ("scheduler+workers MiB", [_mib(builds[key].cluster) if key[1] == "dask" else "-" for key in keys]),
    ]
    print()
    _table(columns, rows)
    print()
    print("seconds per stage")
    _table(columns, _stage_rows([summary["timings"] for summary in summaries]))
    print()
    print("targets")
    for size in sizes:
        verdict = "yes" if not same[size] else f"NO: {', '.join(same[size])}"
        print(f"  identical outputs, dask vs local, {words[size][1]:,} words: {verdict}")
    if len(sizes) > 1:
        largest, reference = max(sizes), middle(sizes)
        for engine, target in (("dask", True), ("local", False)):
            ratio = builds[largest, engine].driver / builds[reference, engine].driver
            verdict = ("PASS" if ratio <= DRIVER_GROWTH else "MISS") if target else "(info)"
            print(f"  {engine} driver peak, {words[largest][1]:,} / {words[reference][1]:,} words: "
                  f"{ratio:.2f}" + (f"  target <= {DRIVER_GROWTH}  " if target else "  ") + verdict)
    print("  not measured here: the 20M and 100M generated-mention rows; the reduce does not run on "
          "the cluster yet (benchmarks/graph_scale.py measures the driver-side graph stage on "
          "generated mentions)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250000,1000000,4000000", help="corpus sizes in words, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (one thread each); local engine processes")
    args = parser.parse_args()
    sizes = sorted({int(n) for n in args.sizes.split(",") if n})
    from corpus import write_corpus

    build = [sys.executable, "cli.py", "build", "--no-cache", "--json", "--quiet"]
    words: dict[int, tuple[int, int]] = {}
    builds: dict[tuple[int, str], Measured] = {}
    same: dict[int, list[str]] = {}
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="entigraph-dask-scale-") as directory:
        scratch = Path(directory)
        largest = scratch / "corpus-largest.jsonl"
        write_corpus(largest, sizes[-1])
        for size in sizes:
            corpus = scratch / f"corpus-{size}.jsonl"
            words[size] = write_prefix(largest, corpus, size)
            dask_out, local_out = scratch / f"dask-{size}", scratch / f"local-{size}"
            with cluster(args.workers, scratch / f"cluster-{size}") as (address, processes):
                builds[size, "dask"] = measure(
                    [*build, str(corpus), "-o", str(dask_out), "--engine", "dask", "--scheduler", address],
                    processes,
                )
            builds[size, "local"] = measure(
                [*build, str(corpus), "-o", str(local_out), "--engine", "local", "--workers", str(args.workers)]
            )
            names = sorted({Path(file).name for key in ((size, "dask"), (size, "local"))
                            for file in builds[key].summary["files"]})
            same[size] = differing(dask_out, local_out, names)
            print(f"  {words[size][1]:,} words: dask {builds[size, 'dask'].seconds:.1f} s, "
                  f"local {builds[size, 'local'].seconds:.1f} s", file=sys.stderr, flush=True)
    report(sizes, words, builds, same)
    print(f"load average at end: {os.getloadavg()[0]:.1f} (other work on the machine slows every build)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # Everything started is stopped and the scratch directory removed by now.
        print("interrupted", file=sys.stderr)
        sys.exit(130)
