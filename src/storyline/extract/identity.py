"""Stable article ids: re-ingesting the same input must write nothing.

The id comes from the canonical URL when one is known (tracking parameters stripped, so the same
page shared with ``utm_*`` tags is one article), otherwise from a hash of the normalised title and
text, so the same bytes read from two paths are one article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storyline.article import Article
from storyline.pipeline import Stage

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid|ito|igshid|at_\w+)$"
)
_WS = re.compile(r"\s+")


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters, no trailing slash."""
    if not url:
        return None
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        )
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


#: Typographic quotes and dashes made plain, so they do not make two copies different content.
_PUNCTUATION = str.maketrans("’‘“”–—", "''\"\"--")


def normalise_content(title: str | None, text: str) -> str:
    """What counts as "the same content": case, quotes, dashes and spacing do not."""
    joined = f"{title or ''}\n{text}"
    joined = unicodedata.normalize("NFKC", joined).casefold()
    joined = joined.translate(_PUNCTUATION)
    return _WS.sub(" ", joined).strip()


def content_hash(title: str | None, text: str) -> str:
    return hashlib.sha256(normalise_content(title, text).encode("utf-8")).hexdigest()


class IdentityStage(Stage):
    name = "identity"
    version = "1"
    reads = ("title", "text", "url")
    adds = ("id", "content_hash", "canonical_url")

    def process(self, article: Article) -> None:
        article.content_hash = content_hash(article.title, article.text)
        canon = canonical_url(article.canonical_url or article.url)
        article.canonical_url = canon
        if canon:
            article.id = "u" + hashlib.sha256(canon.encode("utf-8")).hexdigest()[:15]
        else:
            article.id = "c" + article.content_hash[:15]
