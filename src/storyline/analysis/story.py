"""One story as an analyst reads it: the summary citing its sentences, its articles by outlet
and time, who copied whom, how each outlet told it, what was said and done, and where.

What ``storyline story ID --json`` prints and ``/api/v1/stories/{id}`` returns. Dates follow the
rule of `storyline.analysis.stories` (a bound is never a date); quotes keep their ``kind`` (only
``direct`` ones are verbatim) and events their ``mode``.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from operator import itemgetter
from typing import Any

import pycountry

from storyline.analysis.paging import decode_cursor, encode_cursor
from storyline.analysis.stories import (
    NO_DATES,
    STORY_ACTORS,
    actor_refs,
    date_fields,
    resolve_or_fail,
)
from storyline.article import ACTOR_LABELS, PLACE_LABELS, name_of
from storyline.errors import QueryError

__all__ = ["country_name", "country_numeric", "story_detail"]

#: Quotes, events and copy links listed on one story at most (the counts give the totals).
STORY_QUOTES = 60
STORY_EVENTS = 60
STORY_COPIES = 300
#: Articles listed per page of a story (the rest by ``articles_next_cursor``); the charts, the
#: outlet table and the counts cover every article.
STORY_ARTICLES = 50


def _members(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Every article of a story with what the aggregates need: id, date or bound (apart),
    outlet and tone. Read from covering indexes (``articles_listing``, and ``articles_tone`` on
    the tone inside the article's JSON), never from the article rows with their text."""
    rows = conn.execute(
        "SELECT a.id, substr(a.published, 1, 10) AS published, "
        "CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END AS not_before, "
        "a.outlet FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "JOIN article_bounds b ON b.article_id = a.id WHERE sa.story_id = ?",
        (story_id,),
    )
    members = [dict(r) for r in rows]
    tones = dict(
        conn.execute(
            "SELECT a.id, json_extract(a.data, '$.tone') FROM story_articles sa "
            "JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?",
            (story_id,),
        ).fetchall()
    )
    for m in members:
        tone = tones.get(m["id"])
        m["tone"] = None if tone is None else round(float(tone), 3)
    return members


def _page_rows(conn: sqlite3.Connection, story_id: str, ids: list[str]) -> dict[str, Any]:
    """What the listed articles show beyond the aggregates: title, language, link, the bound's
    evidence, the article's place in the story (score)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT a.id, CASE WHEN a.published IS NULL THEN b.evidence END AS bound_evidence, "
        "CASE WHEN a.published IS NULL THEN b.context_how END AS bound_how, a.title, "
        "a.language, COALESCE(a.canonical_url, a.url) AS url, sa.score FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id JOIN article_bounds b ON b.article_id = a.id "
        f"WHERE sa.story_id = ? AND a.id IN ({marks})",
        [story_id, *ids],
    )
    return {r["id"]: dict(r) for r in rows}


def _tuples(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor giving plain tuples: the story's bulk reads (thousands of quotes, mentions
    and events) skip building a `sqlite3.Row` and a dict per row."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor


def _time_key(a: dict[str, Any]) -> str:
    return a["published"] or a["not_before"] or "9999"


def story_detail(
    conn: sqlite3.Connection,
    ident: str,
    *,
    limit: int = STORY_ARTICLES,
    cursor: str | None = None,
) -> dict[str, Any]:
    """One story: summary citing its sentences, one page of its articles by outlet and time
    (copies marked; ``articles_next_cursor`` pages on), who copied whom, per-outlet comparison,
    actors, quotes, events (with modes) and places. Everything but the article list covers
    every article of the story: ``timeline`` (articles per day, outlet and kind) and
    ``outlet_copies`` (copy links per pair of outlets) are what the charts draw.

    Raises `NotFound` for an unknown id or an ambiguous prefix, `QueryError` (E801) for a
    cursor of another story.
    """
    story_id = resolve_or_fail(conn, "stories", ident)
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", code="E803")
    offset = decode_cursor(cursor, {"story": story_id})
    row = dict(
        conn.execute(
            "SELECT s.id, s.title, s.n_articles, s.n_sources, s.summary, s.storyline_id, "
            "l.title AS storyline_title FROM stories s "
            "LEFT JOIN storylines l ON l.id = s.storyline_id WHERE s.id = ?",
            (story_id,),
        ).fetchone()
    )
    members = _members(conn, story_id)
    links = _copy_links(conn, story_id)
    copies = _copies(links)
    outlet_of = {a["id"]: a["outlet"] for a in members}
    for a in members:
        copy = copies.get(a["id"], {})
        a["copy_of"], a["copy_kind"] = copy.get("of"), copy.get("kind")
    members.sort(key=lambda a: (a["outlet"] or "~", _time_key(a), a["id"]))
    page = members[offset : offset + limit]
    shown = _page_rows(conn, story_id, [a["id"] for a in page])
    articles = [_article_row(a, shown.get(a["id"], {})) for a in page]
    more = offset + limit < len(members)
    dated = [a for a in members if a["published"]]
    first = min(dated, key=lambda a: (a["published"], a["id"]))["id"] if dated else None
    # originals first, then by time: a quote or event is credited to who had it first
    order = {
        a["id"]: n
        for n, a in enumerate(
            sorted(members, key=lambda a: (a["id"] in copies, _time_key(a), a["id"]))
        )
    }
    quotes, n_quotes, said = _story_quotes(conn, story_id, order, outlet_of)
    events, n_events, done = _story_events(conn, story_id, order, outlet_of)
    actors, actor_mentions = _story_actors(conn, story_id)
    outlets = _outlet_table(members, said, done, actor_mentions)
    return {
        "id": row["id"],
        "title": row["title"],
        **date_fields(conn, [story_id], "story").get(story_id, NO_DATES),
        "n_articles": row["n_articles"],
        "n_sources": row["n_sources"],
        "storyline_id": row["storyline_id"],
        "storyline_title": row["storyline_title"],
        "summary": json.loads(row["summary"]),
        "articles": articles,
        "articles_next_cursor": encode_cursor(offset + limit, {"story": story_id})
        if more
        else None,
        "first_article": first,
        "timeline": _timeline(members),
        # A large story's quotes, events and copy links are cut to the first ones (in credit
        # order: who had it first); the counts say how many there are, the outlet table counts
        # them all, and a search filtered by the story lists every article.
        "copies": links[:STORY_COPIES],
        "n_copies": len(links),
        "outlet_copies": _outlet_copies(links, outlet_of),
        "outlets": outlets,
        "actors": actors,
        "quotes": quotes,
        "n_quotes": n_quotes,
        "events": events,
        "n_events": n_events,
        "places": _story_places(conn, story_id),
    }


def _article_row(a: dict[str, Any], shown: dict[str, Any]) -> dict[str, Any]:
    """One listed article, in the shape the story's article table and the CLI print."""
    return {
        "id": a["id"],
        "published": a["published"],
        "not_before": a["not_before"],
        "bound_evidence": shown.get("bound_evidence"),
        "bound_how": shown.get("bound_how"),
        "outlet": a["outlet"],
        "title": shown.get("title"),
        "language": shown.get("language"),
        "url": shown.get("url"),
        "tone": a["tone"],
        "score": shown.get("score"),
        "copy_of": a["copy_of"],
        "copy_kind": a["copy_kind"],
    }


def _timeline(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Articles per day, outlet and kind (``original`` or ``copy``, and ``bound`` when the day
    is a lower bound, not a date): the strip chart of every article, whatever the page."""
    counts: Counter[tuple[str, str, str, bool]] = Counter()
    for a in members:
        day = a["published"] or a["not_before"]
        if day:
            kind = "copy" if a["copy_of"] else "original"
            counts[(day, a["outlet"] or "(unknown outlet)", kind, not a["published"])] += 1
    return [
        {"date": day, "outlet": outlet, "kind": kind, "bound": bound, "articles": n}
        for (day, outlet, kind, bound), n in sorted(counts.items())
    ]


def _outlet_copies(links: list[dict[str, Any]], outlet_of: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's copy links per pair of outlets (from the original's outlet to the copy's)
    and kind: the copy network of every article, whatever the page."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for link in links:
        counts[
            (
                outlet_of.get(link["original"]) or "(unknown outlet)",
                outlet_of.get(link["copy"]) or "(unknown outlet)",
                link["kind"],
            )
        ] += 1
    return [
        {"original": a, "copy": b, "kind": kind, "links": n}
        for (a, b, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _copies(links: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The story's articles that copy another of its articles (exact reprints, edited wire
    copy): copy -> original, as `storyline.store.copies.copies_among` gives them, taken from
    the story's own links (read once for the page) instead of every link of every member.
    Partial overlaps do not make an article a copy; a copy of two originals keeps the first
    link in (a, b) order."""
    out: dict[str, dict[str, str]] = {}
    for link in links:  # in (a, b) order
        if link["kind"] != "partial":
            out.setdefault(link["copy"], {"of": link["original"], "kind": link["kind"]})
    return out


def _copy_links(conn: sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Copy links between two of the story's articles; ``original`` had the text first
    (``unknown`` when detection could not tell), partial reuse included and marked."""
    # the join order written out: from the story's articles to their links by ``a``, each
    # ``b`` checked to be in the story. Left to the planner it paired every two members
    # (120,000 lookups for 350 articles, ~100 ms) in a store without statistics, and went
    # through ``copy_links_b`` in one with them (~30 ms; this order: ~12)
    rows = _tuples(conn).execute(
        "SELECT c.a, c.b, c.kind, c.first, c.first_reason, c.score FROM story_articles x "
        "CROSS JOIN copy_links c ON c.a = x.article_id "
        "CROSS JOIN story_articles y ON y.article_id = c.b AND y.story_id = ? "
        "WHERE x.story_id = ? ORDER BY c.a, c.b",
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
) -> tuple[list[dict[str, Any]], int, list[tuple[str, str, bool]]]:
    """The first `STORY_QUOTES` wordings of the story's quotes, each from the first article
    carrying it (copies repeat them; ``n_articles``: how many carry it); how many wordings
    there are; and every quote as (article, speaker's name, verbatim) for the outlet table.

    Wordings are told apart by the key stored with each quote (``quotes.wording``: its text
    lower-cased, white space folded, hashed), so the text of only the quotes shown is read:
    reading and normalising every quote of a 350-article story was half the page's time."""
    rows = (
        _tuples(conn)
        .execute(
            "SELECT q.article_id, q.seq, q.speaker, q.speaker_actor, q.kind, q.wording "
            "FROM quotes q JOIN story_articles sa ON sa.article_id = q.article_id "
            "WHERE sa.story_id = ?",
            (story_id,),
        )
        .fetchall()
    )
    rows.sort(key=lambda q: (order.get(q[0], 0), q[1]))
    actors = actor_refs(conn, (q[3] for q in rows))
    carried = Counter(q[5] for q in rows)
    seen: set[int] = set()
    picked: list[tuple[Any, ...]] = []
    said: list[tuple[str, str, bool]] = []
    for q in rows:
        actor = actors.get(q[3] or "")
        name = actor["name"] if actor else q[2]
        said.append((q[0], name or "unattributed", q[4] == "direct"))
        if q[5] in seen:
            continue
        seen.add(q[5])
        if len(picked) < STORY_QUOTES:
            picked.append(q)
    shown: list[dict[str, Any]] = []
    for q in picked:
        text, cue, start, end = conn.execute(
            'SELECT text, cue, start, "end" FROM quotes WHERE article_id = ? AND seq = ?',
            (q[0], q[1]),
        ).fetchone()
        actor = actors.get(q[3] or "")
        shown.append(
            {
                "speaker": q[2],
                "speaker_actor": actor["id"] if actor else None,
                "speaker_name": actor["name"] if actor else q[2],
                "text": text,
                "kind": q[4],
                "verbatim": q[4] == "direct",
                "cue": cue,
                "article_id": q[0],
                "outlet": outlet_of.get(q[0]),
                "start": start,
                "end": end,
                "n_articles": carried[q[5]],
            }
        )
    return shown, len(seen), said


#: The event columns read for every event of a story: the article and place in it, then what
#: tells two events apart (type, mode, source, target and the sentence as evidence).
_EVENT_KEY = (
    "article_id", "seq", "type", "mode", "source", "source_actor", "target", "target_actor",
    "evidence",
)  # fmt: skip
#: The event columns a story shows, in order.
_EVENT_COLUMNS = (
    "article_id", "seq", "type", "mode", "source", "source_actor", "target", "target_actor",
    "place", "date", "date_precision", "date_bound", "trigger", "evidence", "start", "end",
)  # fmt: skip


def _story_events(
    conn: sqlite3.Connection, story_id: str, order: dict[str, int], outlet_of: dict[str, Any]
) -> tuple[list[dict[str, Any]], int, list[tuple[str, str]]]:
    """The first `STORY_EVENTS` coded events of the story with their modes, each from the first
    article coding it (type, mode, source, target, sentence; ``n_articles``: how many); how
    many there are; and every event as (article, type and mode) for the outlet table."""
    # plain tuples of the key's columns for every event (the keys and the outlet table need
    # them all); every column, as a dict, only for the events shown
    rows = (
        _tuples(conn)
        .execute(
            "SELECT " + ", ".join(f'e."{c}"' for c in _EVENT_KEY) + " FROM events e "
            "JOIN story_articles sa ON sa.article_id = e.article_id WHERE sa.story_id = ?",
            (story_id,),
        )
        .fetchall()
    )
    rows.sort(key=lambda e: (order.get(e[0], 0), e[1]))
    # type, mode, source, target (actor, else as written), sentence
    keys: list[tuple[str, ...]] = [
        (e[2], e[3], e[5] or e[4] or "", e[7] or e[6] or "", _norm(e[8])) for e in rows
    ]
    carried = Counter(keys)
    seen: set[tuple[str, ...]] = set()
    picked: list[tuple[tuple[Any, ...], tuple[str, ...]]] = []
    done = [(e[0], e[2] + (f" ({e[3]})" if e[3] else "")) for e in rows]
    for row, k in zip(rows, keys, strict=True):
        if k in seen:
            continue
        seen.add(k)
        if len(picked) < STORY_EVENTS:
            picked.append((row, k))
    actors = actor_refs(conn, (k for row, _ in picked for k in (row[5], row[7])))
    columns = ", ".join(f'"{c}"' for c in _EVENT_COLUMNS)
    shown: list[dict[str, Any]] = []
    for row, key in picked:
        e = dict(
            zip(
                _EVENT_COLUMNS,
                conn.execute(
                    f"SELECT {columns} FROM events WHERE article_id = ? AND seq = ?", row[:2]
                ).fetchone(),
                strict=True,
            )
        )
        source = actors.get(e["source_actor"] or "")
        target = actors.get(e["target_actor"] or "")
        shown.append(
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
                "n_articles": carried[key],
            }
        )
    return shown, len(seen), done


def _story_actors(
    conn: sqlite3.Connection, story_id: str
) -> tuple[list[dict[str, Any]], dict[str, set[tuple[str, str]]]]:
    """Actors and places mentioned, by articles; and each article's linked actors."""
    labels = sorted(ACTOR_LABELS | PLACE_LABELS)
    marks = ",".join("?" * len(labels))
    # sorted here, not in SQL: a sort of a few thousand tuples costs less than SQLite's
    rows = (
        _tuples(conn)
        .execute(
            "SELECT m.article_id, m.seq, m.text, m.label, m.actor_id FROM mentions m "
            "JOIN story_articles sa ON sa.article_id = m.article_id "
            f"WHERE sa.story_id = ? AND m.label IN ({marks})",
            [story_id, *labels],
        )
        .fetchall()
    )
    rows.sort(key=itemgetter(0, 1))
    actors = actor_refs(conn, (r[4] for r in rows))
    by_key: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    label_of: dict[str, str] = {}
    per_article: dict[str, set[str]] = defaultdict(set)
    written_as: dict[str, str] = {}
    for article_id, _, text, label, actor_id in rows:
        actor = actors.get(actor_id or "")
        written = written_as.get(text)
        if written is None:  # "the Kabul Ledger" is listed as "Kabul Ledger"
            written = written_as[text] = name_of(text)
        key = actor["id"] if actor else written
        by_key[key].add(article_id)
        surfaces[key][written] += 1
        label_of.setdefault(key, label)
        if actor and label in ACTOR_LABELS:
            per_article[article_id].add(key)
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
    said: list[tuple[str, str, bool]],
    done: list[tuple[str, str]],
    actor_mentions: dict[str, set[tuple[str, str]]],
) -> list[dict[str, Any]]:
    """How each outlet told the story: its articles, whether it had it first or copied, the
    actors it named, its quotes and speakers, its coded events, and its mean tone; over every
    article of the story, in one pass over its quotes and events."""
    earliest = min((a["published"] for a in articles if a["published"]), default=None)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    group_of: dict[str, str] = {}
    for a in articles:
        group = a["outlet"] or "(unknown outlet)"
        groups[group].append(a)
        group_of[a["id"]] = group
    speakers: dict[str, Counter[str]] = defaultdict(Counter)
    direct: Counter[str] = Counter()
    for article_id, speaker, verbatim in said:
        group = group_of.get(article_id)
        if group is not None:
            speakers[group][speaker] += 1
            direct[group] += verbatim
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for article_id, kind in done:
        group = group_of.get(article_id)
        if group is not None:
            types[group][kind] += 1
    out = []
    for outlet, arts in groups.items():
        named: Counter[tuple[str, str]] = Counter()
        for a in arts:
            named.update(actor_mentions.get(a["id"], set()))
        spoke, coded = speakers[outlet], types[outlet]
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
                "quotes": sum(spoke.values()),
                "direct_quotes": direct[outlet],
                "speakers": [s for s, _ in spoke.most_common(6)],
                "events": sum(coded.values()),
                "event_types": [f"{t} ×{n}" if n > 1 else t for t, n in coded.most_common(6)],
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
