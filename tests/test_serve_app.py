"""The served view's web app without a browser (Starlette's test client, in process): who
may ask what (graph.serve.security), which paths exist, and that every error is JSON with
its status, over a copy of the sample corpus' store built with the real model."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from graph.serve.app import make_app
from graph.serve.security import Access
from graph.store import STORE_NAME, Store, remove

TOKEN = "the-token"
LOCAL = "http://127.0.0.1:8765"


@pytest.fixture()
def out(sample_build, tmp_path: Path) -> Path:
    """A copy of the sample build: merges write to it."""
    copy = tmp_path / "out"
    shutil.copytree(sample_build[1], copy)
    return copy


def client(out: Path, *, loopback: bool = True, base: str = LOCAL) -> TestClient:
    app = make_app(out / STORE_NAME, Access(TOKEN, loopback, 8765), opening=10)
    return TestClient(app, base_url=base, raise_server_exceptions=False)


@pytest.fixture()
def local(out: Path) -> Iterator[TestClient]:
    with client(out) as opened:
        yield opened


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/../graph.db", id="dot-dot"),
        pytest.param("/%2e%2e/graph.db", id="encoded-dots"),
        pytest.param("/%2E%2E%2Fgraph.db", id="encoded-slash"),
        pytest.param("/..%5cgraph.db", id="encoded-backslash"),
        pytest.param("/api/../../etc/passwd", id="dot-dot-under-api"),
        pytest.param("//etc/passwd", id="absolute"),
        pytest.param("/etc/passwd", id="absolute-no-slash"),
        pytest.param("/graph.db", id="the-store"),
        pytest.param("/view-main.js", id="an-asset-by-name"),
        pytest.param("/api/entities/..%2F..%2Fgraph.db/neighbours", id="encoded-in-an-id"),
    ],
)
def test_no_path_reaches_a_file(local: TestClient, path: str) -> None:
    response = local.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "error" in response.json()
    assert "SQLite" not in response.text and "root:" not in response.text


def test_the_page_is_the_view_with_its_scripts_inline_and_requests_kept_to_this_origin(local: TestClient) -> None:
    response = local.get("/")
    assert response.status_code == 200
    page = response.text
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    assert 'id="graph-data"' in page and "function openData" in page and "api/entities/" in page
    assert "http://" not in page.split("<script>")[0]  # no stylesheet or script from elsewhere
    assert "<script src" not in page


@pytest.mark.parametrize(
    ("path", "key"),
    [
        pytest.param("/api/opening", "opening", id="opening"),
        pytest.param("/api/search?q=ham", "results", id="search"),
        pytest.param("/api/entities/ORG_hamas", "relations", id="entity"),
        pytest.param("/api/entities/ORG_hamas/neighbours?limit=5&types=PERSON,PLACE&min_weight=1", "neighbours", id="neighbours"),
        pytest.param("/api/links/ORG_hamas/PLACE_cairo/evidence", "evidence", id="evidence"),
        pytest.param("/api/histogram", "time", id="histogram"),
        pytest.param("/api/decisions", "merges", id="decisions"),
    ],
)
def test_every_endpoint_answers_json(local: TestClient, path: str, key: str) -> None:
    response = local.get(path)
    assert response.status_code == 200, response.text
    assert key in response.json()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/api/entities/PERSON_nobody", 404, id="unknown-entity"),
        pytest.param("/api/entities/PERSON_nobody/neighbours", 404, id="unknown-entity-neighbours"),
        pytest.param("/api/links/ORG_hamas/PERSON_nobody/evidence", 404, id="unknown-link-end"),
        pytest.param("/api/entities/ORG_hamas/neighbours?limit=many", 400, id="limit-not-a-number"),
        pytest.param("/api/entities/ORG_hamas/neighbours?offset=-1", 400, id="negative-offset"),
        pytest.param("/api/search?q=a&limit=100000", 400, id="too-large-a-page"),
        pytest.param("/api/entities/ORG_hamas/neighbours?min_weight=heavy", 400, id="weight-not-a-number"),
    ],
)
def test_a_bad_request_is_a_json_error_with_its_status(local: TestClient, path: str, status: int) -> None:
    response = local.get(path)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert "Traceback" not in response.text


def test_a_link_between_known_entities_that_are_not_linked_is_not_found(local: TestClient, out: Path) -> None:
    with Store.read(out / STORE_NAME) as store:
        a, b = store.execute(
            "SELECT a.id, b.id FROM entities a, entities b WHERE a.entity < b.entity AND NOT EXISTS "
            "(SELECT 1 FROM links WHERE source = a.entity AND target = b.entity) LIMIT 1"
        ).fetchone()
    assert local.get(f"/api/links/{a}/{b}/evidence").status_code == 404


# ---- who may ask ---------------------------------------------------------------------------


def test_on_another_host_a_request_without_the_token_is_refused(out: Path) -> None:
    with client(out, loopback=False, base="http://192.0.2.7:8765") as remote:
        for path in ("/", "/api/opening", "/api/entities/ORG_hamas", "/nothing-here"):
            response = remote.get(path)
            assert response.status_code == 403, path
            assert "token" in response.json()["error"]
        assert remote.get("/api/opening?token=wrong").status_code == 403
        assert remote.get("/api/opening", headers={"X-Entigraph-Token": "wrong"}).status_code == 403


@pytest.mark.parametrize(
    "how",
    [
        pytest.param({"params": {"token": TOKEN}}, id="query"),
        pytest.param({"headers": {"X-Entigraph-Token": TOKEN}}, id="header"),
        pytest.param({"headers": {"Cookie": f"entigraph_token_8765={TOKEN}"}}, id="cookie"),
    ],
)
def test_on_another_host_the_token_lets_a_request_in(out: Path, how: dict) -> None:
    with client(out, loopback=False, base="http://192.0.2.7:8765") as remote:
        assert remote.get("/api/opening", **how).status_code == 200


def test_the_page_opened_with_the_token_keeps_it_in_a_cookie_for_the_api(out: Path) -> None:
    with client(out, loopback=False, base="http://192.0.2.7:8765") as remote:
        page = remote.get("/", params={"token": TOKEN})
        assert page.status_code == 200
        assert "httponly" in page.headers["set-cookie"].lower()
        assert remote.get("/api/opening").status_code == 200  # the client sends the cookie back


def test_on_loopback_a_request_naming_another_host_is_refused(local: TestClient) -> None:
    # a page elsewhere reaching 127.0.0.1 through a DNS name rebound to it
    response = local.get("/api/opening", headers={"Host": "attacker.example:8765"})
    assert response.status_code == 403


# ---- merges: the only writes ----------------------------------------------------------------


def merge_rows(out: Path) -> list[tuple]:
    with Store.read(out / STORE_NAME) as store:
        return list(store.rows("SELECT first, second, who, undone FROM view_merges ORDER BY number"))


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"X-Entigraph-Token": "wrong"}, id="wrong-token"),
    ],
)
def test_a_post_without_the_token_is_refused_and_writes_nothing(local: TestClient, out: Path, headers: dict) -> None:
    response = local.post("/api/decisions", json={"first": "ORG_hamas", "second": "PLACE_cairo"}, headers=headers)
    assert response.status_code == 403
    # a cookie or the query is not enough for a write: another site's form could carry them
    response = local.post(
        "/api/decisions", params={"token": TOKEN}, json={"first": "ORG_hamas", "second": "PLACE_cairo"},
        headers={**headers, "Cookie": f"entigraph_token_8765={TOKEN}"},
    )  # fmt: skip
    assert response.status_code == 403
    assert merge_rows(out) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param({"first": "ORG_hamas", "second": "PERSON_nobody"}, 404, id="unknown-id"),
        pytest.param({"first": "ORG_hamas", "second": "ORG_hamas"}, 404, id="same-entity"),
        pytest.param({"first": "ORG_hamas"}, 400, id="one-id"),
        pytest.param({"first": 1, "second": 2}, 400, id="not-ids"),
        pytest.param(["ORG_hamas", "PLACE_cairo"], 400, id="not-an-object"),
    ],
)
def test_a_merge_of_unknown_or_malformed_ids_is_a_json_error(local: TestClient, out: Path, body, status: int) -> None:
    response = local.post("/api/decisions", json=body, headers={"X-Entigraph-Token": TOKEN})
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert merge_rows(out) == []


def test_a_merge_must_be_json(local: TestClient) -> None:
    response = local.post(
        "/api/decisions", content="first=ORG_hamas&second=PLACE_cairo",
        headers={"X-Entigraph-Token": TOKEN, "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert response.status_code == 400


def test_a_merge_is_recorded_listed_and_undone(local: TestClient, out: Path) -> None:
    token = {"X-Entigraph-Token": TOKEN}
    made = local.post("/api/decisions", json={"first": "PLACE_cairo", "second": "ORG_hamas"}, headers=token)
    assert made.status_code == 201
    merge = made.json()["merge"]
    # the more mentioned entity comes first: it gives the merged one its name
    assert (merge["first"], merge["second"], merge["who"], merge["undone"]) == ("ORG_hamas", "PLACE_cairo", "local", None)
    assert merge["names"][0][0] == "Hamas"
    assert local.get("/api/decisions").json()["merges"] == [merge]
    undone = local.post(f"/api/decisions/{merge['number']}/undo", json={}, headers=token)
    assert undone.status_code == 200 and undone.json()["merge"]["undone"]
    assert merge_rows(out)[0][3] is not None
    assert local.post("/api/decisions/999/undo", json={}, headers=token).status_code == 404
    assert local.get("/api/decisions/1/undo").status_code == 405


def test_reads_see_a_build_committed_after_the_server_started(local: TestClient, out: Path) -> None:
    before = local.get("/api/entities/ORG_hamas").json()["mentions"]
    with Store.edit(out / STORE_NAME) as store, store.transaction():
        store.execute("UPDATE entities SET mentions = mentions + 1000 WHERE id = 'ORG_hamas'")
        store.execute("UPDATE meta SET value = value + 1 WHERE name = 'generation'")
    assert local.get("/api/entities/ORG_hamas").json()["mentions"] == before + 1000
    assert '"mentions":' + str(before + 1000) in local.get("/").text


def test_reads_follow_a_store_the_build_made_anew(local: TestClient, out: Path, tmp_path: Path) -> None:
    # A build makes the store anew (another schema version, a damaged file): it deletes
    # graph.db with its WAL files and creates another file at the same path.
    before = local.get("/api/entities/ORG_hamas").json()["mentions"]
    anew = tmp_path / "anew.db"
    with Store.edit(out / STORE_NAME) as store:
        store.execute("VACUUM INTO ?", (str(anew),))
    with Store.edit(anew) as store, store.transaction():
        store.execute("UPDATE entities SET mentions = mentions + 1000 WHERE id = 'ORG_hamas'")
    remove(out / STORE_NAME)
    os.replace(anew, out / STORE_NAME)
    assert local.get("/api/entities/ORG_hamas").json()["mentions"] == before + 1000
