"""Places: the gazetteer, homonyms by population and context, the seeds, the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.article import Article, Mention
from storyline.errors import InputError
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


# -- the on-disk cache ---------------------------------------------------------------------------
VARIED_NAMES = [
    "Kerman", "kerman", "KERMAN", "Tehrān", "Teheran", "the United States", "The Netherlands",
    "U.S.", "US", "USA", "Britain", "Middle East", "the Gulf", "São Paulo", "Sao Paulo", "München",
    "Munich", "Côte d'Ivoire", "Ivory Coast", "Washington", "Springfield", "San Jose", "Hyderabad",
    "Kabul", "Zahedan", "Quetta", "Xyzzyville", "", "a", "New York", "new  york city",
    "Saint Petersburg", "St. Petersburg", "Ho Chi Minh City", "Türkiye", "the Hague", "Kyiv",
    "Kiev", "N'Djamena", "N’Djamena", "Georgia", "Jordan", "Paris", "President", "the Congo",
]  # fmt: skip


@pytest.fixture(scope="module")
def fresh():  # type: ignore[no-untyped-def]
    """An in-memory build, as every process made before the cache."""
    from storyline.nlp.places import Gazetteer

    return Gazetteer()


@pytest.fixture(scope="module")
def cached(fresh, tmp_path_factory):  # type: ignore[no-untyped-def]
    from storyline.nlp.places_cache import cache_path, open_cache, write_cache

    path = cache_path(tmp_path_factory.mktemp("cache"))
    write_cache(fresh, path)
    gaz = open_cache(path)
    yield gaz
    gaz.close()


def same_lookups(a, b, names) -> None:  # type: ignore[no-untyped-def]
    fields = ("names", "country", "kind", "lat", "lon", "gid", "pop")
    for name in names:
        got, want = b.candidates(name), a.candidates(name)
        assert got == want, name
        for e, main in want:
            assert [getattr(b, f)[e] for f in fields] == [getattr(a, f)[e] for f in fields]
            assert b.score(e, main, None) == a.score(e, main, None)


def test_cache_answers_like_a_fresh_build(fresh, cached) -> None:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(7)
    keys = rng.sample(sorted(fresh.index), 3000)
    entry_names = [fresh.names[e] for e in rng.sample(range(len(fresh.names)), 500)]
    same_lookups(fresh, cached, VARIED_NAMES + keys + entry_names)
    assert cached.entries == len(fresh.names) and cached.name_count == len(fresh.index)
    assert [cached.names[e] for e, _ in cached.candidates("U.S.")] == ["United States"]


def test_cache_resolves_the_seeds_like_a_fresh_build(fresh, cached) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import asdict

    from storyline.nlp.entities import EntityStage

    if not SEEDS.exists():
        pytest.skip(f"seed articles not found at {SEEDS}")
    entities = EntityStage()
    entities.setup()
    articles = [Article(p.name, text=p.read_text("utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    articles.append(Article("d", text="Talks began.", dateline="QUETTA, Pakistan"))
    entities.process_batch(articles)
    total = 0
    for article in articles:
        want = [asdict(p) for p in resolve(article, fresh)]
        assert [asdict(p) for p in resolve(article, cached)] == want, article.id
        total += len(want)
    assert total > 50  # the seeds name plenty of places


def _build_counter(monkeypatch, fresh):  # type: ignore[no-untyped-def]
    """Count full builds; each hands back the module's build instead of redoing 6 s of work."""
    from storyline.nlp import place_gazetteer

    builds: list[int] = []

    def build():  # type: ignore[no-untyped-def]
        builds.append(1)
        return fresh

    monkeypatch.setattr(place_gazetteer, "Gazetteer", build)
    return builds


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other-index", "tampered"])
def test_a_damaged_cache_is_detected_and_rebuilt(
    damage: str,
    fresh,
    cached,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import shutil
    import sqlite3

    from storyline.nlp import places_cache

    path = places_cache.cache_path(tmp_path)
    shutil.copyfile(cached.path, path)
    data = path.read_bytes()
    if damage == "truncated":  # a partial copy
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00not sqlite\x00" * 500)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        if damage == "other-index":
            conn.execute("UPDATE meta SET value = 'something-else' WHERE key = 'fingerprint'")
        else:  # rows lost: the recorded counts no longer match
            conn.execute("DELETE FROM entry WHERE id > 1000")
        conn.commit()
        conn.close()
    with pytest.raises(InputError) as info:
        places_cache.open_cache(path)
    assert info.value.code == places_cache.CORRUPT and info.value.source == str(path)
    builds = _build_counter(monkeypatch, fresh)
    gaz = places_cache.load_cached(tmp_path)
    assert builds == [1] and isinstance(gaz, places_cache.CachedGazetteer)
    same_lookups(fresh, gaz, VARIED_NAMES)
    again = places_cache.load_cached(tmp_path)  # the rebuilt file is good: no second build
    assert builds == [1] and again.candidates("Kabul") == fresh.candidates("Kabul")
    for g in (gaz, again):
        g.close()


def test_damage_found_mid_run_falls_back_to_memory(
    fresh,
    cached,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import shutil

    from storyline.nlp import places_cache

    path = places_cache.cache_path(tmp_path)
    shutil.copyfile(cached.path, path)
    gaz = places_cache.open_cache(path)  # passes the opening checks
    with open(path, "r+b") as fh:  # then every page past the first is lost
        fh.seek(4096)
        fh.write(b"\x00" * (path.stat().st_size - 4096))
    builds = _build_counter(monkeypatch, fresh)
    same_lookups(fresh, gaz, VARIED_NAMES)
    assert builds == [1] and not path.exists()  # the damaged file is gone; next process rebuilds
    gaz.close()


def test_unwritable_cache_folder_falls_back_to_memory(fresh, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.nlp import places_cache

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    builds = _build_counter(monkeypatch, fresh)
    gaz = places_cache.load_cached(blocker / "places")
    assert builds == [1] and gaz is fresh


def test_cache_folder_follows_the_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from storyline.nlp import places_cache

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    assert places_cache.cache_dir() == tmp_path / "places"
    assert places_cache.cache_path().name == f"places-{places_cache.fingerprint()}.sqlite"
    monkeypatch.delenv("STORYLINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert places_cache.cache_dir() == tmp_path / "xdg" / "storyline" / "places"


@pytest.mark.slow
def test_two_processes_building_at_once_build_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from storyline.nlp import place_gazetteer, places_cache\n"
        "built = []\n"
        "init = place_gazetteer.Gazetteer.__init__\n"
        "def counted(self):\n"
        "    built.append(1)\n"
        "    init(self)\n"
        "place_gazetteer.Gazetteer.__init__ = counted\n"
        "gaz = places_cache.load_cached()\n"
        "hits = [(gaz.names[e], gaz.country[e]) for e, _ in gaz.candidates('Kerman')]\n"
        "print(len(built), type(gaz).__name__, sorted(hits))\n"
    )
    env = dict(__import__("os").environ, STORYLINE_CACHE_DIR=str(tmp_path))
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0].split(" ", 2) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(int(o[0]) for o in outs) == [0, 1]  # one built, the other waited and read
    assert {o[1] for o in outs} == {"CachedGazetteer"} and outs[0][2] == outs[1][2]
    assert "'IR'" in outs[0][2] and "'US'" in outs[0][2]
    assert [p.name for p in (tmp_path / "places").glob("*.tmp")] == []
