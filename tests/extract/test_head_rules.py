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


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Publié le 21 août 2024 à 05h30", "date_line"),
        ("jueves 2 de abril de 2020", "date_line"),
        ("Kabul, 14 March 2024", "date_line"),
        ("Quetta, 3 de mayo de 2024", "date_line"),
        ("Par Camille Rostami – publié le 21 août 2024 à 05h30", "byline"),
        ("Von Jorinde Mahl, 28. März 2019", "byline"),
        ("Por Ana Gil", "byline"),
    ],
)
def test_head_date_lines_and_bylines_in_other_languages_go(line: str, reason: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=HEADLINE)
    assert [x.reason for x in cleaned.removed] == [reason]
    assert cleaned.text.strip() == LEAD


@pytest.mark.parametrize(
    "line",
    [
        "Par exemple",  # a lower-case word after "par" is no name
        "Kabul, where the talks began in 2021, was calm.",  # a sentence with a date in it
        "Von Montag an gilt die neue Regel 2024",
        "Paris (AFP) - Talks resumed on 3 March 2024 between the two sides after a pause.",
    ],
)
def test_head_lines_that_merely_mention_a_date_stay(line: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=HEADLINE)
    assert line in cleaned.text


@pytest.mark.parametrize(
    "teaser",
    [
        "À lire aussi : En Iran, les coupures d'eau se multiplient",
        "Lee también: Los pasos fronterizos siguen cerrados",
        "Lesen Sie auch: Neue Grenzregeln in Torkham",
        "Leia também: Afegãos deixam o Paquistão",
        "Leggi anche: Nuove regole al confine",
        "Lees ook: Grensovergang weer open",
    ],
)
def test_teasers_in_other_languages_go(teaser: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{teaser}\n\n{LEAD.replace('Tuesday', 'Friday')}\n")
    assert "teaser" in [x.reason for x in cleaned.removed]
    assert teaser not in cleaned.text


@pytest.mark.parametrize(
    ("title", "line"),
    [
        (f"Afghanistan: {HEADLINE}", HEADLINE),
        (HEADLINE, f"Analysis – {HEADLINE}"),
    ],
)
def test_the_headline_repeated_with_or_without_a_kicker_goes(title: str, line: str) -> None:
    cleaned = clean_text(f"{line}\n\n{LEAD}\n", title=title)
    assert [x.reason for x in cleaned.removed] == ["repeated_headline"]


def test_a_short_line_is_not_the_headline_without_its_kicker() -> None:
    cleaned = clean_text(f"Floods\n\n{LEAD}\n", title="Pakistan: Floods")
    assert "repeated_headline" not in [x.reason for x in cleaned.removed]
