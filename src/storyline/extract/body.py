"""The extract stage: body text and first metadata out of whatever format came in.

HTML (a file, or an ``html`` field of a JSON record) goes through trafilatura; plain text and
Markdown pass through to the cleaner as decoded; JSON records use the field mapping in `record`.

trafilatura runs in precision mode (`storyline.extract.html`), which sometimes keeps only a
reprint notice or a date line while its default mode finds the article: when the precision text
is short (`SHORT_WORDS`) and the default mode's is far longer (`prefer_default`), the default
text is used (``extras["text_mode"] = "default"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from storyline.article import Article
from storyline.errors import Skip
from storyline.extract import (
    br_paragraphs,
    captions,
    embeds,
    empty_marks,
    layout_tables,
    link_lists,
    page_builders,
    pull_quotes,
    split_body,
    standfirsts,
    subheads,
    summary_boxes,
    table_titles,
)
from storyline.extract.encoding import to_clean_unicode
from storyline.extract.html import extract_html, protect_joiners, restore_joiners
from storyline.extract.page_tree import Edit, edited
from storyline.extract.record import pick
from storyline.extract.rules import canon
from storyline.pipeline import Stage

#: A precision-mode text shorter than this many words is checked against the default mode. 300
#: (80 until 2026-12-05): precision mode also drops the second half of an article split around a
#: newsletter box or an expanded "Continue reading" (178 words kept of 485 on a held-out page),
#: and the check costs about 1.5 ms a page (46 test pages: 0.48 s against 0.55 s).
SHORT_WORDS = 300
#: The default mode's text replaces it when it has at least this many times the words...
LONGER_FACTOR = 2.0
#: ...and at least this many more: a line or two of difference is not a lost article.
MORE_WORDS = 40


def prefer_default(precision_text: str, default_text: str) -> bool:
    """Whether the default mode's text should replace a short precision-mode text: the precision
    text is short and the default one is far longer (both by factor and by words)."""
    short = len(precision_text.split())
    if short >= SHORT_WORDS:
        return False
    longer = len(default_text.split())
    return longer >= LONGER_FACTOR * short and longer - short >= MORE_WORDS


#: The page's <title> element, and the separators sites join its parts with.
_TITLE_ELEMENT = re.compile(r"<title[^<>]{0,200}>([^<]{1,600})</title>", re.IGNORECASE)
_TITLE_PARTS = re.compile(r" (?:[-|–—·»:]|::) ")  # on the title with its spaces normalised


def headline_in_title(
    html: str, text: str, title: str | None, sitename: str | None = None
) -> str | None:
    """The part of the page's ``<title>`` that the body repeats as its headline, when trafilatura
    took a shorter part of the same ``<title>``.

    Why: a page without ``og:title`` or a single ``<h1>`` gets its title from the ``<title>``
    element, which trafilatura splits at separators and whose first part it keeps: "Shore
    Authority - News Release - Beach Works to Begin March 2" gave "Shore Authority - News
    Release", and "Jordan counts every drop: 'We are the driest country'" was cut at its colon.
    The body's first lines settle which part is the article's: the longest one they repeat. A
    title trafilatura found elsewhere (``og:title``, the ``<h1>``), one the body prints itself, the
    site's name and a part shorter than the chosen title (a kicker, a section) are never taken.
    """
    found = _TITLE_ELEMENT.search(html[:200_000])
    if not found or not title:
        return None
    whole = " ".join(unescape(found.group(1)).split())
    parts = [p for p in _TITLE_PARTS.split(whole) if p]
    chosen = canon(title)
    if chosen not in canon(whole):
        return None  # the title came from elsewhere in the page
    head = {canon(line) for line in text.splitlines()[:12] if line.strip()}
    if chosen in head:
        return None  # the body prints the chosen title: it stands
    site = canon(sitename or "").removeprefix("the")
    repeated = [
        p
        for p in parts
        if canon(p) in head
        and canon(p) != chosen
        and canon(p).removeprefix("the") != site
        and len(p.split()) >= max(4, len(title.split()) + 1)
    ]
    return max(repeated, key=lambda p: len(p.split()), default=None)


#: The passes of the extractor's copy, in order: a name, the cheap question each first asks of the
#: HTML string, and its edit of the parsed page for the page's URL (`extractor_copy`;
#: ``benchmarks/extract_copy.py`` reports each question's count from this same table).
COPY_PASSES: tuple[tuple[str, Callable[[str], bool], Callable[[str | None], Edit]], ...] = (
    (
        "page builders' text widgets",
        page_builders.may_hold_text_widgets,
        lambda url: page_builders.text_widgets_in_tree,
    ),
    ("embeds, ad slots, share bars", embeds.may_hold_embeds, lambda url: embeds.drop_in_tree),
    (
        "tables in embed wrappers",
        embeds.may_hold_embedded_tables,
        lambda url: embeds.tables_in_tree,
    ),
    (
        "layout tables",
        layout_tables.may_hold_layout_tables,
        lambda url: layout_tables.unwrap_in_tree,
    ),
    (
        "source lists",
        link_lists.may_hold_source_lists,
        lambda url: lambda tree: link_lists.keep_in_tree(tree, url),
    ),
    ("contents lists", link_lists.may_hold_contents, lambda url: link_lists.contents_in_tree),
    (
        "related tables",
        link_lists.may_hold_related_tables,
        lambda url: link_lists.related_tables_in_tree,
    ),
    ("prose lists", link_lists.may_hold_prose_lists, lambda url: link_lists.prose_lists_in_tree),
    ("split body (K2)", split_body.may_hold_split_body, lambda url: split_body.join_in_tree),
    ("live blog", split_body.may_be_live_blog, lambda url: split_body.entries_in_tree),
    ("summary boxes", summary_boxes.may_hold_summary_box, lambda url: summary_boxes.drop_in_tree),
    ("pull quotes", pull_quotes.may_hold_pull_quotes, lambda url: pull_quotes.drop_in_tree),
    ("table titles", table_titles.may_hold_table_titles, lambda url: table_titles.keep_in_tree),
    (
        "code figures",
        table_titles.may_hold_code_figures,
        lambda url: table_titles.code_figures_in_tree,
    ),
    ("classed captions", captions.may_hold_captions, lambda url: captions.drop_in_tree),
    ("standfirsts", standfirsts.may_hold_standfirst, lambda url: standfirsts.drop_in_tree),
    (
        "double-break paragraphs",
        br_paragraphs.may_hold_br_paragraphs,
        lambda url: br_paragraphs.paragraphs_in_tree,
    ),
    (
        "empty inline elements",
        empty_marks.may_hold_empty_marks,
        lambda url: empty_marks.drop_in_tree,
    ),
)


def extractor_copy(html: str, url: str | None) -> str:
    """The page trafilatura reads: embedded posts out, tables in embed wrappers kept, layout
    cells as blocks, an article's lists of sources as text, an intro joined to its full text, a
    live blog's entries as blocks, summary boxes, classed captions and the standfirst out, text
    between double breaks as paragraphs (`COPY_PASSES`); one parse for the passes a page needs,
    none for a page that needs none. Each pass first asks the HTML a cheap question, though
    real pages, with share bars, double breaks and a description (the standfirst pass's
    question), nearly all need one. The article keeps the page as it came."""
    return edited(html, *(edit(url) for _, asks, edit in COPY_PASSES if asks(html)))


def default_mode_text(html: str, url: str | None) -> str:
    """The page's main text with trafilatura's default settings (neither precision nor recall),
    tables kept and comments left out as in precision mode."""
    import trafilatura
    from trafilatura.settings import Extractor

    options = Extractor(output_format="python", comments=False, tables=True, url=url)
    page, protected = protect_joiners(html)
    try:
        doc: Any = trafilatura.bare_extraction(page, options=options)
    except Exception:  # the precision result stands when the retry fails
        return ""
    if doc is None:
        return ""
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = str(data.get("text") or "")
    return restore_joiners(text) if protected else text


#: A dateline's bold place cut from its paragraph: the extractor reads a block's text that
#: opens with ``<b>ALBA</b> – Le prime …`` (no paragraph around it) as two lines, the place and
#: then the rest with its leading space. A list's item opens with "- " and no space before it.
_SPLIT_DATELINE = re.compile(
    r"(?m)^([A-ZÀ-Þ][A-ZÀ-Þ'’.]{1,20}(?: [A-ZÀ-Þ][A-ZÀ-Þ'’.]{1,20}){0,2})\n[ \t]+([–—] )"
)


class ExtractStage(Stage):
    name = "extract"
    version = "23"
    reads = ("decoded", "raw_format", "fields")
    # The publication date is left to the date stage, which reads only the page's metadata:
    # trafilatura's date may come from any date printed in the body.
    adds = ("html", "title", "url", "outlet", "byline", "language")

    def process(self, article: Article) -> None:
        if article.raw_format == "json":
            self._from_record(article)
        elif article.raw_format == "html":
            self._from_html(article, article.decoded, url=None)
        # txt / md: the cleaner works on article.decoded directly.

    def _from_record(self, article: Article) -> None:
        fields = article.fields
        for name, attr in (
            ("title", "title"),
            ("url", "url"),
            ("outlet", "outlet"),
            ("author", "byline"),
        ):
            value = pick(fields, name)
            if value is not None:
                setattr(article, attr, to_clean_unicode(str(value)).strip())
                article.provenance[attr] = "record"
        language = pick(fields, "language")
        if language:
            article.language = str(language).lower()[:8]
            article.provenance["language"] = "record"
        html = pick(fields, "html")
        text = pick(fields, "text")
        if html and not text:
            self._from_html(article, to_clean_unicode(str(html)), url=article.url)
        elif text:
            article.decoded = to_clean_unicode(str(text))
        else:
            raise Skip("record has no text or html field")

    def _from_html(self, article: Article, html: str, url: str | None) -> None:
        article.html = html
        page = extractor_copy(html, url)
        result = extract_html(page, url)
        text = result.text
        if len(text.split()) < SHORT_WORDS:
            fuller = default_mode_text(page, url)
            if prefer_default(text, fuller):
                text = fuller
                article.extras["text_mode"] = "default"
        text = subheads.with_subheads(page, text)
        text = _SPLIT_DATELINE.sub(r"\1 \2", text)
        if not text.strip():
            raise Skip("no article text found in the HTML")
        article.text = to_clean_unicode(text)
        title = headline_in_title(html, article.text, result.title, result.sitename)
        title = title or result.title
        for attr, value in (
            ("title", title),
            ("byline", result.author),
            ("url", result.url),
            ("outlet", result.sitename),
        ):
            if value and not getattr(article, attr):
                setattr(article, attr, to_clean_unicode(value).strip())
                article.provenance[attr] = "html-meta"
        if result.url:
            article.canonical_url = result.url
