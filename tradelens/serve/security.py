"""Browser-facing safety: a session cookie with a CSRF token derived from it, Origin and
Host checks on every form post, and security headers (a strict CSP: only the app's own
script and stylesheet, no third-party asset, no inline script).

The token is an HMAC of the session id under a key made at start-up, so it needs no
server-side table and dies with the process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "tradelens_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}


class CsrfError(Exception):
    """A state-changing request that did not come from the app's own page."""


class Guard:
    """Session ids and the CSRF tokens bound to them."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(24)

    def token(self, session: str) -> str:
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest()

    def check(self, session: str, token: str | None, origin: str | None, referer: str | None,
              host: str | None) -> None:
        """Raise CsrfError unless the request comes from this app's own page."""
        source = origin if origin and origin != "null" else referer
        if source is None or urlsplit(source).netloc != host:
            raise CsrfError("the form did not come from this app's page (Origin/Referer)")
        if not token or not hmac.compare_digest(token, self.token(session)):
            raise CsrfError("missing or wrong form token; reload the page and try again")


class SessionHeaders:
    """ASGI middleware: gives each browser a session id (cookie) and adds the security
    headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = _cookie(scope, SESSION_COOKIE)
        fresh = session is None or len(session) > 64
        if fresh:
            session = Guard.new_session()
        scope.setdefault("state", {})["session"] = session

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if fresh:
                    headers.append("set-cookie", f"{SESSION_COOKIE}={session}; Path=/; "
                                                 "HttpOnly; SameSite=Strict")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == name and v:
                    return v
    return None
