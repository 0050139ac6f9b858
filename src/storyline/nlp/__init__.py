"""Enrichment: entities, actor linking, places, quotes, coded events, tone."""
