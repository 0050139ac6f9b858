"""storyline: a self-hosted news intelligence workbench."""

from storyline.article import Article, Event, Mention, Quote, Removed, Span
from storyline.errors import (
    ConfigError,
    InputError,
    PipelineError,
    Skip,
    StoreError,
    StorylineError,
    TooLarge,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ConfigError",
    "Event",
    "InputError",
    "Mention",
    "PipelineError",
    "Quote",
    "Removed",
    "Skip",
    "Span",
    "StoreError",
    "StorylineError",
    "TooLarge",
    "__version__",
]
