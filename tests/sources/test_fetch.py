"""The fetcher: SSRF defence, caps, deadlines, robots.txt, conditional GET, retries, proxies.

All traffic goes to loopback servers these tests start. The fetcher reaches them only through
``allow_networks = ["127.0.0.0/8"]``; the SSRF sentinel runs a fetcher with no allow-list.
"""

from __future__ import annotations

import gzip
import ipaddress
import time
from http.server import BaseHTTPRequestHandler

import httpcore
import pytest
from loopback import Loopback, stream

from storyline.errors import ConfigError
from storyline.sources.fetch import (
    Fetcher,
    FetchOptions,
    address_allowed,
    embedded_ipv4,
    literal_address,
)

LOOPBACK = ["127.0.0.0/8"]


def fetcher(**overrides: object) -> Fetcher:
    options = FetchOptions(
        allow_networks=LOOPBACK, host_delay=0, retries=0, backoff=0, proxy="none", robots=False
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return Fetcher(options, sleep=lambda s: None)


@pytest.fixture
def server() -> Loopback:
    with Loopback() as srv:
        yield srv


# -- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, address",
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("feeds.example", None),
        ("1.example", None),
    ],
)
def test_odd_spellings_are_read_as_the_address_they_mean(host: str, address: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::1",
        "2002:a00:1::",
        "0.0.0.0",
        "::",
        "169.254.169.254",
        "100.64.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.0.1",
        "224.0.0.1",
        "fe80::1",
        "fc00::1",
        "192.0.2.1",
        "240.0.0.1",
        "255.255.255.255",
    ],
)
def test_non_global_addresses_are_refused(address: str) -> None:
    assert not address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e"]
)
def test_global_addresses_pass(address: str) -> None:
    assert address_allowed(ipaddress.ip_address(address))


def test_embedded_ipv4_is_found_in_each_form() -> None:
    for form in ("::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "::127.0.0.1"):
        assert str(embedded_ipv4(ipaddress.ip_address(form))) == "127.0.0.1"


def test_the_allow_list_admits_its_networks_and_nothing_else() -> None:
    allow = [ipaddress.ip_network("127.0.0.0/8")]
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allow)
    assert address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), allow)
    assert not address_allowed(ipaddress.ip_address("10.0.0.1"), allow)
    assert not address_allowed(ipaddress.ip_address("::1"), allow)


def test_a_bad_allow_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="allow_networks"):
        Fetcher(FetchOptions(allow_networks=["not-a-net"]))


# -- the SSRF sentinel -------------------------------------------------------------------------


def test_ssrf_sentinel_gets_no_hit() -> None:
    """A fetcher with no allow-list, given every trick, never reaches the loopback sentinel."""
    with Loopback() as sentinel, Loopback("127.0.0.2") as redirector:
        port = sentinel.port
        sentinel.route("/", b"secret")
        targets = [
            f"http://127.0.0.1:{port}/",
            f"http://[::1]:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://[::ffff:7f00:1]:{port}/",
            f"http://2130706433:{port}/",
            f"http://0x7f.1:{port}/",
            f"http://0177.0.0.1:{port}/",
            f"http://127.1:{port}/",
            f"http://0.0.0.0:{port}/",
            f"http://169.254.169.254:{port}/",
            f"http://100.64.0.1:{port}/",
            f"http://[64:ff9b::7f00:1]:{port}/",
            f"http://[2002:7f00:1::]:{port}/",
            f"http://localhost:{port}/",
            "file:///etc/passwd",
            f"gopher://127.0.0.1:{port}/",
            f"http://user:pw@127.0.0.1:{port}/",
        ]
        # A redirector on 127.0.0.2, allowed (a /32) to a second fetcher; its targets are not.
        for i, target in enumerate(targets):
            redirector.route(f"/r{i}", status=302, headers={"location": target})
        no_allow = Fetcher(
            FetchOptions(host_delay=0, retries=0, proxy="none", robots=False),
            sleep=lambda s: None,
        )
        reasons = [no_allow.fetch(t).reason for t in targets]
        assert all(r and r.startswith("E110") for r in reasons), reasons

        via = Fetcher(
            FetchOptions(
                allow_networks=["127.0.0.2/32"], host_delay=0, retries=0, proxy="none", robots=False
            ),
            sleep=lambda s: None,
        )
        results = [via.fetch(redirector.url(f"/r{i}")) for i in range(len(targets))]
        refused = {"E110", "E116"}  # a non-public target, or one that is no valid URL
        assert all(r.error is not None and r.error.code in refused for r in results), [
            r.reason for r in results
        ]
        assert len(redirector.hits) == len(targets)

        # DNS rebinding: the first answer is global, the second is the sentinel's address. The
        # fetcher resolves once per connection and dials the address it checked.
        answers = iter([["93.184.215.14"], ["127.0.0.1"], ["127.0.0.1"]])
        dialled: list[str] = []

        def dial(address: str, p: int, timeout: float) -> httpcore.NetworkStream:
            dialled.append(address)
            raise httpcore.ConnectError("test: no traffic beyond loopback")

        rebinding = Fetcher(
            FetchOptions(host_delay=0, retries=0, proxy="none", robots=False),
            resolver=lambda host, p: next(answers),
            dial=dial,
            sleep=lambda s: None,
        )
        first = rebinding.fetch(f"http://rebind.example:{port}/")
        assert dialled == ["93.184.215.14"] and first.error is not None
        second = rebinding.fetch(f"http://rebind.example:{port}/")
        assert second.error is not None and second.error.code == "E110"
        assert dialled == ["93.184.215.14"]
        assert sentinel.hits == [], f"SSRF sentinel hits: {len(sentinel.hits)}"


def test_an_answer_with_one_private_address_is_refused_whole() -> None:
    f = Fetcher(
        FetchOptions(proxy="none", robots=False, retries=0),
        resolver=lambda host, port: ["93.184.215.14", "10.0.0.5"],
    )
    result = f.fetch("http://mixed.example/")
    assert result.error is not None and "10.0.0.5" in result.error.problem


def test_the_connection_is_pinned_to_the_checked_address(server: Loopback) -> None:
    """A name resolved by the fetcher's resolver reaches the loopback server with no second
    lookup, and the Host header still carries the name."""
    server.route("/page", b"<html>hi</html>")
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    f = Fetcher(
        FetchOptions(allow_networks=LOOPBACK, host_delay=0, proxy="none", robots=False),
        resolver=resolver,
    )
    result = f.fetch(f"http://news.example:{server.port}/page")
    assert result.ok and result.body == b"<html>hi</html>"
    assert calls == ["news.example"]
    assert server.requests[0]["host"] == f"news.example:{server.port}"


# -- responses ---------------------------------------------------------------------------------


def test_a_page_is_fetched_with_its_metadata(server: Loopback) -> None:
    server.route("/a", b"hello", headers={"content-type": "text/html; charset=utf-8"})
    result = fetcher(contact="desk@news.example").fetch(server.url("/a"))
    assert result.ok and result.status == 200 and result.body == b"hello"
    assert result.content_type == "text/html" and result.fetched_at.endswith("+00:00")
    agent = server.requests[0]["user-agent"]
    assert agent.startswith("storyline/") and "desk@news.example" in agent


def test_redirects_are_followed_and_recorded(server: Loopback) -> None:
    server.route("/old", status=301, headers={"location": "/mid"})
    server.route("/mid", status=302, headers={"location": server.url("/new")})
    server.route("/new", b"moved")
    result = fetcher().fetch(server.url("/old"))
    assert result.ok and result.body == b"moved"
    assert result.final_url == server.url("/new") and len(result.redirects) == 2


def test_more_than_five_redirects_are_refused(server: Loopback) -> None:
    for i in range(8):
        server.route(f"/r{i}", status=302, headers={"location": f"/r{i + 1}"})
    result = fetcher(max_redirects=50).fetch(server.url("/r0"))
    assert result.error is not None and result.error.code == "E116"
    assert len(server.hits) == 6


def test_conditional_get_gives_304(server: Loopback) -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("if-none-match") == '"v1"':
            h.send_response(304)
            h.send_header("etag", '"v1"')
            h.end_headers()
            return
        body = b"<rss/>"
        h.send_response(200)
        h.send_header("etag", '"v1"')
        h.send_header("last-modified", "Tue, 01 Oct 2024 08:00:00 GMT")
        h.send_header("content-length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    server.handler("/feed", handle)
    f = fetcher()
    first = f.fetch(server.url("/feed"))
    assert first.ok and first.etag == '"v1"' and first.last_modified
    second = f.fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b"" and not second.ok
    assert server.requests[1]["if-modified-since"] == first.last_modified


def test_robots_txt_is_respected_and_can_be_overridden(server: Loopback) -> None:
    server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n")
    server.route("/private/x", b"no")
    server.route("/public", b"yes")
    f = fetcher(robots=True)
    refused = f.fetch(server.url("/private/x"))
    assert refused.error is not None and refused.error.code == "E111"
    assert f.fetch(server.url("/public")).ok
    assert f.fetch(server.url("/private/x"), robots=False).ok
    assert server.hits.count("/robots.txt") == 1  # cached per host


def test_a_missing_robots_txt_allows_everything(server: Loopback) -> None:
    server.route("/x", b"ok")
    assert fetcher(robots=True).fetch(server.url("/x")).ok


def test_retries_honour_retry_after_capped(server: Loopback) -> None:
    calls = {"n": 0}

    def handle(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            h.send_response(503 if calls["n"] == 1 else 429)
            h.send_header("retry-after", "3600")
            h.send_header("content-length", "0")
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("content-length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    server.handler("/busy", handle)
    waits: list[float] = []
    options = FetchOptions(
        allow_networks=LOOPBACK,
        host_delay=0,
        retries=3,
        max_retry_wait=5,
        proxy="none",
        robots=False,
    )
    result = Fetcher(options, sleep=waits.append).fetch(server.url("/busy"))
    assert result.ok and result.attempts == 3 and waits == [5, 5]


def test_a_client_error_is_not_retried(server: Loopback) -> None:
    result = fetcher(retries=3).fetch(server.url("/missing"))
    assert result.error is not None and result.error.code == "E117" and result.attempts == 1
    assert "HTTP 404" in result.error.problem and server.url("/missing") in str(result.error)


def test_connect_errors_are_retried_with_backoff() -> None:
    waits: list[float] = []
    with Loopback() as srv:
        port = srv.port
    options = FetchOptions(
        allow_networks=LOOPBACK, host_delay=0, retries=2, backoff=1, proxy="none", robots=False
    )
    result = Fetcher(options, sleep=waits.append).fetch(f"http://127.0.0.1:{port}/")
    assert result.error is not None and result.error.code == "E113" and result.attempts == 3
    assert len(waits) == 2 and 0.5 <= waits[0] <= 1.5 and 1 <= waits[1] <= 3


# -- hostile responses ---------------------------------------------------------------------------


def test_a_lying_content_length_over_the_cap_is_refused_before_reading(server: Loopback) -> None:
    server.route("/big", b"x" * 10, headers={"content-length": "999999999"})
    result = fetcher(max_bytes=1000).fetch(server.url("/big"))
    assert result.error is not None and result.error.code == "E114"
    assert "Content-Length" in result.error.problem


def test_a_body_longer_than_it_said_is_cut_at_the_cap(server: Loopback) -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("connection", "close")  # no length: read to the end
        h.end_headers()
        h.wfile.write(b"y" * 50_000)

    server.handler("/long", handle)
    result = fetcher(max_bytes=10_000).fetch(server.url("/long"))
    assert result.error is not None and result.error.code == "E114"


def test_an_endless_response_is_cut_at_the_cap(server: Loopback) -> None:
    server.handler("/endless", stream(b"z" * 8192, every=0))
    started = time.monotonic()
    result = fetcher(max_bytes=100_000).fetch(server.url("/endless"))
    assert result.error is not None and result.error.code == "E114"
    assert time.monotonic() - started < 5  # cut by a cap or deadline, not by a test timeout


def test_a_trickling_response_is_aborted_at_the_total_deadline(server: Loopback) -> None:
    server.handler("/trickle", stream(b".", every=0.05, limit=5))
    started = time.monotonic()
    result = fetcher(total_timeout=0.6).fetch(server.url("/trickle"))
    assert result.error is not None and result.error.code == "E115"
    assert "total time" in result.error.problem
    assert time.monotonic() - started < 5  # cut by a cap or deadline, not by a test timeout


def test_a_silent_server_is_aborted_at_the_total_deadline(server: Loopback) -> None:
    server.handler("/silent", lambda h: time.sleep(8))  # longer than the bound below
    started = time.monotonic()
    result = fetcher(total_timeout=0.5).fetch(server.url("/silent"))
    assert result.error is not None and result.error.code == "E115"
    assert time.monotonic() - started < 5  # cut by a cap or deadline, not by a test timeout


def test_a_gzip_bomb_is_cut_at_the_decoded_cap(server: Loopback) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    server.route("/bomb", bomb, headers={"content-encoding": "gzip"})
    started = time.monotonic()
    result = fetcher(max_bytes=1_000_000).fetch(server.url("/bomb"))
    assert result.error is not None and result.error.code == "E118"
    assert "decompression bomb" in result.error.problem
    assert time.monotonic() - started < 5  # cut by a cap or deadline, not by a test timeout


def test_gzip_is_decoded(server: Loopback) -> None:
    server.route("/gz", gzip.compress(b"<rss>ok</rss>"), headers={"content-encoding": "gzip"})
    result = fetcher().fetch(server.url("/gz"))
    assert result.ok and result.body == b"<rss>ok</rss>"


def test_timeouts_are_capped_at_30_seconds() -> None:
    f = Fetcher(FetchOptions(connect_timeout=600, total_timeout=3600, max_redirects=40))
    assert f.connect_timeout == 30 and f.total_timeout == 30 and f.max_redirects == 5


# -- proxies -------------------------------------------------------------------------------------


def test_an_environment_proxy_is_used_and_the_target_still_checked(server: Loopback) -> None:
    server.route("http://news.example/story", b"via proxy")
    env = {"http_proxy": server.url("")}
    options = FetchOptions(host_delay=0, retries=0, robots=False, proxy="env")
    f = Fetcher(options, environ=env, resolver=lambda host, port: ["93.184.215.14"])
    result = f.fetch("http://news.example/story")
    assert result.ok and result.body == b"via proxy"
    assert server.hits == ["http://news.example/story"]
    private = Fetcher(options, environ=env, resolver=lambda host, port: ["10.0.0.7"])
    assert private.fetch("http://intranet.example/").error.code == "E110"  # type: ignore[union-attr]
    assert len(server.hits) == 1


def test_no_proxy_bypasses_the_proxy(server: Loopback) -> None:
    server.route("/direct", b"direct")
    env = {"http_proxy": "http://127.0.0.9:9", "no_proxy": "127.0.0.1"}
    options = FetchOptions(allow_networks=LOOPBACK, host_delay=0, robots=False, retries=0)
    assert Fetcher(options, environ=env).fetch(server.url("/direct")).ok


def test_settings_are_read_from_a_mapping() -> None:
    options = FetchOptions.from_settings(
        {"fetch": {"contact": "ops@news.example", "allow_networks": ["10.0.0.0/8"], "retries": 0}}
    )
    assert options.contact == "ops@news.example" and options.retries == 0
    assert options.allow_networks == ["10.0.0.0/8"] and options.max_redirects == 5
