"""Benchmark the HTML view in headless Chromium: on graphs built from the realistic
benchmark corpus, at the top of the page's budget, and against pyvis' own page.

    .venv/bin/python benchmarks/html_view.py [CORPUS.jsonl ...] [--cache FILE] [--dated] [--top] [--pyvis]

Each CORPUS.jsonl (benchmarks/corpus.py writes one) is built with `entigraph build`
from `--cache` (default: .entigraph-cache.sqlite beside the first corpus, so build it
once with `cli.py build CORPUS.jsonl -o DIR --cache FILE` and keep it), writing its page
with every evidence paragraph from the store (the write time is the build's `export html`); `--dated` gives its
documents dates spread evenly over 2025 in input order (the benchmark corpus has none),
so the page carries the date control and every entity's and link's days. `--top` adds a synthetic
graph at the budget's top (20,000 entities, 100,000 links, three 200-character example
sentences on every link); `--pyvis` adds the old comparison with pyvis' default page on
synthetic graphs of 500, 2,000 and 5,000 entities (vis-network inlined, bootstrap from a
CDN, which is blocked here so nothing leaves the machine). With no argument: `--pyvis`.

Measured for each page, from navigation start: the first drawn frame and the drawing
stable (opening on the 500 most mentioned); then the time until drawn of a search for a
drawn entity, of a search for an undrawn one (found, brought in with its strongest
neighbours and focused: Enter in the box), of "expand" on it, of a legend type toggle,
and of drawing every link among the drawn entities.

Run: .venv/bin/python benchmarks/html_view.py   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from datetime import date, timedelta
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Run as a script from the repo root: make the project and its test helpers importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
from playwright.sync_api import Browser, Playwright, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from pyvis.network import Network  # noqa: E402

from graph.analytics import add_centralities  # noqa: E402
from graph.export import FORMATS  # noqa: E402
from graph.export.html import select_nodes, write_html  # noqa: E402
from graph.export.view_data import CARRY_ENTITIES, CARRY_LINKS, carry  # noqa: E402
from graph.model import Evidence  # noqa: E402
from graph.pipeline import BuildOptions, build  # noqa: E402
from graph.store import Store  # noqa: E402
from graph.store.graphs import from_networkx, to_networkx  # noqa: E402
from tests.browser import launch_chromium, open_view, synthetic_graph  # noqa: E402

SIZES = (500, 2_000, 5_000)
# pyvis runs vis' improved layout then 1,000 physics iterations in the page (over a minute
# at 500 nodes here); give up waiting after this long so the run stays near 5 minutes.
PYVIS_TIMEOUT_S = 45
TARGET_READY_MS = 3_000  # at the opening 500
TARGET_SEARCH_MS = 200
TARGET_MB = 25  # at the budget's top

# The time from navigation start to the end of pyvis' stabilisation, read off the loading
# bar it fades out when vis-network reports "stabilizationIterationsDone". Reported on the
# console: waiting for it from Python keeps time even while the page's script is busy
# (an in-page wait_for_function cannot time out then).
STABLE_MESSAGE = "pyvis-stable-at"
PYVIS_PROBE = f"""
new MutationObserver((_, observer) => {{
  const bar = document.getElementById('loadingBar');
  if (bar && bar.style.opacity === '0') {{
    console.log('{STABLE_MESSAGE} ' + performance.now());
    observer.disconnect();
  }}
}}).observe(document, {{subtree: true, attributes: true, attributeFilter: ['style']}});
"""

# Type into the search box / click a legend button, resolve when the next frame is drawn.
TIMED_SEARCH = """async name => {
  const box = document.getElementById('search');
  const drawn = new Promise(resolve => window.network.once('afterDrawing', resolve));
  const start = performance.now();
  box.value = name;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  await drawn;
  return [performance.now() - start, window.network.getSelectedNodes()[0]];
}"""
# Type an undrawn entity's name and press Enter: found, brought in, focused and drawn.
TIMED_FIND = """async name => {
  const box = document.getElementById('search');
  const drawn = new Promise(resolve => window.network.once('afterDrawing', resolve));
  const start = performance.now();
  box.value = name;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  await drawn;
  return [performance.now() - start, window.network.getSelectedNodes()[0], window.nodes.length];
}"""
TIMED_EXPAND = """async () => {
  const before = window.nodes.length;
  const drawn = new Promise(resolve => window.network.once('afterDrawing', resolve));
  const start = performance.now();
  document.querySelector('#panel button.expand').click();
  await drawn;
  return [performance.now() - start, window.nodes.length - before];
}"""
TIMED_TOGGLE = """async type => {
  const drawn = new Promise(resolve => window.network.once('afterDrawing', resolve));
  const start = performance.now();
  document.querySelector(`#legend button[data-type="${type}"]`).click();
  await drawn;
  return performance.now() - start;
}"""
# Drag the weight slider to 0 (every link), resolve when vis has drawn them all: the page
# filters on the next frame, then a forced redraw (there may be nothing new to draw).
TIMED_ALL_LINKS = """async () => {
  const slider = document.getElementById('min-weight');
  const start = performance.now();
  slider.value = '0';
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(resolve => requestAnimationFrame(resolve));
  window.network.redraw();
  return [performance.now() - start, window.network.body.edgeIndices.length];
}"""


@dataclass
class Row:
    page: str
    nodes: int
    edges: int
    write_s: float
    size_mb: float
    ready_ms: float | None
    first_ms: float | None = None
    carried: str = ""
    links_drawn: int | None = None
    search_ms: float | None = None
    find_ms: float | None = None
    expand_ms: float | None = None
    toggle_ms: float | None = None
    all_links_ms: float | None = None


def measure_ours(
    browser: Browser,
    name: str,
    store: Store,
    path: Path,
    *,
    max_nodes: int = 500,
    write_s: float | None = None,
) -> Row:
    """Measure the page of `store` at `path`; written here unless a build wrote it
    (`write_s`: the seconds it took)."""
    if write_s is None:
        started = time.perf_counter()
        write_html(store, path, max_nodes=max_nodes)
        write_s = time.perf_counter() - started
    graph = to_networkx(store)
    chosen = carry(store)
    opening = set(select_nodes(store, max_nodes))
    # the undrawn entity with the most links: the heaviest to bring in and expand
    degree = Counter(n for u, v, _ in chosen.links for n in (u, v))
    undrawn = max((n for n in chosen.entities if n not in opening), key=lambda n: (degree[n], str(n)), default=None)
    view = open_view(browser, path, offline=True)
    try:
        assert not view.remote_requests() and not view.errors, (view.remote_requests(), view.errors)
        ready = view.js("performance.getEntriesByName('entigraph-ready')[0].startTime")
        first = view.js("performance.getEntriesByName('entigraph-first-frame')[0].startTime")
        links_drawn = view.visible_edge_count()
        view.page.wait_for_timeout(300)  # let the first frames settle before timing
        searches = []
        ids = sorted(opening)
        for node in (ids[len(ids) // 3], ids[len(ids) // 2], ids[-7]):
            elapsed, selected = view.js(TIMED_SEARCH, graph.nodes[node]["label"])
            assert selected == node, (selected, node)
            searches.append(elapsed)
            view.page.wait_for_timeout(400)  # the focus animation
        find_ms = expand_ms = None
        if undrawn is not None:
            find_ms, selected, _ = view.js(TIMED_FIND, graph.nodes[undrawn]["label"])
            assert selected == undrawn, (selected, undrawn)
            view.page.wait_for_timeout(400)
            if view.page.locator("#panel button.expand").count():
                expand_ms, added = view.js(TIMED_EXPAND)
                assert added > 0
            view.page.locator("#reset").click()
            view.page.wait_for_timeout(400)
        toggle = view.js(TIMED_TOGGLE, "PERSON")
        view.js(TIMED_TOGGLE, "PERSON")  # back on, so every link can be drawn
        all_links, drawn = view.js(TIMED_ALL_LINKS)
        assert drawn == graph.subgraph(opening).number_of_edges(), (drawn, graph.subgraph(opening).number_of_edges())
    finally:
        view.page.close()
    return Row(name, graph.number_of_nodes(), graph.number_of_edges(), write_s, path.stat().st_size / 1e6, ready,
               first, f"{len(chosen.entities):,}/{len(chosen.links):,}", links_drawn, statistics.median(searches),
               find_ms, expand_ms, toggle, all_links)  # fmt: skip


def dated_copy(corpus: Path, path: Path) -> Path:
    """`corpus` with a `date` on every row, spread evenly over 2025 in input order; the
    texts are the same, so their extractions come from the cache."""
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for number, row in enumerate(rows):
            row["date"] = (date(2025, 1, 1) + timedelta(days=number * 365 // max(1, len(rows)))).isoformat()
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def budget_top() -> Store:
    """A synthetic graph at the page's budget: CARRY_ENTITIES entities, CARRY_LINKS links,
    each link with three 200-character example sentences of its own, each standing at the
    start of a 400-character paragraph of its document."""
    graph = synthetic_graph(CARRY_ENTITIES, edges_per_node=CARRY_LINKS // CARRY_ENTITIES)
    for number, (u, v, attrs) in enumerate(sorted(graph.edges(data=True))):
        words = f"{graph.nodes[u]['label']} and {graph.nodes[v]['label']} met in story {number} "
        attrs["evidence"] = tuple(
            Evidence(f"story{number}-{k}.txt", 0, 200, (words * 8)[:199] + ".") for k in range(3)
        )
    add_centralities(graph)
    store = from_networkx(graph)
    with store.transaction():
        store.execute(
            "INSERT INTO paragraphs SELECT e.doc, 0, 0, e.text || ? FROM evidence e", (" And then the talks went on for hours." * 5,)
        )
    return store


def pyvis_page(graph: nx.Graph, path: Path) -> float:
    """pyvis' default page for `graph`; returns the seconds it took to write.

    Nodes and edges are set on the Network directly: `from_nx` would pass the evidence
    tuples on (not JSON-serialisable), and `add_edge` scans every edge per call.
    """
    started = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.nodes = [
        {"id": n, "label": d["label"], "title": f"{d['label']} ({d['mentions']} mentions)",
         "value": d["mentions"], "color": d["color"], "shape": "dot"}  # fmt: skip
        for n, d in sorted(graph.nodes(data=True))
    ]
    net.node_ids = [n["id"] for n in net.nodes]
    net.edges = [
        {"from": u, "to": v, "value": d["weight"], "title": d["evidence"][0].text}
        for u, v, d in sorted(graph.edges(data=True))
    ]
    net.write_html(str(path))
    return time.perf_counter() - started


def measure_pyvis(playwright: Playwright, graph: nx.Graph, path: Path) -> Row:
    """In a browser of its own: closing a page whose script is still busy waits for the
    script, closing the browser does not."""
    write_s = pyvis_page(graph, path)
    browser = launch_chromium(playwright)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(PYVIS_PROBE)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    ready: float | None = None
    try:
        with page.expect_console_message(
            lambda message: message.text.startswith(STABLE_MESSAGE), timeout=PYVIS_TIMEOUT_S * 1000
        ) as stable:
            # "commit": its load event waits for the layout, which may outlast the timeout
            page.goto(path.resolve().as_uri(), wait_until="commit")
        ready = float(stable.value.text.split()[1])
    except PlaywrightTimeout:
        pass  # reported as "> timeout"
    finally:
        browser.close()
    return Row("pyvis default", graph.number_of_nodes(), graph.number_of_edges(), write_s,
               path.stat().st_size / 1e6, ready)  # fmt: skip


def fmt_ms(value: float | None, *, limit: str = "n/a") -> str:
    return limit if value is None else f"{value:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, help="benchmark corpora (JSONL) to build pages from")
    parser.add_argument("--cache", type=Path, help="the extraction cache to build them from")
    parser.add_argument("--dated", action="store_true", help="date the corpora's documents over 2025")
    parser.add_argument("--top", action="store_true", help="add a synthetic graph at the budget's top")
    parser.add_argument("--pyvis", action="store_true", help="add the comparison with pyvis on synthetic graphs")
    args = parser.parse_args()
    if not args.corpora and not args.top:
        args.pyvis = True
    rows: list[Row] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch_chromium(playwright)
        try:
            for corpus in args.corpora:
                cache = args.cache or corpus.parent / ".entigraph-cache.sqlite"
                source = dated_copy(corpus, Path(tmp) / corpus.name) if args.dated else corpus
                out = Path(tmp) / corpus.stem
                summary = build([source], out, BuildOptions(cache=cache, formats=("html",)))
                store = Store.read(out / "graph.db")
                try:
                    rows.append(measure_ours(browser, corpus.name, store, out / FORMATS["html"].file,
                                             write_s=summary.timings["export html"]))  # fmt: skip
                finally:
                    store.close()
                print(f"measured {corpus}", file=sys.stderr)
            if args.top:
                rows.append(measure_ours(browser, "budget top (synthetic)", budget_top(), Path(tmp) / "top.html"))
                print("measured the budget's top", file=sys.stderr)
            for size in SIZES if args.pyvis else ():
                started = time.perf_counter()
                graph = synthetic_graph(size)
                rows.append(
                    measure_ours(browser, "entigraph", from_networkx(graph), Path(tmp) / f"ours-{size}.html", max_nodes=size)
                )
                ours_s = time.perf_counter() - started
                rows.append(measure_pyvis(playwright, graph, Path(tmp) / f"pyvis-{size}.html"))
                print(f"measured {size:,} nodes: ours {ours_s:.0f} s, pyvis {time.perf_counter() - started - ours_s:.0f} s",
                      file=sys.stderr)  # fmt: skip
        finally:
            browser.close()

    header = ("page", "entities", "links", "carried", "write s", "file MB", "first frame ms", "stable ms",
              "links drawn", "search ms", "find undrawn ms", "expand ms", "type toggle ms", "all links ms")  # fmt: skip
    table = [header] + [
        (r.page, f"{r.nodes:,}", f"{r.edges:,}", r.carried or "-", f"{r.write_s:.2f}", f"{r.size_mb:.1f}",
         fmt_ms(r.first_ms), fmt_ms(r.ready_ms, limit=f">{PYVIS_TIMEOUT_S * 1000:,}"),
         fmt_ms(r.links_drawn, limit="all"), fmt_ms(r.search_ms), fmt_ms(r.find_ms), fmt_ms(r.expand_ms),
         fmt_ms(r.toggle_ms), fmt_ms(r.all_links_ms))  # fmt: skip
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    ours = [r for r in rows if r.carried]
    print(f"\ntargets: stable at the opening 500 < {TARGET_READY_MS:,} ms "
          f"({'met' if all((r.ready_ms or 0) < TARGET_READY_MS for r in ours if r.page != 'entigraph') else 'MISSED'}), "
          f"page <= {TARGET_MB} MB ({'met' if all(r.size_mb <= TARGET_MB for r in ours) else 'MISSED'}), "
          f"search < {TARGET_SEARCH_MS} ms ({'met' if all((r.search_ms or 0) < TARGET_SEARCH_MS for r in ours) else 'MISSED'})")
    print("'carried' = entities/links the page holds; it draws the 500 most mentioned at opening (all of a pyvis-row graph).")
    if args.pyvis:
        print("pyvis' page loads bootstrap from a CDN; those requests were blocked, so it ran offline too.")
        print("pyvis' 'stable' = its stabilisation done (loading bar gone); it has no search or type toggle.")
    print("'all links ms' is the wait after dragging the weight slider to 0 to draw every link among the drawn entities.")


if __name__ == "__main__":
    main()
