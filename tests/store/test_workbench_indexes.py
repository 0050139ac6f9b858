"""Migration 19's and 20's indexes answer what a scan answers: an article's independent sources
over the counted copy links (``copy_links_counted``), events filtered by actor
(``events_source_key``, ``events_target_key``), an actor's mention keys skipping along
``mentions_actor_text_key``, pages of events in date order (``events_date_order``) and of
quotes by kind (``quotes_kind``); and the queries use them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storyline import config
from storyline.analysis import events, quotes
from storyline.analysis.events import RARE_TYPES, _fewer_than, list_events
from storyline.analysis.quotes import QUOTE_KINDS, list_quotes
from storyline.ingest import ingest_paths
from storyline.store import Store
from storyline.store.actors import mention_keys
from storyline.store.copies import COUNTED_KINDS, copy_pairs, independent_sources, source_count


def ingested(tmp_path: Path, sample_dir: Path) -> Store:
    db = tmp_path / "s.db"
    settings = config.load(None, {"store": {"db": str(db)}}, environ={})
    store = Store(db, settings=settings)
    ingest_paths([str(sample_dir)], store, settings)
    return store


def plan(conn: sqlite3.Connection, sql: str, params: list[str]) -> str:
    return " / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_counted_copy_links_equal_a_scan_and_use_their_index(
    tmp_path: Path, sample_dir: Path
) -> None:
    with ingested(tmp_path, sample_dir) as store:
        conn = store.conn
        links = conn.execute("SELECT a, b, kind FROM copy_links").fetchall()
        assert {r[2] for r in links} & set(COUNTED_KINDS), "the sample has copies"
        assert {r[2] for r in links} - set(COUNTED_KINDS), "and partial reuse"
        counted = sorted((a, b) for a, b, kind in links if kind in COUNTED_KINDS)
        every = sorted({x for a, b, _ in links for x in (a, b)})
        assert sorted(copy_pairs(conn, every)) == counted
        assert sorted(copy_pairs(conn, every, kinds=None)) == sorted((a, b) for a, b, _ in links)
        assert sorted(copy_pairs(conn, every, kinds=("partial",))) == sorted(
            (a, b) for a, b, kind in links if kind == "partial"
        )
        for article in every[:40]:
            around = [article] + [
                b if a == article else a for a, b, _ in links if article in (a, b)
            ]
            assert source_count(conn, around) == independent_sources(around, counted)
        used = plan(
            conn,
            "SELECT a, b FROM copy_links WHERE kind IN ('exact', 'edited_wire') "
            "AND (a IN (?) OR b IN (?))",
            [every[0], every[0]],
        )
        assert "copy_links_counted" in used


def test_events_by_actor_equal_a_filter_of_every_event_and_use_the_key_indexes(
    tmp_path: Path, sample_dir: Path
) -> None:
    with ingested(tmp_path, sample_dir) as store:
        conn = store.conn
        every = list_events(conn, limit=None)
        actors = sorted(
            {r[s] for r in every for s in ("source_id", "target_id") if r[s] is not None}
        )
        assert actors, "the sample has events with linked actors"
        for actor in actors:
            assert list_events(conn, actor=actor, limit=None) == [
                r for r in every if actor in (r["source_id"], r["target_id"])
            ]
        used = plan(
            conn,
            "SELECT rowid FROM events e WHERE e.source_actor IN (?) OR e.target_actor IN (?)",
            [actors[0], actors[0]],
        )
        assert "events_source_key" in used and "events_target_key" in used


def test_mention_keys_skip_along_the_index_and_equal_a_distinct(db_path: Path) -> None:
    with Store(db_path) as store:
        conn = store.conn
        conn.execute("PRAGMA foreign_keys = OFF")
        spelled = [
            ("hub", "Tehran", "tehran"),
            ("hub", "Tehran", None),
            ("hub", "TEHRAN", "tehran"),
            ("hub", "TEHRAN", "iran-capital"),
            ("hub", "the capital", None),
            ("hub", "Tehran’s", "tehran-s"),
            ("hub", "", ""),
            ("other", "Tehran", "other-key"),
            (None, "Tehran", "unlinked"),
        ]
        with conn:
            for seq, (actor, text, key) in enumerate(spelled * 3):
                conn.execute(
                    'INSERT INTO mentions (article_id, seq, start, "end", text, label, '
                    "sentence, key, actor_id, rule, link) VALUES ('a1', ?, 0, 1, ?, 'GPE', 0, "
                    "?, ?, 'test', 'test')",
                    (seq, text, key, actor),
                )
        for actor in ("hub", "other", "nobody"):
            distinct = {
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT key FROM mentions WHERE actor_id = ? AND key IS NOT NULL",
                    (actor,),
                )
            }
            assert mention_keys(conn, actor) == distinct
        assert mention_keys(conn, "hub") == {"tehran", "iran-capital", "tehran-s", ""}


def test_event_pages_are_slices_of_every_event_in_order_and_walk_the_date_index(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of events (picked first off ``events_date_order``, or off ``events_type`` for
    types few events have: migration 20) is the slice of the whole list at its offset, with
    every filter but the actor's."""
    with ingested(tmp_path, sample_dir) as store:
        conn = store.conn
        every = list_events(conn, limit=None)
        assert len(every) > 12, "the sample codes events"
        types = sorted({r["type"] for r in every})
        dates = sorted({r["date"] for r in every if r["date"]})
        filters: list[dict[str, Any]] = [
            {},
            {"types": types[:1]},
            {"types": types[-2:]},
            {"types": ["PROTEST"] if "PROTEST" not in types else ["MOBILIZE"]},
            {"since": dates[len(dates) // 2]},
            {"until": dates[len(dates) // 2][:7]},
            {"article": every[0]["article_id"]},
        ]
        for rare in (RARE_TYPES, 1):  # types sorted off their index, then walked to
            monkeypatch.setattr(events, "RARE_TYPES", rare)
            for chosen in filters:
                whole = list_events(conn, limit=None, **chosen)
                for limit, offset in ((5, 0), (5, 5), (7, 3), (50, 0), (3, len(whole) - 2)):
                    page = list_events(conn, limit=limit, offset=max(offset, 0), **chosen)
                    assert page == whole[max(offset, 0) : max(offset, 0) + limit], chosen
        assert _fewer_than(conn, RARE_TYPES, types[:1]), "the sample's types are rare"
        assert not _fewer_than(conn, 2, types)
        used = plan(
            conn,
            "SELECT e.rowid FROM events e INDEXED BY events_date_order "
            "ORDER BY COALESCE(e.date, '') DESC, e.article_id, e.seq LIMIT 5",
            [],
        )
        assert "events_date_order" in used and "TEMP B-TREE" not in used


def test_quote_pages_by_kind_are_slices_of_every_quote_of_the_kind(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of quotes of one kind, walked to in date order or (a kind few quotes have) read
    off ``quotes_kind`` and sorted (migration 20), is the slice of the whole list."""
    with ingested(tmp_path, sample_dir) as store:
        conn = store.conn
        every = list_quotes(conn, limit=None)
        assert {q["kind"] for q in every} >= {"direct", "indirect"}, "the sample has both"
        for rare in (quotes.RARE_KIND, 1):
            monkeypatch.setattr(quotes, "RARE_KIND", rare)
            for kind in QUOTE_KINDS:
                whole = [q for q in every if q["kind"] == kind]
                assert list_quotes(conn, kind=kind, limit=None) == whole
                for limit, offset in ((5, 0), (5, 5), (7, 3), (50, 0), (3, len(whole) - 2)):
                    page = list_quotes(conn, kind=kind, limit=limit, offset=max(offset, 0))
                    assert page == whole[max(offset, 0) : max(offset, 0) + limit], kind
        used = plan(
            conn,
            "SELECT q.rowid FROM quotes q INDEXED BY quotes_kind WHERE q.kind = ?",
            ["direct"],
        )
        assert "quotes_kind" in used
