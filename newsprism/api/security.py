"""What guards the server: request size, the Host header, cross-site writes, the write token,
and which URLs the API hands out.

- `HostCheck`: a request whose Host is not a name this server answers to is refused (421), so a
  page whose DNS name is rebound to 127.0.0.1 cannot read the API.
- `WriteGuard`: writes take only JSON or multipart bodies (415 otherwise: a browser may send
  `text/plain` cross-site without asking), and a browser's cross-site write is refused (403)
  unless it carries the write token.
- `BodyLimit`: a body over the limit is refused (413), declared or streamed.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.api.errors import TrackedSend, send_error
from newsprism.data.api_limits import DEFAULT_MAX_BODY

__all__ = [
    "DEFAULT_MAX_BODY",
    "BodyLimit",
    "HostCheck",
    "Refusals",
    "WriteGuard",
    "allowed_host",
    "http_urls_only",
    "is_loopback",
    "safe_url",
    "token_ok",
]

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITE_MEDIA_TYPES = frozenset({"application/json", "multipart/form-data"})
# Sec-Fetch-Site values of a request a page of this server made, or a person typed.
SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})


def is_loopback(host: str) -> bool:
    """True when *host* only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_ok(
    expected: str | None, authorization: str | None, form_token: str | None = None
) -> bool:
    """True when no token is configured, or the request carries it (Bearer header or form)."""
    if not expected:
        return True
    return _token_given(expected, authorization, form_token)


def _token_given(expected: str | None, authorization: str | None, form_token: str | None) -> bool:
    """True when a token is configured and the request carries it."""
    if not expected:
        return False
    given = None
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    elif form_token:
        given = form_token
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@dataclass(slots=True)
class Refusals:
    """How many requests each guard refused since the server started (shown in /api/health)."""

    host: int = 0
    cross_site: int = 0
    media_type: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"host": self.host, "cross_site": self.cross_site, "media_type": self.media_type}


# ---------------------------------------------------------------------------------- Host header


def host_name(host_header: str) -> str:
    """The name part of a Host header value: no port, no IPv6 brackets, lower case."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    name = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    return name.rstrip(".")


def allowed_host(host_header: str, server_host: str | None, configured: Iterable[str]) -> bool:
    """True when *host_header* names this server.

    Allowed: the address the connection arrived on, the loopback names when that address is a
    loopback one, and the *configured* names (a leading dot allows every subdomain).
    """
    name = host_name(host_header)
    served = {_unmapped(host_name(server_host))} if server_host else set()
    if served & LOOPBACK_NAMES or any(is_loopback(host) for host in served):
        served |= LOOPBACK_NAMES
    if name in served:
        return True
    for pattern in configured:
        pattern = pattern.strip().lower()
        if pattern and (
            name == pattern.lstrip(".") or (pattern[0] == "." and name.endswith(pattern))
        ):
            return True
    return False


def _unmapped(address: str) -> str:
    """An IPv4-mapped IPv6 address (a dual-stack socket's view of 127.0.0.1) as IPv4."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    mapped = parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else None
    return str(mapped) if mapped else address


class HostCheck:
    """Refuse (421) a request whose Host header names another server (DNS rebinding)."""

    def __init__(
        self, app: ASGIApp, *, allowed_hosts: Iterable[str] = (), refusals: Refusals | None = None
    ) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.refusals = refusals or Refusals()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        server = scope.get("server")
        server_host = str(server[0]) if server else None
        # Without a Host header (HTTP/1.0) or a socket address (a unix socket behind a proxy)
        # there is nothing a rebound DNS name could have put there.
        if host is None or (server_host is None and not self.allowed_hosts):
            await self.app(scope, receive, send)
            return
        if allowed_host(host, server_host, self.allowed_hosts):
            await self.app(scope, receive, send)
            return
        self.refusals.host += 1
        await send_error(
            send,
            421,
            f"this server does not answer to the host name {host_name(host)!r}; use the address "
            "it listens on, or add the name with NEWSPRISM_ALLOWED_HOSTS (comma-separated)",
        )


# --------------------------------------------------------------------------- cross-site writes


def cross_site(scope: Scope) -> bool:
    """True when a browser sent this request from a page of another origin.

    Browsers send `Sec-Fetch-Site` (only "same-origin" or "none" are ours: "same-site" is
    another port of the same host) and `Origin` on POSTs; a request with neither comes from a
    program, which CSRF cannot drive.
    """
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() not in SAME_ORIGIN_FETCH:
        return True
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    host = _header(scope, b"host") or ""
    if origin.strip() == "null":  # sandboxed frames, file:// pages, some redirects
        return True
    parts = urlsplit(origin.strip())
    return _netloc(parts.scheme, parts.netloc) != _netloc(parts.scheme, host)


def _netloc(scheme: str, netloc: str) -> str:
    """*netloc* in lower case without the scheme's default port."""
    value = netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme.lower())
    return value.removesuffix(default) if default else value


class WriteGuard:
    """Writes: JSON or multipart only on *body_paths* (415), no cross-site writes without the
    token (403)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        body_paths: Iterable[str],
        refusals: Refusals | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.body_paths = frozenset(body_paths)
        self.refusals = refusals or Refusals()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        await send_error(send, *refusal)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) when this write is refused, else None."""
        if cross_site(scope) and not _token_given(
            self.token, _header(scope, b"authorization"), None
        ):
            self.refusals.cross_site += 1
            return (
                403,
                "cross-site write refused: this server takes writes from its own pages and from "
                "programs; a page of another site needs 'Authorization: Bearer <NEWSPRISM_TOKEN>'",
            )
        if scope.get("path") in self.body_paths:
            media = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
            if media not in WRITE_MEDIA_TYPES:
                self.refusals.media_type += 1
                shown = media or "none"
                return (
                    415,
                    f"content type {shown!r} is not accepted; send JSON with 'Content-Type: "
                    "application/json' or files as multipart/form-data",
                )
        return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value).decode("latin-1")
    return None


# --------------------------------------------------------------------------------- body size


class BodyLimit:
    """Answer 413 (in the one error shape) to a body over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        tracked = TrackedSend(send)
        try:
            await self.app(scope, limited_receive, tracked)
        except _TooLarge:
            if not tracked.started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        # The unread rest of the body makes the connection unusable: say so.
        await send_error(
            send,
            413,
            f"request body over the limit of {self.max_bytes} bytes; "
            "send fewer or smaller articles per request",
            headers={"Connection": "close"},
        )


class _TooLarge(Exception):
    """Raised inside the app when a streamed body passes the limit."""


# ------------------------------------------------------------------------------- URLs handed out

_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)
# A "url" key whose string value is not an http(s) URL, in JSON text as json.dumps writes it.
_UNSAFE_URL_IN_JSON = re.compile(r'"url":\s*"(?!https?://)', re.IGNORECASE)


def safe_url(value: Any) -> str | None:
    """*value* when it is an http(s) URL, else None (no javascript:, data:, file: links)."""
    return value if isinstance(value, str) and _HTTP_URL.match(value) else None


def http_urls_only(data: Any) -> Any:
    """*data* (the API's JSON) with every "url" that is not http(s) set to null, in place."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "url" and value is not None:
                data[key] = safe_url(value)
            else:
                http_urls_only(value)
    elif isinstance(data, list):
        for item in data:
            http_urls_only(item)
    return data


def json_with_http_urls_only(text: str) -> str:
    """JSON text with `http_urls_only` applied; parsed only when a non-http URL is in it.

    A stored brief is served as stored text (no re-encoding); the scan costs microseconds and
    only a brief that holds such a URL pays for the parse.
    """
    if _UNSAFE_URL_IN_JSON.search(text) is None:
        return text
    import json

    return json.dumps(http_urls_only(json.loads(text)), ensure_ascii=False)
