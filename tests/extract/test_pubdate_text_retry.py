"""The main text of an HTML page: the default-mode retry when precision mode keeps too little.

(Kept beside the publication-date tests because the same issue, 11, asked for both; the code is
`storyline.extract.body`.)
"""

from __future__ import annotations

import pytest

from storyline.article import Article
from storyline.extract import body
from storyline.extract.body import ExtractStage, default_mode_text, prefer_default
from storyline.extract.html import HtmlResult

SENTENCES = [
    "The water board opened the sluice gates on Tuesday after a week of talks with farmers "
    "downstream of the dam.",
    "Engineers said the reservoir was at its highest level in a decade and could not safely "
    "hold any more water.",
    "Farmers in the lower valley said the release came too late for the spring planting season "
    "this year.",
    "The board promised a second release next month if the rains continue in the hills above "
    "the town.",
    "Local officials asked residents near the river banks to keep away from the water for three "
    "days.",
]
NOTICE = "Reprinted with permission from the Valley Courier."
PAGE = (
    "<html><head><title>Gates open</title></head><body><article><h1>Gates open</h1>"
    f"<p>{NOTICE}</p>" + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</article></body></html>"
)
ARTICLE = "\n".join(SENTENCES)


@pytest.mark.parametrize(
    ("precision", "default", "expected"),
    [
        (NOTICE, NOTICE + "\n" + ARTICLE, True),  # only the reprint notice kept
        ("5 March 2024", "5 March 2024\n" + ARTICLE, True),  # only the date line kept
        ("", ARTICLE, True),
        (ARTICLE, ARTICLE + "\nShare this article", False),  # same article, a line longer
        (NOTICE, NOTICE + " Read more.", False),  # both short: nothing was lost
        # half an article split around a newsletter box (~180 words of ~450) is short
        (" ".join([ARTICLE] * 2), " ".join([ARTICLE] * 5), True),
        (" ".join([ARTICLE] * 4), " ".join([ARTICLE] * 10), False),  # precision text not short
    ],
)
def test_prefer_default(precision: str, default: str, expected: bool) -> None:
    assert prefer_default(precision, default) is expected


def test_default_mode_text_reads_the_page() -> None:
    text = default_mode_text(PAGE, None)
    assert all(s in text for s in SENTENCES)
    assert default_mode_text("", None) == ""


def test_stage_retries_when_precision_keeps_only_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    # Precision mode's failure is emulated (it keeps only the notice); the default mode runs for
    # real on the page and its text is kept.
    def notice_only(html: str, url: str | None = None) -> HtmlResult:
        return HtmlResult(NOTICE, "Gates open", None, url, None, None, None, None)

    monkeypatch.setattr(body, "extract_html", notice_only)
    article = Article(source="page.html", raw_format="html", decoded=PAGE)
    ExtractStage().process(article)
    assert all(s in article.text for s in SENTENCES)
    assert article.extras["text_mode"] == "default"


def test_stage_keeps_a_full_precision_text() -> None:
    article = Article(source="page.html", raw_format="html", decoded=PAGE)
    ExtractStage().process(article)
    assert all(s in article.text for s in SENTENCES)
    assert "text_mode" not in article.extras


PERSIAN = (
    "<p>عملیات نصب سامانه هشدار آتش\u200cسوزی در بازار تاریخی تبریز از روز شنبه آغاز شد و "
    "به گفته مسئولان شهرداری حدود چهارصد حسگر دود در راسته\u200cهای بازار نصب می\u200cشود.</p>"
    "<p>کارشناسان می\u200cگویند سقف\u200cهای آجری و معابر باریک بازار دسترسی خودروهای "
    "آتش\u200cنشانی را دشوار می\u200cکند و شناسایی سریع آتش اهمیت زیادی دارد.</p>"
)


def test_persian_half_spaces_survive_extraction() -> None:
    """trafilatura drops every character that is not printable, and with it the zero-width
    non-joiner Persian writes inside words: "آتش‌سوزی" became "آتشسوزی", which neither a search
    for the word nor for its parts finds. Both extraction modes keep it."""
    from storyline.extract.body import default_mode_text
    from storyline.extract.html import extract_html, protect_joiners

    page = (
        '<html lang="fa"><head><title>بازار تبریز</title></head><body><article>'
        f"<h1>بازار تبریز</h1>{PERSIAN}</article></body></html>"
    )
    for text in (extract_html(page).text, default_mode_text(page, None)):
        assert "آتش\u200cسوزی" in text and "می\u200cشود" in text
        assert "آتشسوزی" not in text and "\u2e2c" not in text
    # a page that already uses the stand-in keeps trafilatura's own behaviour
    assert protect_joiners("a\u200cb \u2e2c") == ("a\u200cb \u2e2c", False)
