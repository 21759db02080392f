"""The web app of `entigraph serve`: the view's page and its JSON API, over one store.

Job: map each route to one question of graph.serve.api (or a merge of
graph.store.view_merges) and its answer or error to JSON with the right status.
Input: the path of graph.db, the `Access` settings, a title. Output: an ASGI app
(Starlette behind `security.Guard`).

Routes (docs/serve.md documents each): `/` the page, the same view as graph.html, holding
the opening window, whose data module (view-data-served.js) asks the rest of `/api/...`.
The page is made once per state of the store (its build's fingerprint and generation) and
kept: a reload after a build gets the new graph. Handlers are plain functions, so
Starlette runs them on its thread pool, where SQLite's blocking calls belong; each reads
through one connection lent by `Readers` for the request. Errors are JSON: an unknown id
is a 404, a bad parameter a 400, a store a build is writing a 503, anything else a 500
without a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from graph.export.html import OFFLINE_POLICY, VIEW_SCRIPTS, assemble, script_json
from graph.serve import api
from graph.serve.readers import Readers
from graph.serve.security import Access, Guard
from graph.store import Store, StoreError, view_merges

T = TypeVar("T", int, float)

# The served page: the file's scripts with the data module that asks the server.
SERVED_SCRIPTS = ("view-data-served.js", *VIEW_SCRIPTS[1:])
# As the file's policy, and requests to this origin only (the API).
SERVED_POLICY = OFFLINE_POLICY + "; connect-src 'self'"
HEADERS = {"Content-Security-Policy": SERVED_POLICY, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
SEARCH_LIMIT = 12
NEIGHBOUR_LIMIT = 20
EVIDENCE_LIMIT = 10


@dataclass(frozen=True)
class Page:
    """The page made for one state of the store."""

    state: str
    html: str


def make_app(path: Path, access: Access, *, title: str = "entigraph", opening: int = api.OPENING) -> Guard:
    """The app serving the store at `path` (checked before: see graph.serve.serve), its
    page opening on the `opening` most mentioned entities."""
    readers = Readers(path)
    made: list[Page] = []  # the page of the store's latest state, made at most once per state
    making = threading.Lock()

    def read(answer: Callable[[Store], Any]) -> JSONResponse:
        with readers.reading() as store:
            return JSONResponse(answer(store))

    def current() -> str:
        """The page of the store as it is now, made again only after a build."""
        with readers.reading() as store:
            state = store.value("SELECT group_concat(value, ' ') FROM meta WHERE name IN ('fingerprint', 'generation')", default="")
            with making:
                if not made or made[0].state != state:
                    made[:] = [Page(state, _page(store, access, title, opening))]
                return made[0].html

    def page(request: Request) -> Response:
        response = HTMLResponse(current(), headers=HEADERS)
        if "token" in request.query_params:  # the Guard checked it: keep it for the API's requests
            response.set_cookie(access.cookie, access.token, httponly=True, samesite="strict")
        return response

    def window(request: Request) -> JSONResponse:
        return read(lambda store: api.opening(store, opening))

    def search(request: Request) -> JSONResponse:
        query = request.query_params.get("q", "")
        limit = _integer(request, "limit", SEARCH_LIMIT)
        if not 1 <= limit <= api.LARGEST_PAGE:
            raise api.BadRequest(f"limit must be 1 to {api.LARGEST_PAGE}")
        return read(lambda store: api.search(store, query, limit))

    def entity(request: Request) -> JSONResponse:
        return read(lambda store: api.entity(store, request.path_params["id"]))

    def neighbours(request: Request) -> JSONResponse:
        params = request.query_params
        types = tuple(t for t in params.get("types", "").split(",") if t)
        where = api.NeighbourFilter(types, _number(request, "min_weight", 0.0), params.get("from"), params.get("to"))
        offset, limit = _integer(request, "offset", 0), _integer(request, "limit", NEIGHBOUR_LIMIT)
        return read(lambda store: api.neighbours(store, request.path_params["id"], offset, limit, where))

    def evidence(request: Request) -> JSONResponse:
        a, b = request.path_params["a"], request.path_params["b"]
        offset, limit = _integer(request, "offset", 0), _integer(request, "limit", EVIDENCE_LIMIT)
        return read(lambda store: api.evidence(store, a, b, offset, limit))

    def histogram(request: Request) -> JSONResponse:
        return read(lambda store: {"time": api.histogram(store)})

    def decisions(request: Request) -> JSONResponse:
        return read(lambda store: {"merges": [m.to_dict() for m in view_merges.listed(store, every=True)]})

    async def decide(request: Request) -> JSONResponse:
        body = await _json(request)
        first, second = body.get("first"), body.get("second")
        if not isinstance(first, str) or not isinstance(second, str):
            raise api.BadRequest('a merge is {"first": id, "second": id}: two entity ids')
        return await _in_thread(lambda: _write(path, lambda store: view_merges.record(store, first, second)), 201)

    async def undo(request: Request) -> JSONResponse:
        await _json(request)
        number = _path_integer(request, "number")
        return await _in_thread(lambda: _write(path, lambda store: view_merges.undo(store, number)), 200)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/api/opening", window, methods=["GET"]),
        Route("/api/search", search, methods=["GET"]),
        Route("/api/entities/{id}", entity, methods=["GET"]),
        Route("/api/entities/{id}/neighbours", neighbours, methods=["GET"]),
        Route("/api/links/{a}/{b}/evidence", evidence, methods=["GET"]),
        Route("/api/histogram", histogram, methods=["GET"]),
        Route("/api/decisions", decisions, methods=["GET"]),
        Route("/api/decisions", decide, methods=["POST"]),
        Route("/api/decisions/{number}/undo", undo, methods=["POST"]),
    ]
    handlers = {
        HTTPException: _http_error,
        api.NotFound: _status(404),
        view_merges.UnknownMergeError: _status(404),
        api.BadRequest: _status(400),
        StoreError: _status(503),
        sqlite3.OperationalError: _busy,
        Exception: _internal,
    }
    current()  # made before the server listens: the first visitor does not wait for it

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        readers.close()

    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)  # type: ignore[arg-type]
    return Guard(app, access)


def _page(store: Store, access: Access, title: str, opening: int) -> str:
    payload = api.opening(store, opening)
    payload["token"] = access.token
    total = store.value("SELECT count(*) FROM entities", default=0)
    notes = []
    if len(payload["opening"]) < total:
        notes.append(
            f'<p id="note">showing {len(payload["opening"]):,} of {total:,} entities '
            "(the most mentioned): find any other by name, or expand one</p>"
        )
    return assemble(script_json(payload), title=title, notes=notes, scripts=SERVED_SCRIPTS, policy=SERVED_POLICY)


def _write(path: Path, change: Callable[[Store], view_merges.ViewMerge]) -> dict[str, Any]:
    with Store.edit(path) as store:
        merge = change(store)
        return {"merge": merge.to_dict(), "merges": [m.to_dict() for m in view_merges.listed(store, every=True)]}


async def _in_thread(work: Callable[[], dict[str, Any]], status: int) -> JSONResponse:
    return JSONResponse(await run_in_threadpool(work), status_code=status)


async def _json(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise api.BadRequest("send JSON (Content-Type: application/json)")
    try:
        body = json.loads(await request.body())
    except ValueError as err:
        raise api.BadRequest(f"the body is not JSON: {err}") from err
    if not isinstance(body, dict):
        raise api.BadRequest("the body must be a JSON object")
    return body


def _integer(request: Request, name: str, default: int) -> int:
    return _query(request, name, default, int, "a whole number")


def _number(request: Request, name: str, default: float) -> float:
    return _query(request, name, default, float, "a number")


def _query(request: Request, name: str, default: T, kind: Callable[[str], T], what: str) -> T:
    value = request.query_params.get(name)
    try:
        return default if value is None else kind(value)
    except ValueError:
        raise api.BadRequest(f"{name} must be {what}, not {value!r}") from None


def _path_integer(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])
    except ValueError:
        raise api.NotFound(f"no merge numbered {request.path_params[name]!r}") from None


def _status(code: int) -> Callable[[Request, Exception], JSONResponse]:
    def handler(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"error": str(err)}, status_code=code)

    return handler


def _http_error(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, HTTPException)
    return JSONResponse({"error": err.detail}, status_code=err.status_code, headers=err.headers)


def _busy(request: Request, err: Exception) -> JSONResponse:
    # a build holding the store's write lock past the busy timeout: the merge can wait
    if "locked" in str(err) or "busy" in str(err):
        return JSONResponse({"error": "a build is writing the store: try again when it is done"}, status_code=503)
    return _internal(request, err)


def _internal(request: Request, err: Exception) -> JSONResponse:
    return JSONResponse({"error": f"internal error: {type(err).__name__}"}, status_code=500)
