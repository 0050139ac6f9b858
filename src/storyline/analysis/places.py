"""Where the news happens: resolved places and countries with their article and event counts.

Places come from the place stage (gazetteer-resolved names with coordinates, ``places`` table);
an event is counted at a place when its ``place`` names a resolved place of the same article
(`storyline.store.cooccurrence.EVENT_PLACES`). Every count is read from the totals the update
step ``count_cooccurrence`` keeps (a pass over every event per request cost ~2 s at 10,000
articles). Countries are keyed by ISO 3166 numeric code as well as alpha-2, because the bundled
world map (world-atlas, Natural Earth) identifies countries by their numeric code.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

__all__ = ["country_counts", "country_info", "list_places"]


@lru_cache(maxsize=512)
def country_info(alpha2: str) -> tuple[str, str | None]:
    """(name, ISO numeric code) of an alpha-2 country code; the code itself when unknown."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    if country is None:
        return alpha2, None
    name = getattr(country, "common_name", None) or country.name
    return str(name), str(country.numeric)


def list_places(
    conn: sqlite3.Connection,
    *,
    country: str | None = None,
    kind: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Resolved places, most articles first: name, kind, country, coordinates, and how many
    mentions, articles and events name them. A country's own row carries its capital's
    coordinates in the gazetteer, so maps should shade countries and put circles only on the
    other kinds."""
    where: list[str] = []
    params: list[Any] = []
    if country:
        where.append("p.country = ?")
        params.append(country.upper())
    if kind:
        where.append("p.kind = ?")
        params.append(kind)
    # totals kept by the ``count_cooccurrence`` step; names and coordinates read for the page
    where = [w.replace("p.", "t.") for w in where]
    sql = (
        "SELECT p.canonical AS name, t.kind, t.country, p.lat AS latitude, p.lon AS longitude, "
        "t.geonameid, t.mentions, t.articles, t.events FROM place_totals t "
        "JOIN places p ON p.rowid = (SELECT MIN(rowid) FROM places WHERE geonameid = t.geonameid "
        "AND kind = t.kind) "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY t.articles DESC, t.mentions DESC, p.canonical"
        + (" LIMIT ? OFFSET ?" if limit is not None else "")
    )
    tail = [int(limit), int(offset)] if limit is not None else []
    rows = [dict(r) for r in conn.execute(sql, [*params, *tail])]
    for r in rows:
        r["country_name"] = country_info(r["country"])[0]
    return rows


def country_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Per country: articles placing anything in it, place mentions, and events located there;
    with its name and ISO numeric ``id`` (the world map's key). Most articles first."""
    rows = []
    for r in conn.execute(
        "SELECT country, articles, mentions, events FROM country_totals "
        "ORDER BY articles DESC, country"
    ):
        name, numeric = country_info(r["country"])
        rows.append(
            {
                "country": r["country"],
                "id": numeric,
                "name": name,
                "articles": r["articles"],
                "mentions": r["mentions"],
                "events": r["events"],
            }
        )
    return rows
