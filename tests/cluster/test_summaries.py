"""Extractive summaries: every sentence is verbatim from the article it cites, copies are left
out, the title is an original article's headline. Inputs are the sample corpus's own texts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from storyline.article import Article, Span
from storyline.cluster.summaries import (
    candidate_sentences,
    centrality,
    story_title,
    storyline_summary,
    summarise,
)

SAMPLE = Path(str(resources.files("storyline").joinpath("data", "sample")))


def _article(name: str, ident: str, date: str) -> Article:
    """A sample file as a cleaned article: first line the headline, the rest the text."""
    raw = (SAMPLE / name).read_text(encoding="utf-8").strip().split("\n", 1)
    title, text = raw[0].strip(), raw[1].strip() if len(raw) > 1 else ""
    return Article(source=name, id=ident, title=title, text=text, published=date)


def _story() -> list[Article]:
    return [
        _article("caspian-wire-review_helmand-water-flows.txt", "wire", "2024-09-25"),
        _article("kabul-ledger_nimroz-farmers-anger.txt", "farmers", "2024-09-26"),
        _article("caspian-wire-review_kajaki-visit.txt", "kajaki", "2024-05-14"),
    ]


def test_every_sentence_is_verbatim_and_cites_its_article() -> None:
    articles = {a.id: a for a in _story()}
    summary = summarise(list(articles.values()), max_sentences=4)
    assert 1 < len(summary) <= 4
    for s in summary:
        assert articles[s.article_id].text[s.start : s.end] == s.text
        assert s.text.rstrip("”\"'’)").endswith((".", "!", "?", "…"))
    dates = [articles[s.article_id].published for s in summary]
    assert dates == sorted(dates)  # shown in time order


def test_copies_are_not_summarised_and_repeats_are_skipped() -> None:
    story = _story()
    reprint = Article(
        source="copy",
        id="reprint",
        title=story[0].title,
        text=story[0].text,
        published="2024-09-25",
    )
    summary = summarise([*story, reprint], copies={"reprint"}, max_sentences=5)
    assert "reprint" not in {s.article_id for s in summary}
    texts = [s.text for s in summary]
    assert len(texts) == len(set(texts))


def test_sentence_spans_from_the_entity_stage_are_used() -> None:
    article = _story()[1]
    first = candidate_sentences(article)[0]
    article.sentences = [Span(first[1], first[2])]
    assert candidate_sentences(article) == [(0, first[1], first[2])]


def test_title_is_the_headline_of_a_central_original_article() -> None:
    story = _story()
    title = story_title(story)
    assert title in {a.title for a in story}
    assert story_title(story, copies={a.id for a in story if a.title == title}) != title
    scores = centrality(story)
    assert set(scores) == {a.id for a in story}


def test_storyline_summary_takes_one_lead_per_main_story_in_time_order() -> None:
    rows = []
    for i, article in enumerate(_story()):
        sentences = [s.as_dict() for s in summarise([article])]
        rows.append(
            {
                "id": f"st_{i}",
                "first_seen": article.published,
                "n_articles": 3 - i,
                "summary": sentences,
            }
        )
    out = storyline_summary(rows, max_sentences=2)
    assert [x["story_id"] for x in out] == ["st_0", "st_1"]  # the two largest, by date
    assert all(x["article_id"] in {"wire", "farmers"} for x in out)


def test_vectorise_weighs_like_scikit_learn() -> None:
    """The hand-written TF-IDF must give scikit-learn's numbers, on real texts and edge cases."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storyline.cluster.summaries import _vectorise

    texts = [p.read_text(encoding="utf-8")[:4000] for p in sorted(SAMPLE.glob("*.txt"))[:25]]
    texts += ["The the and of", "Straße café naïve 2021 a1 b", "x"]
    expected = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    got = _vectorise(texts)
    assert got is not None and got.shape == expected.shape
    assert np.allclose(got, expected.toarray(), atol=1e-12)
    assert _vectorise(["the and of", ""]) is None
