"""Routes, one module per area of the workbench. Each module has ``pages`` (HTML) and ``api``
(JSON under /api/v1) routers over the same `storyline.analysis` functions; add new modules to
MODULES."""

from __future__ import annotations

from storyline.web.routes import (
    actors,
    articles,
    home,
    outlets,
    places,
    search,
    stories,
    teamwork,
)

MODULES = [home, search, articles, stories, actors, places, outlets, teamwork]
