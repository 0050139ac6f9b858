"""The rows a reader sees for stories and storylines: titles, dates, counts, summaries, labels.

Why a module of its own: refreshing a story's row (its title, first and last dates, article and
independent-source counts, cited summary) and a storyline's row (title, main actors, places and
subject, summary) is the same work for the incremental step and the rebuild, and it must stay
bounded as stories grow to hundreds of reports (`large_story`). The ``cluster_stories`` step
(`storyline.update.cluster_stories`) decides membership; this module writes what follows from it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.article import Article
from storyline.cluster.storyline_linker import (
    StorylineLinker,
    StoryProfile,
    article_features,
    day_number,
    iso_day,
)
from storyline.cluster.summaries import (
    centrality,
    story_title,
    storyline_summary,
    summarise,
)
from storyline.store.articles import read_articles, row_to_article
from storyline.store.copies import copies_among, source_count
from storyline.store.db import now
from storyline.store.stories import actor_names, story_members

__all__ = [
    "LARGE_STORY",
    "article_day",
    "profile_from_members",
    "refresh_storylines",
    "stored_profile",
    "storyline_title",
    "write_story",
]

#: Articles read to title and summarise one story (the earliest and the latest): bounds the
#: cost of refreshing a story that has grown to hundreds of reports.
SUMMARY_ARTICLES = (30, 10)
#: Above this many articles a story is refreshed from its new articles, its summary's and a few
#: first ones (see `_large_story`), so the cost of a batch does not grow with the story.
LARGE_STORY = 200
#: A storyline's summary is the lead sentence of this many of its largest stories.
STORYLINE_SUMMARY_STORIES = 6
#: Latest stories of a storyline searched first for the display labels of its features.
LABEL_STORIES = 50


def stored_profile(conn: sqlite3.Connection, story_id: str) -> StoryProfile | None:
    """The profile last written for a story: the one the storyline linker holds for it."""
    row = conn.execute("SELECT profile FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row and row[0] != "{}":
        return StoryProfile.from_dict(json.loads(row[0]))
    return None


def profile_from_members(conn: sqlite3.Connection, story_id: str) -> StoryProfile:
    """A story's profile recomputed from its stored articles, in one SQL pass.

    Needed when a story lost a member by a delete or hide, or came back after it was absorbed:
    a deleted article's features must leave its storyline's weights exactly. The cost is linear
    in the story's size (reading, decoding and featurising each member: about 0.37 ms per 1.9 KB
    article here, docs/stories.md), so repair moves never come here: they replay or count out
    one article (`storyline.update.cluster_stories._Changes.move`).
    """

    profile = StoryProfile(story_id)
    rows = conn.execute(
        "SELECT a.* FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? "
        "ORDER BY COALESCE(substr(a.published, 1, 10), a.date_not_before, '9999'), a.id",
        (story_id,),
    )
    for row in rows:
        article = row_to_article(row)
        profile.add_article(article_features(article), article_day(article))
    return profile


def article_day(article: Article) -> int | None:
    return day_number(article.published or article.date_not_before)


def large_story(
    conn: sqlite3.Connection, story_id: str, profile: StoryProfile, joined: Sequence[str]
) -> tuple[list[str], int, list[str], int]:
    """Bounded refresh of a story past `LARGE_STORY` articles: counts move by the new articles.

    The summary is chosen again from the articles it cites, the newly joined ones and a few of
    the first; a new article adds an independent source unless it copies one of the story's.
    Returns (pool ids, n_articles, dates, n_sources).
    """
    old = conn.execute("SELECT n_sources, summary FROM stories WHERE id = ?", (story_id,))
    row = old.fetchone()
    cited = [s["article_id"] for s in json.loads(row["summary"])] if row else []
    first = [
        r[0]
        for r in conn.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? LIMIT ?",
            (story_id, SUMMARY_ARTICLES[1]),
        )
    ]
    pool = list(dict.fromkeys([*cited, *joined, *first]))
    copied = 0
    for article_id in joined:
        hit = conn.execute(
            "SELECT 1 FROM copy_links c JOIN story_articles s ON s.article_id = "
            "CASE WHEN c.a = ? THEN c.b ELSE c.a END WHERE (c.a = ? OR c.b = ?) "
            "AND c.kind != 'partial' AND s.story_id = ? LIMIT 1",
            (article_id, article_id, article_id, story_id),
        ).fetchone()
        copied += bool(hit)
    sources = (int(row["n_sources"]) if row else 0) + len(joined) - copied
    days = [d for d in (iso_day(profile.first_day), iso_day(profile.last_day)) if d]
    return pool, profile.n_articles, days, sources


def write_story(
    conn: sqlite3.Connection,
    story_id: str,
    profile: StoryProfile,
    line_id: str | None,
    joined: Sequence[str] = (),
    recount: bool = False,
) -> None:
    """Write a story's row: title, dates, counts, summary, profile, storyline.

    ``joined`` are the articles that came into the story since its row was written. A story past
    `LARGE_STORY` that only grew is refreshed in bounded time (`_large_story`); one that lost
    or absorbed articles (``recount``) is counted again from its members: one SQL pass over their
    ids, dates and copy links, with at most ``sum(SUMMARY_ARTICLES)`` articles read.
    """
    if profile.n_articles > LARGE_STORY and not recount:
        chosen, n_articles, days, n_sources = large_story(conn, story_id, profile, joined)
        copies = copies_among(conn, chosen)
    else:
        members = story_members(conn, story_id)
        ids = [r["id"] for r in members]
        if not ids:
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        days = [(r["published"] or r["date_not_before"] or "")[:10] for r in members]
        days = [d for d in days if d]
        early, late = SUMMARY_ARTICLES
        chosen = ids if len(ids) <= early + late else ids[:early] + ids[-late:]
        copies = copies_among(conn, ids)
        n_articles, n_sources = len(ids), source_count(conn, ids)
    articles = read_articles(conn, chosen)
    summary = [s.as_dict() for s in summarise(articles, copies)]
    for article_id, score in centrality(articles, copies).items():
        conn.execute(
            "UPDATE story_articles SET score = ? WHERE article_id = ?",
            (round(score, 4), article_id),
        )
    conn.execute(
        "INSERT INTO stories (id, title, first_seen, last_seen, n_articles, n_sources, summary, "
        "profile, storyline_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO "
        "UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
        "last_seen=excluded.last_seen, n_articles=excluded.n_articles, "
        "n_sources=excluded.n_sources, summary=excluded.summary, profile=excluded.profile, "
        "storyline_id=excluded.storyline_id, updated_at=excluded.updated_at",
        (
            story_id,
            story_title(articles, copies),
            min(days) if days else None,
            max(days) if days else None,
            n_articles,
            n_sources,
            json.dumps(summary, ensure_ascii=False),
            json.dumps(profile.as_dict(), ensure_ascii=False, sort_keys=True),
            line_id,
            now(),
        ),
    )


def storyline_labels(conn: sqlite3.Connection, line_id: str, keys: Sequence[str]) -> dict[str, str]:
    """Display labels the storyline's stories recorded for ``keys`` (first story first)."""
    if not keys:
        return {}
    out: dict[str, str] = {}
    # The storyline's strongest features are almost always in its latest stories: look there
    # first, and through every story only for what is still missing (a long storyline's JSON
    # scan cost 50 ms a batch at 10,000 articles).
    for limit in (LABEL_STORIES, -1):
        missing = [k for k in keys if k not in out]
        if not missing:
            break
        marks = ",".join("?" * len(missing))
        for key, label in conn.execute(
            "SELECT j.key, j.value FROM (SELECT profile FROM stories WHERE storyline_id = ? "
            "ORDER BY rowid DESC LIMIT ?) AS s, json_each(s.profile, '$.labels') AS j "
            f"WHERE j.key IN ({marks})",
            (line_id, limit, *missing),
        ):
            out.setdefault(key, label)
    return out


def storyline_title(described: Mapping[str, list[dict[str, Any]]]) -> str:
    """Who and where, then what about: a storyline's most central actors, places and terms.

    A storyline of one story is titled by that story instead (see `_refresh_storylines`).
    """
    ranked = sorted(
        [*described.get("places", [])[:3], *described.get("actors", [])[:3]],
        key=lambda x: -x["weight"],
    )
    who: list[str] = []
    for item in ranked:
        if item["name"] not in who and len(who) < 3:
            who.append(item["name"])
    what = [x["name"] for x in described.get("terms", [])[:3]]
    if who and what:
        return f"{', '.join(who)}: {', '.join(what)}"
    return ", ".join(who or what)


def refresh_storylines(
    conn: sqlite3.Connection, linker: StorylineLinker, line_ids: Iterable[str]
) -> None:
    for line_id in sorted(line_ids):
        # Aggregates and the few rows the summary needs come from SQL, so a storyline of
        # thousands of stories costs no more per batch than a small one (no per-story JSON).
        count, first_seen, last_seen, n_articles, only_title = conn.execute(
            "SELECT COUNT(*), MIN(first_seen), MAX(last_seen), SUM(n_articles), MIN(title) "
            "FROM stories WHERE storyline_id = ?",
            (line_id,),
        ).fetchone()
        if not count or linker.sequence(line_id) is None:
            conn.execute("DELETE FROM storylines WHERE id = ?", (line_id,))
            continue
        main = [
            {**dict(r), "summary": json.loads(r["summary"])}
            for r in conn.execute(
                "SELECT id, first_seen, n_articles, summary FROM stories WHERE storyline_id = ? "
                "AND json_array_length(summary) > 0 ORDER BY n_articles DESC, id LIMIT ?",
                (line_id, STORYLINE_SUMMARY_STORIES),
            )
        ]
        described = linker.describe(line_id, None, n=8)
        keys = [x["key"] for c in ("actors", "places") for x in described[c]]
        names = actor_names(conn, keys)
        labels = storyline_labels(conn, line_id, [k for k in keys if k not in names])
        words: set[str] = set()
        for channel in ("actors", "places"):
            for item in described[channel]:
                item["name"] = names.get(item["key"], labels.get(item["key"], item["key"]))
                words.update(w.lower() for w in item["name"].replace("-", " ").split())
        # subject terms say what about, not again who: drop words of the actors' names
        described["terms"] = [x for x in described["terms"] if x["key"] not in words]
        conn.execute(
            "INSERT INTO storylines (id, title, first_seen, last_seen, n_stories, n_articles, "
            "actors, summary, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO "
            "UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
            "last_seen=excluded.last_seen, n_stories=excluded.n_stories, "
            "n_articles=excluded.n_articles, actors=excluded.actors, summary=excluded.summary, "
            "seq=excluded.seq, updated_at=excluded.updated_at",
            (
                line_id,
                storyline_title(described) if count > 1 else only_title,
                first_seen,
                last_seen,
                count,
                int(n_articles or 0),
                json.dumps(described, ensure_ascii=False),
                json.dumps(
                    storyline_summary(main, max_sentences=STORYLINE_SUMMARY_STORIES),
                    ensure_ascii=False,
                ),
                linker.sequence(line_id) or 0,
                now(),
            ),
        )
