"""The one exception tree of storyline.

    StorylineError
    ├── InputError        a document cannot be read (names the file and the problem)
    │   └── TooLarge      refused before being read whole into memory
    ├── Skip              an expected rejection of one article, counted with its reason
    ├── PipelineError     stages declared in an impossible order
    ├── StoreError        the database cannot be opened, migrated or written
    └── ConfigError       a setting has an invalid value

The library raises these; only the CLI and web layers turn them into messages and exit codes.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: every error storyline raises on purpose."""

    code = "E000"

    def __str__(self) -> str:
        return f"{self.code} {super().__str__()}"


class InputError(StorylineError):
    """A document cannot be read; carries where (``source``) and what went wrong (``problem``)."""

    code = "E100"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class TooLarge(InputError):
    code = "E101"


class Skip(StorylineError):
    """Raised by a stage to drop one article for an expected reason (empty, not text...)."""

    code = "E200"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class PipelineError(StorylineError):
    code = "E300"


class StoreError(StorylineError):
    code = "E400"


class ConfigError(StorylineError):
    code = "E500"
