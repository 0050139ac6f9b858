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
from typing import Any

import pycountry

from storyline.analysis.stories import (
    NO_DATES,
    STORY_ACTORS,
    actor_refs,
    date_fields,
    resolve_or_fail,
)
from storyline.article import ACTOR_LABELS, PLACE_LABELS, name_of
from storyline.store.copies import copies_among

__all__ = ["country_name", "country_numeric", "story_detail"]

#: Quotes, events and copy links listed on one story at most (the counts give the totals).
STORY_QUOTES = 60
STORY_EVENTS = 60
STORY_COPIES = 300


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
    story_id = resolve_or_fail(conn, "stories", ident)
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
    outlets = _outlet_table(articles, quotes, events, actor_mentions)
    shown_quotes = [q for q in quotes if q.pop("first")]
    shown_events = [e for e in events if e.pop("first")]
    links = _copy_links(conn, story_id)
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
        "first_article": first,
        # A large story's quotes, events and copy links are cut to the first ones (in credit
        # order: who had it first); the counts say how many there are, the outlet table counts
        # them all, and a search filtered by the story lists every article.
        "copies": links[:STORY_COPIES],
        "n_copies": len(links),
        "outlets": outlets,
        "actors": actors,
        "quotes": shown_quotes[:STORY_QUOTES],
        "n_quotes": len(shown_quotes),
        "events": shown_events[:STORY_EVENTS],
        "n_events": len(shown_events),
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
    actors = actor_refs(conn, (q["speaker_actor"] for q in rows))
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
    actors = actor_refs(conn, (k for e in rows for k in (e["source_actor"], e["target_actor"])))

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
    actors = actor_refs(conn, (r["actor_id"] for r in rows))
    by_key: dict[str, set[str]] = defaultdict(set)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    label_of: dict[str, str] = {}
    per_article: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        actor = actors.get(r["actor_id"] or "")
        written = name_of(r["text"])  # "the Kabul Ledger" is listed as "Kabul Ledger"
        key = actor["id"] if actor else written
        by_key[key].add(r["article_id"])
        surfaces[key][written] += 1
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
