"""The HTML view as an explorer, in headless Chromium from file://: any entity the page
carries is found and drawn, neighbourhoods open on demand, the date control follows the
story, evidence opens in its paragraph, and names marked as one download as an aliases
file that a build merges."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Browser

from graph.export.html import select_nodes, write_html
from graph.names import key
from graph.pipeline import BuildOptions, build
from graph.store import STORE_NAME, Store
from graph.resolve.aliases import read_aliases
from tests.browser import XSS_PAYLOADS, View, add_entity, hand_corpus, link, news_graph, open_view, synthetic_graph
from graph.store.graphs import to_networkx
from tests.conftest import ARTIFACTS, SAMPLE, recorded

NEW_LINK = "#d9480f"
HUB = "ORG_hub_holdings"
# Weights 1..45: the strongest first is the heaviest, with no ties.
HUB_LINKS = 45


def assert_clean(view: View) -> None:
    assert view.remote_requests() == []
    assert view.errors == []
    assert view.dialogs == []


@pytest.fixture(scope="module")
def archive() -> nx.Graph:
    """3,000 entities, of which the view draws 500 at opening, and a hub mentioned once
    (so not drawn) whose 45 neighbours are undrawn too."""
    graph = synthetic_graph(3_000, edges_per_node=3)
    add_entity(graph, HUB, "Hub Holdings", "ORG", 1, aliases=("HH Group",))
    for i in range(HUB_LINKS):
        link(graph, HUB, f"ORG_entity_{2_002 + 3 * i:05d}", float(i + 1), (f"hub{i}.txt", f"Hub Holdings bought stake {i}."))
    return graph


@pytest.fixture(scope="module")
def archive_html(archive: nx.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.html"
    write_html(archive, path)
    return path


@pytest.fixture()
def archive_view(browser: Browser, archive_html: Path) -> Iterator[View]:
    opened = open_view(browser, archive_html, offline=True)
    yield opened
    opened.page.close()


def hub_neighbours(archive: nx.Graph) -> list[str]:
    return sorted(archive.neighbors(HUB), key=lambda n: -archive.edges[HUB, n]["weight"])


def find(view: View, typed: str) -> None:
    view.page.locator("#search").fill(typed)
    view.page.locator("#search").press("Enter")
    view.wait_centred_on_selection()  # the focus animation, played to its end


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("Person Entity 2100", "PERSON_entity_02100", id="full-name"),
        pytest.param("e2404", "ORG_entity_02404", id="alias-any-case"),
    ],
)
def test_typing_an_undrawn_entity_and_enter_draws_and_focuses_it(
    archive_view: View, archive: nx.Graph, typed: str, expected: str
) -> None:
    view = archive_view
    assert expected not in select_nodes(archive, 500)
    assert expected not in view.visible_node_ids()
    find(view, typed)
    drawn = view.visible_node_ids()
    assert expected in drawn
    assert view.js("window.network.getSelectedNodes()")[0] == expected
    assert view.page.locator("#panel h2").text_content() == archive.nodes[expected]["label"]
    assert view.page.locator("#panel .added").text_content().startswith("Added to the drawing with ")
    # its strongest neighbours came with it, and every drawn one is linked to it
    strongest = sorted(archive.neighbors(expected), key=lambda n: (-archive.edges[expected, n]["weight"], n))[:10]
    assert set(strongest) <= set(drawn)
    view.shoot(ARTIFACTS, f"explorer-found-{expected}")
    assert_clean(view)


def test_an_entity_brought_in_stands_near_a_drawn_neighbour_on_a_free_spot(archive_view: View, archive: nx.Graph) -> None:
    view = archive_view
    opening = set(select_nodes(archive, 500))
    target = next(n for n in sorted(archive) if n not in opening and any(m in opening for m in archive.neighbors(n)))
    find(view, archive.nodes[target]["label"])
    positions = view.js("window.network.getPositions()")
    mine = positions[target]
    others = [p for n, p in positions.items() if n != target]
    drawn_neighbours = [positions[m] for m in archive.neighbors(target) if m in opening]
    assert min(math.hypot(p["x"] - mine["x"], p["y"] - mine["y"]) for p in drawn_neighbours) < 12 * 80
    assert min(math.hypot(p["x"] - mine["x"], p["y"] - mine["y"]) for p in others) >= 0.75 * 80 - 1


def test_expand_draws_hidden_neighbours_strongest_first_and_offers_the_rest(archive_view: View, archive: nx.Graph) -> None:
    view = archive_view
    neighbours = hub_neighbours(archive)
    find(view, "hub holdings")
    assert set(neighbours[:10]) <= set(view.visible_node_ids())
    assert not set(neighbours[10:]) & set(view.visible_node_ids())
    expand = view.page.locator("#panel button.expand")
    assert expand.text_content() == "expand: and 35 more (the next 20)"
    expand.click()
    drawn = set(view.visible_node_ids())
    assert set(neighbours[:30]) <= drawn and not set(neighbours[30:]) & drawn
    assert view.page.locator("#panel .added").text_content() == "Drew 20 neighbours; 15 more not drawn."
    assert expand.text_content() == "expand: and 15 more"
    expand.click()
    assert set(neighbours) <= set(view.visible_node_ids())
    assert view.page.locator("#panel button.expand").count() == 0
    view.shoot(ARTIFACTS, "explorer-expanded-hub")
    assert_clean(view)


def test_focus_shows_only_the_entity_and_its_neighbours_and_reset_returns_to_the_opening(
    archive_view: View, archive: nx.Graph
) -> None:
    view = archive_view
    find(view, "Hub Holdings")
    view.page.locator("#panel button.focus").click()
    assert view.visible_node_ids() == sorted([HUB, *hub_neighbours(archive)[:30]])
    assert view.page.locator("#panel button.focus").text_content() == "show all"
    view.shoot(ARTIFACTS, "explorer-focus-hub")
    view.page.locator("#reset").click()
    assert view.visible_node_ids() == select_nodes(archive, 500)
    assert view.js("window.nodes.length") == 500
    shipped = view.js("Object.fromEntries(window.nodes.get().map(n => [n.id, [n.x, n.y]]))")
    drawn = view.js("window.network.getPositions()")
    assert {k: [p["x"], p["y"]] for k, p in drawn.items()} == shipped
    assert_clean(view)


# ---- the story over time --------------------------------------------------------------

DATED_NAMES = {"Alma Reyes": "PERSON", "Borden Trust": "ORG", "Calder Bay": "PLACE", "Dmitri Volkov": "PERSON",
               "Eastgate Port": "PLACE"}  # fmt: skip
DATED_ROWS = [
    ("d1", "Alma Reyes met Borden Trust.", "2025-03-01"),
    ("d2", "Borden Trust sold land in Calder Bay.", "2025-03-03"),
    ("d3", "Calder Bay hosted Dmitri Volkov.\n\nAlma Reyes met Borden Trust again.", "2025-03-05"),
    ("d4", "Dmitri Volkov flew to Eastgate Port.", "2025-03-08"),
]


@pytest.fixture(scope="module")
def dated_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.Graph]:
    _, extractions, infos = hand_corpus(DATED_ROWS, DATED_NAMES)
    store = recorded(extractions, documents=infos)
    path = tmp_path_factory.mktemp("dated") / "dated.html"
    write_html(store, path)
    return path, to_networkx(store)


SET_PERIOD = """([a, b]) => {
  const from = document.getElementById('date-from'), to = document.getElementById('date-to');
  from.value = String(a); to.value = String(b);
  from.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def test_date_control_hides_links_outside_the_period_and_marks_the_new_ones(
    browser: Browser, dated_html: tuple[Path, nx.Graph]
) -> None:
    path, graph = dated_html
    view = open_view(browser, path, offline=True)
    try:
        assert view.page.locator("#timeline").is_visible()
        assert view.page.locator("#timeline output").text_content() == "2025-03-01 \u2013 2025-03-08"
        assert view.visible_edge_count() == graph.number_of_edges()
        view.js(SET_PERIOD, [3, 5])  # 2025-03-04 to 2025-03-06
        view.after_frame()
        assert view.page.locator("#timeline output").text_content() == "2025-03-04 \u2013 2025-03-06"
        labels = {n: d["label"] for n, d in graph.nodes(data=True)}
        shown = view.js("window.edges.get().map(e => [e.from, e.to, (e.color || {}).color || null])")
        pairs = {frozenset((labels[a], labels[b])): colour for a, b, colour in shown}
        # seen from 03-01 to 03-05, and first on 03-05
        assert pairs == {frozenset(("Alma Reyes", "Borden Trust")): None, frozenset(("Calder Bay", "Dmitri Volkov")): NEW_LINK}
        visible = {labels[n] for n in view.visible_node_ids() if not view.js("id => window.nodes.get(id).hidden", n)}
        assert visible == {"Alma Reyes", "Borden Trust", "Calder Bay", "Dmitri Volkov"}
        view.shoot(ARTIFACTS, "explorer-dated-period")
        view.js(SET_PERIOD, [0, 7])
        view.after_frame()
        assert view.visible_edge_count() == graph.number_of_edges()
        assert view.js("window.edges.get().filter(e => e.color).length") == 0
        assert_clean(view)
    finally:
        view.page.close()


def test_date_control_is_absent_without_dates(archive_view: View) -> None:
    assert view_hidden(archive_view, "#timeline")


def view_hidden(view: View, selector: str) -> bool:
    return view.js("s => document.querySelector(s).hidden", selector)


# ---- evidence in its paragraph ------------------------------------------------------------

HOSTILE_DOC = f"doc{XSS_PAYLOADS[0]}"
HOSTILE_TEXT = (
    "Eastgate Port was quiet.\n\n"
    f"Alma Reyes met Borden Trust in Calder Bay. {XSS_PAYLOADS[1]} was painted on a wall! "
    f"Dmitri Volkov said {XSS_PAYLOADS[2]} nothing.\n\nThe end."
)


def test_evidence_opens_its_paragraph_with_every_name_marked_and_its_text_inert(browser: Browser, tmp_path: Path) -> None:
    _, extractions, infos = hand_corpus([(HOSTILE_DOC, HOSTILE_TEXT, "2025-03-02")], DATED_NAMES)
    store = recorded(extractions, documents=infos)
    graph = to_networkx(store)
    path = tmp_path / "paragraph.html"
    write_html(store, path)
    view = open_view(browser, path, offline=True)
    try:
        find_edge = "([a, b]) => window.edges.get({filter: e => e.from === a && e.to === b})[0].id"
        ids = {d["label"]: n for n, d in graph.nodes(data=True)}
        a, b = sorted((ids["Alma Reyes"], ids["Borden Trust"]))
        view.click_edge(view.js(find_edge, [a, b]))
        evidence = view.page.locator("#panel ol li").first
        evidence.locator("button.open-paragraph").click()
        paragraph = evidence.locator(".paragraph")
        assert paragraph.locator(".doc").text_content() == f"{HOSTILE_DOC} \u00b7 2025-03-02"
        body = paragraph.locator(".text")
        assert body.text_content() == HOSTILE_TEXT.split("\n\n")[1]
        assert body.locator("mark.this").all_text_contents() == ["Alma Reyes", "Borden Trust"]
        assert body.locator("mark.other").all_text_contents() == ["Calder Bay", "Dmitri Volkov"]
        assert body.locator(".evidence").all_text_contents()[0].startswith("Alma Reyes")
        view.shoot(ARTIFACTS, "explorer-evidence-paragraph")
        assert view.js("window.__xss") is None
        assert view.js("document.querySelectorAll('img, svg, iframe').length") == 0
        assert view.js("document.scripts.length") == 3
        body.locator("mark.other", has_text="Dmitri Volkov").click()
        assert view.page.locator("#panel h2").text_content() == "Dmitri Volkov"
        assert_clean(view)
    finally:
        view.page.close()


# ---- merging from the view -------------------------------------------------------------


def test_two_entities_marked_as_one_download_as_aliases_a_build_merges(
    browser: Browser, nlp, sample_build, sample_store, tmp_path: Path
) -> None:
    _, out = sample_build
    before = to_networkx(sample_store)
    people = sorted(
        (n for n, d in before.nodes(data=True) if d["type"] == "PERSON"), key=lambda n: (-before.nodes[n]["mentions"], n)
    )
    first, second = people[0], people[1]
    labels = (before.nodes[first]["label"], before.nodes[second]["label"])
    count = before.number_of_nodes()
    view = open_view(browser, out / "graph.html", offline=True)
    try:
        view.click_node(first)
        view.page.keyboard.down("Control")
        view.click_node(second)
        view.page.keyboard.up("Control")
        panel = view.page.locator("#panel")
        assert panel.locator("h2").text_content() == "Two entities"
        panel.locator("button.same").click()
        download_button = view.page.locator("#merges")
        assert download_button.text_content() == "download aliases (1 pair)"
        view.shoot(ARTIFACTS, "explorer-same-entity")
        with view.page.expect_download() as download:
            download_button.click()
        aliases = tmp_path / "aliases.csv"
        download.value.save_as(aliases)
        assert download.value.suggested_filename == "aliases.csv"
        assert_clean(view)
    finally:
        view.page.close()
    merged_out = tmp_path / "merged"
    build([SAMPLE], merged_out, BuildOptions(aliases=aliases, cache=out / ".entigraph-cache.sqlite"), nlp=nlp)
    with Store.read(merged_out / STORE_NAME) as store:
        after = to_networkx(store)
    merged = [d for _, d in after.nodes(data=True) if d["label"] == labels[0]]
    assert len(merged) == 1 and labels[1] in merged[0]["aliases"]
    assert after.number_of_nodes() == count - 1


def test_pairs_sharing_an_entity_download_as_one_group_named_after_the_most_mentioned(
    browser: Browser, tmp_path: Path
) -> None:
    path = tmp_path / "news.html"
    write_html(news_graph(), path)
    view = open_view(browser, path, offline=True)
    try:
        for first, second in (("PLACE_gaza", "ORG_hamas"), ("ORG_hamas", "PERSON_yahya_sinwar")):
            view.click_node(first)
            view.page.keyboard.down("Control")
            view.click_node(second)
            view.page.keyboard.up("Control")
            view.page.locator("#panel button.same").click()
        assert view.page.locator("#merges").text_content() == "download aliases (2 pairs)"
        with view.page.expect_download() as download:
            view.page.locator("#merges").click()
        aliases = tmp_path / "aliases.csv"
        download.value.save_as(aliases)
    finally:
        view.page.close()
    # every name of Hamas and Sinwar (aliases included) becomes Gaza, the most mentioned
    assert {k: a.name for k, a in read_aliases(aliases).items()} == {
        key(name): "Gaza" for name in ("Gaza", "Hamas", "Yahya Sinwar", "Sinwar")
    }
    assert all(a.type is None for a in read_aliases(aliases).values())
