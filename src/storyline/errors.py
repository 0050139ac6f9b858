"""The one exception tree of storyline.

    StorylineError            E000  every error storyline raises on purpose
    ├── InputError            E100  a document or data file cannot be read (``source``, ``problem``)
    │   └── TooLarge          E101  refused before being read whole into memory (``limit``)
    ├── Skip                  E200  an expected rejection of one article, counted with its reason
    ├── PipelineError         E300  stages in an impossible order, or a failure under --strict
    ├── StoreError            E400  the database cannot be opened, migrated, read or written
    │   ├── NotFound          E404  no article, actor, story... by that id or name (``what``)
    │   ├── StoreFull         E410  the disk is full or the file size limit was reached
    │   └── SearchFallback    E490  a query the kept search index leaves to FTS5 (caught inside)
    ├── ConfigError           E500  a setting or option has an invalid value (``setting``)
    ├── UpdateError           E600  an update step could not run (``step``); its mark stays put
    ├── EvaluationError       E700  labelled data for an evaluator is missing or malformed
    ├── QueryError            E800  a search query, filter or cursor cannot be understood
    └── WebError              E900  a request the workbench refuses (Host, CSRF, sign-in, role)

Each class has a default code; a raise may give a more precise one in the same hundred (E303
"stage reads a field no earlier stage adds"). The code is printed once, before the message. The
library raises these and nothing else across its boundary (a test scans ``src/``); only the CLI and
web layers turn them into messages and exit codes.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: carries a code and a message that says what, where, and what to do."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        self.message = message
        if code is not None:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


class InputError(StorylineError):
    """A document cannot be read; carries where (``source``) and what went wrong (``problem``)."""

    code = "E100"

    def __init__(self, source: str, problem: str, *, code: str | None = None) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}", code=code)


class TooLarge(InputError):
    """A document over the size limit, refused before it is read whole into memory."""

    code = "E101"

    def __init__(self, source: str, limit: int, setting: str = "ingest.max_bytes") -> None:
        self.limit = limit
        super().__init__(source, f"larger than the {limit:,}-byte limit ({setting}); refused")


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


class SearchFallback(StoreError):
    """A query the kept search index leaves to FTS5 (phrases, NEAR, ...): raised and caught inside
    the store, never seen by callers."""

    code = "E490"


class NotFound(StoreError):
    """Nothing in the store answers to an id or name; ``what`` is what was looked for."""

    code = "E404"

    def __init__(self, what: str, message: str) -> None:
        self.what = what
        super().__init__(message)


class StoreFull(StoreError):
    """The disk is full or the process's file size limit was reached while writing."""

    code = "E410"


class ConfigError(StorylineError):
    code = "E500"

    def __init__(self, message: str, *, setting: str | None = None, code: str | None = None):
        self.setting = setting
        super().__init__(message, code=code)


class UpdateError(StorylineError):
    """An update step failed as a whole; ``step`` names it. Nothing of its run was committed and
    its mark did not move, so the next run resumes there."""

    code = "E600"

    def __init__(self, step: str, message: str, *, code: str | None = None) -> None:
        self.step = step
        super().__init__(message, code=code)


class EvaluationError(StorylineError):
    code = "E700"


class QueryError(StorylineError):
    """A search query (FTS5 syntax) or a filter that cannot be understood; says what to write."""

    code = "E800"


def stopped_by_user(exc: BaseException) -> bool:
    """Whether Ctrl-C is behind ``exc``. A SIGINT that lands while a C extension initialises (a
    pybind11 module such as scipy's, imported lazily mid-batch) reaches Python as that import's
    ImportError with the KeyboardInterrupt only as its cause. Code that turns any ``Exception``
    into one failed document asks this first, so an interrupt is never stored as a failure."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


class WebError(StorylineError):
    """A web request the workbench refuses: a Host it does not serve (DNS rebinding), a form
    without its CSRF token, a bind beyond loopback without the explicit flag, or an account,
    sign-in, role or token problem (E950–E964, `storyline.team`), or a refused note, tag or
    collection (E970–E974, `storyline.team.teamwork`)."""

    code = "E900"
