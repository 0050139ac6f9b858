"""Vega-Lite (and, for networks, Vega) specifications for the workbench's charts.

Specs are plain dicts built here from query rows and rendered by ``static/app.js`` with Vega's
expression interpreter (no eval, so the strict CSP holds). Every chart is shown with its numbers
one click away (the ``chart`` macro's table), so nothing is only a picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Rows = Sequence[Mapping[str, Any]]
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json"
#: The world outline bundled with the package (world-atlas, Natural Earth 1:110m).
WORLD = "/static/vendor/countries-110m.json"
_CONFIG = {
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": False},
    "font": "system-ui, sans-serif",
}


def _base(rows: Rows, *, width: Any = "container", height: int = 160) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "data": {"values": [dict(r) for r in rows]},
        "width": width,
        "height": height,
        "config": _CONFIG,
    }


def volume(
    rows: Rows,
    *,
    x: str = "period",
    y: str = "articles",
    unit: str = "yearmonthdate",
    color: str | None = None,
    href: str | None = None,
    height: int = 160,
) -> dict[str, Any]:
    """Counts over time as bars (one bar per period; ``unit`` is a Vega-Lite time unit)."""
    spec = _base(rows, height=height)
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "temporal", "timeUnit": unit, "title": None},
        "y": {"field": y, "type": "quantitative", "title": y},
        "tooltip": [
            {"field": x, "type": "temporal", "timeUnit": unit, "title": "period"},
            {"field": y, "type": "quantitative"},
        ],
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "legend": {"orient": "bottom"}}
        encoding["tooltip"].append({"field": color, "type": "nominal"})
    if href:
        encoding["href"] = {"field": href}
    spec.update(mark={"type": "bar", "cursor": "pointer" if href else "default"}, encoding=encoding)
    return spec


def sparkline(rows: Rows, *, x: str = "period", y: str = "articles") -> dict[str, Any]:
    """A small trend line with no axes, for listings."""
    spec = _base(rows, width=120, height=28)
    spec.update(
        mark={"type": "line", "interpolate": "monotone", "point": False},
        encoding={
            "x": {"field": x, "type": "temporal", "axis": None},
            "y": {"field": y, "type": "quantitative", "axis": None},
            "tooltip": [{"field": x, "type": "temporal"}, {"field": y, "type": "quantitative"}],
        },
    )
    return spec


def bars(
    rows: Rows, *, category: str, value: str, href: str | None = None, height: int | None = None
) -> dict[str, Any]:
    """Horizontal bars, largest first."""
    spec = _base(rows, height=height or max(60, 18 * len(rows)))
    encoding: dict[str, Any] = {
        "y": {"field": category, "type": "nominal", "sort": "-x", "title": None},
        "x": {"field": value, "type": "quantitative"},
        "tooltip": [{"field": category}, {"field": value, "type": "quantitative"}],
    }
    if href:
        encoding["href"] = {"field": href}
    spec.update(mark={"type": "bar", "cursor": "pointer" if href else "default"}, encoding=encoding)
    return spec


def timeline(
    rows: Rows,
    *,
    start: str = "first_seen",
    end: str = "last_seen",
    label: str = "title",
    size: str | None = None,
    href: str | None = None,
) -> dict[str, Any]:
    """Spans on a time axis, one row each (stories of a storyline, articles by outlet)."""
    spec = _base(rows, height=max(60, 22 * len(rows)))
    encoding: dict[str, Any] = {
        "y": {
            "field": label,
            "type": "nominal",
            "sort": None,
            "title": None,
            "axis": {"labelLimit": 260},
        },
        "x": {"field": start, "type": "temporal", "title": None},
        "x2": {"field": end},
        "tooltip": [
            {"field": label},
            {"field": start, "type": "temporal"},
            {"field": end, "type": "temporal"},
        ],
    }
    if size:
        encoding["tooltip"].append({"field": size, "type": "quantitative"})
    if href:
        encoding["href"] = {"field": href}
    spec.update(
        mark={"type": "bar", "height": 12, "cornerRadius": 3, "minBandSize": 4},
        encoding=encoding,
    )
    # a zero-length span (one day) still shows: a tick over each start
    return {
        **{k: v for k, v in spec.items() if k not in ("mark", "encoding")},
        "layer": [
            {"mark": spec["mark"], "encoding": encoding},
            {
                "mark": {"type": "tick", "thickness": 3, "size": 14},
                "encoding": {k: v for k, v in encoding.items() if k != "x2"},
            },
        ],
    }


def strip(
    rows: Rows, *, x: str, y: str, color: str | None = None, href: str | None = None
) -> dict[str, Any]:
    """Points on a time axis in rows (articles by outlet over time)."""
    spec = _base(rows, height=max(60, 24 * len({r.get(y) for r in rows})))
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "temporal", "title": None},
        "y": {"field": y, "type": "nominal", "title": None, "axis": {"labelLimit": 200}},
        "tooltip": [{"field": k} for k in (y, x, "title") if rows and k in rows[0]],
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "legend": {"orient": "bottom"}}
        encoding["shape"] = {"field": color, "type": "nominal"}
    if href:
        encoding["href"] = {"field": href}
    spec.update(mark={"type": "point", "filled": True, "size": 90}, encoding=encoding)
    return spec


def world_map(
    countries: Rows, points: Rows = (), *, value: str = "articles", href: str | None = None
) -> dict[str, Any]:
    """A world map: countries shaded by ``value`` (rows keyed by ISO 3166 numeric ``id``), and
    circles at ``latitude``/``longitude`` for places, sized by ``value``."""
    shades: dict[str, Any] = {
        "data": {"url": WORLD, "format": {"type": "topojson", "feature": "countries"}},
        "transform": [
            {
                "lookup": "id",
                "from": {
                    "data": {"values": [dict(r) for r in countries]},
                    "key": "id",
                    "fields": ["name", value, *([href] if href else [])],
                },
            }
        ],
        "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.5},
        "encoding": {
            "color": {
                "condition": {
                    "test": f"datum['{value}'] > 0",
                    "field": value,
                    "type": "quantitative",
                    "scale": {"scheme": "blues"},
                    "title": value,
                },
                "value": "#e8e8e8",
            },
            "tooltip": [
                {"field": "name", "type": "nominal"},
                {"field": value, "type": "quantitative"},
            ],
            **({"href": {"field": href}} if href else {}),
        },
    }
    layers = [shades]
    if points:
        layers.append(
            {
                "data": {"values": [dict(r) for r in points]},
                "mark": {"type": "circle", "color": "#c0392b", "opacity": 0.7},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "size": {"field": value, "type": "quantitative", "legend": None},
                    "tooltip": [{"field": "name"}, {"field": value, "type": "quantitative"}],
                    **({"href": {"field": href}} if href else {}),
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 380,
        "projection": {"type": "equalEarth"},
        "layer": layers,
        "config": _CONFIG,
    }


def network(
    nodes: Rows, links: Rows, *, height: int = 360, directed: bool = False
) -> dict[str, Any]:
    """A force-directed network (Vega, not Vega-Lite). ``nodes`` have ``name``, ``group`` and
    ``size`` (and optionally ``href``); ``links`` have ``source`` and ``target`` (node indexes)
    and ``value``."""
    return {
        "$schema": VEGA_SCHEMA,
        "width": 760,
        "height": height,
        "autosize": "none",
        "signals": [{"name": "cx", "update": "width / 2"}, {"name": "cy", "update": "height / 2"}],
        "data": [
            {"name": "node-data", "values": [dict(n) for n in nodes]},
            {"name": "link-data", "values": [dict(k) for k in links]},
        ],
        "scales": [
            {
                "name": "color",
                "type": "ordinal",
                "domain": {"data": "node-data", "field": "group"},
                "range": {"scheme": "category10"},
            },
            {
                "name": "size",
                "type": "sqrt",
                "domain": {"data": "node-data", "field": "size"},
                "range": [40, 600],
            },
        ],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"scale": "color", "field": "group"},
                        "stroke": {"value": "white"},
                        "size": {"scale": "size", "field": "size"},
                        "tooltip": {"signal": "datum.name + ' (' + datum.size + ')'"},
                        "href": {"field": "href"},
                        "cursor": {"value": "pointer"},
                    }
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 300,
                        "static": True,
                        "signal": "force",
                        "forces": [
                            {"force": "center", "x": {"signal": "cx"}, "y": {"signal": "cy"}},
                            {"force": "collide", "radius": 28},
                            {"force": "nbody", "strength": -260},
                            {"force": "link", "links": "link-data", "distance": 110},
                        ],
                    }
                ],
            },
            {
                "type": "text",
                "from": {"data": "nodes"},
                "zindex": 2,
                "encode": {
                    "enter": {
                        "text": {"field": "datum.name"},
                        "fontSize": {"value": 10},
                        "dy": {"value": -9},
                        "align": {"value": "center"},
                    },
                    "update": {"x": {"field": "x"}, "y": {"field": "y"}},
                },
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": False,
                "encode": {
                    "update": {
                        "stroke": {"value": "#999"},
                        "strokeOpacity": {"value": 0.6},
                        "strokeWidth": {"signal": "max(1, sqrt(datum.value))"},
                    }
                },
                "transform": [
                    {
                        "type": "linkpath",
                        "require": {"signal": "force"},
                        "shape": "curve" if directed else "line",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
        ],
    }
