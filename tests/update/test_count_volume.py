"""The ``count_volume`` step: day totals, actors' day totals, stories' dates, outlets and days
kept per batch equal a recount from the rows and a rebuild, after an ingest in many batches,
after hiding and restoring an article, and at once after an analyst's merge; and the pages'
numbers (the front page's trend lines included) read them."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline import config
from storyline.analysis.actors import actor_profile, merge
from storyline.analysis.home import TREND_WEEKS, home
from storyline.ingest import ingest_paths
from storyline.store import Store
from storyline.store.db import transaction
from storyline.store.hidden import hide_article, restore_article
from storyline.store.stats import stats
from storyline.store.volume import TABLES, rebuild_all
from storyline.update import Updater, default_steps

Rows = dict[str, Any]


def kept(conn: sqlite3.Connection) -> Rows:
    return {
        "volume": {
            (r[0], r[1], r[2], r[3]): r[4]
            for r in conn.execute("SELECT day, kind, outlet, language, articles FROM volume_days")
        },
        "actors": {
            (r[0], r[1]): (r[2], r[3])
            for r in conn.execute("SELECT actor_id, day, articles, mentions FROM actor_days")
        },
        "stories": {
            r[0]: tuple(r[1:])
            for r in conn.execute(
                "SELECT story_id, first_seen, last_seen, first_bound, last_bound, n_undated, "
                "n_bounded FROM story_dates"
            )
        },
        "outlets": {
            (r[0], r[1]): r[2]
            for r in conn.execute("SELECT story_id, outlet, articles FROM story_outlets")
        },
        "days": {
            (r[0], r[1]): r[2]
            for r in conn.execute("SELECT story_id, day, articles FROM story_days")
        },
    }


def recount(conn: sqlite3.Connection) -> Rows:
    """The same numbers counted in Python from the articles, their bounds, mentions and
    stories."""
    articles = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT a.id, a.published, b.not_before, a.outlet, a.language FROM articles a "
            "JOIN article_bounds b ON b.article_id = a.id"
        )
    }
    volume: Counter[tuple[Any, ...]] = Counter()
    for published, bound, outlet, language in articles.values():
        if published is not None:
            volume[(published[:10], "dated", outlet, language)] += 1
        elif bound is not None:
            volume[(bound[:10], "bound", outlet, language)] += 1
        else:
            volume[(None, "none", outlet, language)] += 1
    per_article: Counter[tuple[str, str]] = Counter()
    for article_id, actor_id in conn.execute(
        "SELECT article_id, actor_id FROM mentions WHERE actor_id IS NOT NULL"
    ):
        per_article[(article_id, actor_id)] += 1
    actors: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for (article_id, actor_id), n in per_article.items():
        published = articles[article_id][0]
        counted = actors[(actor_id, published[:10] if published else None)]
        counted[0] += 1
        counted[1] += n
    members: dict[str, list[str]] = defaultdict(list)
    outlets: Counter[tuple[str, str]] = Counter()
    per_day: Counter[tuple[str, str]] = Counter()
    for article_id, story_id, outlet in conn.execute(
        "SELECT sa.article_id, sa.story_id, a.outlet FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id"
    ):
        members[story_id].append(article_id)
        outlets[(story_id, outlet or "(unknown outlet)")] += 1
        if articles[article_id][0]:
            per_day[(story_id, articles[article_id][0][:10])] += 1
    stories = {}
    for story_id, ids in members.items():
        days = [articles[i][0][:10] for i in ids if articles[i][0]]
        bounds = [articles[i][1][:10] for i in ids if not articles[i][0] and articles[i][1]]
        undated = sum(1 for i in ids if not articles[i][0])
        stories[story_id] = (
            min(days, default=None),
            max(days, default=None),
            min(bounds, default=None),
            max(bounds, default=None),
            undated,
            len(bounds),
        )
    return {
        "volume": dict(volume),
        "actors": {k: (v[0], v[1]) for k, v in actors.items()},
        "stories": stories,
        "outlets": dict(outlets),
        "days": dict(per_day),
    }


def every_table(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {t}")), key=repr) for t in TABLES
    }


def ingest(corpus: Path, db: Path) -> None:
    settings = config.load(None, {"store": {"db": str(db), "batch_size": 4}}, environ={})
    with Store(db, settings=settings) as store:
        ingest_paths([str(corpus)], store, settings)


def test_kept_per_batch_equal_a_recount_a_rebuild_and_survive_hide_and_restore(
    tmp_path: Path, sample_dir: Path
) -> None:
    db = tmp_path / "s.db"
    ingest(sample_dir, db)
    with Store(db) as store:
        conn = store.conn
        counted = kept(conn)
        assert counted == recount(conn)
        kinds = {key[1] for key in counted["volume"]}
        assert {"dated", "bound"} <= kinds, "the sample has dated and bounded articles"
        assert conn.execute("SELECT COUNT(*) FROM context_bounds").fetchone()[0], (
            "the sample has undated reprints bounded by their context"
        )
        assert counted["actors"] and counted["stories"]

        # a rebuild writes the same rows
        everything = every_table(conn)
        with conn:
            rebuild_all(conn)
        assert every_table(conn) == everything

        # hiding takes an article's part out of every count; restoring puts it back
        hidden = conn.execute(
            "SELECT article_id FROM actor_day_links GROUP BY article_id "
            "ORDER BY COUNT(*) DESC, article_id LIMIT 1"
        ).fetchone()[0]
        before = stats(conn)
        with transaction(conn):
            hide_article(conn, hidden, "tester", "a test")
        Updater(store, default_steps()).run()
        assert kept(conn) == recount(conn)
        assert stats(conn)["articles"] == before["articles"] - 1
        assert not conn.execute(
            "SELECT 1 FROM volume_links WHERE article_id = ?", (hidden,)
        ).fetchone()
        with transaction(conn):
            restore_article(store, hidden)
        Updater(store, default_steps()).run()
        assert kept(conn) == recount(conn)
        assert every_table(conn) == everything
        assert stats(conn) == before


def test_pages_read_numbers_equal_to_the_rows(tmp_path: Path, sample_dir: Path) -> None:
    db = tmp_path / "s.db"
    ingest(sample_dir, db)
    with Store(db) as store:
        conn = store.conn
        numbers = stats(conn)
        assert (
            numbers["undated"]
            == conn.execute("SELECT COUNT(*) FROM articles WHERE published IS NULL").fetchone()[0]
        )
        assert (
            numbers["bounded"]
            == conn.execute(
                "SELECT COUNT(*) FROM articles a JOIN article_bounds b ON b.article_id = a.id "
                "WHERE a.published IS NULL AND b.not_before IS NOT NULL"
            ).fetchone()[0]
        )
        outlets = Counter(r[0] or "(unknown)" for r in conn.execute("SELECT outlet FROM articles"))
        assert numbers["outlets"] == dict(
            sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        )
        front = home(conn, 3660)
        assert front["store"]["articles"] == numbers["articles"]
        assert (
            front["store"]["first"]
            == conn.execute("SELECT MIN(substr(published, 1, 10)) FROM articles").fetchone()[0]
        )
        weeks = Counter()
        for r in front["volume"]:
            weeks[r["kind"]] += r["articles"]
        assert weeks["dated"] == numbers["articles"] - numbers["undated"]
        assert weeks["bound"] == numbers["bounded"]
        # the period's top actors: articles mentioning each, counted from the mentions
        top = front["actors"][0]
        assert (
            top["articles"]
            == conn.execute(
                "SELECT COUNT(DISTINCT m.article_id) FROM mentions m JOIN articles a "
                "ON a.id = m.article_id WHERE m.actor_id = ? AND a.published >= ?",
                (top["id"], front["window"]["since"]),
            ).fetchone()[0]
        )
        # each moving storyline's trend line: its dated articles per week, from the rows
        assert front["storylines"], "the sample has storylines"
        until = date.fromisoformat(front["window"]["until"])
        start = (until - timedelta(days=until.weekday(), weeks=TREND_WEEKS - 1)).isoformat()
        for line in front["storylines"]:
            counted: Counter[str] = Counter()
            for (day,) in conn.execute(
                "SELECT substr(a.published, 1, 10) FROM stories s JOIN story_articles sa "
                "ON sa.story_id = s.id JOIN articles a ON a.id = sa.article_id "
                "WHERE s.storyline_id = ? AND a.published >= ?",
                (line["id"], start),
            ):
                monday = date.fromisoformat(day)
                counted[(monday - timedelta(days=monday.weekday())).isoformat()] += 1
            assert {w["week"]: w["articles"] for w in line["weeks"] if w["articles"]} == counted
        profile = actor_profile(conn, top["id"])
        assert sum(m["mentions"] for m in profile["months"]) == profile["mentions"]
        assert sum(m["articles"] for m in profile["months"]) == profile["articles"]


def test_a_merge_moves_the_actor_days_at_once(tmp_path: Path, sample_dir: Path) -> None:
    db = tmp_path / "s.db"
    ingest(sample_dir, db)
    with Store(db) as store:
        conn = store.conn
        a, b = (
            r[0]
            for r in conn.execute(
                "SELECT actor_id FROM actor_days GROUP BY actor_id "
                "ORDER BY SUM(articles) DESC, actor_id LIMIT 2"
            )
        )
        merge(conn, a, b)
        assert kept(conn)["actors"] == recount(conn)["actors"]
        assert not conn.execute("SELECT 1 FROM actor_days WHERE actor_id = ?", (b,)).fetchone()
