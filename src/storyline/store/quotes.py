"""Quotes and places in the store: their tables, child-row writers, and queries.

Quotes and places also live in each article's ``data`` JSON (``quotes`` and ``extras.places``);
the tables exist so that "everything Raisi said" or "every article placed in Kerman" is an
indexed query rather than a scan. The writers run inside the batch transaction of
`Store.write_batch`, so an article and its quotes and places are committed together; re-writing
an article replaces them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from storyline.article import Article
from storyline.store.articles import CHILD_WRITERS
from storyline.store.db import migration, run_script

__all__ = ["PLACE_COLUMNS", "QUOTE_COLUMNS", "query_places", "wording_key", "write_places",
           "write_quotes"]  # fmt: skip

#: Columns of the quotes table, in their stored order.
QUOTE_COLUMNS = (
    "article_id", "seq", "speaker", "speaker_actor", "text", "start", "end", "cue", "kind",
    "sentence", "speaker_start", "speaker_end", "cue_start", "cue_end", "rule",
)  # fmt: skip
PLACE_COLUMNS = (
    "article_id", "seq", "name", "canonical", "kind", "country", "lat", "lon", "geonameid",
    "population", "start", "end", "sentence", "rule", "score",
)  # fmt: skip


@migration(3, "quotes with their speakers, and resolved places")
def _v3(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One row per attributed quote; start/end span the content in articles.text.
        CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            speaker TEXT,
            speaker_actor TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            cue TEXT,
            kind TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            speaker_start INTEGER NOT NULL DEFAULT -1,
            speaker_end INTEGER NOT NULL DEFAULT -1,
            cue_start INTEGER NOT NULL DEFAULT -1,
            cue_end INTEGER NOT NULL DEFAULT -1,
            rule TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX quotes_speaker ON quotes(speaker COLLATE NOCASE);
        CREATE INDEX quotes_speaker_actor ON quotes(speaker_actor COLLATE NOCASE);

        -- One row per resolved place mention (start = -1: the dateline, not found in the text).
        CREATE TABLE places (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            canonical TEXT NOT NULL,
            kind TEXT NOT NULL,
            country TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            geonameid INTEGER NOT NULL,
            population INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            rule TEXT NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX places_country ON places(country);
        CREATE INDEX places_geonameid ON places(geonameid);
        CREATE INDEX places_canonical ON places(canonical COLLATE NOCASE);
        """,
    )


def wording_key(text: str) -> int:
    """A quote's wording as a 64-bit key: its text lower-cased with runs of white space as one
    space, hashed. Copies repeat a quote word for word; a story page counts how many articles
    carry each wording from these keys (``quotes.wording``, migration 15) instead of reading
    and normalising every quote's text."""
    norm = " ".join(text.lower().split())
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def write_quotes(conn: sqlite3.Connection, article: Article) -> None:
    """Replace an article's quote rows (called inside the batch write transaction)."""
    conn.execute("DELETE FROM quotes WHERE article_id = ?", (article.id,))
    conn.executemany(
        'INSERT INTO quotes (article_id, seq, speaker, speaker_actor, text, start, "end", cue, '
        "kind, sentence, speaker_start, speaker_end, cue_start, cue_end, rule, wording) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (article.id, seq, q.speaker, q.speaker_actor, q.text, q.start, q.end, q.cue, q.kind,
             q.sentence, q.speaker_start, q.speaker_end, q.cue_start, q.cue_end, q.rule,
             wording_key(q.text))
            for seq, q in enumerate(article.quotes)
        ],
    )  # fmt: skip


def write_places(conn: sqlite3.Connection, article: Article) -> None:
    """Replace an article's place rows from ``extras["places"]``."""
    conn.execute("DELETE FROM places WHERE article_id = ?", (article.id,))
    places = article.extras.get("places") or []
    conn.executemany(
        'INSERT INTO places (article_id, seq, name, canonical, kind, country, lat, lon, '
        'geonameid, population, start, "end", sentence, rule, score) '
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (article.id, seq, p["name"], p["canonical"], p["kind"], p["country"], p["lat"],
             p["lon"], p["geonameid"], p["population"], p["start"], p["end"], p["sentence"],
             p["rule"], p["score"])
            for seq, p in enumerate(places)
            if isinstance(p, dict)
        ],
    )  # fmt: skip


for _writer in (write_quotes, write_places):
    if _writer not in CHILD_WRITERS:
        CHILD_WRITERS.append(_writer)


def query_places(
    conn: sqlite3.Connection, *, country: str | None = None, limit: int | None = 50
) -> list[dict[str, Any]]:
    """Resolved places, most mentioned first: name, country, coordinates and article count."""
    where = "WHERE p.country = ? " if country else ""
    params: list[Any] = [country.upper()] if country else []
    sql = (
        "SELECT p.canonical, p.kind, p.country, p.lat, p.lon, p.geonameid, "
        "COUNT(*) AS mentions, COUNT(DISTINCT p.article_id) AS articles FROM places p "
        + where + "GROUP BY p.geonameid, p.kind ORDER BY mentions DESC, p.canonical"
        + (" LIMIT ?" if limit is not None else "")
    )  # fmt: skip
    if limit is not None:
        params.append(int(limit))
    return [dict(row) for row in conn.execute(sql, params)]
