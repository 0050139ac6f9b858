"""Stories and storylines as an analyst reads them: listings, one story, one storyline.

The rows here are what ``storyline stories|story|storylines|storyline --json`` print and what
``/api/v1/stories…`` and ``/api/v1/storylines…`` return, so the terminal and the workbench never
disagree. Two rules shape them:

* A lower bound is never a date. The stored ``stories.first_seen``/``last_seen`` mix publication
  dates with the bounds of undated articles (the clusterer needs one time axis); readers get them
  apart: ``first_seen``/``last_seen`` from published articles only, ``first_bound``/
  ``last_bound`` from the bounds of undated ones (the effective bound, context included), and
  ``n_undated``/``n_bounded``. Listings are still sorted by the value of whichever is latest, as
  the issue asks ("sorted by its value").
* What was said is shown as it was said: events keep their ``mode`` (negated, future,
  hypothetical, intent) and quotes their ``kind`` (only ``direct`` quotes are verbatim).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import pycountry

from storyline.analysis.filters import check_day
from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.article import ACTOR_LABELS, PLACE_LABELS
from storyline.errors import NotFound
from storyline.store.actors import resolve
from storyline.store.copies import copies_among

__all__ = [
    "date_fields",
    "list_stories",
    "list_storylines",
    "story_detail",
    "storyline_detail",
    "weekly_volume",
]

#: Actors and places listed on a story; quotes, events and places are all kept.
STORY_ACTORS = 25

# -- dates ---------------------------------------------------------------------------------------

#: Per group: published span, bound span of the undated, and how many are undated / bounded.
_DATE_COLUMNS = (
    "MIN(substr(a.published, 1, 10)) AS first_seen, "
    "MAX(substr(a.published, 1, 10)) AS last_seen, "
    "MIN(CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END) AS first_bound, "
    "MAX(CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END) AS last_bound, "
    "SUM(a.published IS NULL) AS n_undated, "
    "SUM(a.published IS NULL AND b.not_before IS NOT NULL) AS n_bounded"
)
_NO_DATES = {
    "first_seen": None,
    "last_seen": None,
    "first_bound": None,
    "last_bound": None,
    "n_undated": 0,
    "n_bounded": 0,
}


def date_fields(conn: sqlite3.Connection, ids: Sequence[str], level: str) -> dict[str, dict]:
    """Dates of stories (``level="story"``) or storylines, published and bounds apart."""
    if not ids:
        return {}
    group = "sa.story_id" if level == "story" else "s.storyline_id"
    join = "" if level == "story" else "JOIN stories s ON s.id = sa.story_id "
    out: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT {group} AS id, {_DATE_COLUMNS} FROM story_articles sa {join}"
            "JOIN articles a ON a.id = sa.article_id "
            "JOIN article_bounds b ON b.article_id = a.id "
            f"WHERE {group} IN ({marks}) GROUP BY {group}",
            chunk,
        ):
            item = dict(row)
            out[item.pop("id")] = item
    return out


def _until_key(until: str) -> str:
    """``until`` as an inclusive upper key for ``YYYY-MM-DD`` strings ("2024-03" → "2024-03-99")."""
    return until + "-99-99"[: 10 - len(until)] if len(until) < 10 else until


#: Exact first/last keys (date or bound, by value) of the groups holding a context bound; every
#: other group's stored first_seen/last_seen already are exactly that.
_KEYS_CTE = """
WITH ctx AS (
    SELECT DISTINCT {group} AS id FROM context_bounds c
    JOIN story_articles sa ON sa.article_id = c.article_id {join}
), exact AS (
    SELECT {group} AS id,
           MIN(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10))) AS first_key,
           MAX(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10))) AS last_key
    FROM story_articles sa {join}
    JOIN articles a ON a.id = sa.article_id JOIN article_bounds b ON b.article_id = a.id
    WHERE {group} IN (SELECT id FROM ctx) GROUP BY {group}
)
"""


def _keys_cte(level: str) -> str:
    if level == "story":
        return _KEYS_CTE.format(group="sa.story_id", join="")
    return _KEYS_CTE.format(group="s.storyline_id", join="JOIN stories s ON s.id = sa.story_id")


def _filters(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append("last_key >= ?")
        params.append(since)
    if until:
        where.append("first_key <= ?")
        params.append(_until_key(until))
    return where, params


# -- listings ------------------------------------------------------------------------------------


def list_stories(
    conn: sqlite3.Connection,
    *,
    limit: int = 20,
    storyline: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
) -> Page:
    """Latest stories first (by their latest date or bound), with counts, dates, outlets.

    ``since``/``until`` keep stories whose span (dates and bounds, by value) reaches into the
    range; ``storyline`` takes an id or a unique prefix.
    """
    since, until = (
        check_day("--since", since, partial=True),
        check_day("--until", until, partial=True),
    )
    line_id = _resolve_or_fail(conn, "storylines", storyline) if storyline else None
    query = {"list": "stories", "storyline": line_id, "since": since, "until": until}
    offset = decode_cursor(cursor, query)
    where, params = _filters(since, until)
    if line_id:
        where.append("storyline_id = ?")
        params.append(line_id)
    sql = (
        _keys_cte("story")
        + "SELECT * FROM (SELECT s.id, s.title, s.n_articles, s.n_sources, s.storyline_id, "
        "l.title AS storyline_title, COALESCE(e.first_key, s.first_seen) AS first_key, "
        "COALESCE(e.last_key, s.last_seen) AS last_key FROM stories s "
        "LEFT JOIN exact e ON e.id = s.id LEFT JOIN storylines l ON l.id = s.storyline_id) "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY last_key IS NULL, last_key DESC, n_articles DESC, id LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [*params, int(limit) + 1, offset])]
    page = page_of(rows, offset, int(limit), query)
    ids = [r["id"] for r in page.items]
    dates = date_fields(conn, ids, "story")
    outlets = _story_outlets(conn, ids)
    page.items = [
        {
            "id": r["id"],
            "title": r["title"],
            **dates.get(r["id"], _NO_DATES),
            "n_articles": r["n_articles"],
            "n_sources": r["n_sources"],
            "outlets": outlets.get(r["id"], []),
            "storyline_id": r["storyline_id"],
            "storyline_title": r["storyline_title"],
        }
        for r in page.items
    ]
    return page


def _story_outlets(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """Each story's outlets, most articles first."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[str, list[str]] = defaultdict(list)
    for story_id, outlet in conn.execute(
        "SELECT sa.story_id, COALESCE(a.outlet, '(unknown outlet)') AS o FROM story_articles sa "
        f"JOIN articles a ON a.id = sa.article_id WHERE sa.story_id IN ({marks}) "
        "GROUP BY sa.story_id, o ORDER BY sa.story_id, COUNT(*) DESC, o",
        list(ids),
    ):
        out[story_id].append(outlet)
    return dict(out)


def list_storylines(
    conn: sqlite3.Connection,
    *,
    limit: int = 20,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
) -> Page:
    """Latest storylines first (by latest date or bound), with span, size and main actors."""
    since, until = (
        check_day("--since", since, partial=True),
        check_day("--until", until, partial=True),
    )
    query = {"list": "storylines", "since": since, "until": until}
    offset = decode_cursor(cursor, query)
    where, params = _filters(since, until)
    sql = (
        _keys_cte("storyline")
        + "SELECT * FROM (SELECT l.id, l.title, l.n_stories, l.n_articles, l.actors, "
        "COALESCE(e.first_key, l.first_seen) AS first_key, "
        "COALESCE(e.last_key, l.last_seen) AS last_key FROM storylines l "
        "LEFT JOIN exact e ON e.id = l.id) "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY last_key IS NULL, last_key DESC, n_articles DESC, id LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [*params, int(limit) + 1, offset])]
    page = page_of(rows, offset, int(limit), query)
    dates = date_fields(conn, [r["id"] for r in page.items], "storyline")
    items = []
    for r in page.items:
        described = json.loads(r["actors"])
        items.append(
            {
                "id": r["id"],
                "title": r["title"],
                **dates.get(r["id"], _NO_DATES),
                "n_stories": r["n_stories"],
                "n_articles": r["n_articles"],
                "actors": [x["name"] for x in described.get("actors", [])[:5]],
                "places": [x["name"] for x in described.get("places", [])[:5]],
            }
        )
    page.items = items
    return page


# -- one story ----------------------------------------------------------------------------------


def resolve_id(conn: sqlite3.Connection, table: str, ident: str) -> str | None:
    """A story or storyline id, or a unique prefix of one (with or without st_ / sl_)."""
    prefix = "st_" if table == "stories" else "sl_"
    for candidate in (ident, prefix + ident.removeprefix(prefix)):
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
            return candidate
    like = (prefix + ident.removeprefix(prefix)).replace("%", "").replace("_", r"\_") + "%"
    rows = conn.execute(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (like,))
    found = [r[0] for r in rows]
    return found[0] if len(found) == 1 else None


def _resolve_or_fail(conn: sqlite3.Connection, table: str, ident: str) -> str:
    found = resolve_id(conn, table, ident)
    if found is None:
        what, listing = ("story", "stories") if table == "stories" else ("storyline", "storylines")
        raise NotFound(ident, f"no {what} with id {ident!r} (see `storyline {listing}`)")
    return found


def _actors(conn: sqlite3.Connection, keys: Iterable[str | None]) -> dict[str, dict[str, str]]:
    """For actor keys or ids: the actor that stands for each now (merges followed) and its name.
    Keys with no actor row are left out (shown as written, not linked)."""
    out: dict[str, dict[str, str]] = {}
    for key in dict.fromkeys(k for k in keys if k):
        actor_id = resolve(conn, key)
        row = conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row:
            out[key] = {"id": actor_id, "name": row[0]}
    return out


def _members(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """A story's articles with their date or bound (apart), outlet, tone and centrality."""
    rows = conn.execute(
        "SELECT a.id, substr(a.published, 1, 10) AS published, "
        "CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END AS not_before, "
        "CASE WHEN a.published IS NULL THEN b.evidence END AS bound_evidence, "
        "CASE WHEN a.published IS NULL THEN b.context_how END AS bound_how, "
        "a.outlet, a.title, a.language, COALESCE(a.canonical_url, a.url) AS url, "
        "json_extract(a.data, '$.tone') AS tone, sa.score FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id JOIN article_bounds b ON b.article_id = a.id "
        "WHERE sa.story_id = ?",
        (story_id,),
    )
    return [dict(r) for r in rows]


def _time_key(a: dict[str, Any]) -> str:
    return a["published"] or a["not_before"] or "9999"


def story_detail(conn: sqlite3.Connection, ident: str) -> dict[str, Any]:
    """One story: summary citing its sentences, articles by outlet and time (copies marked), who
    copied whom, per-outlet comparison, actors, quotes, events (with modes) and places.

    Raises `NotFound` for an unknown id or an ambiguous prefix.
    """
    story_id = _resolve_or_fail(conn, "stories", ident)
    row = dict(
        conn.execute(
            "SELECT s.id, s.title, s.n_articles, s.n_sources, s.summary, s.storyline_id, "
            "l.title AS storyline_title FROM stories s "
            "LEFT JOIN storylines l ON l.id = s.storyline_id WHERE s.id = ?",
            (story_id,),
        ).fetchone()
    )
    members = _members(conn, story_id)
    ids = [a["id"] for a in members]
    copies = copies_among(conn, ids)
    outlet_of = {a["id"]: a["outlet"] for a in members}
    articles = []
    for a in sorted(members, key=lambda a: (a["outlet"] or "~", _time_key(a), a["id"])):
        copy = copies.get(a["id"], {})
        articles.append(
            {**a, "copy_of": copy.get("of"), "copy_kind": copy.get("kind")}
            | {"tone": None if a["tone"] is None else round(float(a["tone"]), 3)}
        )
    dated = [a for a in members if a["published"]]
    first = min(dated, key=lambda a: (a["published"], a["id"]))["id"] if dated else None
    # originals first, then by time: a quote or event is credited to who had it first
    order = {
        a["id"]: n
        for n, a in enumerate(
            sorted(members, key=lambda a: (a["id"] in copies, _time_key(a), a["id"]))
        )
    }
    quotes = _story_quotes(conn, story_id, order, outlet_of)
    events = _story_events(conn, story_id, order, outlet_of)
    actors, actor_mentions = _story_actors(conn, story_id)
    return {
        "id": row["id"],
        "title": row["title"],
        **date_fields(conn, [story_id], "story").get(story_id, _NO_DATES),
        "n_articles": row["n_articles"],
        "n_sources": row["n_sources"],
        "storyline_id": row["storyline_id"],
        "storyline_title": row["storyline_title"],
        "summary": json.loads(row["summary"]),
        "articles": articles,
        "first_article": first,
        "copies": _copy_links(conn, story_id),
        "outlets": _outlet_table(articles, quotes, events, actor_mentions),
        "actors": actors,
        "quotes": [q for q in quotes if q.pop("first")],
        "events": [e for e in events if e.pop("first")],
        "places": _story_places(conn, story_id),
    }


def _copy_links(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Copy links between two of the story's articles; ``original`` had the text first
    (``unknown`` when detection could not tell), partial reuse included and marked."""
    rows = conn.execute(
        "SELECT c.a, c.b, c.kind, c.first, c.first_reason, c.score FROM copy_links c "
        "JOIN story_articles x ON x.article_id = c.a AND x.story_id = ? "
        "JOIN story_articles y ON y.article_id = c.b AND y.story_id = ? ORDER BY c.a, c.b",
        (story_id, story_id),
    )
    out = []
    for a, b, kind, first, reason, score in rows:
        known = first in (a, b)
        original = first if known else a
        out.append(
            {
                "original": original,
                "copy": b if original == a else a,
                "kind": kind,
                "first_known": known,
                "first_reason": reason,
                "score": round(float(score), 3),
            }
        )
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _story_quotes(
    conn: sqlite3.Connection, story_id: str, order: dict[str, int], outlet_of: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every quote of the story's articles; ``first`` marks the first article carrying each
    wording (copies repeat them) and ``n_articles`` how many carry it."""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT q.article_id, q.seq, q.speaker, q.speaker_actor, q.text, q.kind, q.cue, "
            'q.start, q."end" FROM quotes q JOIN story_articles sa ON sa.article_id = '
            "q.article_id WHERE sa.story_id = ?",
            (story_id,),
        )
    ]
    rows.sort(key=lambda q: (order.get(q["article_id"], 0), q["seq"]))
    actors = _actors(conn, (q["speaker_actor"] for q in rows))
    carried = Counter(_norm(q["text"]) for q in rows)
    seen: set[str] = set()
    out = []
    for q in rows:
        norm = _norm(q["text"])
        actor = actors.get(q["speaker_actor"] or "")
        out.append(
            {
                "speaker": q["speaker"],
                "speaker_actor": actor["id"] if actor else None,
                "speaker_name": actor["name"] if actor else q["speaker"],
                "text": q["text"],
                "kind": q["kind"],
                "verbatim": q["kind"] == "direct",
                "cue": q["cue"],
                "article_id": q["article_id"],
                "outlet": outlet_of.get(q["article_id"]),
                "start": q["start"],
                "end": q["end"],
                "n_articles": carried[norm],
                "first": norm not in seen,
            }
        )
        seen.add(norm)
    return out


def _story_events(
    conn: sqlite3.Connection, story_id: str, order: dict[str, int], outlet_of: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every coded event of the story's articles with its mode; ``first`` marks the first
    article coding each (type, mode, source, target, sentence) and ``n_articles`` how many."""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT e.article_id, e.seq, e.type, e.mode, e.source, e.source_actor, e.target, "
            "e.target_actor, e.place, e.date, e.date_precision, e.date_bound, e.trigger, "
            'e.evidence, e.start, e."end" FROM events e JOIN story_articles sa '
            "ON sa.article_id = e.article_id WHERE sa.story_id = ?",
            (story_id,),
        )
    ]
    rows.sort(key=lambda e: (order.get(e["article_id"], 0), e["seq"]))
    actors = _actors(conn, (k for e in rows for k in (e["source_actor"], e["target_actor"])))

    def key(e: dict[str, Any]) -> tuple[str, ...]:
        return (
            e["type"],
            e["mode"],
            e["source_actor"] or e["source"] or "",
            e["target_actor"] or e["target"] or "",
            _norm(e["evidence"]),
        )

    carried = Counter(key(e) for e in rows)
    seen: set[tuple[str, ...]] = set()
    out = []
    for e in rows:
        source = actors.get(e["source_actor"] or "")
        target = actors.get(e["target_actor"] or "")
        out.append(
            {
                "type": e["type"],
                "mode": e["mode"] or None,
                "source": e["source"],
                "source_actor": source["id"] if source else None,
                "source_name": source["name"] if source else e["source"],
                "target": e["target"],
                "target_actor": target["id"] if target else None,
                "target_name": target["name"] if target else e["target"],
                "place": e["place"],
                "date": e["date"],
                "date_precision": e["date_precision"],
                "date_bound": bool(e["date_bound"]),
                "trigger": e["trigger"],
                "evidence": e["evidence"],
                "article_id": e["article_id"],
                "outlet": outlet_of.get(e["article_id"]),
                "start": e["start"],
                "end": e["end"],
                "n_articles": carried[key(e)],
                "first": key(e) not in seen,
            }
        )
        seen.add(key(e))
    return out


def _story_actors(
    conn: sqlite3.Connection, story_id: str
) -> tuple[list[dict[str, Any]], dict[str, set[tuple[str, str]]]]:
    """Actors and places mentioned, by articles; and each article's linked actors."""
    labels = sorted(ACTOR_LABELS | PLACE_LABELS)
    marks = ",".join("?" * len(labels))
    rows = conn.execute(
        "SELECT m.article_id, m.text, m.label, m.actor_id FROM mentions m JOIN story_articles sa "
        f"ON sa.article_id = m.article_id WHERE sa.story_id = ? AND m.label IN ({marks}) "
        "ORDER BY m.article_id, m.seq",
        [story_id, *labels],
    ).fetchall()
    actors = _actors(conn, (r["actor_id"] for r in rows))
    by_key: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    label_of: dict[str, str] = {}
    per_article: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        actor = actors.get(r["actor_id"] or "")
        key = actor["id"] if actor else r["text"]
        by_key[key].add(r["article_id"])
        surfaces[key][r["text"]] += 1
        label_of.setdefault(key, r["label"])
        if actor and r["label"] in ACTOR_LABELS:
            per_article[r["article_id"]].add(key)
    names = {a["id"]: a["name"] for a in actors.values()}
    listed = [
        {
            "id": key,
            "actor_id": key if key in names else None,
            "name": names.get(key) or surfaces[key].most_common(1)[0][0],
            "label": label_of[key],
            "articles": len(arts),
        }
        for key, arts in sorted(by_key.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ][:STORY_ACTORS]
    return listed, {
        article: {(key, names[key]) for key in keys} for article, keys in per_article.items()
    }


def _outlet_table(
    articles: list[dict[str, Any]],
    quotes: list[dict[str, Any]],
    events: list[dict[str, Any]],
    actor_mentions: dict[str, set[tuple[str, str]]],
) -> list[dict[str, Any]]:
    """How each outlet told the story: its articles, whether it had it first or copied, the
    actors it named, its quotes and speakers, its coded events, and its mean tone."""
    earliest = min((a["published"] for a in articles if a["published"]), default=None)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        groups[a["outlet"] or "(unknown outlet)"].append(a)
    out = []
    for outlet, arts in groups.items():
        mine = {a["id"] for a in arts}
        named: Counter[tuple[str, str]] = Counter()
        for a in arts:
            named.update(actor_mentions.get(a["id"], set()))
        speakers = Counter(
            q["speaker_name"] or "unattributed" for q in quotes if q["article_id"] in mine
        )
        types = Counter(
            e["type"] + (f" ({e['mode']})" if e["mode"] else "")
            for e in events
            if e["article_id"] in mine
        )
        tones = [a["tone"] for a in arts if a["tone"] is not None]
        out.append(
            {
                "outlet": outlet,
                "articles": [a["id"] for a in arts],
                "published": min((a["published"] for a in arts if a["published"]), default=None),
                "not_before": min((a["not_before"] for a in arts if a["not_before"]), default=None)
                if not any(a["published"] for a in arts)
                else None,
                "first": any(
                    a["published"] == earliest and earliest and not a["copy_of"] for a in arts
                ),
                "originals": sum(1 for a in arts if not a["copy_of"]),
                "copies": [
                    {"article_id": a["id"], "of": a["copy_of"], "kind": a["copy_kind"]}
                    for a in arts
                    if a["copy_of"]
                ],
                "actors": [
                    {"id": k[0], "name": k[1]}
                    for k, _ in sorted(named.items(), key=lambda kv: (-kv[1], kv[0][1]))[:10]
                ],
                "quotes": sum(speakers.values()),
                "direct_quotes": sum(
                    1 for q in quotes if q["article_id"] in mine and q["verbatim"]
                ),
                "speakers": [s for s, _ in speakers.most_common(6)],
                "events": sum(types.values()),
                "event_types": [f"{t} ×{n}" if n > 1 else t for t, n in types.most_common(6)],
                "tone": round(sum(tones) / len(tones), 3) if tones else None,
            }
        )
    out.sort(
        key=lambda o: (not o["first"], o["published"] or o["not_before"] or "9999", o["outlet"])
    )
    return out


def country_numeric(alpha2: str | None) -> str | None:
    """ISO 3166 numeric code ("364" for IR), the id world-atlas uses for a country's shape."""
    if not alpha2:
        return None
    found = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(found.numeric) if found else None


def country_name(alpha2: str) -> str:
    found = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(getattr(found, "common_name", None) or found.name) if found else alpha2


def _story_places(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Places resolved in the story's articles, with coordinates and ISO numeric country."""
    rows = conn.execute(
        "SELECT p.canonical AS name, p.kind, p.country, p.lat, p.lon, COUNT(*) AS mentions, "
        "COUNT(DISTINCT p.article_id) AS articles FROM places p JOIN story_articles sa "
        "ON sa.article_id = p.article_id WHERE sa.story_id = ? "
        "GROUP BY p.canonical, p.country, p.kind ORDER BY articles DESC, mentions DESC, name",
        (story_id,),
    )
    return [
        {
            **dict(r),
            "lat": round(float(r["lat"]), 4),
            "lon": round(float(r["lon"]), 4),
            "country_id": country_numeric(r["country"]),
        }
        for r in rows
    ]


# -- one storyline ------------------------------------------------------------------------------


def weekly_volume(
    conn: sqlite3.Connection, where: str, params: Sequence[Any]
) -> list[dict[str, Any]]:
    """Articles per ISO week (Monday) for the articles ``where`` selects (SQL over ``a``, ``b``):
    published ones as ``dated``, undated ones at their bound's week as ``bound`` (never mixed)."""
    rows = conn.execute(
        "SELECT date(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10)), "
        "'-6 days', 'weekday 1') AS week, "
        "CASE WHEN a.published IS NULL THEN 'bound' ELSE 'dated' END AS kind, COUNT(*) AS articles "
        "FROM articles a JOIN article_bounds b ON b.article_id = a.id "
        f"WHERE ({where}) AND COALESCE(a.published, b.not_before) IS NOT NULL "
        "GROUP BY week, kind ORDER BY week, kind",
        list(params),
    )
    return [dict(r) for r in rows if r["week"]]


def fill_weeks(
    rows: Sequence[dict[str, Any]], last: str | None = None, first: str | None = None
) -> list[dict[str, Any]]:
    """Dated weekly counts with empty weeks as 0, from ``first`` (else the first week with
    articles) to ``last``: a trend line must not jump over quiet weeks. Weeks are Mondays."""
    counts = {r["week"]: r["articles"] for r in rows if r["kind"] == "dated"}
    if not counts:
        return []
    day = date.fromisoformat(first or min(counts))
    end = date.fromisoformat(last or max(counts))
    out = []
    while day <= end:
        out.append({"week": day.isoformat(), "articles": counts.get(day.isoformat(), 0)})
        day += timedelta(days=7)
    return out


def storyline_detail(conn: sqlite3.Connection, ident: str) -> dict[str, Any]:
    """One storyline: the actors, places and terms that drive it, its stories on a timeline
    (dates and bounds apart), its summary and its articles per week.

    Raises `NotFound` for an unknown id or an ambiguous prefix.
    """
    line_id = _resolve_or_fail(conn, "storylines", ident)
    row = dict(
        conn.execute(
            "SELECT id, title, n_stories, n_articles, actors, summary FROM storylines WHERE id = ?",
            (line_id,),
        ).fetchone()
    )
    described = json.loads(row.pop("actors"))
    linked = _actors(conn, (x.get("key") for x in described.get("actors", [])))
    stories = [
        dict(r)
        for r in conn.execute(
            "SELECT s.id, s.title, s.n_articles, s.n_sources, s.summary, l.score "
            "FROM stories s LEFT JOIN storyline_stories l ON l.story_id = s.id "
            "WHERE s.storyline_id = ?",
            (line_id,),
        )
    ]
    dates = date_fields(conn, [s["id"] for s in stories], "story")
    timeline = []
    for s in stories:
        summary = json.loads(s.pop("summary"))
        timeline.append(
            {
                "id": s["id"],
                "title": s["title"],
                **dates.get(s["id"], _NO_DATES),
                "n_articles": s["n_articles"],
                "n_sources": s["n_sources"],
                "score": s["score"],
                "lead": summary[0] if summary else None,
            }
        )
    timeline.sort(key=lambda s: (s["first_seen"] or s["first_bound"] or "9999", s["id"]))
    return {
        "id": row["id"],
        "title": row["title"],
        **date_fields(conn, [line_id], "storyline").get(line_id, _NO_DATES),
        "n_stories": row["n_stories"],
        "n_articles": row["n_articles"],
        "actors": [
            {
                "key": x.get("key"),
                "actor_id": linked[x["key"]]["id"] if x.get("key") in linked else None,
                "name": x["name"],
                "weight": x.get("weight"),
            }
            for x in described.get("actors", [])
        ],
        "places": described.get("places", []),
        "terms": described.get("terms", []),
        "summary": json.loads(row["summary"]),
        "timeline": timeline,
        "weeks": weekly_volume(
            conn,
            "a.id IN (SELECT sa.article_id FROM story_articles sa JOIN stories s "
            "ON s.id = sa.story_id WHERE s.storyline_id = ?)",
            [line_id],
        ),
    }
