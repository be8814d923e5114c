"""Fetch URLs over HTTP(S), safely: timeouts, a size limit, and no private addresses.

The host is resolved first and every address it resolves to must be public, so a URL cannot
make newsprism read from the machine it runs on or its network (loopback, private, link-local,
cloud metadata at 169.254.169.254). Redirects are followed by hand so each hop is checked.
`allow_private=True` lifts the address check (tests serve on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from newsprism.errors import FetchRefused

Resolver = Callable[[str], list[str]]

DEFAULT_TIMEOUT = 15.0  # seconds, for connect and for each read
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """A fetched resource: the final URL, its bytes and media type, and when it was fetched."""

    url: str
    data: bytes
    content_type: str | None
    fetched_at: datetime


def resolve_host(host: str) -> list[str]:
    """Every IP address *host* resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


class Fetcher:
    """An HTTP client for article URLs; use as a context manager or call `close()`."""

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        allow_private: bool = False,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allow_private = allow_private
        self._resolver = resolver or resolve_host
        self._clock = clock or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": USER_AGENT},
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
        """GET *url*, following up to `max_redirects` checked redirects.

        Raises:
            FetchRefused: bad scheme, private address, HTTP error, too large, timeout.
        """
        current = url
        for _ in range(self.max_redirects + 1):
            self.check_url(current)
            try:
                with self._client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchRefused(
                            url,
                            f"the server answered HTTP {response.status_code} for {current}; "
                            "check the URL",
                        )
                    data = self._read_limited(url, response)
                    return Fetched(
                        url=current,
                        data=data,
                        content_type=response.headers.get("content-type"),
                        fetched_at=self._clock(),
                    )
            except httpx.TimeoutException as error:
                raise FetchRefused(
                    url, f"timed out after {self.timeout:g} s; try again or save the page to a file"
                ) from error
            except httpx.HTTPError as error:
                raise FetchRefused(url, f"HTTP request failed ({error}); check the URL") from error
        raise FetchRefused(url, f"more than {self.max_redirects} redirects; check the URL")

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
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, size: int) -> str:
        return (
            f"response is larger than the {self.max_bytes} byte limit (got {size} bytes); "
            "raise max_bytes or save the page to a file"
        )

    def check_url(self, url: str) -> None:
        """Refuse non-HTTP URLs and hosts that resolve to non-public addresses."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(url, "only http:// and https:// URLs with a host can be fetched")
        if self.allow_private:
            return
        host = parts.hostname
        try:
            addresses = [host] if _is_ip(host) else self._resolver(host)
        except OSError as error:
            raise FetchRefused(url, f"could not resolve host {host!r} ({error})") from error
        if not addresses:
            raise FetchRefused(url, f"host {host!r} resolves to no address")
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            mapped = getattr(ip, "ipv4_mapped", None)
            if not (mapped or ip).is_global:
                raise FetchRefused(
                    url,
                    f"host {host!r} resolves to non-public address {address}; "
                    "newsprism does not fetch from private, loopback or link-local networks",
                )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True
