"""Who may ask `entigraph serve` anything: the access token and the checks on every request.

Job: refuse, before any route runs, a request that does not belong: without the token on
a server listening beyond this machine, a write without the token in its header, and (on
loopback) a request naming another host.
Input: the ASGI app and the `Access` settings; each request's method, headers, query and
cookies. Output: the app wrapped (`Guard`); a refusal is a JSON 403.

The model (docs/serve.md): on 127.0.0.1 only this machine's programs reach the server,
and they can read graph.db anyway, so reading needs nothing; the Host check stops a web
page from reaching it through a DNS name rebound to 127.0.0.1. On another address every
request carries the token (`?token=` in the printed URL, then a cookie the page sets, or
the `X-Entigraph-Token` header), as Jupyter does. A write (a merge, an undo) always needs
the token in the header, which another site's page cannot set: no cross-site request
forgery. Paths are never mapped to files: only the routes exist, so no path outside the
package can be served.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

from starlette.responses import JSONResponse

HEADER = "x-entigraph-token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
READS = frozenset({"GET", "HEAD"})

Scope = dict[str, Any]
App = Callable[[Scope, Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Awaitable[None]]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


@dataclass(frozen=True)
class Access:
    """The server's token, whether it listens on loopback only, and its port (the
    cookie's name carries it: servers on two ports keep their own)."""

    token: str
    loopback: bool
    port: int

    @property
    def cookie(self) -> str:
        return f"entigraph_token_{self.port}"

    def refusal(self, method: str, headers: dict[str, str], query: str) -> str | None:
        """Why a request may not go on, or None when it may."""
        if self.loopback and _hostname(headers.get("host", "")) not in LOOPBACK:
            return "this server answers only requests to 127.0.0.1 or localhost"
        header = headers.get(HEADER, "")
        if method not in READS:
            return None if self._matches(header) else "a change needs the access token in the X-Entigraph-Token header"
        if self.loopback:
            return None
        offered = [header, *parse_qs(query).get("token", []), _cookie(headers.get("cookie", ""), self.cookie)]
        if any(self._matches(token) for token in offered):
            return None
        return "this server needs its access token: open the URL `entigraph serve` printed"

    def _matches(self, offered: str) -> bool:
        return bool(offered) and secrets.compare_digest(offered.encode(), self.token.encode())


class Guard:
    """The ASGI app behind `Access`: a refused request gets a JSON 403 and reaches no route."""

    def __init__(self, app: App, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Callable[..., Awaitable[Any]], send: Callable[..., Awaitable[Any]]) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            why = self.access.refusal(scope["method"], headers, scope.get("query_string", b"").decode("latin-1"))
            if why is not None:
                await JSONResponse({"error": why}, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _hostname(host: str) -> str:
    if host.startswith("["):  # [::1]:8765
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cookie(header: str, name: str) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed cookie header is no token
        return ""
    return jar[name].value if name in jar else ""
