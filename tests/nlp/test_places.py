"""Places: the gazetteer, homonyms by population and context, the seeds, the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.article import Article, Mention
from storyline.nlp.places import PlaceStage, fold, load_gazetteer, resolve

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def enrich():  # type: ignore[no-untyped-def]
    from storyline.nlp.entities import EntityStage

    entities, places = EntityStage(), PlaceStage()
    entities.setup()
    places.setup()

    def run(text: str, dateline: str | None = None) -> Article:
        article = Article("test", text=text, dateline=dateline)
        entities.process_batch([article])
        places.process(article)
        assert article.ok, article.failed
        return article

    return run


def countries(article: Article) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in article.extras["places"]:
        out.setdefault(p["name"], set()).add(p["country"])
    return out


def test_fold_is_the_index_key() -> None:
    assert fold("  Tehrān ") == "tehran" and fold("Da’ish") == "da'ish"


def test_gazetteer_has_alternate_names_and_press_spellings() -> None:
    gaz = load_gazetteer()
    assert {gaz.country[e] for e, _ in gaz.candidates("Kerman")} >= {"IR", "US"}
    assert [gaz.names[e] for e, _ in gaz.candidates("U.S.")] == ["United States"]
    # An alternate name of a city reaches it, marked as not its main name.
    assert any(gaz.names[e] == "Kabul" and main for e, main in gaz.candidates("Kabul"))
    assert any(gaz.names[e] == "Tehran" for e, _ in gaz.candidates("Teheran"))
    assert gaz.candidates("Middle East") == []  # regions are not villages


def article_with(text: str, *names: tuple[str, str]) -> Article:
    mentions = []
    for name, label in names:
        start = text.index(name)
        mentions.append(Mention(name, label, start, start + len(name), sentence=0))
    return Article("t", text=text, mentions=mentions)


def test_homonym_by_population_and_by_context() -> None:
    gaz = load_gazetteer()
    # Alone, the bigger place wins; "Kerman" is the Iranian city of half a million.
    alone = resolve(article_with("A blast in Kerman.", ("Kerman", "GPE")), gaz)
    assert (alone[0].country, alone[0].kind, alone[0].alternatives) == ("IR", "city", 1)
    # "Hyderabad" is bigger in India; an article about Pakistan's Sindh picks Pakistan's.
    text = "Pakistan said Karachi and Hyderabad were flooded."
    placed = resolve(article_with(text, ("Pakistan", "GPE"), ("Karachi", "GPE"),
                                  ("Hyderabad", "GPE")), gaz)  # fmt: skip
    assert [p.country for p in placed] == ["PK", "PK", "PK"]
    india = resolve(article_with("India said Hyderabad was flooded.", ("India", "GPE"),
                                 ("Hyderabad", "GPE")), gaz)  # fmt: skip
    assert india[-1].country == "IN"


def test_a_surname_tagged_as_a_place_is_not_resolved() -> None:
    text = "Ebrahim Raisi spoke. Raisi said no."
    a = article_with(text, ("Ebrahim Raisi", "PERSON"))
    start = text.index("Raisi said")
    a.mentions.append(Mention("Raisi", "GPE", start, start + 5, sentence=1))
    assert resolve(a) == []


def test_seeds_resolve_to_the_right_countries(enrich) -> None:  # type: ignore[no-untyped-def]
    if not SEEDS.exists():
        pytest.skip(f"seed articles not found at {SEEDS}")
    got: dict[str, set[str]] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for name, found in countries(enrich(path.read_text("utf-8"))).items():
            got.setdefault(name, set()).update(found)
    assert got["Kerman"] == {"IR"}
    assert got["Tehran"] == {"IR"} and got["Kabul"] == {"AF"} and got["Islamabad"] == {"PK"}
    assert got["Antalya"] == {"TR"}  # inside "Antalya Diplomacy Forum"
    assert got["U.S."] == {"US"} and got["Washington"] == {"US"}


def test_dateline_is_resolved(enrich) -> None:  # type: ignore[no-untyped-def]
    article = enrich("Talks on the river began on Monday.", dateline="KABUL")
    (place,) = [p for p in article.extras["places"] if p["rule"] == "dateline"]
    assert (place["canonical"], place["country"], place["start"]) == ("Kabul", "AF", -1)
    assert 34 < place["lat"] < 35 and 69 < place["lon"] < 70


def test_places_are_stored(enrich, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from storyline.store import Store
    from storyline.store.quotes import query_places

    article = enrich("Officials in Zahedan and Tehran met envoys from Islamabad.")
    article.id, article.content_hash = "p1", "h"
    with Store(tmp_path / "s.db") as store:
        store.write_batch([("k", article)])
        rows = query_places(store.conn, country="IR")
    assert {r["canonical"] for r in rows} == {"Zahedan", "Tehran"}
