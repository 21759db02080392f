"""`entigraph serve`: the view over the store, for graphs too big for one file.

Job: check the store, start the web app (graph.serve.app) on a local port and say where.
Input: an output directory of `entigraph build` (or its graph.db), the host and port to
listen on. Output: a running server until Ctrl-C; `Served` (its URL) told to `on_ready`.

A missing, corrupt or foreign store, a port in use and a missing `serve` extra are each
one `EntigraphError` line before anything listens. Starlette and uvicorn are an optional
extra, imported only here.
"""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import EntigraphError
from graph.store import STORE_NAME, Store

DEFAULT_PORT = 8765
EXTRA = "pip install 'entigraph[serve]'"


class ServeError(EntigraphError):
    """The server cannot start: the message says why in one line."""


@dataclass(frozen=True)
class Served:
    """Where the server listens; `url` carries the token when one is needed."""

    url: str
    port: int


def store_path(out: Path) -> Path:
    """graph.db of an output directory, or the file itself."""
    out = Path(out)
    return out if out.is_file() or out.suffix == ".db" else out / STORE_NAME


def serve(
    out: Path,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    on_ready: Callable[[Served], None] | None = None,
) -> None:
    """Serve the view of the store in `out` until interrupted."""
    try:
        import uvicorn

        from graph.serve.app import make_app
        from graph.serve.security import Access, is_loopback, new_token
    except ImportError as missing:
        raise ServeError(f"entigraph serve needs the optional extra: {EXTRA}") from missing
    path = store_path(out)
    Store.read(path).close()  # a missing, foreign or corrupt store: one line, now
    listening = _listen(host, port)
    bound = listening.getsockname()[1]
    access = Access(new_token(), is_loopback(host), bound)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/" + ("" if access.loopback else f"?token={access.token}")
    app = make_app(path, access, title=f"entigraph \u00b7 {path.parent.name or path.name}")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    if on_ready is not None:
        on_ready(Served(url, bound))
    if open_browser:
        webbrowser.open(url)
    server.run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio turns Nagle off only on sockets saying so, and with
    # it on, each answer of a kept-alive connection waited 40 ms for a delayed ACK.
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as err:
        listening.close()
        taken = " (in use: choose another with --port)" if err.errno in (98, 48) else ""
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror}{taken}") from err
    listening.listen(128)
    return listening
