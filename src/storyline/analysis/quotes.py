"""Who said what: attributed quotes with their speakers resolved to today's canonical actors.

The quote stage stores the speaker's *key* as it stood when the article was read (``org:fo``,
``ebrahim-raisi``); acronyms decided later, analysts' merges and splits change which actor that
key means. So a quote's actor is read through the store's linking: the linked mention under the
speaker's words in the same article, else a mention with the same key there, else the key
followed through redirects and merges. A filter by actor compares against that, which is why
``--by Qomi`` finds the quotes of Hassan Kazemi-Qomi however each article spelled him.

Only direct quotes are verbatim; indirect ones are reported speech (``kind``), and pages and
tables must not put quotation marks around them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.errors import QueryError
from storyline.store.actors import actor_names, keys_of, mention_keys, resolve
from storyline.store.quotes import QUOTE_COLUMNS

__all__ = ["QUOTE_KINDS", "ROW_COLUMNS", "list_quotes", "speaker_key_sql"]

QUOTE_KINDS = ("direct", "indirect", "mixed")
#: The keys of each row `list_quotes` returns, in order.
ROW_COLUMNS = (
    *QUOTE_COLUMNS, "speaker_id", "speaker_name", "title", "outlet", "published", "not_before",
)  # fmt: skip

#: The speaker's linked mention in the same article: the resolved speaker's own mention inside the
#: speaker's words (a source phrase may open with another name: "Iran's special envoy Hassan
#: Kazemi-Qomi"), else under the words' start, else the same key (the spelling as written first);
#: NULL when the quote has no linked speaker.
SPEAKER_MENTION = (
    "CASE WHEN q.speaker_actor IS NULL THEN NULL ELSE COALESCE("
    "(SELECT m.actor_id FROM mentions m WHERE m.article_id = q.article_id "
    "AND m.key = q.speaker_actor AND m.actor_id IS NOT NULL AND q.speaker_start >= 0 "
    "AND m.start >= q.speaker_start AND m.start < q.speaker_end ORDER BY m.seq LIMIT 1), "
    "(SELECT m.actor_id FROM mentions m WHERE m.article_id = q.article_id "
    "AND m.actor_id IS NOT NULL AND q.speaker_start >= 0 AND m.start <= q.speaker_start "
    'AND q.speaker_start < m."end" ORDER BY m.seq LIMIT 1), '
    "(SELECT m.actor_id FROM mentions m WHERE m.article_id = q.article_id "
    "AND m.key = q.speaker_actor AND m.actor_id IS NOT NULL "
    "AND m.text = q.speaker COLLATE NOCASE LIMIT 1), "
    "(SELECT m.actor_id FROM mentions m WHERE m.article_id = q.article_id "
    "AND m.key = q.speaker_actor AND m.actor_id IS NOT NULL ORDER BY m.seq LIMIT 1), "
    "q.speaker_actor) END"
)


#: An article's effective lower bound as the ``article_bounds`` view computes it, inline over
#: ``articles a LEFT JOIN context_bounds c``: a LEFT JOIN of the view is materialised over every
#: article row (text included) whenever the planner cannot push the join into it.
_BOUND = (
    "CASE WHEN c.not_before IS NOT NULL AND (a.date_not_before IS NULL "
    "OR c.not_before > a.date_not_before) THEN c.not_before ELSE a.date_not_before END"
)


#: Below this many quotes of the asked kind, a page of them is sorted off ``quotes_kind``
#: rather than walked to in date order.
RARE_KIND = 2000


def _fewer_than(conn: sqlite3.Connection, n: int, kind: str) -> bool:
    """Whether fewer than ``n`` quotes are of ``kind`` (at most ``n`` index entries read)."""
    found = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM quotes INDEXED BY quotes_kind WHERE kind = ? LIMIT ?)",
        (kind, n),
    ).fetchone()[0]
    return bool(found < n)


def speaker_key_sql() -> str:
    """The SQL expression (over ``quotes q``) for a quote's speaker as linked in its article."""
    return SPEAKER_MENTION


def _marks(values: set[str]) -> str:
    return ",".join("?" * len(values))


def list_quotes(
    conn: sqlite3.Connection,
    *,
    actor: str | None = None,
    kind: str | None = None,
    article: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Quotes, newest first (an undated article by its lower bound), each with its speaker's
    canonical actor (``speaker_id``, ``speaker_name``) and its article's title, outlet and date.

    ``actor`` is a canonical actor id (resolve names with `analysis.actors.match_actor` first);
    ``kind`` is direct, indirect or mixed; ``article`` an article id."""
    where: list[str] = []
    params: list[Any] = []
    outer = ""
    outer_params: list[Any] = []
    if kind:
        if kind not in QUOTE_KINDS:
            raise QueryError(
                f"unknown quote kind {kind!r}; use one of {', '.join(QUOTE_KINDS)}", code="E800"
            )
        # unary plus: the term never picks ``quotes_kind`` (whose range is most of the store
        # for a common kind), except where a rare kind is read off it on purpose, below
        where.append("+q.kind = ?")
        params.append(kind)
    if article:
        where.append("q.article_id = ?")
        params.append(article)
    if actor:
        targets = keys_of(conn, actor)
        candidates = targets | mention_keys(conn, actor)
        where.append(f"q.speaker_actor IS NOT NULL AND q.speaker_actor IN ({_marks(candidates)})")
        params += sorted(candidates)
        outer = f"WHERE speaker_key IN ({_marks(targets)}) "
        outer_params = sorted(targets)
    if not actor and limit is not None:
        # the page's quotes picked first, on the columns the order needs: the speaker lookups
        # (two subqueries per quote) then run for the page, not for every quote in the store.
        # Dated articles come newest first off ``articles_published_order`` and the walk stops
        # after the page's reach (sorting every quote cost ~1 s at 100,000 articles); undated
        # articles (a few per cent) are sorted by the bound apart (`_BOUND`), and only the
        # first ones with a quote that can fill the page are read for their quotes (sorting
        # every quote of every undated article cost ~45 ms at 100,000); the two are merged on
        # the page's key.
        # A kind that few quotes have (none, in a store without direct quotes) is read off
        # ``quotes_kind`` (migration 20) and its quotes sorted: the walk would read them all.
        filters = "".join(f"AND {w} " for w in where)
        dated = "articles a JOIN quotes q ON q.article_id = a.id"
        lead: list[Any] = []
        has = f"EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = y.id {filters})"
        if kind and not article and _fewer_than(conn, RARE_KIND, kind):
            dated = (
                "quotes q INDEXED BY quotes_kind CROSS JOIN articles a ON a.id = q.article_id "
                "AND q.kind = ?"
            )
            has = (
                "y.id IN (SELECT q.article_id FROM quotes q INDEXED BY quotes_kind "
                f"WHERE q.kind = ? {filters})"
            )
            lead = [kind]
        pick = (
            "SELECT rowid FROM ("
            "SELECT * FROM (SELECT q.rowid, a.published AS k, a.id AS article_id, q.seq "
            f"FROM {dated} "
            f"WHERE a.published IS NOT NULL {filters}"
            "ORDER BY a.published DESC, a.id, q.seq LIMIT ?) "
            "UNION ALL SELECT * FROM (SELECT q.rowid, u.k, q.article_id, q.seq FROM ("
            # the undated ids off the published index, their bounds off ``articles_listing``
            # (both covering: the bound read from the row walked its text's overflow pages)
            f"SELECT y.id, COALESCE({_BOUND}, '') AS k FROM articles y "
            "CROSS JOIN articles a ON a.id = y.id "
            "LEFT JOIN context_bounds c ON c.article_id = a.id WHERE y.published IS NULL "
            f"AND {has} "
            "ORDER BY k DESC, y.id LIMIT ?) u CROSS JOIN quotes q ON q.article_id = u.id "
            f"WHERE 1 {filters}ORDER BY u.k DESC, q.article_id, q.seq LIMIT ?)"
            ") ORDER BY k DESC, article_id, seq LIMIT ? OFFSET ?"
        )
        reach = int(limit) + int(offset)
        params = [
            *(lead + params),
            reach,
            *(lead + params),
            reach,
            *params,
            reach,
            int(limit),
            int(offset),
        ]
        offset = 0
        where = [f"q.rowid IN ({pick})"]
    inner = (
        "SELECT " + ", ".join(f'q."{c}"' for c in QUOTE_COLUMNS) + ", "
        + SPEAKER_MENTION + " AS speaker_key, a.title, a.outlet, a.published, "
        "CASE WHEN a.published IS NULL THEN " + _BOUND + " END AS not_before "
        "FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN context_bounds c ON c.article_id = a.id "
        + (f"WHERE {' AND '.join(where)} " if where else "")
    )  # fmt: skip
    sql = (
        f"SELECT * FROM ({inner}) {outer}"
        "ORDER BY COALESCE(published, not_before, '') DESC, article_id, seq"
        + (" LIMIT ? OFFSET ?" if limit is not None else "")
    )
    tail = [int(limit), int(offset)] if limit is not None else []
    rows = [dict(r) for r in conn.execute(sql, [*params, *outer_params, *tail])]
    resolved: dict[str, str] = {}
    for r in rows:
        key = r.pop("speaker_key")
        if key is not None and key not in resolved:
            resolved[key] = resolve(conn, key)
        r["speaker_id"] = resolved.get(key) if key is not None else None
    names = actor_names(conn, (r["speaker_id"] for r in rows if r["speaker_id"]))
    out = []
    for r in rows:
        r["speaker_name"] = names.get(r["speaker_id"]) if r["speaker_id"] else None
        if r["speaker_id"] not in names:
            r["speaker_id"] = None  # a key with no actor row (never linked): not a page to open
        out.append({c: r[c] for c in ROW_COLUMNS})
    return out
