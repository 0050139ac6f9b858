"""The ``count_outlet_copies`` step: per-outlet-pair copy counts kept per batch equal the copy
links counted the slow way and a rebuild, follow deletions and outlet changes, and the outlet
page reads them."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from storyline.analysis.outlets import outlet_profile
from storyline.cli.main import app
from storyline.store import Store
from storyline.store.changes import log_changes, next_batch
from storyline.store.outlet_copies import TABLES, rebuild_all
from storyline.testing import write_corpus
from storyline.update import Updater, default_steps


def kept(conn: sqlite3.Connection) -> dict[tuple[Any, ...], tuple[int, Any, Any]]:
    return {
        (r[0], r[1], r[2], r[3]): (r[4], r[5], r[6])
        for r in conn.execute(
            "SELECT outlet, other, kind, direction, pairs, first, last FROM outlet_copies"
        )
    }


def slow_way(conn: sqlite3.Connection) -> dict[tuple[Any, ...], tuple[int, Any, Any]]:
    """Every copy link seen from each side's outlet, counted in Python from the rows."""
    articles = {
        r[0]: (r[1], r[2][:10] if r[2] else None)
        for r in conn.execute("SELECT id, outlet, published FROM articles")
    }
    days: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for a, b, kind, first in conn.execute("SELECT a, b, kind, first FROM copy_links"):
        (outlet_a, day_a), (outlet_b, day_b) = articles[a], articles[b]
        if first == a:
            day = day_b
        elif first == b:
            day = day_a
        else:
            day = max(d for d in (day_a, day_b) if d) if day_a or day_b else None
        for mine, theirs, own in ((outlet_a, outlet_b, a), (outlet_b, outlet_a, b)):
            if mine is None or (theirs or "") == mine:
                continue
            direction = (
                "unordered" if first == "unknown" else "original" if first == own else "copied"
            )
            days[(mine, theirs, kind, direction)].append(day)
    out = {}
    for key, found in days.items():
        dated = [d for d in found if d]
        out[key] = (len(found), min(dated, default=None), max(dated, default=None))
    return out


def every_table(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: sorted((tuple(r) for r in conn.execute(f"SELECT * FROM {t}")), key=repr) for t in TABLES
    }


def catch_up(store: Store, conn: sqlite3.Connection, changed: list[str]) -> None:
    with conn:
        log_changes(conn, "article", changed, next_batch(conn))
    Updater(store, default_steps()).run()


def test_counts_kept_per_batch_equal_the_links_and_a_rebuild(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 60, fmt="jsonl")
    db = tmp_path / "s.db"
    settings = tmp_path / "storyline.toml"
    settings.write_text("[store]\nbatch_size = 7\n")  # many batches: the counts move per batch
    result = CliRunner().invoke(
        app, ["--db", str(db), "--config", str(settings), "ingest", str(corpus)]
    )
    assert result.exit_code in (0, 1), result.output
    with Store(db) as store:
        conn = store.conn
        counted = kept(conn)
        assert counted == slow_way(conn)
        directions = {key[3] for key in counted}
        assert {"original", "copied"} <= directions, "the corpus has wire copy across outlets"
        assert any(first for _, first, _ in counted.values()), "copies with dates"

        # the outlet page lists exactly the kept relations
        for outlet in {key[0] for key in counted}:
            profile = outlet_profile(conn, outlet)
            shown = {
                ("copied", r["outlet"], r["kind"], r["pairs"], r["first"], r["last"])
                for r in profile["copies"]
            } | {
                ("original", r["outlet"], r["kind"], r["pairs"], r["first"], r["last"])
                for r in profile["copied_by"]
            }
            expected = {
                (direction, other, kind, *value)
                for (mine, other, kind, direction), value in counted.items()
                if mine == outlet and kind != "partial" and direction != "unordered"
            }
            assert shown == expected

        # a rebuild writes the same rows
        everything = every_table(conn)
        with conn:
            rebuild_all(conn)
        assert every_table(conn) == everything

        # an article moved to another outlet moves its links' counts
        moved = conn.execute(
            "SELECT a FROM outlet_copy_links WHERE side = 'a' ORDER BY a LIMIT 1"
        ).fetchone()[0]
        with conn:
            conn.execute("UPDATE articles SET outlet = 'Moved Outlet Daily' WHERE id = ?", (moved,))
        catch_up(store, conn, [moved])
        assert kept(conn) == slow_way(conn)
        assert any(key[0] == "Moved Outlet Daily" for key in kept(conn))

        # a deleted article takes its links back
        gone = conn.execute(
            "SELECT b FROM outlet_copy_links GROUP BY b ORDER BY COUNT(*) DESC, b LIMIT 1"
        ).fetchone()[0]
        with conn:
            conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
        catch_up(store, conn, [gone])
        assert kept(conn) == slow_way(conn)
        assert not conn.execute(
            "SELECT 1 FROM outlet_copy_links WHERE a = ?1 OR b = ?1", (gone,)
        ).fetchone()
