"""The bundled sample corpus (``storyline/data/sample``): articles written for storyline, with
fictional outlets, and the gold labels beside them.

`storyline demo` ingests it and the evaluators measure on it by default. The files named by
`GOLD_FILES` are labels, not articles (and ``feeds/``, the feeds, sitemaps and web archive that
follow mode's tests read): a folder ingest of the corpus leaves them out.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["GOLD_FILES", "sample_corpus", "sample_labels"]

#: Globs (relative to the corpus folder) of the gold data and notes kept beside the articles, and
#: of the sample feeds (a folder ingest reads ``.warc`` files: their pages are no corpus articles).
GOLD_FILES: tuple[str, ...] = ("README.md", "manifest.jsonl", "labels/*", "feeds/*")


def sample_corpus() -> Path:
    """The bundled sample corpus folder (written for storyline; fictional outlets)."""
    return Path(str(resources.files("storyline").joinpath("data", "sample")))


def sample_labels(name: str) -> Path:
    """A gold file of the sample corpus, e.g. ``sample_labels("actors.jsonl")``."""
    return sample_corpus() / "labels" / name
