"""The graph stage alone, without spaCy, on generated documents: time and peak memory.

    .venv/bin/python benchmarks/graph_scale.py [--mentions 5000000,20000000] [--limit-gb 20]

Each size runs in a fresh process, which writes documents straight into a store on disk
(OUT/graph.db, as `entigraph build` does with what the workers extract) and then brings
it up to date: near-duplicate grouping, resolution, the edge builder, communities and
centralities. No export is written (`throughput.py` times those).

The documents are made as benchmarks/corpus.py makes its copies, with its `Namer`: each
has people, organizations and places of its own (Faker names from a mix of locales; 40%
of places from a list of countries and cities, Zipf-weighted, so that a few recur), named
in sentences of one to three names, a person in full first and by surname after, in
paragraphs of four sentences; 34 mentions a document, as corpus.py's corpus has (249,032
mentions in 7,326 documents at 4M words), so 5M mentions stand for about 80M words.
Documents carry no relations and a signature of their own (none is a copy).

Printed per size: documents, mentions, distinct names, entities and links; the seconds of
writing the documents and of each stage; the process's peak resident memory (polled by
the parent every 50 ms, and the kernel's high-water mark); the milliseconds of `stats`
and `neighbors` on the finished store. A run past `--limit-gb` is
stopped and reported as such.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEOPLE, ORGS, PLACES = 5, 3, 4  # a document's cast
STATEMENTS = 16  # statements naming someone, a document
PARAGRAPH = 4  # statements a paragraph
NAMES_PER_STATEMENT = ((1, 2, 3), (3, 8, 5))  # (how many names, weight): 2.1 on average
QUERIES = ("stats", "neighbors of the busiest", "neighbors of a person", "a name not found (suggestions)")
FILLER = ("said", "that", "the", "talks", "with", "in", "on", "met", "after", "and", "of", "report")


def documents(count: int, seed: int = 0) -> Iterator[tuple[str, str, dict]]:
    """(doc_id, text, extraction as a dict) for `count` generated documents."""
    from corpus import Namer

    namer = Namer(f"graph-scale:{seed}")
    rng = random.Random(seed)
    for number in range(count):
        used: set[str] = set()
        cast: list[tuple[str, str, str]] = []  # (label, full name, short name)
        for _ in range(PEOPLE):
            first, last = namer.person(used)
            used.update((f"{first} {last}", last))
            cast.append(("PERSON", f"{first} {last}", last))
        for _ in range(ORGS):
            name = namer.org(used)
            used.add(name)
            cast.append(("ORG", name, name))
        for _ in range(PLACES):
            name = namer.place(used)
            used.add(name)
            cast.append(("PLACE", name, name))
        named: set[str] = set()
        statements, paragraphs, pieces = [], [], []
        offset = 0
        paragraph_start, paragraph_names = 0, 0
        for s in range(STATEMENTS):
            how_many = rng.choices(*NAMES_PER_STATEMENT)[0]
            words, mentions = [], []
            cursor = offset
            for label, full, short in rng.sample(cast, how_many):
                name = short if full in named else full
                named.add(full)
                filler = " ".join(rng.choices(FILLER, k=2)) + " "
                words.append(filler + name)
                start = cursor + len(filler)
                mentions.append(
                    {"start": start, "end": start + len(name), "text": name, "name": name, "label": label,
                     "spacy_label": "GPE" if label == "PLACE" else label, "raw": name}
                )  # fmt: skip
                cursor = start + len(name) + 1
            text = " ".join(words) + "."
            number_ = s // PARAGRAPH
            statements.append(
                {"start": offset, "end": offset + len(text), "text": text, "mentions": mentions,
                 "paragraph": number_, "relations": []}
            )  # fmt: skip
            pieces.append(text)
            paragraph_names += len(mentions)
            offset += len(text) + 1
            if s % PARAGRAPH == PARAGRAPH - 1:
                if paragraph_names >= 2:
                    paragraphs.append([number_, paragraph_start, " ".join(pieces)])
                pieces, paragraph_start, paragraph_names = [], offset, 0
        doc_id = f"gen-{number}"
        digest = hashlib.sha256(doc_id.encode()).digest()
        signature = [int.from_bytes(digest[i % 32 : i % 32 + 4] or b"\0", "little") ^ (i * 2654435761 % 2**32)
                     for i in range(128)]  # fmt: skip
        yield doc_id, "", {"doc_id": doc_id, "sentences": STATEMENTS + 8, "statements": statements,
                           "signature": signature, "paragraphs": paragraphs}  # fmt: skip


def run_one(mentions: int, out: Path) -> dict:
    """Build a store of `mentions` generated mentions in `out`; figures as a dict."""
    sys.path.insert(0, str(REPO))
    from graph.model import Extraction
    from graph.pipeline import BuildOptions, _graph_settings
    from graph.relations import read_demonyms
    from graph.resolve import read_user_names
    from graph.store import Store
    from graph.store.documents import Listed
    from graph.store.update import Update
    from graph.timing import Stopwatch

    count = max(1, round(mentions / (STATEMENTS * 2.1)))
    stopwatch = Stopwatch()
    store = Store.open(out / "graph.db")
    options = BuildOptions()
    update = Update(
        store, extraction="generated", settings=_graph_settings(options),
        user=read_user_names(None, None), demonyms=read_demonyms(), stopwatch=stopwatch,
    )  # fmt: skip
    update.begin()
    generating = 0.0
    with stopwatch.stage("write documents"):
        made = documents(count)
        while True:
            began = time.perf_counter()
            item = next(made, None)
            generating += time.perf_counter() - began
            if item is None:
                break
            doc_id, _, data = item
            listed = Listed(doc_id, hashlib.sha256(doc_id.encode()).digest(), "generated")
            update.list(listed)
            update.add(listed, Extraction.from_dict(data))
    update.finish()
    timings = dict(stopwatch.seconds)
    timings["write documents"] -= generating
    queries = _time_queries(store)
    print(
        f"{mentions:,} mentions, queries on the store: " + ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in queries.items()),
        file=sys.stderr, flush=True,
    )  # fmt: skip
    figures = {
        "queries": queries,
        "documents": count,
        "mentions": store.value("SELECT count(*) FROM mentions"),
        "names": store.value("SELECT count(DISTINCT name) FROM name_uses"),
        "entities": store.value("SELECT count(*) FROM entities"),
        "links": store.value("SELECT count(*) FROM links WHERE kept"),
        "timings": timings,
        "generating": generating,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "db_mib": (out / "graph.db").stat().st_size / 2**20,
    }
    store.close()
    return figures


def _time_queries(store) -> dict[str, float]:
    """Seconds of `entigraph stats`, `neighbors` by name and by prefix, on the built store,
    each answered from SQL as the CLI answers it (a fresh read-only connection)."""
    from graph.query import UnknownEntityError, neighbors, stats
    from graph.store import Store

    path = Path(store.path)
    busiest = store.value("SELECT label FROM entities ORDER BY degree DESC, id LIMIT 1")
    person = store.value("SELECT label FROM entities WHERE type = 'PERSON' ORDER BY id LIMIT 1 OFFSET 1000")
    timed = {}
    asks = (
        lambda s: stats(s),
        lambda s: neighbors(s, busiest),
        lambda s: neighbors(s, person),
        lambda s: neighbors(s, person[: max(4, len(person) - 3)]),
    )
    for name, ask in zip(QUERIES, asks):
        with Store.read(path) as reader:
            began = time.perf_counter()
            try:
                ask(reader)
            except UnknownEntityError:  # its answer: an error naming the nearest names
                pass
            timed[name] = time.perf_counter() - began
    return timed


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(mentions: int, limit_gb: float) -> dict | None:
    """Run one size in a child process, polling its memory; its figures, or None when
    it was stopped past the limit (the peak it reached is printed)."""
    with tempfile.TemporaryDirectory(prefix="graph-scale-") as tmp:
        child = subprocess.Popen(
            [sys.executable, __file__, "--child", str(mentions), "--out", tmp],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        peak = 0.0
        began = time.perf_counter()
        while child.poll() is None:
            peak = max(peak, _rss_mib(child.pid))
            if peak > limit_gb * 1024:
                child.kill()
                child.wait()
                print(f"{mentions:>12,} mentions: stopped at {peak:,.0f} MiB after {time.perf_counter() - began:.0f} s")
                return None
            time.sleep(0.05)
        output = child.stdout.read() if child.stdout else ""
        if child.returncode != 0:
            raise SystemExit(f"{mentions:,} mentions: the run failed (exit {child.returncode})")
        figures = json.loads(output.strip().splitlines()[-1])
        figures["polled_mib"] = peak
        figures["wall"] = time.perf_counter() - began
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", default="5000000,20000000", help="sizes, comma-separated")
    parser.add_argument("--limit-gb", type=float, default=20.0, help="stop a run whose memory passes this")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.out)))
        return 0
    results = {}
    for size in (int(s) for s in args.mentions.split(",") if s):
        figures = measure(size, args.limit_gb)
        if figures is not None:
            results[size] = figures
            print(f"{size:>12,} mentions: {figures['wall']:,.0f} s, peak {figures['polled_mib']:,.0f} MiB", flush=True)
    if not results:
        return 1
    stages = list(dict.fromkeys(stage for f in results.values() for stage in f["timings"]))
    rows = [
        ("documents", lambda f: f"{f['documents']:,}"),
        ("mentions", lambda f: f"{f['mentions']:,}"),
        ("distinct names", lambda f: f"{f['names']:,}"),
        ("entities", lambda f: f"{f['entities']:,}"),
        ("links", lambda f: f"{f['links']:,}"),
        *((f"{stage} s", lambda f, s=stage: f"{f['timings'].get(s, 0):,.1f}") for stage in stages),
        ("graph stage s", lambda f: f"{sum(v for k, v in f['timings'].items() if k != 'write documents'):,.1f}"),
        ("peak RSS MiB (polled)", lambda f: f"{f['polled_mib']:,.0f}"),
        ("peak RSS MiB (kernel)", lambda f: f"{f['maxrss_mib']:,.0f}"),
        ("KiB per distinct name", lambda f: f"{f['maxrss_mib'] * 1024 / max(1, f['names']):,.2f}"),
        ("graph.db MiB", lambda f: f"{f['db_mib']:,.0f}"),
        *((f"{query} ms", lambda f, q=query: f"{f['queries'][q] * 1000:,.0f}") for query in QUERIES),
    ]
    print()
    print(f"{'':36}" + "".join(f"{f'{size:,} mentions':>22}" for size in results))
    for label, cell in rows:
        print(f"{label:36}" + "".join(f"{cell(f):>22}" for f in results.values()))
    print("(generating the documents, not counted:", ", ".join(f"{f['generating']:.0f} s" for f in results.values()) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
