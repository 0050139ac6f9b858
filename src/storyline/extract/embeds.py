"""Embedded social-media posts, taken out of the extractor's copy of a page.

Why: a tweet, an Instagram post or a TikTok set in an article is someone else's post that the
article shows, not its text, and the benchmarks' gold leaves it out; trafilatura keeps it as
paragraphs ("View this post on Instagram", the post, "A post shared by ... (@handle)"), and the
cleaner could only guess it from the words of each platform's frame, which differ in every
language ("Ver essa foto no Instagram", "Une publication partagée par"). The platforms' embed
codes mark the post with a fixed class, so the element is removed whole; its tail text (the
article's words after it) stays. The cleaner still removes a tweet's attribution line where a page
pasted the post without its markup.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import edited

__all__ = ["drop_in_tree", "drop_social_embeds", "may_hold_embeds"]

#: The classes the platforms' embed codes give the post's element.
EMBED_CLASSES = frozenset(
    {
        "twitter-tweet",
        "twitter-video",
        "instagram-media",
        "tiktok-embed",
        "fb-post",
        "fb-video",
        "reddit-embed-bq",
        "bluesky-embed",
        "text-post-media",  # Threads
        "mastodon-embed",
    }
)
_ANY = re.compile("|".join(sorted(re.escape(c) for c in EMBED_CLASSES)))


def may_hold_embeds(html: str) -> bool:
    """Whether an embed code's class appears anywhere in the page (one search)."""
    return bool(_ANY.search(html))


def drop_in_tree(tree: Any) -> bool:
    """Remove the embedded posts of a parsed page (their tail text stays); whether there were
    any."""
    posts = [
        el
        for el in tree.iter("blockquote", "div")
        if EMBED_CLASSES.intersection((el.get("class") or "").split())
    ]
    outer = [el for el in posts if not any(a in posts for a in el.iterancestors())]
    for el in outer:
        el.drop_tree()
    return bool(outer)


def drop_social_embeds(html: str) -> str:
    """The page without its embedded posts; the page itself when it has none (or cannot be
    parsed), so a page without one costs one regular-expression search."""
    return edited(html, drop_in_tree) if may_hold_embeds(html) else html
