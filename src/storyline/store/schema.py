"""Schema migrations, in order. Later capabilities append their own with higher versions."""

from __future__ import annotations

import sqlite3

from storyline.store.db import migration, run_script


@migration(1, "articles, raw inputs, removed text, agencies, ingest checkpoint, FTS5 index")
def _v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            source TEXT NOT NULL,
            record INTEGER,
            url TEXT,
            canonical_url TEXT,
            title TEXT,
            text TEXT NOT NULL,
            outlet TEXT,
            byline TEXT,
            dateline TEXT,
            published TEXT,
            date_precision TEXT,
            date_source TEXT,
            date_not_before TEXT,
            date_bound_evidence TEXT,
            language TEXT,
            language_score REAL,
            encoding TEXT,
            data TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_outlet ON articles(outlet COLLATE NOCASE);
        CREATE INDEX articles_language ON articles(language);
        CREATE INDEX articles_url ON articles(canonical_url);

        CREATE TABLE article_agencies (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            agency TEXT NOT NULL,
            PRIMARY KEY (article_id, agency)
        );
        CREATE INDEX article_agencies_agency ON article_agencies(agency COLLATE NOCASE);

        CREATE TABLE removed_text (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            reason TEXT NOT NULL,
            line INTEGER,
            text TEXT NOT NULL,
            PRIMARY KEY (article_id, seq)
        );

        -- The raw input, zlib-compressed, so `storyline reprocess` needs no original files.
        CREATE TABLE raw_inputs (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            record INTEGER,
            format TEXT NOT NULL,
            fields TEXT NOT NULL,
            raw BLOB NOT NULL
        );

        -- The ingest checkpoint: one row per input (file, or record of a JSON Lines file),
        -- written in the same transaction as the articles it produced.
        CREATE TABLE sources (
            key TEXT PRIMARY KEY,
            raw_hash TEXT,
            article_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
            status TEXT NOT NULL CHECK (status IN ('stored', 'skipped', 'failed')),
            reason TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX sources_article ON sources(article_id);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """,
    )
