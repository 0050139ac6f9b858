"""Enrichment benchmark: prints figures, asserts nothing.

    python benchmarks/enrich.py                  # 2,000 articles
    python benchmarks/enrich.py --n 500          # a quicker look

The texts are the bundled sample corpus (English articles) plus the real seed articles beside the
repository when present, read and cleaned once by the foundation stages, then replicated to
``--n`` articles. Two measurements, each in a fresh process so that its peak memory is its own:

- ``spacy``: the same spaCy model with the same configuration as `EntityStage`
  (`storyline.nlp.model.load_nlp`: NER plus the rule sentence splitter), ``nlp.pipe`` over the
  texts: the raw speed of the library underneath;
- ``enrich``: `storyline.ingest.enrichment_stages` (entities, actors, places, quotes, tone,
  events: whatever `storyline.nlp.stages.default_stages` lists) over the same articles, batch by
  batch as an ingest runs them, with the time of each stage.

The ratio is enrichment articles/s over spaCy's; the target is >= 0.6 with the quote stage's
dependency parser on (issue 10; it parses only the sentences the quote rules leave unread).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "src" / "storyline" / "data" / "sample"
SEEDS = REPO.parent / "shared" / "seeds"
FIELDS = ("source", "title", "text", "paragraphs", "published", "date_not_before", "dateline",
          "language", "outlet")  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clean_corpus() -> list[dict[str, Any]]:
    """Read and clean the sample corpus and seeds once: the enrichment's real input."""
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths

    paths = [str(p) for p in sorted(SAMPLE.iterdir()) if (p.is_file() and p.name != "README.md"
             and not p.name.endswith(".jsonl")) or p.name == "feed_export.jsonl"]  # fmt: skip
    if SEEDS.is_dir():
        paths.append(str(SEEDS))
    pipeline = Pipeline(foundation_stages())
    articles = pipeline.run_batch(list(read_paths(paths)))
    return [
        {name: getattr(a, name) for name in FIELDS}
        for a in articles
        if a.ok and a.language == "en" and a.text
    ]


def load_articles(corpus: Path, n: int) -> list[Any]:
    from storyline.article import Article

    records = json.loads(corpus.read_text("utf-8"))
    out = []
    for i in range(n):
        record = dict(records[i % len(records)])
        out.append(Article(**record))
    return out


def child(mode: str, corpus: Path, n: int, batch: int) -> None:
    articles = load_articles(corpus, n)
    words = sum(len(a.text.split()) for a in articles)
    stage_seconds: dict[str, float] = {}
    if mode == "spacy":
        from storyline.nlp.model import load_nlp

        nlp = load_nlp()
        texts = [a.text for a in articles]
        for _ in nlp.pipe(texts[:20]):  # warm-up, as for the stages below
            pass
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        seconds = time.perf_counter() - start
    else:
        from storyline.ingest import enrichment_stages

        stages = enrichment_stages()
        for stage in stages:
            stage.setup()
        warm = load_articles(corpus, 20)
        for stage in stages:
            stage.process_batch(warm)
        start = time.perf_counter()
        for lo in range(0, n, batch):
            live = articles[lo : lo + batch]
            for stage in stages:
                t = time.perf_counter()
                stage.process_batch([a for a in live if a.ok])
                stage_seconds[stage.name] = stage_seconds.get(stage.name, 0.0) + (
                    time.perf_counter() - t
                )
            for a in live:  # written to the store and dropped, as in an ingest
                a.scratch.clear()
        seconds = time.perf_counter() - start
        failed = sum(1 for a in articles if a.failed)
        stage_seconds["_failed"] = failed
        stage_seconds["_events"] = sum(len(a.events) for a in articles)
    print(json.dumps({"seconds": seconds, "articles": n, "words": words, "peak_mb": peak_mb(),
                      "stages": stage_seconds}))  # fmt: skip


def run_child(mode: str, corpus: Path, n: int, batch: int) -> dict[str, Any]:
    """Each measurement in a fresh process, so peak memory belongs to that mode alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(corpus), str(n), str(batch)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="articles (replicated texts)")
    parser.add_argument("--batch", type=int, default=64, help="articles per batch (as ingest)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, corpus, n, batch = args.child
        child(mode, Path(corpus), int(n), int(batch))
        return
    records = clean_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "clean.json"
        corpus.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
        spacy_run = run_child("spacy", corpus, args.n, args.batch)
        enrich_run = run_child("enrich", corpus, args.n, args.batch)
    words = spacy_run["words"]
    print(f"{len(records)} distinct cleaned English articles, replicated to {args.n} "
          f"({words} words, {words / args.n:.0f} per article)\n")  # fmt: skip
    print(f"{'run':<28}{'articles/s':>12}{'words/s':>12}{'peak RSS MB':>14}")
    for name, run in (("spaCy NER alone (nlp.pipe)", spacy_run), ("whole enrichment", enrich_run)):
        print(f"{name:<28}{run['articles'] / run['seconds']:>12.1f}"
              f"{run['words'] / run['seconds']:>12.0f}{run['peak_mb']:>14.0f}")  # fmt: skip
    ratio = spacy_run["seconds"] / enrich_run["seconds"]
    print(f"\nratio enrichment / spaCy alone: {ratio:.2f} (target >= 0.6 with the parser on)")
    stages = enrich_run["stages"]
    print(f"events coded: {stages.pop('_events')}, articles failed: {stages.pop('_failed')}\n")
    print(f"{'stage':<12}{'seconds':>10}{'articles/s':>12}{'share':>8}")
    total = sum(stages.values()) or 1.0
    for name, seconds in stages.items():
        print(f"{name:<12}{seconds:>10.2f}{args.n / seconds if seconds else 0:>12.0f}"
              f"{seconds / total:>8.0%}")  # fmt: skip


if __name__ == "__main__":
    main()
