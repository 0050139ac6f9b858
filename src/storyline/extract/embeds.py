"""Embedded social-media posts, taken out of the extractor's copy of a page.

Why: a tweet, an Instagram post or a TikTok set in an article is someone else's post that the
article shows, not its text, and the benchmarks' gold leaves it out; trafilatura keeps it as
paragraphs ("View this post on Instagram", the post, "A post shared by ... (@handle)"), and the
cleaner could only guess it from the words of each platform's frame, which differ in every
language ("Ver essa foto no Instagram", "Une publication partagée par"). The platforms' embed
codes mark the post with a fixed class, so the element is removed whole; its tail text (the
article's words after it) stays. The cleaner still removes a tweet's attribution line where a page
pasted the post without its markup.

Ad slots go the same way, for another reason: trafilatura's precision mode drops the text that
follows a slot left in a run of ``<br>``-separated paragraphs (the slot's tail), so an article set
as text between line breaks lost the paragraph after each advert. The ad servers' tags name their
slots with fixed markers (Google Publisher Tag's ``div-gpt-ad-…`` ids, AdSense's ``adsbygoogle``
class), and templates name their ad boxes ("advert", "block-advert", "ad-slot"); a marked
element holding more than a few words is left alone (a page that misuses the marker for a
container).
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import drop_outermost, edited

__all__ = [
    "AD_SLOT_CLASSES",
    "AD_SLOT_ID_PREFIXES",
    "drop_in_tree",
    "drop_social_embeds",
    "may_hold_embedded_tables",
    "may_hold_embeds",
    "tables_in_tree",
]

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
#: The classes and id prefixes the ad servers' tags give an ad slot.
AD_SLOT_CLASSES = frozenset({"adsbygoogle"})
AD_SLOT_ID_PREFIXES = ("div-gpt-ad",)
#: A template's own name for an ad's box, as a whole part of a class ("advert",
#: "block-advert", "advert--leaderboard", "ad-slot"): trafilatura removes "ad-" boxes but not
#: these, and kept their label ("Isikhangiso", Zulu for "Advertisement") between paragraphs.
_AD_BOX = re.compile(
    r"(?<![a-z])(?:advert(?:s|isement|ising)?|ad-?slot|ad-?unit|ad-?box)(?![a-z])", re.IGNORECASE
)
#: An ad's box named by its id or class as an ad of some place or format ("ad_mpu", the IAB's
#: mid-page unit, "ad-top", "ads_banner", "ad-leaderboard", "ad_300x250"): an old portal's
#: ``<table align=right><tr><td><div id="ad_mpu">Advertisement<iframe>`` in a story set as text
#: between breaks made trafilatura drop the story's first paragraph after it.
_AD_PLACE = (
    r"(?<![a-z])ads?[-_](?:mpu|slot|unit|box|banner|leaderboard|top|bottom|side|rail|inline"
    r"|wrap(?:per)?|container|\d)"
)
_AD_NAME = re.compile(_AD_PLACE + r"(?![a-z])", re.IGNORECASE)
#: An id or class attribute that may name one: the page-wide test before a parse.
_AD_NAME_ATTR = re.compile(r"(?:id|class)=[\"']?[^\"'>]{0,200}?" + _AD_PLACE, re.IGNORECASE)
#: A share bar's class ("share", "liveBlog_share", "share-buttons", "social-share"): its links
#: and buttons, in a live blog's every entry, made trafilatura drop the entries themselves.
_SHARE_BAR = re.compile(
    r"(?<![a-z])(?<!market-)(?<!market_)(?:social-?)?(?:share|sharing)"
    r"(?:-?(?:bar|buttons?|tools?|links?|icons?))?(?![a-z])(?!-?(?:price|holder))",
    re.IGNORECASE,
)
#: A share bar holding more words than this is not removed (the class was put on content).
SHARE_BAR_MAX_WORDS = 8
#: A sign-up box's class ("newsletter-inline", "NewsletterSignupInline", Ghost's
#: "kg-signup-card", "subscribe-form"; not "subscriber-only", a paywall's wrapper of the story):
#: trafilatura discards a class holding "newsletter" in lower case only, and kept the box's
#: title and blurb ("Get the Ledger Morning Brief", "Five stories you need to know, every
#: weekday morning.") as paragraphs on three pages of a held-out set.
_SIGNUP_BOX = re.compile(
    r"(?<![a-z])(?:newsletter|sign-?up|subscribe|subscription|opt-?in)(?-i:(?![a-z]))",
    re.IGNORECASE,
)
#: Class words a CMS puts on a post for its category or tags ("category-newsletter"): the post's
#: wrapper, not a box.
_TAXONOMY = ("category-", "tag-", "post-", "tax-", "topic-")
#: The box's class names a newsletter or a subscription: a field or a button is enough. Only
#: "sign-up" or "opt-in" asks for an e-mail field.
_NEWSLETTER = re.compile(r"newsletter|subscri", re.IGNORECASE)
#: A sign-up box holding more words than this is not removed (the class was put on content).
SIGNUP_BOX_MAX_WORDS = 40
#: A class attribute that may name an ad box, a share bar or a sign-up box: the page-wide test
#: before a parse.
_BOX_CLASS = re.compile(
    r"class=[\"']?[^\"'>]{0,200}?(?<![a-z])(?:advert|ad-?slot|ad-?unit|ad-?box|share|sharing"
    r"|newsletter|sign-?up|subscri|opt-?in)",
    re.IGNORECASE,
)
#: An ad slot holding more words than this is not removed (its marker was put on content).
AD_SLOT_MAX_WORDS = 12
_ANY = re.compile(
    "|".join(sorted(re.escape(c) for c in (*EMBED_CLASSES, *AD_SLOT_CLASSES, *AD_SLOT_ID_PREFIXES)))
)


#: An AMP page's embeds and ads: the element holds the post's text as its placeholder or
#: fallback ("At Masese landing site today …" in an ``amp-iframe`` of a post), which trafilatura
#: keeps as a paragraph; pictures (``amp-img``) and a gist's code are not among them.
AMP_EMBEDS = (
    "amp-iframe",
    "amp-twitter",
    "amp-instagram",
    "amp-facebook",
    "amp-facebook-post",
    "amp-facebook-comments",
    "amp-reddit",
    "amp-tiktok",
    "amp-pinterest",
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "amp-social-share",
    "amp-youtube",
    "amp-vimeo",
    "amp-soundcloud",
    "amp-video-iframe",
)
#: A box whose class names a product's or an offer's card ("product-card", "offer_box",
#: "affiliate-widget"): with a sponsored link in it, an affiliate's pitch set in the text.
_PRODUCT_CARD = re.compile(
    r"(?:product|offer|deal|affiliate)[-_]{0,2}(?:card|box|widget|block|module)"
    r"|(?<![a-z])affiliate(?![a-z])",
    re.IGNORECASE,
)
#: A link marked as paid for (``rel="sponsored"``): the page-wide test before a parse.
_SPONSORED_LINK = re.compile(r"rel=[\"']?[^\"'>]{0,80}?sponsored", re.IGNORECASE)
#: A product's card holding more words than this is not removed (the class was put on content).
PRODUCT_CARD_MAX_WORDS = 60


def may_hold_embeds(html: str) -> bool:
    """Whether an embed code's class, an ad slot's marker, a class naming an ad box, a share
    bar or a sign-up box, or a sponsored link appears anywhere in the page (four searches)."""
    return bool(
        _ANY.search(html)
        or _BOX_CLASS.search(html)
        or _AD_NAME_ATTR.search(html)
        or _SPONSORED_LINK.search(html)
        or "<amp-" in html
    )


def _product_card(el: Any) -> bool:
    """An affiliate's product card: an element whose class names one, holding a sponsored link
    ("Open Account") and a few words (the product, its rate, the fine print). A story's own
    sentence with a sponsored link in it is no card and stays."""
    if not any(_PRODUCT_CARD.search(c) for c in (el.get("class") or "").split()):
        return False
    links = el.iter("a")
    if not any("sponsored" in (a.get("rel") or "").lower().split() for a in links):
        return False
    return _shown_words(el) <= PRODUCT_CARD_MAX_WORDS


def _shown_words(el: Any) -> int:
    """The words an element shows (its scripts' and styles' text left out)."""
    return sum(
        len((t or "").split())
        for node in el.iter()
        if node.tag not in ("script", "style")
        for t in (node.text, node.tail if node is not el else None)
    )


def _share_bar(el: Any) -> bool:
    """A share bar: an element whose class names one, holding links or buttons and a few
    words ("Copy link Share")."""
    if not any(_SHARE_BAR.search(c) for c in (el.get("class") or "").split()):
        return False
    if el.find(".//a") is None and el.find(".//button") is None:
        return False
    return _shown_words(el) <= SHARE_BAR_MAX_WORDS


def _signup_box(el: Any) -> bool:
    """A newsletter's sign-up box: an element whose class names one, holding a form control
    (a field or a button) and a few words."""
    named = [
        c
        for c in (el.get("class") or "").split()
        if _SIGNUP_BOX.search(c) and not c.lower().startswith(_TAXONOMY)
    ]
    if not named:
        return False
    if any(_NEWSLETTER.search(c) for c in named):
        if next(el.iter("form", "input", "button"), None) is None:
            return False
    elif not any(_email_field(field) for field in el.iter("input")):
        return False  # "event-signup", "opt-in-poll": a sign-up for something else
    return _shown_words(el) <= SIGNUP_BOX_MAX_WORDS


def _email_field(field: Any) -> bool:
    kind = (field.get("type") or "").lower()
    hints = f"{field.get('name') or ''} {field.get('placeholder') or ''}".lower()
    return kind == "email" or "mail" in hints


def _ad_slot(el: Any) -> bool:
    classes = (el.get("class") or "").split()
    marked = (
        AD_SLOT_CLASSES.intersection(classes)
        or (el.get("id") or "").startswith(AD_SLOT_ID_PREFIXES)
        or any(_AD_BOX.search(c) or _AD_NAME.match(c) for c in classes)
        or bool(_AD_NAME.match(el.get("id") or ""))
    )
    if not marked:
        return False
    return _shown_words(el) <= AD_SLOT_MAX_WORDS


def drop_in_tree(tree: Any) -> bool:
    """Remove the embedded posts, ad slots, share bars and sign-up boxes of a parsed page (their
    tail text stays); whether there were any."""
    posts: dict[Any, None] = {}  # in page order, once: two slots may share one wrapper
    for el in tree.iter(*AMP_EMBEDS):
        posts[el] = None  # an AMP page's embed, with the placeholder and fallback it holds
    for el in tree.iter("blockquote", "div", "ins", "ul", "section", "aside", "form"):
        if _ad_slot(el):
            posts[_ad_wrapper(el)] = None
        elif (
            EMBED_CLASSES.intersection((el.get("class") or "").split())
            or _share_bar(el)
            or _signup_box(el)
            or _product_card(el)
        ):
            posts[el] = None
    return drop_outermost(list(posts))


#: An ad's wrapper is a few levels and a few children at most: the climb stops there, so a page
#: of thousands of ad boxes costs a few looks each.
WRAPPER_DEPTH, WRAPPER_CHILDREN = 6, 4
#: The wrappers an ad's box may stand in: an old layout's floated table and its cell.
_WRAPPERS = ("div", "td", "tr", "tbody", "table", "center", "span", "p", "aside")


def _ad_wrapper(slot: Any) -> Any:
    """The outermost wrapper that holds nothing but the ad's box (a floated ``<table
    align=right><tr><td>`` around it): left behind empty, it still cut the run of text it stood
    in, and trafilatura dropped the text after it."""
    words = _shown_words(slot)
    node = slot
    for _ in range(WRAPPER_DEPTH):
        parent = node.getparent()
        if parent is None or parent.tag not in _WRAPPERS or (parent.text or "").strip():
            return node
        if len(parent) > WRAPPER_CHILDREN:
            return node  # a column of many boxes is no ad's wrapper (and is not counted)
        others = [child for child in parent if child is not node]
        if any(_shown_words(c) or (c.tail or "").strip() for c in others):
            return node
        if (node.tail or "").strip() or _shown_words(parent) != words:
            return node
        node = parent
    return node


#: A class word with "embed" in it: trafilatura discards the element as a share widget.
_EMBED_WORD = re.compile(r"embed", re.IGNORECASE)
#: A data table set in an embed's wrapper, right inside it or under the table's title
#: (Tribune's ``div.trb_embed_table`` > ``h4`` + ``table``): the page-wide test before a parse.
_EMBEDDED_TABLE = re.compile(
    r"class=[\"']?[^\"'>]{0,200}?embed[^>]{0,300}>(?:[^<]|<(?!/?(?:div|table)\b)){0,600}?"
    r"<table\b",
    re.IGNORECASE,
)


def may_hold_embedded_tables(html: str) -> bool:
    """Whether a table may stand right inside an element whose class names an embed."""
    return bool(_EMBEDDED_TABLE.search(html))


def tables_in_tree(tree: Any) -> bool:
    """Take the "embed" words off the class of a wrapper that holds a data table and no
    embedded frame, video or post; whether there were any.

    Why: a newspaper CMS sets an article's own table in an embed's wrapper (TownNews BLOX's
    ``div.tnt-table-embed``, "embed-responsive"), and trafilatura discards any element whose
    class says "embed" as a share widget: an election's results table, the story's content,
    was lost (recall .79). A wrapper that holds an iframe, a video or a platform's post is an
    embed, and is left alone."""
    changed = False
    for el in tree.iter("div", "figure", "section"):
        classes = (el.get("class") or "").split()
        if not any(_EMBED_WORD.search(c) for c in classes):
            continue
        if el.find(".//table") is None or len(el.xpath(".//table//tr")) < 2:
            continue
        if el.xpath(".//iframe|.//video|.//object|.//blockquote|.//script"):
            continue
        el.set("class", " ".join(c for c in classes if not _EMBED_WORD.search(c)))
        changed = True
    return changed


def drop_social_embeds(html: str) -> str:
    """The page without its embedded posts; the page itself when it has none (or cannot be
    parsed), so a page without one costs one regular-expression search."""
    return edited(html, drop_in_tree) if may_hold_embeds(html) else html
