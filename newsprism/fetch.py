"""Fetch URLs over HTTP(S), safely: a total deadline, a size limit, and no private addresses.

The host is resolved once; every address it resolves to must be public, and the connection
goes to the checked address (it is pinned): httpx never resolves the name again, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot reach the
machine newsprism runs on or its network. The URL keeps its host name, so the ``Host`` header,
TLS SNI and certificate checks are those of the name. Non-public means loopback, private,
link-local (cloud metadata at 169.254.169.254), multicast, unspecified, reserved and shared
(100.64/10) addresses, and IPv6 forms that wrap one of those: IPv4-mapped ``::ffff:a.b.c.d``,
IPv4-compatible ``::a.b.c.d``, NAT64 ``64:ff9b::/96`` (and the local-use ``64:ff9b:1::/48``),
6to4 ``2002::/16`` and Teredo. Redirects are followed by hand so each hop is checked again.

Time is bounded per fetch, not per read: every connect, write and read gets at most what is
left of `deadline`, so a server that drips one byte every few seconds is cut at the deadline.

`fetch_conditional` is the same GET for pollers: it sends the validators of an earlier fetch
(``If-None-Match``, ``If-Modified-Since``) and returns a 304 or an HTTP error status (with the
server's ``Retry-After``) as a `Fetched` without a body instead of raising, so the caller can
back off; every address check, limit and deadline is the same.

`allow_loopback=True` also accepts loopback addresses (tests serve on 127.0.0.1);
`allow_private=True` lifts the address check altogether. A `transport` given by the caller
(canned responses in tests) replaces the pinned transport: nothing then connects anywhere.
"""

from __future__ import annotations

import contextlib
import ipaddress
import math
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpcore
import httpx

from newsprism.data.limits import (
    FETCH_DEADLINE_SECONDS,
    FETCH_MAX_BYTES,
    FETCH_MAX_REDIRECTS,
    FETCH_TIMEOUT_SECONDS,
)
from newsprism.errors import FetchRefused

Resolver = Callable[[str], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_TIMEOUT = FETCH_TIMEOUT_SECONDS
DEFAULT_DEADLINE = FETCH_DEADLINE_SECONDS
DEFAULT_MAX_BYTES = FETCH_MAX_BYTES
DEFAULT_MAX_REDIRECTS = FETCH_MAX_REDIRECTS
USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism)"

_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """A fetched resource: the final URL, its bytes and media type, and when it was fetched.

    From `Fetcher.fetch_conditional` also its HTTP status (304 or an error: no bytes), its
    validators for the next request, and the server's ``Retry-After`` header as sent.
    """

    url: str
    data: bytes
    content_type: str | None
    fetched_at: datetime
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None


def resolve_host(host: str) -> list[str]:
    """Every IP address *host* resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def non_public_reason(ip: IPAddress) -> str | None:
    """Why newsprism must not connect to *ip* ("loopback", ...), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Transition forms first: Python 3.11 calls ::ffff:127.0.0.1 "private", not loopback.
        wrapped = _wrapped_ipv4(ip)
        if wrapped is not None:
            kind, inner = wrapped
            if kind == "IPv4-compatible" and not (ip.is_loopback or ip.is_unspecified):
                return "IPv4-compatible, deprecated"
            reason = non_public_reason(inner)
            if reason is not None and kind != "IPv4-compatible":
                return f"{kind}, wrapping {reason} {inner}"
            if reason is None and kind in ("NAT64", "6to4") and ip not in _NAT64_LOCAL:
                # How IPv6-only networks reach public IPv4 sites (Python calls ::/8 reserved).
                return None
    flags = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("multicast", ip.is_multicast),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
    )
    for name, hit in flags:
        if hit:
            return name
    if not ip.is_global:
        return "not globally routable"
    return None


def _wrapped_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 transition form carries, with the form's name."""
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if int(ip) >> 32 == 0:
        return "IPv4-compatible", low32
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return "NAT64", low32
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]
    return None


# Set to 1 to let URL inputs (`brief`, `ingest`, `batch` workers) and the web Add page fetch
# from this machine (127.0.0.1, ::1): pages served locally, as `newsprism watch
# --allow-loopback` does for feeds. Off by default: a shared server must not reach its own
# ports. Private networks stay refused anyway.
LOOPBACK_ENV = "NEWSPRISM_FETCH_ALLOW_LOOPBACK"


def loopback_allowed() -> bool:
    """Whether `LOOPBACK_ENV` is set to 1 in this process."""
    return os.environ.get(LOOPBACK_ENV, "").strip() == "1"


class Fetcher:
    """An HTTP client for article URLs; use as a context manager or call `close()`.

    One fetch at a time per Fetcher (the deadline and pins are per fetch).
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        allow_private: bool = False,
        allow_loopback: bool = False,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback
        self._resolver = resolver or resolve_host
        self._clock = clock or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self._backend = _PinningBackend()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=transport or _PinnedTransport(self._backend),
            headers={"User-Agent": USER_AGENT},
            trust_env=False,  # a proxy from the environment would connect where we did not check
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying connections."""
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        """GET *url*, following up to `max_redirects` checked redirects, within `deadline` s.

        Raises:
            FetchRefused: bad URL or scheme, private address, HTTP error, too large, too slow.
        """
        return self._get(url, {}, answer_errors=False)

    def fetch_conditional(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET *url* as `fetch` does, sending *etag* and *last_modified* of an earlier fetch.

        Returns:
            A `Fetched` with `status` 2xx and the body; or 304 (not modified) or an HTTP
            error status (``Retry-After`` in `retry_after`) with no body read.

        Raises:
            FetchRefused: as `fetch`, except for HTTP error statuses.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers, answer_errors=True)

    def _get(self, url: str, headers: dict[str, str], *, answer_errors: bool) -> Fetched:
        self._backend.deadline = time.monotonic() + self.deadline
        current = url
        for _ in range(self.max_redirects + 1):
            target = self.check_url(current)
            try:
                with self._client.stream("GET", target, headers=headers) as response:
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        current = str(_parse_url(current).join(location))
                        continue
                    return self._fetched(url, current, response, answer_errors=answer_errors)
            except httpx.TimeoutException as error:
                raise FetchRefused(url, self._too_slow()) from error
            except httpx.HTTPError as error:
                raise FetchRefused(url, f"HTTP request failed ({error}); check the URL") from error
            except httpx.InvalidURL as error:
                raise FetchRefused(url, f"not a valid URL ({error}); check it") from error
        raise FetchRefused(url, f"more than {self.max_redirects} redirects; check the URL")

    def _fetched(
        self, url: str, current: str, response: httpx.Response, *, answer_errors: bool
    ) -> Fetched:
        status = response.status_code
        if status >= 400 and not answer_errors:
            raise FetchRefused(
                url, f"the server answered HTTP {status} for {current}; check the URL"
            )
        # A 304 has no body, and an error page is not the resource: neither is read.
        bodiless = status == 304 or status >= 400
        return Fetched(
            url=current,
            data=b"" if bodiless else self._read_limited(url, response),
            content_type=response.headers.get("content-type"),
            fetched_at=self._clock(),
            status=status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            retry_after=response.headers.get("retry-after"),
        )

    def _too_slow(self) -> str:
        if time.monotonic() >= self._backend.deadline:
            return (
                f"took longer than the {self.deadline:g} s total deadline; "
                "try again or save the page to a file"
            )
        return f"timed out after {self.timeout:g} s; try again or save the page to a file"

    def _read_limited(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchRefused(url, self._too_large(int(declared)))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchRefused(url, self._too_large(size))
            if time.monotonic() > self._backend.deadline:  # also bounds canned transports
                raise FetchRefused(url, self._too_slow())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, size: int) -> str:
        return (
            f"response is larger than the {self.max_bytes} byte limit (got {size} bytes); "
            "raise max_bytes or save the page to a file"
        )

    def check_url(self, url: str) -> str:
        """Refuse non-HTTP URLs and hosts with a non-public address; pin the checked address.

        Returns:
            The URL to request (normalised by httpx); its host now connects to the address
            checked here and nowhere else.
        """
        parsed = _parse_url(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchRefused(url, "only http:// and https:// URLs with a host can be fetched")
        host = parsed.raw_host.decode("ascii")
        addresses = self._addresses(url, host)
        for text, address in addresses:
            self._check_address(url, host, text, address)
        self._backend.pin(host, str(addresses[0][1]))
        if time.monotonic() > self._backend.deadline:
            raise FetchRefused(url, self._too_slow())
        return str(parsed)

    def _addresses(self, url: str, host: str) -> list[tuple[str, IPAddress]]:
        """(as written, parsed) for the host's addresses: the literal, else what DNS said."""
        literal = _ip_or_none(host)
        if literal is not None:
            return [(host, literal)]
        try:
            names = self._resolver(host)
        except (OSError, UnicodeError, ValueError) as error:
            raise FetchRefused(url, f"could not resolve host {host!r} ({error})") from error
        parsed = [(name, _ip_or_none(name)) for name in names]
        addresses = [(name, ip) for name, ip in parsed if ip is not None]
        if not addresses:
            raise FetchRefused(url, f"host {host!r} resolves to no address")
        return addresses

    def _check_address(self, url: str, host: str, text: str, address: IPAddress) -> None:
        if self.allow_private:
            return
        reason = non_public_reason(address)
        if reason is None or (self.allow_loopback and reason == "loopback"):
            return
        raise FetchRefused(
            url,
            f"host {host!r} resolves to non-public address {text} ({reason}); newsprism "
            "does not fetch from private, loopback, link-local or other non-public networks",
        )


def _parse_url(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        raise FetchRefused(url, f"not a valid URL ({error}); check it") from error


def _ip_or_none(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        try:
            return ipaddress.ip_address(text.split("%")[0])  # fe80::1%eth0: drop the zone
        except ValueError:
            return None


# --------------------------------------------------------------------------- transport


class _PinningBackend(httpcore.NetworkBackend):
    """Connects only to the address pinned for a host, within the fetch's total deadline.

    It never resolves a name: a host nobody checked cannot be connected to at all.
    """

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self._pins: dict[str, str] = {}
        self.deadline = math.inf

    def pin(self, host: str, address: str) -> None:
        self._pins[host] = address

    def remaining(self, timeout: float | None) -> float:
        """*timeout*, cut to what is left of the deadline (raises once nothing is left)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the total deadline has passed")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        address = self._pins.get(host)
        if address is None:
            raise httpcore.ConnectError(f"{host!r} was not checked; refusing to connect")
        stream = self._inner.connect_tcp(
            address,
            port,
            timeout=self.remaining(timeout),
            local_address=local_address,
            socket_options=socket_options,
        )
        return _DeadlineStream(stream, self)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("newsprism does not fetch over unix sockets")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation waits at most what is left of the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, backend: _PinningBackend) -> None:
        self._stream = stream
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._backend.remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._backend.remaining(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host name (not the pinned IP): SNI and the
        # certificate check are those of the name.
        stream = self._stream.start_tls(
            ssl_context, server_hostname, self._backend.remaining(timeout)
        )
        return _DeadlineStream(stream, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _PinnedTransport(httpx.BaseTransport):
    """httpx over an httpcore pool that connects through `_PinningBackend` (HTTP/1.1)."""

    def __init__(self, backend: _PinningBackend) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=backend,
            max_connections=10,
            max_keepalive_connections=5,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        with _httpx_errors(request):
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response, request),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors(self._request):
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


@contextlib.contextmanager
def _httpx_errors(request: httpx.Request) -> Iterator[None]:
    """httpcore's exceptions as the httpx ones callers catch."""
    try:
        yield
    except httpcore.TimeoutException as error:
        raise httpx.TimeoutException(str(error), request=request) from error
    except httpcore.ConnectError as error:
        raise httpx.ConnectError(str(error), request=request) from error
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as error:
        raise httpx.TransportError(str(error), request=request) from error
