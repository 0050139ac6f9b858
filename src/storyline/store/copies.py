"""Copy links in the store: their tables and reading them back.

The links are written by the update step ``find_copies`` (`storyline.update.find_copies`), which
also owns the ``copy_index`` rows it finds them with; this module only defines and reads them.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from storyline.store.db import migration, run_script

__all__ = [
    "COUNTED_KINDS",
    "COUNTED_SQL",
    "copies_among",
    "copy_pairs",
    "copy_parents",
    "independent_sources",
    "links_for",
    "new_token",
    "source_count",
]


@migration(5, "copy detection: copy links, shared spans, paragraph shingles")
def _v5(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One row per pair of articles that share text. a had it first when known (first = a),
        -- otherwise a is the smaller id and first is 'unknown'.
        CREATE TABLE copy_links (
            a TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            b TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('exact', 'edited_wire', 'partial')),
            first TEXT NOT NULL,
            first_reason TEXT NOT NULL,
            score REAL NOT NULL,
            found_at TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX copy_links_b ON copy_links(b);

        -- The paragraphs the two articles share, with the stretch of a's text they share.
        CREATE TABLE copy_spans (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            para_a INTEGER NOT NULL,
            para_b INTEGER NOT NULL,
            similarity REAL NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (a, b, para_a, para_b),
            FOREIGN KEY (a, b) REFERENCES copy_links(a, b) ON DELETE CASCADE
        );

        -- What the copy index holds per article: the fingerprint of its printed text and the
        -- shingle hashes of its compared paragraphs (packed: index, count, hashes; little-endian).
        CREATE TABLE copy_index (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            shingles BLOB NOT NULL
        );
        """,
    )


@migration(22, "a token naming the copy index's state, for the index saved beside the store")
def _v22(conn: sqlite3.Connection) -> None:
    # `find_copies` saves its in-memory index to a file beside the store and reads it back at
    # the next start (`storyline.cluster.copy_index_file`). The file names this token: a
    # rebuild of the step draws a new one, so a file saved before it is never used after it,
    # and a new store at the same path has a token of its own.
    conn.execute(
        "CREATE TABLE copy_index_file (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO copy_index_file (id, token) VALUES (1, ?)", (new_token(),))


def new_token() -> str:
    """A fresh random token for ``copy_index_file``."""
    return secrets.token_hex(16)


#: Link kinds that make two articles one source: copies of the reporting itself (an exact
#: reprint, an edited wire copy of the body). A ``partial`` link (some paragraphs reused, such as
#: shared background) leaves them two independent sources.
COUNTED_KINDS = ("exact", "edited_wire")
#: `COUNTED_KINDS` as the SQL term of the partial index ``copy_links_counted`` (migration 19,
#: `storyline.store.volume`): a query uses that index only when its WHERE holds this term as
#: written.
COUNTED_SQL = "kind IN ('exact', 'edited_wire')"


# -- reading -------------------------------------------------------------------------------------


def links_for(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """The copy links of one article, each with its shared paragraphs, strongest first."""
    links = [
        dict(r)
        for r in conn.execute(
            "SELECT a, b, kind, first, first_reason, score, found_at FROM copy_links "
            "WHERE a = ? OR b = ? ORDER BY score DESC, a, b",
            (article_id, article_id),
        )
    ]
    for link in links:
        link["shared"] = [
            dict(r)
            for r in conn.execute(
                "SELECT para_a, para_b, similarity, text FROM copy_spans WHERE a = ? AND b = ? "
                "ORDER BY para_a, para_b",
                (link["a"], link["b"]),
            )
        ]
    return links


def copy_pairs(
    conn: sqlite3.Connection,
    article_ids: Iterable[str],
    kinds: Sequence[str] | None = COUNTED_KINDS,
) -> list[tuple[str, str]]:
    """The (a, b) copy links of ``kinds`` (None: every kind) that touch any of
    ``article_ids``; by default the links that make two articles one source."""
    ids = sorted(set(article_ids))
    # the kinds are compared in SQL: the articles around a wire story have hundreds of partial
    # links each, and reading them all into Python to drop them cost ~40 ms an article page
    kind_params: list[str] = []
    if kinds is None:
        of_kind = ""
    elif tuple(kinds) == COUNTED_KINDS:
        of_kind = f"{COUNTED_SQL} AND "  # as written: the partial index ``copy_links_counted``
    else:
        of_kind, kind_params = f"kind IN ({','.join('?' * len(kinds))}) AND ", list(kinds)
    pairs: list[tuple[str, str]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        pairs.extend(
            (r[0], r[1])
            for r in conn.execute(
                f"SELECT a, b FROM copy_links WHERE {of_kind}(a IN ({marks}) OR b IN ({marks}))",
                [*kind_params, *chunk, *chunk],
            )
        )
    return pairs


def independent_sources(article_ids: Iterable[str], links: Iterable[tuple[str, str]]) -> int:
    """How many independent sources ``article_ids`` represent: copies count once.

    Articles joined by copy links (directly or through a chain) form one source; ``links`` are
    (a, b) pairs, as read from the store or taken from `CopyLink` objects: pass only links of
    `COUNTED_KINDS` (partial reuse does not make two articles one source).
    """
    ids = set(article_ids)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return len({find(i) for i in ids})


def source_count(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Independent sources among ``article_ids``: articles joined by copies of the reporting
    (`COUNTED_KINDS`) count once; partial reuse of some paragraphs does not merge them."""
    ids = sorted(set(article_ids))
    return independent_sources(ids, copy_pairs(conn, ids))


def copies_among(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """Articles that copy another of ``ids`` (exact reprints, edited wire copy): copy -> original.

    The original is the side copy detection found first; when it could not tell, the smaller
    id. Partial overlaps (a shared paragraph) do not make an article a copy.
    """
    if not ids:
        return {}
    wanted = set(ids)
    out: dict[str, dict[str, str]] = {}
    for start in range(0, len(ids), 400):
        chunk = list(ids[start : start + 400])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT a, b, kind, first FROM copy_links WHERE kind != 'partial' "
            f"AND (a IN ({marks}) OR b IN ({marks}))",
            chunk + chunk,
        )
        for a, b, kind, first in rows:
            if a not in wanted or b not in wanted:
                continue
            original = b if first == b else a
            copy = a if original == b else b
            out.setdefault(copy, {"of": original, "kind": kind})
    return out


def copy_parents(
    conn: sqlite3.Connection, ids: Sequence[str], *, reverse: bool = False
) -> dict[str, list[tuple[str, str]]]:
    """The originals each of ``ids`` copies (exact reprints, edited wire copy), as (original,
    kind), from the article's own links only; with ``reverse``, the copies of each instead.

    For readers that look at a bounded set of articles (a search page) rather than at a set
    given whole (`copies_among`): the other side of a link may be any article. The original is
    the side copy detection found first; when it could not tell, the smaller id.
    """
    wanted = set(ids)
    out: dict[str, list[tuple[str, str]]] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 400):
        chunk = ordered[start : start + 400]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT a, b, kind, first FROM copy_links WHERE kind != 'partial' AND a IN ({marks}) "
            f"UNION SELECT a, b, kind, first FROM copy_links WHERE kind != 'partial' "
            f"AND b IN ({marks})",
            chunk + chunk,
        )
        for a, b, kind, first in rows:
            original = b if first == b else a
            copy = a if original == b else b
            mine, other = (original, copy) if reverse else (copy, original)
            if mine in wanted:
                out.setdefault(mine, []).append((other, kind))
    for found in out.values():
        found.sort()
    return out
