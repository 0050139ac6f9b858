"""Ingest and reprocess: readers → pipeline → store, batch by batch, resumable.

Before running the pipeline on an input, its raw bytes are checked against the ingest checkpoint
(the `sources` table, committed with the articles): an input already stored with the same bytes is
"unchanged" and costs one hash. So a second run writes nothing, and a killed run resumes where it
stopped without redoing committed batches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.article import Article
from storyline.pipeline import Pipeline, Stage
from storyline.sources.files import ReadOptions, read_paths, source_key
from storyline.store.articles import Store, WriteResult, raw_hash

#: Called with each committed batch (e.g. to update story clusters incrementally).
AfterWrite = Callable[[Store, list[Article]], None]


def foundation_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    """Read, extract, clean, date and identify: the stages every article goes through."""
    from storyline.extract.body import ExtractStage
    from storyline.extract.bylines import BylineStage
    from storyline.extract.clean import CleanStage
    from storyline.extract.dates import DateStage
    from storyline.extract.encoding import DecodeStage
    from storyline.extract.identity import IdentityStage
    from storyline.extract.language import LanguageStage

    min_score = float((settings or {}).get("language", {}).get("min_score", 0.30))
    return [
        DecodeStage(),
        ExtractStage(),
        CleanStage(),
        BylineStage(),
        DateStage(),
        LanguageStage(min_score),
        IdentityStage(),
    ]


def build_pipeline(settings: dict[str, Any] | None = None, *, strict: bool = False) -> Pipeline:
    """The default ingest pipeline; enrichment stages join it when their capability lands."""
    stages = foundation_stages(settings)
    stages.extend(enrichment_stages(settings))
    return Pipeline(stages, strict=strict)


def enrichment_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    """Stages that add facts (entities, quotes, events...); empty until they are installed."""
    try:
        from storyline.nlp import stages as nlp_stages
    except ImportError:
        return []
    return list(nlp_stages.default_stages(settings))


@dataclass
class IngestReport:
    read: int = 0
    result: WriteResult = field(default_factory=WriteResult)

    @property
    def exit_code(self) -> int:
        """0 all stored, 1 some inputs failed (spaCy/trafilatura style: failures are counted)."""
        return 1 if self.result.failed else 0

    def summary(self) -> dict[str, Any]:
        r = self.result
        return {
            "read": self.read,
            "stored": len(r.stored),
            "updated": len(r.updated),
            "unchanged": len(r.unchanged),
            "skipped": len(r.skipped),
            "failed": len(r.failed),
            "skipped_reasons": dict(Counter(reason for _, reason in r.skipped)),
            "failures": [{"source": s, "reason": reason} for s, reason in r.failed],
        }


def ingest(
    paths: Sequence[str],
    store: Store,
    pipeline: Pipeline,
    *,
    options: ReadOptions | None = None,
    batch_size: int = 64,
    force: bool = False,
    progress: Callable[[Article], None] | None = None,
    after_write: Iterable[AfterWrite] = (),
) -> IngestReport:
    """Read ``paths``, run the pipeline on new or changed inputs, store them batch by batch."""
    report = IngestReport()
    batch: list[tuple[str, Article]] = []
    hooks = list(after_write)

    def flush() -> None:
        if not batch:
            return
        live = [a for _, a in batch if a.ok]
        pipeline.run_batch(live)
        report.result.add(store.write_batch(batch))
        stored = [a for _, a in batch if a.ok]
        for hook in hooks:
            hook(store, stored)
        batch.clear()

    for article in read_paths(paths, options):
        report.read += 1
        key = source_key(article)
        if not article.failed and not force:
            known = store.known_source(key)
            if (
                known is not None
                and known["status"] in ("stored", "skipped")
                and known["raw_hash"] == raw_hash(article)
            ):
                report.result.unchanged.append(article.source)
                if progress:
                    progress(article)
                continue
        batch.append((key, article))
        if progress:
            progress(article)
        if len(batch) >= batch_size:
            flush()
    flush()
    return report


def reprocess(
    store: Store,
    pipeline: Pipeline,
    *,
    batch_size: int = 64,
    progress: Callable[[Article], None] | None = None,
    after_write: Iterable[AfterWrite] = (),
) -> IngestReport:
    """Re-run the pipeline on every stored raw input, so improved stages need no original files."""
    report = IngestReport()
    keys = {
        row["article_id"]: row["key"]
        for row in store.conn.execute("SELECT key, article_id FROM sources WHERE status='stored'")
    }
    hooks = list(after_write)
    batch: list[tuple[str, Article]] = []

    def flush() -> None:
        pipeline.run_batch([a for _, a in batch])
        report.result.add(store.write_batch(batch))
        for hook in hooks:
            hook(store, [a for _, a in batch if a.ok])
        batch.clear()

    for article in store.raw_inputs():
        report.read += 1
        previous = article.scratch["previous_id"]
        batch.append((keys.get(previous, f"reprocess:{previous}"), article))
        if progress:
            progress(article)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report
