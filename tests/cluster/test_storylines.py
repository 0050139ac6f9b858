"""Storyline linking: stories of one thread join, unrelated or distant ones do not; the rebuild
depends only on the set of stories; a restored linker places like the live one."""

from __future__ import annotations

import random

import pytest

from storyline.article import Article, Mention
from storyline.cluster.storyline_linker import (
    StorylineLinker,
    StorylineSettings,
    StoryProfile,
    article_features,
    day_number,
)
from storyline.errors import StoreError

# Short reports in our own words: a water dispute over a river (three stories over months),
# a football final and a port strike. Mentions are set as the entity stage would set them.
DAM_1 = (
    "Officials from Iran and Afghanistan met in Kabul to discuss water flows on the Helmand "
    "river, as farmers in Sistan complained that the Kamal Khan dam held back their share."
)
DAM_2 = (
    "An Iranian technical team inspected the Kamal Khan dam on the Helmand river, checking "
    "water levels that Tehran says fall short of the 1973 treaty share for Sistan."
)
DAM_3 = (
    "Water from the Helmand river reached Sistan after Afghan authorities opened the gates of "
    "the Kamal Khan dam, easing a drought that had dried the Hamoun wetlands."
)
FOOTBALL = (
    "Lahore Qalandars won the league final in Karachi after a late goal from their captain, "
    "and thousands of supporters celebrated in the streets of Lahore until dawn."
)
PORT = (
    "Dock workers at Gwadar port went on strike over unpaid wages, halting cargo ships while "
    "the port authority promised to clear the arrears within a week."
)


def _article(ident: str, text: str, actors: list[str], places: list[str]) -> Article:
    mentions = [Mention(text=a, label="ORG", start=0, end=0, actor_id=a.lower()) for a in actors]
    mentions += [Mention(text=p, label="GPE", start=0, end=0, actor_id=p.lower()) for p in places]
    return Article(source=ident, id=ident, text=text, mentions=mentions)


def _profile(ident: str, text: str, day: str, actors: list[str], places: list[str]) -> StoryProfile:
    profile = StoryProfile("st_" + ident)
    profile.add_article(article_features(_article(ident, text, actors, places)), day_number(day))
    return profile


def _profiles() -> list[StoryProfile]:
    return [
        _profile("dam1", DAM_1, "2024-01-30", ["Taliban"], ["Iran", "Afghanistan", "Sistan"]),
        _profile("football", FOOTBALL, "2024-03-02", ["Lahore Qalandars"], ["Lahore", "Karachi"]),
        _profile("dam2", DAM_2, "2024-05-14", ["Taliban"], ["Iran", "Sistan", "Tehran"]),
        _profile("port", PORT, "2024-06-01", ["Gwadar Port Authority"], ["Gwadar"]),
        _profile("dam3", DAM_3, "2024-09-25", ["Taliban"], ["Afghanistan", "Sistan", "Hamoun"]),
    ]


def test_stories_of_one_thread_join_and_others_do_not() -> None:
    linker = StorylineLinker()
    placed = {p.id: linker.place(p)[0] for p in _profiles()}
    assert placed["st_dam1"] == placed["st_dam2"] == placed["st_dam3"]
    assert placed["st_football"] not in (placed["st_dam1"], placed["st_port"])
    assert placed["st_port"] != placed["st_dam1"]
    assert placed["st_dam1"] == "sl_dam1"  # named after the story that started it
    assert len(linker.storylines()) == 3


def test_a_story_far_beyond_the_window_starts_a_new_storyline() -> None:
    linker = StorylineLinker(StorylineSettings(max_gap_days=100))
    first = _profile("dam1", DAM_1, "2024-01-30", ["Taliban"], ["Iran", "Sistan"])
    late = _profile("dam3", DAM_3, "2025-06-01", ["Taliban"], ["Sistan"])
    assert linker.place(first)[0] != linker.place(late)[0]
    assert linker.date_factor(101) == 0.0
    assert linker.date_factor(None) == 1.0


def test_rebuild_depends_only_on_the_set_of_stories() -> None:
    expected = StorylineLinker().rebuild(_profiles())
    for seed in range(5):
        shuffled = _profiles()
        random.Random(seed).shuffle(shuffled)
        assert StorylineLinker().rebuild(shuffled) == expected


def test_a_grown_story_is_placed_again_with_its_previous_profile() -> None:
    linker = StorylineLinker()
    for profile in _profiles():
        linker.place(profile)
    # the football story gains a second report about the dam: it stays where it is (sticky)
    # unless the new profile scores better elsewhere by the move margin
    previous = _profiles()[1]
    grown = StoryProfile.from_dict(previous.as_dict())
    grown.add_article(article_features(_article("x", DAM_2, ["Taliban"], ["Iran", "Sistan"])), None)
    with pytest.raises(StoreError, match=r"^E430 .*previous profile"):
        linker.place(grown)
    line, score = linker.place(grown, previous)
    assert line in linker.storylines()
    assert 0.0 <= score <= 1.0
    assert sum(len(v) for v in linker.storylines().values()) == 5


def test_restored_linker_places_like_the_live_one() -> None:
    profiles = _profiles()
    live = StorylineLinker()
    for profile in profiles[:-1]:
        live.place(profile)
    membership = {p.id: live.storyline_of(p.id) for p in profiles[:-1]}
    restored = StorylineLinker.from_profiles(profiles[:-1], membership)  # type: ignore[arg-type]
    assert restored.storylines() == live.storylines()
    assert restored.place(profiles[-1]) == live.place(profiles[-1])


def test_profiles_fall_back_to_capitalised_names_without_mentions() -> None:
    article = Article(source="x", id="x", text=DAM_1)
    features = article_features(article)
    assert "name:kamal khan" in features["actors"]
    assert "helmand" in features["terms"]
    profile = StoryProfile("st_x")
    profile.add_article(features, day_number("2024-01-30"))
    assert StoryProfile.from_dict(profile.as_dict()) == profile


def test_cached_weights_always_equal_fresh_ones() -> None:
    """The squared IDF weights outlive one placement (a story placed again takes itself out
    and back in): after every new, grown and re-placed story each cached weight is the one
    the current counts give."""
    from storyline.testing import generate

    linker = StorylineLinker(StorylineSettings())
    grown: dict[str, StoryProfile] = {}
    rng = random.Random(5)
    for i, synthetic in enumerate(generate(160, 11, realistic=True)):
        article = Article(source=synthetic.name, id=synthetic.name, text=synthetic.body)
        features = article_features(article)
        day = day_number(synthetic.day.isoformat()) if synthetic.day else None
        story_id = rng.choice(sorted(grown)) if grown and rng.random() < 0.5 else f"st_{i}"
        previous = grown.get(story_id)
        profile = StoryProfile.from_dict(previous.as_dict()) if previous else StoryProfile(story_id)
        profile.add_article(features, day)
        linker.place(profile, previous)
        linker.place(profile, profile)  # asked again, as a batch's refinement does
        grown[story_id] = profile
        for channel, cache in linker._idf2_cache.items():
            for key, weight in cache.items():
                assert weight == linker._idf(f"{channel}:{key}") ** 2, (i, channel, key)
    assert sum(len(c) for c in linker._idf2_cache.values()) > 0
