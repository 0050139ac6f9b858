"""Which addresses the fetcher may reach, and a network backend that dials only those.

- `literal_address` reads the odd IPv4 spellings (``2130706433``, ``0x7f.1``, ``0177.0.0.1``,
  ``127.1``) as the address they mean; `embedded_ipv4` finds the IPv4 address inside IPv4-mapped,
  IPv4-compatible, NAT64 and 6to4 IPv6 addresses; `address_allowed` accepts an address only when
  it (and any IPv4 address inside it) is global, or inside an allow-listed network.
- `_PinnedBackend` is httpcore's network backend for one request: it ignores the name httpcore
  asks for and dials the addresses that were checked (no second lookup, so DNS rebinding cannot
  reach the local network), and every read and write waits at most the time left before the
  request's deadline (`_DeadlineStream`).

Split from `storyline.sources.fetch`, which uses these and re-exports the public names.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx

from storyline.errors import InputError

__all__ = [
    "Dial",
    "IPAddress",
    "IPNetwork",
    "Resolver",
    "address_allowed",
    "embedded_ipv4",
    "literal_address",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolver(host, port)`` -> the addresses to connect to (strings); raise OSError when none.
Resolver = Callable[[str, int], list[str]]
#: ``dial(address, port, timeout)`` -> an open stream to a checked address (a test seam: tests
#: record where the fetcher connects without sending traffic anywhere but loopback).
Dial = Callable[[str, int, float], httpcore.NetworkStream]

NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


# -- addresses ------------------------------------------------------------------------------------

_NUMERIC_V4 = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}", re.I)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally (``[::1]``, ``127.0.0.1``, and the inet_aton spellings
    ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``), or None for a name."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare.split("%")[0])
    except ValueError:
        pass
    if _NUMERIC_V4.fullmatch(bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one: mapped, compatible, NAT64 or 6to4."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64 or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in NAT64_LOCAL:  # RFC 8215: the last 32 bits for the common /96 layout
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in SIX_TO_FOUR:
        return address.sixtofour
    return None


def _global(address: IPAddress) -> bool:
    return bool(
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not address.is_loopback
        and not address.is_link_local
    )


def address_allowed(address: IPAddress, allow: Iterable[IPNetwork] = ()) -> bool:
    """Whether the fetcher may connect to ``address``: global (and so is any IPv4 address inside
    it), or inside an allow-listed network."""
    allow = list(allow)
    inner = embedded_ipv4(address)
    if inner is not None and (
        address.ipv4_mapped is not None or address in NAT64 or address in NAT64_LOCAL  # type: ignore[union-attr, operator]
    ):
        # the connection reaches the IPv4 address (directly, or through a NAT64 gateway), and
        # Python files the whole of 64:ff9b::/96 under "reserved": judge the IPv4 address alone
        candidates: list[IPAddress] = [inner]
    else:
        candidates = [address] + ([inner] if inner is not None else [])
    return all(
        _global(c) or any(c.version == n.version and c in n for n in allow) for c in candidates
    )


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``getaddrinfo`` gives for ``host`` (TCP), in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]).split("%")[0], None)
    return list(seen)


# -- the pinned network backend --------------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A stream whose every read and write waits at most the time left before the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float, total: float) -> None:
        self._inner = inner
        self._deadline = deadline
        self._total = total

    def _left(self, timeout: float | None) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise _refused(f"total time over {self._total:g} s; aborted", code="E115")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout))
        return _DeadlineStream(inner, self._deadline, self._total)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Dials only the addresses that were checked (``pinned``), whatever name httpcore asks for;
    with ``pinned`` None (a configured proxy) it dials the name it is given, the proxy's."""

    def __init__(
        self, pinned: list[str] | None, deadline: float, total: float, dial: Dial | None
    ) -> None:
        self._pinned = pinned
        self._deadline = deadline
        self._total = total
        self._dial = dial or _sync_dial

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        targets = self._pinned if self._pinned is not None else [host]
        error: Exception | None = None
        for target in targets:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise _refused(f"total time over {self._total:g} s; aborted", code="E115")
            wait = left if timeout is None else min(timeout, left)
            try:
                stream = self._dial(target, port, wait)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self._deadline, self._total)
        raise _refused(f"connection failed: {error}", code="E113", retry=True)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise _refused("unix sockets are never used by the fetcher", code="E113")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _sync_dial(address: str, port: int, timeout: float) -> httpcore.NetworkStream:
    return httpcore.SyncBackend().connect_tcp(address, port, timeout, socket_options=[])


def _transport(
    backend: _PinnedBackend, ssl_context: ssl.SSLContext, proxy: str | None
) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(verify=ssl_context, trust_env=False, proxy=proxy)
    # httpx builds its httpcore pool without a way to pass a network backend; the pool reads it
    # from this attribute on every new connection (httpcore 1.x ConnectionPool and HTTPProxy).
    transport._pool._network_backend = backend  # type: ignore[union-attr]
    return transport


def _refused(
    problem: str, *, code: str, retry: bool = False, wait: float | None = None
) -> InputError:
    """What ends one try of a fetch; `Fetcher.fetch` turns it into the result's error naming the
    URL. Raised from the network backend too (httpx passes a non-httpx error on unchanged).
    ``retry``: worth another try; ``wait``: the server's Retry-After, in seconds."""
    error = InputError("", problem, code=code)
    error.__dict__.update(retry=retry, wait=wait)  # read back with getattr in `Fetcher.fetch`
    return error
