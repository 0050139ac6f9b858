"""The embedded store: SQLite schema with recorded migrations, writes, FTS5 search, export."""

from storyline.store.articles import Store, WriteResult

__all__ = ["Store", "WriteResult"]
