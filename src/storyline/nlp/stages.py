"""The enrichment stages, in pipeline order; `storyline.ingest.build_pipeline` appends them.

Each capability adds its stage here when it lands, so the order of enrichment is read in one place.
"""

from __future__ import annotations

from typing import Any

from storyline.pipeline import Stage


def default_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    from storyline.nlp.actor_keys import ActorStage
    from storyline.nlp.entities import EntityStage
    from storyline.nlp.events import EventStage
    from storyline.nlp.places import PlaceStage
    from storyline.nlp.quotes import QuoteStage
    from storyline.nlp.tone import ToneStage

    stages: list[Stage] = [EntityStage(settings), ActorStage(settings)]
    stages += [PlaceStage(settings), QuoteStage(settings), ToneStage(settings)]
    stages.append(EventStage(settings))  # last: reads mentions (and actor ids when linked)
    return stages
