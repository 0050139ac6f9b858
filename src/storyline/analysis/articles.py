"""Reading articles back: the listing, one article with everything known about it, its copies.

`storyline list`, `show` and `copies` print these with ``--json`` and the API returns them, so
the terminal and the workbench show one truth. A lower bound stays a bound everywhere
(``date_not_before``, never merged into ``published``), with where it came from.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.article import Article
from storyline.errors import NotFound, QueryError
from storyline.store import Store
from storyline.store.articles import id_prefix_range, read_paragraphs
from storyline.store.copies import COUNTED_KINDS, links_for, source_count

#: What `storyline show` and the article page say when no article answers to an id.
MISSING = "no article with id {ident!r} (see `storyline list`)"


def list_articles(
    conn: sqlite3.Connection,
    *,
    limit: int = 20,
    outlet: str | None = None,
    language: str | None = None,
    cursor: str | None = None,
) -> Page:
    """Latest articles first; an undated article sorts by its lower bound (as readers see it)."""
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", code="E803")
    query = {"outlet": outlet or None, "language": language or None}
    offset = decode_cursor(cursor, query)
    where, params = [], []  # type: tuple[list[str], list[Any]]
    if outlet:
        where.append("outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if language:
        where.append("language = ?")
        params.append(language)
    filters = "".join(f"AND {w} " for w in where)
    reach = offset + limit + 1
    # Newest first without sorting the store: dated articles come off the day-order index
    # (``articles_day_order``) and stop after the page's reach; undated ones (a few per cent)
    # are sorted by their bound apart; the two are merged on the same key as before.
    sql = (
        "SELECT a.id, a.title, a.outlet, a.published, b.not_before AS date_not_before, "
        "a.language FROM ("
        "SELECT * FROM (SELECT id, substr(published, 1, 10) AS k FROM articles "
        f"WHERE substr(published, 1, 10) IS NOT NULL {filters}"
        "ORDER BY substr(published, 1, 10) DESC, id LIMIT ?) "
        "UNION ALL SELECT * FROM (SELECT a.id, COALESCE(b.not_before, '') AS k FROM articles a "
        "JOIN article_bounds b ON b.article_id = a.id "
        f"WHERE a.published IS NULL {filters}ORDER BY k DESC, a.id LIMIT ?)"
        ") p JOIN articles a ON a.id = p.id JOIN article_bounds b ON b.article_id = a.id "
        "ORDER BY p.k DESC, p.id LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [*params, reach, *params, reach, limit + 1, offset])]
    return page_of(rows, offset, limit, query)


def find_article(store: Store, ident: str, message: str = MISSING) -> Article:
    """The article with id ``ident`` or a unique prefix of one; an ambiguous prefix names the
    candidates instead of pretending nothing matched."""
    article = store.get(ident)
    if article is not None:
        return article
    if ident.replace("%", "").replace("_", ""):
        rows = store.conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            id_prefix_range(ident),
        ).fetchall()
        if len(rows) > 1:
            shown = ", ".join(r[0][:12] + "…" for r in rows[:5])
            raise QueryError(
                f"article id {ident!r} is ambiguous: {shown}{' …' if len(rows) > 5 else ''}; "
                "give more of it",
                code="E802",
            )
    raise NotFound(ident, message.format(ident=ident))


def article_facts(a: Article) -> list[dict[str, Any]]:
    """The article's metadata, each field with how it was found (its provenance). A lower bound
    is its own field, ``not before``, with the evidence and, when another article gave its year,
    which one."""
    prov = a.provenance
    bound_how = "; ".join(
        p
        for p in (
            prov.get("date_not_before"),
            a.date_bound_evidence and f"bound from: {a.date_bound_evidence}",
        )
        if p
    )
    facts = [
        ("title", a.title, prov.get("title")),
        ("id", a.id, None),
        ("outlet", a.outlet, prov.get("outlet")),
        ("url", a.url, prov.get("url")),
        ("published", a.published and f"{a.published} ({a.date_precision})", a.date_source),
        ("not before", a.date_not_before, bound_how or None),
        ("byline", a.byline, prov.get("byline")),
        ("agencies", ", ".join(a.agencies), prov.get("agencies")),
        ("dateline", a.dateline, prov.get("dateline")),
        ("language", a.language and f"{a.language} ({a.language_score})", prov.get("language")),
        ("source", a.source + (f" #{a.record}" if a.record is not None else ""), None),
    ]
    return [{"field": f, "value": v, "how": h} for f, v, h in facts if v]


def article_detail(store: Store, ident: str) -> dict[str, Any]:
    """Everything `storyline show --json` and the article page show: the stored article, its
    metadata with provenance, the linked actors' names, its story, and its copies."""
    article = find_article(store, ident)
    conn = store.conn
    actor_ids = {m.actor_id for m in article.mentions if m.actor_id}
    actor_ids |= {q.speaker_actor for q in article.quotes if q.speaker_actor}
    actor_ids |= {e.source_actor for e in article.events if e.source_actor}
    actor_ids |= {e.target_actor for e in article.events if e.target_actor}
    actors: dict[str, dict[str, Any]] = {}
    for actor_id in sorted(actor_ids):
        row = conn.execute("SELECT name, type FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row:
            actors[actor_id] = {"name": row["name"], "type": row["type"]}
    story = conn.execute(
        "SELECT t.id, t.title, t.n_articles, t.n_sources, t.storyline_id FROM story_articles s "
        "JOIN stories t ON t.id = s.story_id WHERE s.article_id = ?",
        (article.id,),
    ).fetchone()
    copies = copies_report(store, article.id)
    copies.pop("article")
    return {
        **article.as_dict(),
        "facts": article_facts(article),
        "actor_names": actors,
        "story": dict(story) if story else None,
        "copies": copies,
    }


# -- copies --------------------------------------------------------------------------------------


#: Links listed in a copies report at most: copies of the reporting, and partial reuse.
SHOWN_COPIES = 200
SHOWN_PARTIAL = 25


def copies_report(store: Store, article_id: str) -> dict[str, Any]:
    """An article's copy links, oriented from its point of view, with both paragraphs shown.

    Raises `NotFound` when no stored article has that id or unique id prefix, so the command
    prints the coded one-line error like every other lookup.
    """
    article = find_article(
        store,
        article_id,
        "no article with id or unique id prefix {ident!r} (see `storyline list`)",
    )
    conn = store.conn
    every = links_for(conn, article.id)
    # Copies of the reporting are all shown; partial reuse (a shared background paragraph,
    # often many links in template-heavy coverage) is cut to the strongest few, and the
    # counts below and the independent-source count still take every link.
    counted = [link for link in every if link["kind"] in COUNTED_KINDS]
    partial = sorted(
        (link for link in every if link["kind"] not in COUNTED_KINDS),
        key=lambda link: (-float(link.get("score") or 0), link["a"], link["b"]),
    )
    links = counted[:SHOWN_COPIES] + partial[:SHOWN_PARTIAL]
    titles: dict[str, dict[str, Any]] = {}
    paragraphs: dict[str, list[str]] = {article.id: article.paragraphs}
    # the other articles' paragraphs read at once by exact id (a lookup by id or prefix scans
    # the store), and only them: building each whole `Article` (its mentions, quotes, events)
    # cost more than the rest of the report
    others = sorted({i for link in links for i in (link["a"], link["b"])} - {article.id})
    paragraphs.update(read_paragraphs(conn, others))
    for link in links:
        for other in (link["a"], link["b"]):
            if other not in titles:
                row = conn.execute(
                    "SELECT title, outlet, published, b.not_before AS date_not_before "
                    "FROM articles a JOIN article_bounds b ON b.article_id = a.id WHERE a.id = ?",
                    (other,),
                ).fetchone()
                titles[other] = dict(row) if row else {}
            paragraphs.setdefault(other, [])
        other = link["b"] if link["a"] == article.id else link["a"]
        link["other"] = other
        link["relation"] = _relation(article.id, link)
        for span in link["shared"]:
            span["paragraph_a"] = _at(paragraphs[link["a"]], span["para_a"])
            span["paragraph_b"] = _at(paragraphs[link["b"]], span["para_b"])
    ids = [article.id] + [link["b"] if link["a"] == article.id else link["a"] for link in every]
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published,
            "agencies": article.agencies,
        },
        "links": links,
        "articles": titles,
        "independent_sources": source_count(conn, ids),
        "articles_counted": len(set(ids)),
        "copies_of_reporting": len(counted),
        "partial_reuse": len(partial),
        "links_shown": len(links),
    }


def _at(paragraphs: list[str], index: int) -> str:
    return paragraphs[index] if 0 <= index < len(paragraphs) else ""


def _relation(me: str, link: dict[str, Any]) -> str:
    """What the link means, in plain words: a copy of the reporting (one source with its
    original), or partial reuse of some paragraphs (still a separate source)."""
    other = link["b"] if link["a"] == me else link["a"]
    if link["kind"] in COUNTED_KINDS:
        if link["first"] == me:
            return f"{other[:10]} reuses this article's text"
        if link["first"] == other:
            return f"this article reuses {other[:10]}'s text"
        return f"shares text with {other[:10]}; who had it first is unknown"
    n = len(link["shared"])
    some = f"{n} paragraph{'' if n == 1 else 's'}"
    share = f"{link['score']:.0%} of the longer one"
    if link["first"] == me:
        return f"{other[:10]} reuses {some} of this article ({share}); a separate source"
    if link["first"] == other:
        return f"this article reuses {some} of {other[:10]} ({share}); a separate source"
    return (
        f"shares {some} with {other[:10]} ({share}; who had them first is unknown); "
        "a separate source"
    )
