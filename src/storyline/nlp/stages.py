"""The enrichment stages, in pipeline order; `storyline.ingest.build_pipeline` appends them.

Each capability adds its stage here when it lands, so the order of enrichment is read in one place.
"""

from __future__ import annotations

from typing import Any

from storyline.pipeline import Stage


def default_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    from storyline.nlp.entities import EntityStage

    stages: list[Stage] = [EntityStage(settings)]
    return stages
