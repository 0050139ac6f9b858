"""The web workbench and JSON API: thin FastAPI routes over the query functions of
`storyline.analysis` (the same ones the CLI calls), rendered with Jinja2 and htmx, charts in
Vega-Lite, every asset served from the package (docs/web.md, docs/api.md)."""
