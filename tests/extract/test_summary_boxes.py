"""A summary box named by its template's class leaves the extractor's copy of a page.

The page is small and written for these tests (a fictional health site's explainer).
"""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.summary_boxes import without_summary_boxes

POINTS = [
    "Norovirus causes sudden vomiting that usually lasts one to three days.",
    "Soap and water work better than hand gel against it.",
]
BODY = [
    "Norovirus is the most common cause of sudden stomach illness, and it spreads with "
    "remarkable ease through schools, care homes and cruise ships every winter.",
    "Here is what to know about the virus, how to avoid it and how to look after your family "
    "if it reaches your home during the coming months.",
]


def _page(box_class: str, points: list[str] = POINTS) -> str:
    items = "".join(f"<li>{p}</li>" for p in points)
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        "<html><head><title>What to know about norovirus</title></head><body><article>"
        f'<h1>What to know about norovirus</h1><div class="{box_class}">'
        f'<div class="field__label">Key takeaways</div><div class="field__item"><ul>{items}'
        f'</ul></div></div><div class="field--name-body">{body}</div></article></body></html>'
    )


def _text(html: str) -> str:
    article = Article(source="norovirus.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_a_box_named_key_takeaways_goes_whole() -> None:
    text = _text(_page("field field--name-field-key-takeaways key-takeaways"))
    assert all(p in text for p in BODY)
    assert not any(p in text for p in POINTS)


def test_other_lists_and_a_long_box_stay() -> None:
    plain = _page("field field--name-field-symptoms")
    assert without_summary_boxes(plain) is plain
    text = _text(plain)
    assert all(p in text for p in POINTS)
    long = [f"{p} " * 12 for p in POINTS]  # 150 words or more: the class was put on content
    text = _text(_page("key-points", long))
    assert POINTS[0] in text
