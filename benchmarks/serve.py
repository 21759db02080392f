"""Benchmark: `entigraph serve` on a big store: first drawn frame, search, neighbours and
evidence latency with 1 and 20 concurrent clients, and the server's memory.

    .venv/bin/python benchmarks/serve.py [--entities 1000000] [--links 5000000] [--generated PATH]
    .venv/bin/python benchmarks/serve.py --store OUT/graph.db      # a build's store (corpus.py)

Without `--store`, a store of `--entities` entities and `--links` links is generated in SQL
(kept at `--generated`, default /tmp/entigraph-serve-bench/graph.db, and reused when it has
the same size): heavy-tailed mentions and degrees (hubs with tens of thousands of links),
a name and an alias per entity, one evidence sentence per link in a dated document with a
paragraph. The server is the installed `entigraph serve`, in its own process; the clients
are threads of this one, each with its keep-alive connection, asking for: a name's first 2
to 5 letters (search), a page of 20 neighbours of an entity drawn by degree (so hubs
come up often), a page of 10 evidence sentences of a link. Printed: p50 and p95 per
question at 1 and at 20 clients, the first frame in headless Chromium (the page's
`entigraph-first-frame` mark, from navigation start: a new browser's first load, and the
best of two more), and the server's resident memory (now and at its peak).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SYLLABLES = ("ka", "lo", "mi", "ra", "ven", "tor", "sa", "bel", "dun", "fi", "gor", "ha", "is", "jo", "ne", "pa")
REQUESTS = 400
CHROMIUM = "/usr/bin/chromium"


# ---- the generated store ----------------------------------------------------------------


def name(number: int) -> str:
    """A pronounceable two-word name, unique by its number's digits in base 16."""
    digits = []
    while True:
        digits.append(SYLLABLES[number % 16])
        number //= 16
        if not number:
            break
    half = max(1, len(digits) // 2)
    return "".join(digits[:half]).capitalize() + " " + "".join(digits[half:] or ["an"]).capitalize()


def generate(path: Path, entities: int, links: int) -> None:
    from graph.store import Store

    if path.exists():
        with Store.read(path) as store:
            if (store.meta("bench_entities"), store.meta("bench_links")) == (entities, links):
                return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    started = time.perf_counter()
    store = Store.open(path)
    types = ("PERSON", "ORG", "PLACE")
    documents = max(1, links // 50)
    with store.transaction():
        store.executemany(
            "INSERT INTO documents (doc, doc_id, position, text_sha256, source, date, sentences) VALUES (?, ?, ?, x'00', '', ?, 1)",
            ((d, f"doc{d}", d, f"20{20 + d % 5}-{1 + d % 12:02d}-{1 + d % 28:02d}") for d in range(documents)),
        )
        store.executemany(
            "INSERT INTO paragraphs VALUES (?, 0, 0, ?)",
            ((d, f"Paragraph of document {d}: " + "a sentence about two entities meeting. " * 8) for d in range(documents)),
        )
        # mentions fall off as a power of the rank: a few entities everywhere, most once
        store.executemany(
            "INSERT INTO entities (entity, name_key, id, label, type, mentions, documents, statements, community) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?)",
            ((n, f"k{n}", f"E{n:07d}", name(n), types[n % 3], int(20_000 / (n + 1) ** 0.8) + 1, n % 1000)
             for n in range(entities)),
        )  # fmt: skip
        store.execute("INSERT INTO aliases SELECT entity, label FROM entities")
        store.execute("INSERT INTO aliases SELECT entity, 'The ' || label FROM entities WHERE entity % 4 = 0")
        store.execute("INSERT INTO names (entity, name, folded) SELECT entity, alias, lower(alias) FROM aliases")

        def pairs():
            seen = set()
            while len(seen) < links:
                a = int(entities * rng.random() ** 3)  # hubs: the first entities
                b = rng.randrange(entities)
                if a != b and (min(a, b), max(a, b)) not in seen:
                    seen.add((min(a, b), max(a, b)))
                    yield min(a, b), max(a, b)

        rows = []
        for a, b in pairs():
            day = f"20{20 + rng.randrange(5)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
            rows.append((a, b, float(int(1 / (rng.random() + 0.05))), day))
            if len(rows) == 100_000:
                _links(store, rows, documents)
                rows = []
        _links(store, rows, documents)
        store.execute(
            "UPDATE entities SET degree = (SELECT count(*) FROM links WHERE source = entity) + "
            "(SELECT count(*) FROM links WHERE target = entity), weighted_degree = mentions"
        )
        store.set_meta("bench_entities", entities)
        store.set_meta("bench_links", links)
    store.execute("ANALYZE")
    store.close()
    print(f"generated {entities:,} entities and {links:,} links in {time.perf_counter() - started:.0f} s", flush=True)


def _links(store, rows: list, documents: int) -> None:
    store.executemany(
        "INSERT INTO links (source, target, weight, documents, first_seen, last_seen, kept) VALUES (?, ?, ?, 1, ?, ?, 1)",
        ((a, b, w, day, day) for a, b, w, day in rows),
    )
    store.executemany(
        "INSERT INTO evidence VALUES (?, ?, 0, ?, 20, 60, ?)",
        ((a, b, (a * 31 + b) % documents, f"Entity {a} met entity {b} in a sentence of forty.") for a, b, _, _ in rows),
    )


# ---- the server and its clients -------------------------------------------------------------


def start(store: Path) -> tuple[subprocess.Popen, str]:
    entigraph = Path(sys.executable).with_name("entigraph")
    server = subprocess.Popen(
        [str(entigraph), "serve", str(store), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = server.stdout.readline()
    if not line.startswith("Serving"):
        raise SystemExit(f"serve did not start: {line}{server.stderr.read()}")
    return server, line.split(" at ")[1].split(" ")[0]


def memory(pid: int) -> tuple[float, float]:
    """(resident now, peak) in MiB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def questions(store: Path, rng: random.Random) -> dict[str, list[str]]:
    from graph.store import Store

    with Store.read(store) as db:
        count = db.value("SELECT count(*) FROM entities")
        hubs = [i for (i,) in db.rows("SELECT id FROM entities ORDER BY degree DESC LIMIT 100")]
        picked = [rng.randrange(count) for _ in range(REQUESTS)]
        ids = {n: i for n, i in db.rows(
            f"SELECT entity, id FROM entities WHERE entity IN ({','.join(map(str, set(picked)))})")}  # fmt: skip
        labels = [db.value("SELECT label FROM entities WHERE entity = ?", (n,)) for n in picked]
        pairs = []
        for n in picked:  # the first link of a random entity (or the next one having one)
            found = db.execute(
                "SELECT a.id, b.id FROM links l JOIN entities a ON a.entity = l.source "
                "JOIN entities b ON b.entity = l.target WHERE l.source >= ? LIMIT 1", (n,)).fetchone()
            if found:
                pairs.append(found)
    return {
        "search": [f"/api/search?q={quote(label[: rng.randint(2, 5)])}" for label in labels],
        # half the time a hub: their pages are the slow ones if any are
        "neighbours": [
            f"/api/entities/{quote(rng.choice(hubs) if i % 2 else ids.get(n, hubs[0]))}/neighbours?limit=20&offset={rng.choice((0, 0, 20, 100))}"
            for i, n in enumerate(picked)
        ],
        "evidence": [f"/api/links/{quote(a)}/{quote(b)}/evidence?limit=10" for a, b in pairs] or ["/api/histogram"],
    }


def latencies(url: str, paths: list[str], clients: int) -> list[float]:
    parts = urlsplit(url)
    times: list[float] = []
    lock = threading.Lock()
    share = [paths[i::clients] for i in range(clients)]

    def client(mine: list[str]) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        for path in mine:
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: {response.status}")
            with lock:
                times.append(time.perf_counter() - began)
        connection.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in share]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(times)


def percentile(times: list[float], share: float) -> float:
    return times[min(len(times) - 1, int(len(times) * share))] * 1000


def first_frames(url: str, loads: int = 3) -> list[float]:
    """Milliseconds from navigation to the first frame vis-network draws, per load."""
    from playwright.sync_api import sync_playwright

    frames = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_function("() => performance.getEntriesByName('entigraph-first-frame').length > 0", timeout=120_000)
            frames.append(page.evaluate("performance.getEntriesByName('entigraph-first-frame')[0].startTime"))
            page.close()
        browser.close()
    return frames


def measure(store: Path, label: str) -> None:
    rng = random.Random(1)
    asked = questions(store, rng)
    server, url = start(store)
    try:
        frames = first_frames(url)
        rows: list[tuple[str, str]] = [("first frame, first load (ms)", f"{frames[0]:.0f}"),
                                       ("first frame, next loads, best (ms)", f"{min(frames[1:]):.0f}")]  # fmt: skip
        for what, paths in asked.items():
            for clients in (1, 20):
                times = latencies(url, paths, clients)
                rows.append((f"{what} p50 / p95, {clients} client{'s' if clients > 1 else ''} (ms)",
                             f"{percentile(times, 0.5):.1f} / {percentile(times, 0.95):.1f}"))  # fmt: skip
        now, peak = memory(server.pid)
        rows.append(("server RSS now / peak (MiB)", f"{now:.0f} / {peak:.0f}"))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    width = max(len(r[0]) for r in rows)
    print(f"\n{label}")
    for what, value in rows:
        print(f"  {what:<{width}}  {value:>15}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="a build's graph.db (default: generate one)")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=5_000_000)
    parser.add_argument("--generated", type=Path, default=Path("/tmp/entigraph-serve-bench/graph.db"))
    args = parser.parse_args()
    if args.store is None:
        generate(args.generated, args.entities, args.links)
        store, label = args.generated, f"generated store: {args.entities:,} entities, {args.links:,} links"
    else:
        from graph.store import Store

        store = args.store
        with Store.read(store) as db:
            label = (f"{store}: {db.value('SELECT count(*) FROM entities'):,} entities, "
                     f"{db.value('SELECT count(*) FROM links WHERE kept'):,} links")  # fmt: skip
    measure(store, label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
