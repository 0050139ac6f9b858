"""A fetcher analysts can point at the open web: SSRF-safe, bounded, polite (docs/sources.md).

`Fetcher.fetch(url)` returns a `FetchResult` and never raises for a network problem: a refusal or
failure is the result's ``error``, a coded `InputError` naming the URL. The safety rules:

- only ``http`` and ``https``, no credentials in the URL;
- the host is resolved once (through an injectable resolver; odd IPv4 spellings such as
  ``2130706433``, ``0x7f.1`` or ``0177.0.0.1`` are read as the address they mean) and refused
  unless **every** address is global, looking through IPv4-mapped, IPv4-compatible, NAT64
  (``64:ff9b::/96``) and 6to4 (``2002::/16``) forms; networks in ``allow_networks`` are the only
  exception;
- the connection goes to an address that was checked, never to a second lookup (the network
  backend ignores the name and dials the pinned address; the Host header, TLS SNI and certificate
  check still use the name), so a DNS answer that changes cannot reach the local network;
- redirects are followed by hand, at most 5, each hop checked like the first;
- a total deadline covers connect, headers and body (every socket read waits at most the time
  left), the body is capped while streaming (a lying Content-Length is refused or cut), and gzip
  and deflate are decoded here with a cap on the decoded size.
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
import ssl
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from storyline.config import shipped
from storyline.errors import ConfigError, InputError
from storyline.sources.addresses import (
    Dial,
    IPNetwork,
    Resolver,
    _PinnedBackend,
    _refused,
    _transport,
    address_allowed,
    embedded_ipv4,
    literal_address,
    system_resolver,
)

__all__ = [
    "FetchOptions",
    "FetchResult",
    "Fetcher",
    "address_allowed",
    "embedded_ipv4",
    "literal_address",
    "system_resolver",
]


MAX_TIMEOUT = 30.0  # seconds: no setting may raise the connect or total timeout past this
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000
ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is kept


@dataclass
class FetchOptions:
    """The ``[fetch]`` settings (docs/sources.md); `from_settings` reads them from a mapping."""

    contact: str = field(default_factory=shipped("fetch", "contact"))
    user_agent: str = field(default_factory=shipped("fetch", "user_agent"))
    connect_timeout: float = field(default_factory=shipped("fetch", "connect_timeout"))
    total_timeout: float = field(default_factory=shipped("fetch", "total_timeout"))
    max_bytes: int = field(default_factory=shipped("fetch", "max_bytes"))
    max_redirects: int = field(default_factory=shipped("fetch", "max_redirects"))
    allow_networks: list[str] = field(default_factory=shipped("fetch", "allow_networks"))
    robots: bool = field(default_factory=shipped("fetch", "robots"))
    host_delay: float = field(default_factory=shipped("fetch", "host_delay"))
    host_concurrency: int = field(default_factory=shipped("fetch", "host_concurrency"))
    retries: int = field(default_factory=shipped("fetch", "retries"))
    backoff: float = field(default_factory=shipped("fetch", "backoff"))
    max_retry_wait: float = field(default_factory=shipped("fetch", "max_retry_wait"))
    proxy: str = field(default_factory=shipped("fetch", "proxy"))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None = None) -> FetchOptions:
        fetch = (settings or {}).get("fetch", {})
        base = cls()
        return cls(
            contact=str(fetch.get("contact", base.contact)),
            user_agent=str(fetch.get("user_agent", base.user_agent)),
            connect_timeout=float(fetch.get("connect_timeout", base.connect_timeout)),
            total_timeout=float(fetch.get("total_timeout", base.total_timeout)),
            max_bytes=int(fetch.get("max_bytes", base.max_bytes)),
            max_redirects=int(fetch.get("max_redirects", base.max_redirects)),
            allow_networks=list(fetch.get("allow_networks", base.allow_networks)),
            robots=bool(fetch.get("robots", base.robots)),
            host_delay=float(fetch.get("host_delay", base.host_delay)),
            host_concurrency=int(fetch.get("host_concurrency", base.host_concurrency)),
            retries=int(fetch.get("retries", base.retries)),
            backoff=float(fetch.get("backoff", base.backoff)),
            max_retry_wait=float(fetch.get("max_retry_wait", base.max_retry_wait)),
            proxy=str(fetch.get("proxy", base.proxy)),
        )

    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        contact = f"; +{self.contact}" if self.contact else ""
        return f"storyline/{_version()} (news research{contact})"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyline")
    except PackageNotFoundError:
        return "0"


@dataclass
class FetchResult:
    """One fetch: what was asked, where it ended, and the body or the reason it failed."""

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    fetched_at: str = ""  # ISO 8601 UTC, when the response began
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)
    attempts: int = 0
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def reason(self) -> str | None:
        return str(self.error) if self.error else None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def raise_for_error(self) -> FetchResult:
        if self.error is not None:
            raise InputError(self.error.source, self.error.problem, code=self.error.code)
        return self


# -- the fetcher -----------------------------------------------------------------------------------


@dataclass
class _Hop:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str
    fetched_at: str


class _HostGate:
    """Per-host concurrency (a semaphore) and spacing (``delay`` seconds between request starts)."""

    def __init__(self, concurrency: int, sleep: Callable[[float], None]) -> None:
        self._concurrency = max(1, concurrency)
        self._sleep = sleep
        self._lock = threading.Lock()
        self._semaphores: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    def enter(self, host: str, delay: float) -> threading.BoundedSemaphore:
        with self._lock:
            semaphore = self._semaphores.setdefault(
                host, threading.BoundedSemaphore(self._concurrency)
            )
        semaphore.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + delay
        if start > now:
            self._sleep(start - now)
        return semaphore


class Fetcher:
    """Fetches URLs under the safety rules in the module docstring. Thread-safe."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        resolver: Resolver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        environ: Mapping[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        dial: Dial | None = None,
    ) -> None:
        self.options = options or FetchOptions()
        opts = self.options
        try:
            self.allow: list[IPNetwork] = [
                ipaddress.ip_network(n, strict=False) for n in opts.allow_networks
            ]
        except ValueError as exc:
            raise ConfigError(
                f"fetch.allow_networks: {exc}; give CIDRs such as 127.0.0.0/8",
                setting="fetch.allow_networks",
            ) from exc
        if opts.proxy not in ("env", "none"):
            raise ConfigError(
                f"fetch.proxy={opts.proxy!r}: use 'env' or 'none'", setting="fetch.proxy"
            )
        self.connect_timeout = min(max(opts.connect_timeout, 0.1), MAX_TIMEOUT)
        self.total_timeout = min(max(opts.total_timeout, 0.1), MAX_TIMEOUT)
        self.max_redirects = min(max(opts.max_redirects, 0), MAX_REDIRECTS)
        self.resolver = resolver or system_resolver
        self.sleep = sleep
        self.environ = environ
        self.dial = dial
        self.ssl_context = ssl_context or httpx.create_ssl_context()
        self._gate = _HostGate(opts.host_concurrency, sleep)
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._robots_lock = threading.Lock()

    # -- public --------------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` (conditional when ``etag``/``last_modified`` are given; 304 is
        ``result.not_modified``). ``robots`` overrides the ``fetch.robots`` setting for this
        call; ``max_bytes`` the ``fetch.max_bytes`` cap."""
        result = FetchResult(url=url, final_url=url)
        started = time.monotonic()
        attempts = 1 + max(0, self.options.retries)
        for attempt in range(attempts):
            result.attempts = attempt + 1
            try:
                self._follow(url, result, etag, last_modified, robots, max_bytes)
                result.error = None
                break
            except InputError as refused:
                result.error = InputError(result.final_url, refused.problem, code=refused.code)
                if not getattr(refused, "retry", False) or attempt + 1 == attempts:
                    break
                self.sleep(self._backoff(attempt, getattr(refused, "wait", None)))
        result.elapsed = time.monotonic() - started
        return result

    def allowed(self, url: str) -> str | None:
        """Why ``url`` would be refused before any connection (scheme, credentials, address), or
        None. Resolves the host."""
        try:
            self._check(url)
        except InputError as refused:
            return str(refused)
        return None

    # -- the steps ------------------------------------------------------------------------------

    def _backoff(self, attempt: int, wait: float | None) -> float:
        cap = max(0.0, self.options.max_retry_wait)
        if wait is not None:
            return min(wait, cap)
        return min(cap, self.options.backoff * (2**attempt)) * random.uniform(0.5, 1.5)

    def _follow(
        self,
        url: str,
        result: FetchResult,
        etag: str | None,
        last_modified: str | None,
        robots: bool | None,
        max_bytes: int | None,
    ) -> None:
        result.redirects = []
        result.final_url = url
        current = url
        check_robots = self.options.robots if robots is None else robots
        for _ in range(self.max_redirects + 1):
            result.final_url = current
            checked = self._check(current)
            if check_robots:
                self._obey_robots(current)
            headers = {}
            if etag:
                headers["if-none-match"] = etag
            if last_modified:
                headers["if-modified-since"] = last_modified
            hop = self._hop(checked, headers, max_bytes or self.options.max_bytes, current)
            result.final_url = hop.url
            result.status, result.headers, result.fetched_at = (
                hop.status,
                hop.headers,
                hop.fetched_at,
            )
            result.body = hop.body
            if hop.status in REDIRECT_STATUSES and "location" in hop.headers:
                current = urljoin(current, hop.headers["location"].strip())
                result.redirects.append(current)
                result.body = b""
                continue
            if hop.status in RETRY_STATUSES:
                raise _refused(
                    f"HTTP {hop.status}", code="E117", retry=True, wait=_retry_after(hop.headers)
                )
            if hop.status >= 400:
                raise _refused(f"HTTP {hop.status}", code="E117")
            return
        raise _refused(
            f"more than {self.max_redirects} redirects (last to {current}); not followed",
            code="E116",
        )

    def _check(self, url: str) -> tuple[httpx.URL, list[str] | None, str | None]:
        """Refuse what the rules refuse; return the URL, the checked addresses to dial (None
        when a proxy connects instead) and the proxy."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise _refused(f"not a valid URL ({exc})", code="E110") from None
        if parsed.scheme not in ("http", "https"):
            raise _refused(
                f"scheme {parsed.scheme or '(none)'!r} refused: http/https only", code="E110"
            )
        if parsed.userinfo:
            raise _refused("credentials in the URL are refused", code="E110")
        host = parsed.host
        if not host:
            raise _refused("the URL has no host", code="E110")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        literal = literal_address(host)
        if literal is not None:
            found = [literal]
        else:
            try:
                answers = self.resolver(host, port)
                found = [ipaddress.ip_address(a.split("%")[0]) for a in answers]
            except (OSError, UnicodeError, ValueError) as exc:
                raise _refused(f"cannot resolve {host}: {exc}", code="E112", retry=True) from None
            if not found:
                raise _refused(f"cannot resolve {host}: no address", code="E112", retry=True)
        refused = [str(a) for a in found if not address_allowed(a, self.allow)]
        if refused:
            raise _refused(
                f"{host} resolves to a non-public address ({', '.join(refused)}); refused "
                "(fetch.allow_networks lists networks that may be fetched)",
                code="E110",
            )
        proxy = self._proxy_for(parsed)
        return parsed, (None if proxy else [str(a) for a in found]), proxy

    def _proxy_for(self, url: httpx.URL) -> str | None:
        if self.options.proxy != "env":
            return None
        env = dict(self.environ) if self.environ is not None else None
        proxies = (
            urllib.request.getproxies_environment()
            if env is None
            else {k[:-6].lower(): v for k, v in env.items() if k.lower().endswith("_proxy") and v}
        )
        no_proxy = proxies.get("no", "")
        proxy = proxies.get(url.scheme)
        if not proxy or _bypassed(url.host, no_proxy):
            return None
        if not proxy.startswith(("http://", "https://")):
            raise _refused(
                f"proxy {proxy!r} is not http(s); only HTTP proxies are used", code="E110"
            )
        return proxy

    def _hop(
        self,
        checked: tuple[httpx.URL, list[str] | None, str | None],
        headers: dict[str, str],
        max_bytes: int,
        url: str,
    ) -> _Hop:
        parsed, pinned, proxy = checked
        deadline = time.monotonic() + self.total_timeout
        backend = _PinnedBackend(pinned, deadline, self.total_timeout, self.dial)
        timeout = httpx.Timeout(self.total_timeout, connect=self.connect_timeout)
        request_headers = {
            "user-agent": self.options.agent(),
            "accept-encoding": "gzip, deflate",
            "accept": "*/*",
            **headers,
        }
        gate = self._gate.enter(parsed.netloc.decode("ascii"), self._delay_for(url))
        try:
            with httpx.Client(
                transport=_transport(backend, self.ssl_context, proxy),
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,
            ) as client:
                with client.stream("GET", parsed, headers=request_headers) as response:
                    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
                    names = {k.lower(): v for k, v in response.headers.items()}
                    body = b""
                    if response.status_code not in REDIRECT_STATUSES | {304}:
                        body = _read_body(response, names, max_bytes, deadline)
                    return _Hop(response.status_code, names, body, str(response.url), fetched_at)
        except httpx.TimeoutException as exc:
            late = time.monotonic() >= deadline
            what = f"total time over {self.total_timeout:g} s" if late else f"timed out ({exc})"
            raise _refused(f"{what}; aborted", code="E115", retry=not late) from None
        except httpx.RemoteProtocolError as exc:
            if "location header" in str(exc):  # httpx parses a redirect's target before us
                raise _refused(f"redirect refused: {exc}", code="E116") from None
            raise _refused(f"connection failed: {exc}", code="E113") from None
        except httpx.HTTPError as exc:
            connect = isinstance(exc, httpx.ConnectError)
            raise _refused(f"connection failed: {exc}", code="E113", retry=connect) from None
        finally:
            gate.release()

    # -- robots.txt -----------------------------------------------------------------------------

    def _robots_for(self, url: str) -> RobotFileParser | None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        now = time.monotonic()
        with self._robots_lock:
            cached = self._robots.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        parser: RobotFileParser | None = RobotFileParser()
        result = self.fetch(key + "/robots.txt", robots=False, max_bytes=ROBOTS_MAX_BYTES)
        if result.ok:
            parser.parse(result.body.decode("utf-8", "replace").splitlines())  # type: ignore[union-attr]
        elif result.status is not None and 400 <= result.status < 500:
            parser = None  # RFC 9309: unavailable, every path may be fetched
        else:
            parser.disallow_all = True  # type: ignore[union-attr]  # unreachable: fetch nothing
        with self._robots_lock:
            self._robots[key] = (now + ROBOTS_TTL, parser)
        return parser

    def _obey_robots(self, url: str) -> None:
        parser = self._robots_for(url)
        if parser is not None and not parser.can_fetch(self.options.agent(), url):
            raise _refused("robots.txt disallows it (fetch.robots, or robots=False)", code="E111")

    def _delay_for(self, url: str) -> float:
        delay = max(0.0, self.options.host_delay)
        parts = urlsplit(url)
        with self._robots_lock:
            cached = self._robots.get(f"{parts.scheme}://{parts.netloc}".lower())
        if cached and cached[1] is not None:
            crawl = cached[1].crawl_delay(self.options.agent())
            if crawl:
                delay = max(delay, min(float(crawl), 60.0))
        return delay


def _bypassed(host: str, no_proxy: str) -> bool:
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if entry == "*" or (
            entry and (host == entry.lstrip(".") or host.endswith("." + entry.lstrip(".")))
        ):
            return True
    return False


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_body(
    response: httpx.Response, headers: Mapping[str, str], max_bytes: int, deadline: float
) -> bytes:
    """The decoded body, refused past ``max_bytes`` (declared, received or decoded)."""
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise _refused(
            f"Content-Length {int(declared):,} is over the {max_bytes:,}-byte limit "
            "(fetch.max_bytes); refused before reading",
            code="E114",
        )
    encoding = headers.get("content-encoding", "identity").strip().lower()
    decoder = _Decoder(encoding, max_bytes)
    out = bytearray()
    received = 0
    for chunk in response.iter_raw(16_384):
        received += len(chunk)
        if received > max_bytes:
            raise _refused(
                f"body over the {max_bytes:,}-byte limit (fetch.max_bytes); cut off", code="E114"
            )
        out += decoder.feed(chunk, max_bytes - len(out))
        if time.monotonic() > deadline:
            raise _refused("total time over the fetch.total_timeout; aborted", code="E115")
    out += decoder.flush(max_bytes - len(out))
    return bytes(out)


class _Decoder:
    """gzip / deflate decoding with a cap on the decoded size (a gzip bomb stops at the cap)."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.encoding = encoding
        self.max_bytes = max_bytes
        if encoding in ("identity", ""):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
            self._raw_fallback = True
        else:
            raise _refused(f"unsupported Content-Encoding {encoding!r}", code="E118")

    def feed(self, data: bytes, room: int) -> bytes:
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error:
            if self.encoding == "deflate" and getattr(self, "_raw_fallback", False):
                self._raw_fallback = False  # servers that send raw deflate without a zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise _refused(f"cannot decode the {self.encoding} body", code="E118") from None
        self._raw_fallback = False
        if len(out) > room or self._z.unconsumed_tail:
            raise _refused(
                f"decoded body over the {self.max_bytes:,}-byte limit (fetch.max_bytes): "
                "a decompression bomb or an oversized page; cut off",
                code="E118",
            )
        return out

    def flush(self, room: int) -> bytes:
        if self._z is None:
            return b""
        out = self._z.flush()
        if len(out) > room:
            raise _refused(f"decoded body over the {self.max_bytes:,}-byte limit", code="E118")
        return out
