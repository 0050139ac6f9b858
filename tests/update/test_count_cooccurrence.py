"""The ``count_cooccurrence`` step: pair counts kept per batch equal a rebuild from the mentions,
follow deletions and analysts' merges, and the actor page reads them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline.analysis.actors import actor_profile, merge
from storyline.store import Store
from storyline.store.cooccurrence import EVENT_PLACES, TABLES, rebuild_all
from storyline.testing import write_corpus
from storyline.update import Updater, default_steps


def tables(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple]]:
    links = conn.execute("SELECT * FROM cooccurrence_links ORDER BY 1, 2").fetchall()
    pairs = conn.execute("SELECT * FROM cooccurrence ORDER BY 1, 2").fetchall()
    return [tuple(r) for r in links], [tuple(r) for r in pairs]


def every_table(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {
        t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3")] for t in TABLES
    }


def totals_from_rows(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Actor, place and country totals the slow way, from mentions, places and events."""
    actors = conn.execute(
        "SELECT actor_id, COUNT(DISTINCT article_id), COUNT(*) FROM mentions "
        "WHERE actor_id IS NOT NULL GROUP BY actor_id ORDER BY 1"
    ).fetchall()
    located = f"({EVENT_PLACES})"
    places = conn.execute(
        "SELECT p.geonameid, p.kind, p.country, COUNT(DISTINCT p.article_id), COUNT(*), "
        f"(SELECT COUNT(*) FROM {located} e WHERE e.geonameid = p.geonameid "
        "AND e.kind = p.kind) FROM places p GROUP BY p.geonameid, p.kind ORDER BY 1, 2"
    ).fetchall()
    countries = conn.execute(
        "SELECT p.country, COUNT(DISTINCT p.article_id), COUNT(*), (SELECT COUNT(DISTINCT "
        f"e.article_id || '/' || e.seq) FROM {located} e WHERE e.country = p.country) "
        "FROM places p GROUP BY p.country ORDER BY 1"
    ).fetchall()
    return [tuple(r) for r in actors], [tuple(r) for r in places], [tuple(r) for r in countries]


def kept_totals(conn: sqlite3.Connection) -> tuple[list[tuple], list[tuple], list[tuple]]:
    return (
        [tuple(r) for r in conn.execute("SELECT * FROM actor_totals ORDER BY 1")],
        [tuple(r) for r in conn.execute("SELECT * FROM place_totals ORDER BY 1, 2")],
        [tuple(r) for r in conn.execute("SELECT * FROM country_totals ORDER BY 1")],
    )


def from_mentions(
    conn: sqlite3.Connection, without: str | None = None
) -> dict[tuple[str, str], int]:
    """The pair counts computed the slow way, straight from the mentions (of every article but
    ``without``)."""
    by_article: dict[str, set[str]] = {}
    for article_id, actor_id in conn.execute(
        "SELECT article_id, actor_id FROM mentions WHERE actor_id IS NOT NULL "
        "AND article_id IS NOT ?",
        (without,),
    ):
        by_article.setdefault(article_id, set()).add(actor_id)
    out: dict[tuple[str, str], int] = {}
    for actors in by_article.values():
        for a in actors:
            for b in actors:
                if a != b:
                    out[(a, b)] = out.get((a, b), 0) + 1
    return out


def test_counts_kept_per_batch_equal_the_mentions_and_a_rebuild(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, fmt="jsonl")
    db = tmp_path / "s.db"
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(corpus)])
    assert result.exit_code in (0, 1), result.output
    with Store(db) as store:
        conn = store.conn
        kept = tables(conn)
        assert kept[1], "the corpus has articles naming several actors"
        assert kept_totals(conn) == totals_from_rows(conn)
        assert kept_totals(conn)[1], "the corpus names places"
        assert any(r[-1] for r in kept_totals(conn)[2]), "the corpus locates events"
        everything = every_table(conn)
        assert {(a, b): n for a, b, n in kept[1]} == from_mentions(conn)
        # an actor's partners on its page are the table's, most articles first
        hub = conn.execute(
            "SELECT actor_id FROM cooccurrence GROUP BY actor_id ORDER BY SUM(articles) DESC, "
            "actor_id LIMIT 1"
        ).fetchone()[0]
        profile = actor_profile(conn, hub, limit=5)
        counts = from_mentions(conn)
        assert [c["articles"] for c in profile["co_occurring"]] == sorted(
            (n for (a, _), n in counts.items() if a == hub), reverse=True
        )[:5]
        for link in profile["co_links"]:
            assert link["articles"] == counts[(link["a"], link["b"])]
        # a rebuild writes the same rows
        with conn:
            rebuild_all(conn)
        assert every_table(conn) == everything
        # a deleted article takes its part back
        gone = conn.execute(
            "SELECT article_id FROM cooccurrence_links GROUP BY article_id "
            "HAVING COUNT(*) > 2 ORDER BY article_id LIMIT 1"
        ).fetchone()[0]
        with conn:
            conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
        from storyline.store.changes import log_changes, next_batch

        with conn:
            log_changes(conn, "article", [gone], next_batch(conn))
        Updater(store, default_steps()).run()
        assert {(a, b): n for a, b, n in tables(conn)[1]} == from_mentions(conn)
        assert gone not in {r[0] for r in tables(conn)[0]}
        assert kept_totals(conn) == totals_from_rows(conn)


def test_a_merge_moves_the_counts_at_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30, fmt="jsonl")
    db = tmp_path / "s.db"
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(corpus)])
    assert result.exit_code in (0, 1), result.output
    with Store(db) as store:
        conn = store.conn
        a, b = (
            r[0]
            for r in conn.execute(
                "SELECT actor_id FROM cooccurrence GROUP BY actor_id "
                "ORDER BY SUM(articles) DESC, actor_id LIMIT 2"
            )
        )
        merge(conn, a, b)
        assert {(x, y): n for x, y, n in tables(conn)[1]} == from_mentions(conn)
        assert kept_totals(conn)[0] == totals_from_rows(conn)[0]
        assert not conn.execute(
            "SELECT 1 FROM cooccurrence WHERE actor_id = ? OR other_id = ?", (b, b)
        ).fetchone()


def test_an_article_that_fails_leaves_no_part_in_the_batch_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's pair and actor totals are written once, after every article: one that fails
    after writing its links is undone alone and adds nothing, the others are all counted."""
    import storyline.store.cooccurrence as co

    real = co.permutations
    calls = {"n": 0}

    def breaks_once(items: object, r: int) -> object:
        calls["n"] += 1
        if calls["n"] == 1:  # the first article with actors, after its links are written
            raise ValueError("a broken article")
        return real(items, r)  # type: ignore[arg-type]

    monkeypatch.setattr(co, "permutations", breaks_once)
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30, fmt="jsonl")
    db = tmp_path / "s.db"
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(corpus), "--workers", "1"])
    assert result.exit_code in (0, 1), result.output
    with Store(db) as store:
        conn = store.conn
        failed = conn.execute(
            "SELECT key FROM update_failures WHERE step = 'count_cooccurrence'"
        ).fetchall()
        assert len(failed) == 1
        broken = failed[0][0]
        assert conn.execute(
            "SELECT COUNT(*) FROM mentions WHERE article_id = ? AND actor_id IS NOT NULL",
            (broken,),
        ).fetchone()[0], "the failed article names actors"
        links, pairs = tables(conn)
        assert broken not in {r[0] for r in links}, "its links were undone"
        assert len({r[0] for r in links}) > 10, "the other articles were counted"
        assert {(a, b): n for a, b, n in pairs} == from_mentions(conn, without=broken)
        actors = conn.execute(
            "SELECT actor_id, COUNT(DISTINCT article_id), COUNT(*) FROM mentions "
            "WHERE actor_id IS NOT NULL AND article_id != ? GROUP BY actor_id ORDER BY 1",
            (broken,),
        ).fetchall()
        assert kept_totals(conn)[0] == [tuple(r) for r in actors]


def test_partners_met_once_fill_the_page_after_the_indexed_ones(tmp_path: Path) -> None:
    """`co_occurring` reads pairs met twice or more from the partial index and tops the page
    up with pairs met once: the same rows, in the same order, as sorting every pair."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, fmt="jsonl")
    db = tmp_path / "s.db"
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(corpus)])
    assert result.exit_code in (0, 1), result.output
    with Store(db) as store:
        conn = store.conn
        plan = " ".join(
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT other_id FROM cooccurrence WHERE actor_id = 'x' "
                "AND articles >= 2 ORDER BY articles DESC"
            )
        )
        assert "cooccurrence_top" in plan
        mixed = conn.execute(
            "SELECT actor_id FROM cooccurrence GROUP BY actor_id "
            "HAVING MAX(articles) >= 2 AND MIN(articles) = 1 ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()
        assert mixed, "an actor with partners met once and partners met more often"
        actor = mixed[0]
        every = [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT c.articles, x.name FROM cooccurrence c JOIN actors x "
                "ON x.id = c.other_id WHERE c.actor_id = ? ORDER BY c.articles DESC, x.name",
                (actor,),
            )
        ]
        from storyline.store.cooccurrence import co_occurring

        for limit in (1, 3, len(every) - 1, len(every), len(every) + 5):
            got = [(r["articles"], r["name"]) for r in co_occurring(conn, actor, limit)]
            assert got == every[:limit]
