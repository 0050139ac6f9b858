"""Head-of-text rules added for metadata: crumbs in other languages, "File photo" captions and
the zero-width non-joiner that Persian spelling needs. Examples are our own."""

from __future__ import annotations

import pytest

from storyline.extract import rules as r
from storyline.extract.clean import clean_text

HEADLINE = "Flood waters recede from villages along the Kabul river"
LEAD = (
    "Flood waters began to recede on Tuesday from dozens of villages along the Kabul river, "
    "officials said, as families returned to clear mud from their homes and fields."
)


@pytest.mark.parametrize(
    "crumb",
    [
        "Accueil / International / ",
        "Startseite > Welt > ",
        "Inicio / Mundo / ",
        "خانه / بین‌الملل / ",
        "صفحه اصلی > جهان > ",
        "ہوم / دنیا / ",
        "Главная / Мир / ",
    ],
)
def test_breadcrumb_in_other_languages_gives_the_headline(crumb: str) -> None:
    cleaned = clean_text(f"{crumb}{HEADLINE}\n\n{LEAD}\n")
    assert cleaned.title == HEADLINE
    assert cleaned.title_source == "breadcrumb"
    assert [x.reason for x in cleaned.removed] == ["breadcrumb"]
    assert cleaned.text.strip() == LEAD


def test_a_slash_in_a_headline_is_not_a_crumb_trail() -> None:
    assert r.breadcrumb_segments("Iran / Pakistan talks resume after a year") is None


@pytest.mark.parametrize(
    "caption",
    [
        "Boys wade through a flooded street in Jalalabad. File photo",
        "A ferry crosses the river at Torkham. File picture.",
        "Workers repair the canal near Zaranj. Archive photo",
    ],
)
def test_caption_ending_in_file_photo_is_not_the_title(caption: str) -> None:
    cleaned = clean_text(f"{caption}\n\n{HEADLINE}\n\n{LEAD}\n")
    assert cleaned.title == HEADLINE
    assert any(x.reason == "caption" and x.text == caption for x in cleaned.removed)


def test_a_headline_about_a_file_photo_stays_a_headline() -> None:
    headline = "Why the file photo of the Salang tunnel went viral"
    cleaned = clean_text(f"{headline}\n\n{LEAD}\n")
    assert cleaned.title == headline


def test_zero_width_non_joiner_is_kept() -> None:
    word = "دریچه\u200cهای"  # "gates": the non-joiner is part of the spelling
    assert r.normalise_line(f"  {word}\u200b سد ") == f"{word} سد"
    cleaned = clean_text(f"{HEADLINE}\n\nآب از {word} سد کمال\u200cخان روان شد و به زابل رسید.\n")
    assert word in cleaned.text and "کمال\u200cخان" in cleaned.text
