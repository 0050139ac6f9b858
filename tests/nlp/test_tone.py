"""Tone: the lexicon from the vaderSentiment wheel, negation and boosters, article and mention."""

from __future__ import annotations

from storyline.article import Article, Mention, Span
from storyline.nlp.tone import ToneStage, article_tone, load_lexicon, sentence_score


def test_lexicon_comes_from_the_wheel() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) > 7000
    assert lexicon["killed"] < 0 < lexicon["welcome"]
    assert "like" not in lexicon  # a preposition in news, not a feeling


def test_negation_and_boosters() -> None:
    good, rated = sentence_score("The talks were successful.")
    assert good > 0 and rated == 1
    assert sentence_score("The talks were not successful.")[0] < 0
    assert sentence_score("The talks were very successful.")[0] > good
    assert sentence_score("Troops withdrew from the province.") == (0.0, 0)


def test_article_and_mention_tone() -> None:
    text = "Gunmen killed seven guards in a deadly attack. Officials welcomed the new agreement."
    first = text.index(".") + 1
    sentences = [Span(0, first), Span(first + 1, len(text))]
    article = Article(
        "t", text=text, sentences=sentences,
        mentions=[Mention("Officials", "NORP", first + 1, first + 10, sentence=1)],
    )  # fmt: skip
    ToneStage().process(article)
    overall, scores = article_tone(text, sentences)
    assert scores[0] < -0.5 and scores[1] > 0.3
    assert article.tone == overall and article.tone is not None
    assert article.mentions[0].tone == scores[1]
