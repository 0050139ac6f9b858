"""The embedded store: SQLite schema with recorded migrations, writes, FTS5 search, export."""

from storyline.store import team as _team  # noqa: F401  (registers the team tables' migration)
from storyline.store.articles import Store, WriteResult

__all__ = ["Store", "WriteResult"]
