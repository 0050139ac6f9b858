"""Canonical URLs, so the same article from a feed, a sitemap and a pasted link is stored once.

`canonical_url` lower-cases the scheme and host, drops default ports, fragments and tracking
parameters (``utm_*``, ``fbclid``, ``gclid`` and the rest of `TRACKING`), and sorts what is left.
`page_canonical` reads ``<link rel="canonical">`` from a page and keeps it only when it points to
the same site (a canonical elsewhere is a claim the page cannot make for another outlet).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from storyline.sources.markup import without_xml_declaration

__all__ = ["TRACKING", "canonical_url", "page_canonical", "same_site"]

#: Query parameters that identify a campaign or a click, never the article.
TRACKING: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt.mc_id",
        "twclid",
        "ttclid",
        "s_cid",
        "spm",
        "share",
        "at_medium",
        "at_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL = 8192


def _tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING or lower.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, base: str | None = None) -> str:
    """The id form of ``url`` (resolved against ``base`` when relative). A string that is not an
    http(s) URL comes back stripped but otherwise unchanged."""
    url = url.strip()[:MAX_URL]
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        pass
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~") or "/"
    path = re.sub(r"/{2,}", "/", path)
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same site: the same host, ignoring a leading ``www.`` (and
    one a subdomain of the other's registrable part, e.g. ``m.news.example``)."""
    try:
        ha = (urlsplit(a).hostname or "").lower().removeprefix("www.")
        hb = (urlsplit(b).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return False
    if not ha or not hb:
        return False
    if ha == hb:
        return True
    shorter, longer = sorted((ha, hb), key=len)
    return "." in shorter and longer.endswith("." + shorter)


def page_canonical(html: bytes | str, url: str) -> str:
    """The canonical URL of a page fetched from ``url``: its ``rel=canonical`` when on the same
    site, else ``url`` itself, canonicalised either way."""
    own = canonical_url(url)
    link = _canonical_link(html)
    if link:
        claimed = canonical_url(link, base=url)
        if claimed.startswith(("http://", "https://")) and same_site(claimed, own):
            return claimed
    return own


def _canonical_link(html: bytes | str) -> str | None:
    import lxml.html  # here: only pages need it

    data = html[:2_000_000]
    if isinstance(data, str):  # bytes keep their declaration: lxml reads its encoding there
        data = without_xml_declaration(data)
    if not data.strip():
        return None
    try:
        root = lxml.html.fromstring(data)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            return str(link.get("href")).strip()
    return None
