"""`entigraph serve` in headless Chromium: the view over a store built with the real model
from the sample corpus (dated, plus a document carrying hostile text), served by uvicorn on
a free port of 127.0.0.1. Every wait is for a state of the page, never for a time."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser

from graph.pipeline import BuildOptions, build
from graph.serve.app import make_app
from graph.serve.security import Access
from graph.store import STORE_NAME, Store
from tests.browser import XSS_PAYLOADS, View, open_view
from tests.conftest import ARTIFACTS, SAMPLE

OPENING = 8
DATES = ("2024-01-05", "2024-02-10", "2024-03-15", "2024-04-20", "2024-05-25")
HOSTILE = (
    "Hamas negotiators met Qatari mediators in Doha on Friday. "
    f"Hamas said {XSS_PAYLOADS[0]} and {XSS_PAYLOADS[1]} were slogans seen in Doha.\n"
)
QUIET = "body:not([data-pending]), body[data-pending='0']"


@dataclass(frozen=True)
class Served:
    url: str
    out: Path


def corpus(folder: Path) -> Path:
    """The sample corpus as JSONL, each document dated, and one more whose text is hostile."""
    rows = [
        {"id": path.name, "text": path.read_text(encoding="utf-8"), "date": day}
        for path, day in zip(sorted(SAMPLE.glob("*.txt")), DATES)
    ]
    rows.append({"id": "hostile.txt", "text": HOSTILE, "date": "2024-06-30"})
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(nlp, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("served")
    source = corpus(folder)
    build([source], folder / "out", BuildOptions(formats=("graphml",)), nlp=nlp)
    return source, folder / "out"


@pytest.fixture()
def served(built: tuple[Path, Path], tmp_path: Path) -> Iterator[Served]:
    """A copy of the built store (merges write to it), served until the test ends."""
    out = tmp_path / "out"
    shutil.copytree(built[1], out)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)
    port = listening.getsockname()[1]
    app = make_app(out / STORE_NAME, Access("test-token", True, port), opening=OPENING)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    while not server.started:  # the server says when it listens; a dead thread fails at once
        assert thread.is_alive(), "the server did not start"
        time.sleep(0.01)
    yield Served(f"http://127.0.0.1:{port}/", out)
    server.should_exit = True
    thread.join()
    listening.close()


@pytest.fixture()
def view(browser: Browser, served: Served) -> Iterator[View]:
    opened = open_view(browser, served.url)
    yield opened
    opened.page.close()


def ranked(out: Path) -> list[tuple[str, str, int]]:
    """(id, label, degree) of every entity, most mentioned first (as the opening takes them)."""
    with Store.read(out / STORE_NAME) as store:
        return list(store.rows("SELECT id, label, degree FROM entities ORDER BY mentions DESC, id"))


def neighbour_ids(out: Path, entity_id: str) -> set[str]:
    with Store.read(out / STORE_NAME) as store:
        return {other for (other,) in store.rows(
            "SELECT o.id FROM entities e JOIN links l ON e.entity IN (l.source, l.target) AND l.kept "
            "JOIN entities o ON o.entity = CASE WHEN l.source = e.entity THEN l.target ELSE l.source END "
            "WHERE e.id = ?", (entity_id,))}  # fmt: skip


def assert_stayed_home(view: View, served: Served) -> None:
    """Nothing left the machine, and the page raised nothing."""
    assert [u for u in view.requests if not u.startswith((served.url, "data:", "blob:", "about:"))] == []
    assert view.errors == []
    assert view.js("document.body.dataset.error || null") is None


def find(view: View, typed: str, entity_id: str) -> None:
    view.page.locator("#search").fill(typed)
    view.page.locator("#search").press("Enter")
    view.page.wait_for_selector(f"#panel[data-kind=node][data-id='{entity_id}']")
    view.wait_centred_on_selection()


def test_typing_an_entity_outside_the_opening_window_and_enter_draws_it_and_shows_its_panel(
    view: View, served: Served
) -> None:
    entity_id, label, _ = next(e for e in ranked(served.out)[OPENING:] if e[2])
    assert entity_id not in view.visible_node_ids()
    assert len(view.visible_node_ids()) == OPENING
    find(view, label.lower(), entity_id)
    assert entity_id in view.visible_node_ids()
    assert view.page.locator("#panel h2").text_content() == label
    assert view.js("window.network.getSelectedNodes()")[0] == entity_id
    view.shoot(ARTIFACTS, "serve-found")
    assert_stayed_home(view, served)


def test_expand_pages_through_the_neighbours_from_the_server(view: View, served: Served) -> None:
    entity_id, label, degree = ranked(served.out)[0]
    assert degree > 10  # more than one page: the choice brings 10, expand the next 20
    find(view, label, entity_id)
    # the panel lists them strongest first, those known at opening among those fetched
    listed = view.page.locator("#panel li", has=view.page.locator("button.neighbour")).all_text_contents()
    weights = [float(text.split(" \u00b7 weight ")[1].split(" ")[0]) for text in listed]
    assert len(weights) == 10 and weights == sorted(weights, reverse=True)
    everyone = neighbour_ids(served.out, entity_id)
    assert len(everyone & set(view.visible_node_ids())) < len(everyone)
    view.page.locator("#panel button.expand").click()
    view.page.wait_for_function("() => !document.querySelector('#panel button.expand')")
    assert everyone <= set(view.visible_node_ids())
    pages = [u for u in view.requests if f"/api/entities/{entity_id}/neighbours" in u]
    assert [u.split("?")[1] for u in pages] == ["offset=0&limit=10", "offset=10&limit=20"]
    view.shoot(ARTIFACTS, "serve-expanded")
    assert_stayed_home(view, served)


def test_asks_for_an_entitys_neighbours_while_one_is_in_flight_read_each_page_once(
    view: View, served: Served
) -> None:
    """A panel and a search asking for one entity's first neighbours before the server
    answers (a loaded machine) read page one twice and skipped page two; now an ask waits
    for the read in flight and reads on from where it ended."""
    entity_id, _, degree = ranked(served.out)[0]
    assert degree > 10  # two pages: 10, then the rest
    # The page's requests are held until the test lets each through.
    view.js("""id => {
      const real = window.fetch;
      window.held = [];
      window.fetch = (path, options) => new Promise(answer => {
        window.held.push({ path: path, go: () => real(path, options).then(answer) });
      });
      const n = data.entity(id);
      window.asked = [];
      data.need(n, 10, () => window.asked.push('need'));
      data.need(n, 10, () => window.asked.push('need again'));
      data.more(n, 20, () => window.asked.push('more'));
    }""", entity_id)
    assert view.js("window.held.length") == 1  # one read at a time: the others wait for it
    view.js("window.held[0].go()")
    view.page.wait_for_function("() => window.held.length === 2")
    assert view.js("window.asked") == ["need", "need again"]
    view.js("window.held[1].go()")
    view.page.wait_for_function("() => window.asked.length === 3")
    assert view.js("window.asked") == ["need", "need again", "more"]
    paths = [path.split("?")[1] for path in view.js("window.held.map(h => h.path)")]
    assert paths == ["offset=0&limit=10", "offset=10&limit=20"]


SET_PERIOD = """([a, b]) => {
  const from = document.getElementById('date-from'), to = document.getElementById('date-to');
  from.value = String(a); to.value = String(b);
  from.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def test_the_date_range_hides_links_outside_it(view: View, served: Served) -> None:
    assert view.page.locator("#timeline output").text_content() == "2024-01-05 \u2013 2024-06-30"
    links = view.js("window.edges.get().map(e => e.id)")
    seen = {
        link: view.js("id => { const l = window.edges.get(id); return [l.from, l.to]; }", link) for link in links
    }
    assert seen
    view.js(SET_PERIOD, [170, 177])  # the last week: the hostile document's links only
    view.after_frame()
    with Store.read(served.out / STORE_NAME) as store:
        late = {
            tuple(sorted(pair)) for pair in store.rows(
                "SELECT a.id, b.id FROM links l JOIN entities a ON a.entity = l.source "
                "JOIN entities b ON b.entity = l.target WHERE l.kept AND l.last_seen >= '2024-06-24'")
        }  # fmt: skip
    shown = {tuple(sorted(ends)) for ends in view.js("window.edges.get().map(e => [e.from, e.to])")}
    assert shown == {pair for pair in map(tuple, map(sorted, seen.values())) if pair in late}
    assert len(shown) < len(seen)
    assert_stayed_home(view, served)


def test_an_evidence_statement_opens_its_paragraph_with_names_marked_and_its_text_inert(
    view: View, served: Served
) -> None:
    with Store.read(served.out / STORE_NAME) as store:
        a, b = store.execute(
            "SELECT a.id, b.id FROM evidence v JOIN documents d USING (doc) JOIN entities a ON a.entity = v.source "
            "JOIN entities b ON b.entity = v.target WHERE d.doc_id = 'hostile.txt' AND v.text LIKE '%<img%' LIMIT 1"
        ).fetchone()
        label = store.value("SELECT label FROM entities WHERE id = ?", (a,))
    find(view, label, a)
    edge = view.js("([a, b]) => window.edges.get({filter: e => [e.from, e.to].sort().join() === [a, b].sort().join()})[0].id", [a, b])
    view.click_edge(edge)
    view.page.wait_for_selector("#panel[data-kind=edge] ol li")
    hostile = view.page.locator("#panel ol li", has_text="hostile.txt").first
    hostile.locator("button.open-paragraph").click()
    paragraph = hostile.locator(".paragraph")
    assert paragraph.locator(".doc").text_content() == "hostile.txt \u00b7 2024-06-30"
    assert XSS_PAYLOADS[0] in paragraph.locator(".text").text_content()
    assert len(paragraph.locator("mark.this").all_text_contents()) >= 2
    view.shoot(ARTIFACTS, "serve-evidence-paragraph")
    assert view.js("window.__xss") is None
    assert view.js("document.querySelectorAll('#panel img, #panel svg, #panel script').length") == 0
    assert_stayed_home(view, served)


def test_a_link_panel_says_how_the_text_relates_the_two(view: View, served: Served) -> None:
    pair = ["ORG_hamas", "PERSON_bassem_naim"]
    find(view, "Bassem Naim", pair[1])
    edge = view.js("pair => window.edges.get({filter: e => [e.from, e.to].sort().join() === pair.join()})[0].id", pair)
    view.click_edge(edge)
    view.page.wait_for_selector("#panel[data-kind=edge] strong.relation")
    assert "head_of" in view.page.locator("#panel strong.relation").all_text_contents()
    assert "Bassem Naim \u2192 " in view.page.locator("#panel").text_content()
    assert_stayed_home(view, served)


def test_a_merge_is_stored_undone_stored_again_and_the_next_build_merges_the_two(
    view: View, served: Served, built: tuple[Path, Path], nlp
) -> None:
    (first, first_label, _), (second, second_label, _) = ranked(served.out)[:2]
    panel = view.page.locator("#panel")

    def pair() -> None:
        view.click_node(first)
        view.page.keyboard.down("Control")
        view.click_node(second)
        view.page.keyboard.up("Control")
        view.page.wait_for_selector("#panel[data-kind=pair] button.same")

    def standing() -> list[tuple[str, str, str | None]]:
        with Store.read(served.out / STORE_NAME) as store:
            return list(store.rows("SELECT first, second, undone FROM view_merges ORDER BY number"))

    pair()
    panel.locator("button.same").click()
    view.page.wait_for_selector("#panel button.undo")
    assert [row[:2] for row in standing()] == [(first, second)]
    view.shoot(ARTIFACTS, "serve-merge-stored")
    panel.locator("button.undo").click()
    view.page.wait_for_function("() => !document.querySelector('#panel button.undo')")
    assert standing()[0][2] is not None
    panel.locator("button.same").click()
    view.page.wait_for_selector("#panel button.undo")
    assert [row[2] is None for row in standing()] == [False, True]
    assert_stayed_home(view, served)
    build([built[0]], served.out, BuildOptions(formats=("graphml",)), nlp=nlp)
    labels = {label: entity for entity, label, _ in ranked(served.out)}
    assert first_label in labels and second_label not in labels
    with Store.read(served.out / STORE_NAME) as store:
        aliases = {a for (a,) in store.rows(
            "SELECT alias FROM aliases JOIN entities USING (entity) WHERE id = ?", (labels[first_label],))}
    assert second_label in aliases
    # the view shows the new graph on reload
    view.page.reload()
    view.page.wait_for_selector("body[data-state=ready]", state="attached")
    assert second not in view.visible_node_ids()
