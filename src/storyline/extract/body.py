"""The extract stage: body text and first metadata out of whatever format came in.

HTML (a file, or an ``html`` field of a JSON record) goes through trafilatura; plain text and
Markdown pass through to the cleaner as decoded; JSON records use the field mapping in `record`.
"""

from __future__ import annotations

from storyline.article import Article
from storyline.errors import Skip
from storyline.extract.encoding import to_clean_unicode
from storyline.extract.html import extract_html
from storyline.extract.record import pick
from storyline.pipeline import Stage


class ExtractStage(Stage):
    name = "extract"
    version = "1"
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
        result = extract_html(html, url)
        if not result.text.strip():
            raise Skip("no article text found in the HTML")
        article.text = to_clean_unicode(result.text)
        for attr, value in (
            ("title", result.title),
            ("byline", result.author),
            ("url", result.url),
            ("outlet", result.sitename),
        ):
            if value and not getattr(article, attr):
                setattr(article, attr, to_clean_unicode(value).strip())
                article.provenance[attr] = "html-meta"
        if result.url:
            article.canonical_url = result.url
