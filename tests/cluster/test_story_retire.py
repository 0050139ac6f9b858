"""Retiring old stories from the clusterer's memory (``ClusterSettings.active_days``).

A story whose newest article is older than the window leaves the candidate index for an archive
and comes back when a late article dated near it arrives. What must hold: every dated article
gets the story it would get if nothing were retired, a late article joins a retired story, and
the saved state holds the retired stories too.

Articles come from the project's generator (`storyline.testing.generate`), redated so that they
arrive in date order at a fixed rate, with some arriving late.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.testing import generate

START = date(2024, 1, 1)


def _feed(n: int, per_day: int, late_every: int, late_by: int, seed: int = 5) -> list[StoryDoc]:
    """``n`` dated articles, ``per_day`` a day in arrival order; every ``late_every``-th one
    arrives ``late_by`` articles after its date's place (about ``late_by / per_day`` days late)."""
    docs = [
        StoryDoc(
            id=f"d{i:05d}",
            text=s.body,
            title=s.title,
            date=(START + timedelta(days=i // per_day)).isoformat(),
        )
        for i, s in enumerate(generate(n, seed, realistic=True))
    ]
    order = list(range(n))
    for i in range(late_every, n - late_by, late_every):
        order.remove(i)
        order.insert(order.index(i + late_by) + 1, i)
    return [docs[i] for i in order]


def _cluster(
    docs: list[StoryDoc],
    settings: ClusterSettings,
    batch: int = 16,
    clusterer: StoryClusterer | None = None,
    after_batch: Callable[[StoryClusterer], None] | None = None,
) -> StoryClusterer:
    """As the store feeds it: per batch, counts first (`observe`), adds, then `settle`
    (``after_batch`` sees the clusterer once each batch is settled)."""
    if clusterer is None:
        clusterer = StoryClusterer(settings)
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        clusterer.observe(chunk)
        for doc in chunk:
            clusterer.add(doc)
        clusterer.settle(doc.id for doc in chunk)
        clusterer.take_moves()
        clusterer.take_merges()
        if after_batch is not None:
            after_batch(clusterer)
    return clusterer


def _groups(clusterer: StoryClusterer) -> set[frozenset[str]]:
    return {frozenset(members) for members in clusterer.stories().values()}


def _retiring(
    docs: list[StoryDoc], settings: ClusterSettings, batch: int = 16
) -> tuple[StoryClusterer, int, int]:
    """`_cluster` with retiring watched: the clusterer, how many stories late articles brought
    back in all, and the most stories retired at once."""
    clusterer = StoryClusterer(settings)
    brought: list[int] = []
    most = [0]
    bring_back = clusterer._bring_back

    def counting(story_ids: list[str]) -> None:
        brought.append(len(story_ids))
        bring_back(story_ids)

    def retired(done: StoryClusterer) -> None:
        most[0] = max(most[0], len(done._retired))

    clusterer._bring_back = counting  # type: ignore[method-assign]
    _cluster(docs, settings, batch, clusterer, retired)
    return clusterer, sum(brought), most[0]


def test_retiring_changes_no_decision_for_dated_articles() -> None:
    """1,600 articles over 80 days, a 46-day window (the shortest above `max_gap_days`, so a
    quarter of the stories retire at once now that same-week reports join larger stories), one
    article in 25 arriving 15 days late:
    the stories equal those of a clusterer that keeps everything. (The index's cap per key is
    lifted in both: with it, a retired story also frees a place in a full posting list, which
    may let a story the cap would have dropped stay findable.) The grace period is pinned at the
    three days the feed was shaped for: with four (shipped since round 19), stories of this
    synthetic feed span more days and fewer retire at once (93 of 445), a weaker exercise of the
    same rule. So are the 45-day window and the unmerged dated stories of before round 20, and
    the fixed half-life of before round 21 (with the span half-life, 125 of 529 retire at once);
    `test_retiring_with_the_shipped_rules_changes_no_decision` runs the same feed with those."""
    docs = _feed(1600, per_day=20, late_every=25, late_by=300)
    kept = _cluster(
        docs,
        ClusterSettings(
            max_gap_days=45.0,
            merge_dated=False,
            date_span_share=0.0,
            active_days=0,
            postings_per_key=10**6,
            date_grace_days=3.0,
        ),
    )
    retiring = ClusterSettings(
        max_gap_days=45.0,
        merge_dated=False,
        date_span_share=0.0,
        active_days=46,
        postings_per_key=10**6,
        date_grace_days=3.0,
    )
    clusterer, brought, most = _retiring(docs, retiring)
    assert _groups(clusterer) == _groups(kept)
    # it did retire, and late articles did bring stories back
    assert brought > 0
    assert len(clusterer._stories) + len(clusterer._retired) == len(kept._stories)
    assert most > len(kept._stories) / 4
    horizon = clusterer.horizon
    assert horizon is not None
    assert all(clusterer._retired.last_day[sid] < horizon for sid in clusterer._retired.last_day)


def test_retiring_with_the_shipped_rules_changes_no_decision() -> None:
    """The shipped window (60 days), merges and span half-life on a feed of 200 days, one article
    in 25 arriving 15 days late, retiring at the shortest window the rule allows (61 days, so
    late articles bring stories back): the same stories as keeping everything. The shipped
    `active_days` (75) keeps a margin over the window only to spare that churn."""
    docs = _feed(2000, per_day=10, late_every=25, late_by=150)
    kept = _cluster(docs, ClusterSettings(active_days=0, postings_per_key=10**6))
    shortest = ClusterSettings(active_days=61, postings_per_key=10**6)
    clusterer, brought, most = _retiring(docs, shortest)
    assert _groups(clusterer) == _groups(kept)
    assert brought > 0 and most > 0
    assert len(clusterer._stories) + len(clusterer._retired) == len(kept._stories)


def _report(subject: str, where: str, day: date, n: int) -> StoryDoc:
    text = (
        f"Engineers at the {subject} reservoir near {where} reported a crack in the spillway on "
        f"{day:%B %d}. The {subject} dam authority closed the road to the {where} crest and began "
        f"lowering the water level, the authority's spokesman Ilmar Vessok said. Report {n}."
    )
    return StoryDoc(id=f"{subject}-{n}", text=text, title=f"{subject} dam crack", date=str(day))


def test_a_late_article_joins_a_retired_story() -> None:
    clusterer = StoryClusterer(ClusterSettings(active_days=60))
    day = START + timedelta(days=3)
    story_id = clusterer.add(_report("Karvela", "Ostrin", day, 1))
    for n in (2, 3):
        assert clusterer.add(_report("Karvela", "Ostrin", day, n)) == story_id
    # two hundred days of other news: the dam story leaves memory but not the clusterer
    for i, s in enumerate(generate(400, 11, realistic=True)):
        when = START + timedelta(days=10 + i // 2)
        clusterer.add(StoryDoc(id=f"o{i}", text=s.body, title=s.title, date=str(when)))
    assert story_id not in clusterer._stories
    assert clusterer.has_story(story_id) and clusterer.story_of("Karvela-1") == story_id
    # a late report of the crack, dated the day after: the retired story comes back for it
    late = _report("Karvela", "Ostrin", day + timedelta(days=1), 4)
    assert clusterer.add(late) == story_id
    assert story_id in clusterer._stories
    assert sorted(clusterer.stories()[story_id]) == [f"Karvela-{n}" for n in (1, 2, 3, 4)]
    # the next newer day retires it again
    s = generate(1, 12, realistic=True)[0]
    clusterer.add(StoryDoc(id="next", text=s.body, title=s.title, date=str(START + timedelta(400))))
    assert story_id not in clusterer._stories and clusterer.has_story(story_id)


def test_an_undated_copy_rejoins_the_retired_story_of_its_copies() -> None:
    """An undated article is compared with the active stories only, except the stories of the
    articles it copies: an undated reprint hidden and restored (or re-ingested) long after its
    story retired goes back to it, and without its copies named it starts its own."""
    clusterer = StoryClusterer(ClusterSettings(active_days=60))
    day = START + timedelta(days=3)
    story_id = clusterer.add(_report("Karvela", "Ostrin", day, 1))
    assert clusterer.add(_report("Karvela", "Ostrin", day, 2)) == story_id
    for i, s in enumerate(generate(400, 11, realistic=True)):
        when = START + timedelta(days=10 + i // 2)
        clusterer.add(StoryDoc(id=f"o{i}", text=s.body, title=s.title, date=str(when)))
    assert story_id not in clusterer._stories

    def reprint(n: int, copies: list[str]) -> StoryDoc:
        doc = _report("Karvela", "Ostrin", day, n)
        return StoryDoc(id=doc.id, text=doc.text, title=doc.title, copies=copies)

    assert clusterer.add(reprint(3, ["Karvela-1", "Karvela-2"])) == story_id
    assert clusterer.add(reprint(4, [])) == "st_Karvela-4"  # its story is out of reach
    assert sorted(clusterer.stories()[story_id]) == ["Karvela-1", "Karvela-2", "Karvela-3"]


def test_members_of_a_retired_story_are_read_back_from_the_archive() -> None:
    """A store reopened knows a retired story's members from ``story_articles``; one deleted
    before (a hide cascades) is named only by the archive, where `claim_members` finds it so
    that `forget_doc` takes it out."""
    docs = _feed(600, per_day=10, late_every=600, late_by=0)
    clusterer = _cluster(
        docs, ClusterSettings(max_gap_days=45.0, merge_dated=False, active_days=47)
    )
    old = next(s for s in sorted(clusterer._retired.last_day) if len(clusterer.stories()[s]) > 1)
    members = clusterer.stories()[old]
    reopened = StoryClusterer.from_state(clusterer.to_state())
    reopened._doc_story.pop(members[0])  # as if its story_articles row had gone
    assert reopened.forget_doc(members[0]) is None
    assert reopened.claim_members([old, "st_no-such-story"]) == 1
    assert reopened.forget_doc(members[0]) == old
    assert sorted(reopened.stories()[old]) == sorted(members[1:])


def test_the_saved_state_holds_retired_stories_and_retires_them_again() -> None:
    docs = _feed(600, per_day=10, late_every=600, late_by=0)
    clusterer = _cluster(
        docs, ClusterSettings(max_gap_days=45.0, merge_dated=False, active_days=47)
    )
    assert len(clusterer._retired) > 0
    state = clusterer.to_state()
    assert len(state["stories"]) == len(clusterer._stories) + len(clusterer._retired)
    restored = StoryClusterer.from_state(state)
    # what the live one still holds below the horizon (brought back by a batch's `settle`)
    # is retired again on loading
    horizon = clusterer.horizon
    assert horizon is not None
    inside = {sid for sid, s in clusterer._stories.items() if (s.last_day or horizon) >= horizon}
    assert set(restored._stories) == inside
    assert set(restored._retired.last_day) == set(clusterer.stories()) - inside
    assert restored.stories() == clusterer.stories()
    # both go on alike, late articles included
    more = _feed(700, per_day=10, late_every=7, late_by=200)[600:]
    for c in (clusterer, restored):
        for doc in more:
            c.add(doc)
    assert _groups(restored) == _groups(clusterer)


def test_forgetting_an_article_of_a_retired_story() -> None:
    docs = _feed(600, per_day=10, late_every=600, late_by=0)
    clusterer = _cluster(
        docs, ClusterSettings(max_gap_days=45.0, merge_dated=False, active_days=47)
    )
    old = next(iter(clusterer._retired.last_day))
    member = clusterer.stories()[old][0]
    assert clusterer.forget_doc(member) == old
    assert clusterer.story_of(member) is None
    assert member not in clusterer.stories().get(old, [])


def test_the_sample_corpus_clusters_the_same_with_and_without_retiring() -> None:
    """The sample corpus (dated January to October 2024, some undated) fed one article at a time
    in manifest order, which is not date order: with the shipped 75-day window stories retire
    and come back, and the stories equal those of a clusterer that keeps everything."""
    from storyline.evaluate.clustering import sample_labelled_rows

    rows = sample_labelled_rows()
    docs = [
        StoryDoc(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            date=r["date"],
            date_not_before=r.get("date_not_before"),
        )
        for r in rows
    ]
    kept = _cluster(docs, ClusterSettings(active_days=0), batch=1)
    retiring = StoryClusterer(ClusterSettings())
    assert retiring.settings.active_days == 75
    most = 0
    for doc in docs:
        retiring.observe([doc])
        retiring.add(doc)
        retiring.settle([doc.id])
        most = max(most, len(retiring._retired))
    assert most > 0  # stories did retire (the late ones brought them back)
    assert _groups(retiring) == _groups(kept)


def test_an_undated_lone_article_is_not_adopted_while_stories_are_out_of_view() -> None:
    """The settle step's adoption (a lone article joins its clearly best story below the
    threshold) needs every story the article might belong to among its candidates. A dated
    article brings back the retired stories its date reaches; an undated one sees the active
    stories only, so once a story is past the horizon an undated lone article is never adopted
    (the lead it shows over what it sees says nothing), while a dated one still is asked. With
    retiring off nothing is out of view and both are asked."""
    others = generate(402, 11, realistic=True)
    day = START + timedelta(days=3)
    last = START + timedelta(days=210)
    batch = [
        StoryDoc(id="undated", text=others[400].body, title=others[400].title),
        StoryDoc(id="dated", text=others[401].body, title=others[401].title, date=str(last)),
    ]

    def asked_after_settle(active_days: float) -> tuple[list[str], bool]:
        clusterer = StoryClusterer(ClusterSettings(active_days=active_days))
        for n in (1, 2):
            clusterer.add(_report("Karvela", "Ostrin", day, n))
        assert not clusterer._stories_out_of_view()
        for i, s in enumerate(others[:400]):
            when = START + timedelta(days=10 + i // 2)
            clusterer.add(StoryDoc(id=f"o{i}", text=s.body, title=s.title, date=str(when)))
        asked: list[str] = []
        adopt = clusterer._adopt

        def spy(doc_id: str, *rest: object) -> bool:
            asked.append(doc_id)
            return adopt(doc_id, *rest)  # type: ignore[arg-type]

        clusterer._adopt = spy  # type: ignore[method-assign]
        clusterer.observe(batch)
        for doc in batch:
            clusterer.add(doc)
        lone = [d.id for d in batch if len(clusterer.stories()[clusterer.story_of(d.id)]) == 1]
        assert lone == ["undated", "dated"]
        hidden = clusterer._stories_out_of_view()
        clusterer.settle(d.id for d in batch)
        return asked, hidden

    asked, hidden = asked_after_settle(60)
    assert hidden and asked == ["dated"]
    asked, hidden = asked_after_settle(0)  # retiring off: every story stays in view
    assert not hidden and asked == ["undated", "dated"]


def test_retiring_changes_no_decision_with_embeddings() -> None:
    """The same with embeddings (a hashed bag of each title's words): the stories of the same
    days looked up by embedding (`near_candidates`, round 12) and the cosine-led boost give the
    same stories whether old stories retire or stay."""
    import zlib

    import numpy as np

    docs = _feed(1200, per_day=20, late_every=25, late_by=300)
    for doc in docs:
        vector = np.zeros(64, dtype=np.float32)
        for word in doc.title.lower().split():
            vector[zlib.crc32(word.encode()) % 64] += 1.0
        doc.embedding = vector / max(1.0, float(np.linalg.norm(vector)))
    kept = _cluster(
        docs,
        ClusterSettings(
            max_gap_days=45.0, merge_dated=False, active_days=0, postings_per_key=10**6
        ),
    )
    retiring = ClusterSettings(
        max_gap_days=45.0, merge_dated=False, active_days=46, postings_per_key=10**6
    )
    clusterer = StoryClusterer(retiring)
    found: list[int] = []
    near = clusterer._near_stories

    def counting(feats: Any) -> list[str]:
        out = near(feats)
        found.append(len(out))
        return out

    clusterer._near_stories = counting  # type: ignore[method-assign]
    most = 0  # stories retired at once, at most
    for start in range(0, len(docs), 16):
        chunk = docs[start : start + 16]
        clusterer.observe(chunk)
        for doc in chunk:
            clusterer.add(doc)
        clusterer.settle(doc.id for doc in chunk)
        most = max(most, len(clusterer._retired))
    assert _groups(clusterer) == _groups(kept)
    assert most > 0 and sum(found) > 0
