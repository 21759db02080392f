"""Benchmark the HTML view in headless Chromium against pyvis' own page for the same graph.

Synthetic seeded graphs of 500, 2,000 and 5,000 entities with ten links each; for every
size it writes our page and pyvis' default page (cdn_resources="in_line": vis-network
inlined, bootstrap still from a CDN, which is blocked here so nothing leaves the machine)
and measures, from navigation start, the time until the graph is drawn and stable, then
in our page the time a search and a legend type toggle take to be drawn.

Run: .venv/bin/python benchmarks/html_view.py   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import statistics
import sys
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

from graph.export.html import write_html  # noqa: E402
from tests.browser import launch_chromium, open_view, synthetic_graph  # noqa: E402

SIZES = (500, 2_000, 5_000)
# pyvis runs vis' improved layout then 1,000 physics iterations in the page (over a minute
# at 500 nodes here); give up waiting after this long so the run stays near 5 minutes.
PYVIS_TIMEOUT_S = 45
TARGET_READY_MS = 5_000
TARGET_SEARCH_MS = 200

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
    links_drawn: int | None = None
    search_ms: float | None = None
    toggle_ms: float | None = None
    all_links_ms: float | None = None


def measure_ours(browser: Browser, graph: nx.Graph, path: Path) -> Row:
    started = time.perf_counter()
    write_html(graph, path, max_nodes=graph.number_of_nodes())
    write_s = time.perf_counter() - started
    view = open_view(browser, path)
    try:
        assert not view.remote_requests() and not view.errors, (view.remote_requests(), view.errors)
        ready = view.js("performance.getEntriesByName('entigraph-ready')[0].startTime")
        links_drawn = view.visible_edge_count()
        view.page.wait_for_timeout(300)  # let the first frames settle before timing
        searches = []
        ids = sorted(graph)
        for node in (ids[len(ids) // 3], ids[len(ids) // 2], ids[-7]):
            elapsed, selected = view.js(TIMED_SEARCH, graph.nodes[node]["label"])
            assert selected == node, (selected, node)
            searches.append(elapsed)
            view.page.wait_for_timeout(400)  # the focus animation
        toggle = view.js(TIMED_TOGGLE, "PERSON")
        view.js(TIMED_TOGGLE, "PERSON")  # back on, so every link can be drawn
        all_links, drawn = view.js(TIMED_ALL_LINKS)
        assert drawn == graph.number_of_edges(), (drawn, graph.number_of_edges())
    finally:
        view.page.close()
    return Row("entigraph", graph.number_of_nodes(), graph.number_of_edges(), write_s,
               path.stat().st_size / 1e6, ready, links_drawn, statistics.median(searches), toggle, all_links)  # fmt: skip


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
    rows: list[Row] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch_chromium(playwright)
        try:
            for size in SIZES:
                started = time.perf_counter()
                graph = synthetic_graph(size)
                rows.append(measure_ours(browser, graph, Path(tmp) / f"ours-{size}.html"))
                ours_s = time.perf_counter() - started
                rows.append(measure_pyvis(playwright, graph, Path(tmp) / f"pyvis-{size}.html"))
                print(f"measured {size:,} nodes: ours {ours_s:.0f} s, pyvis {time.perf_counter() - started - ours_s:.0f} s",
                      file=sys.stderr)  # fmt: skip
        finally:
            browser.close()

    header = ("page", "nodes", "edges", "write s", "file MB", "drawn+stable ms", "links drawn", "search ms",
              "type toggle ms", "all links ms")  # fmt: skip
    table = [header] + [
        (r.page, f"{r.nodes:,}", f"{r.edges:,}", f"{r.write_s:.2f}", f"{r.size_mb:.1f}",
         fmt_ms(r.ready_ms, limit=f">{PYVIS_TIMEOUT_S * 1000:,}"), fmt_ms(r.links_drawn, limit="all"),
         fmt_ms(r.search_ms), fmt_ms(r.toggle_ms), fmt_ms(r.all_links_ms))  # fmt: skip
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) if j == 0 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    largest = max((r for r in rows if r.page == "entigraph"), key=lambda r: r.nodes)
    print(
        f"\ntargets at {largest.nodes:,} nodes: drawn+stable < {TARGET_READY_MS:,} ms "
        f"({'met' if (largest.ready_ms or 0) < TARGET_READY_MS else 'MISSED'}), "
        f"search < {TARGET_SEARCH_MS} ms ({'met' if (largest.search_ms or 0) < TARGET_SEARCH_MS else 'MISSED'})"
    )
    print("pyvis' page loads bootstrap from a CDN; those requests were blocked, so it ran offline too.")
    print("pyvis' 'stable' = its stabilisation done (loading bar gone); it has no search or type toggle.")
    print("Our page opens with links below a weight budget left out (a note says so): 'links drawn';")
    print("'all links ms' is the wait after dragging the weight slider to 0 to draw every link.")


if __name__ == "__main__":
    main()
