"""Incremental story and storyline cost per article as the store grows, memory, copy throughput.

For each size N: a store is filled with N synthetic articles (`storyline.testing.generate`,
written with `Store.write_batch` and clustered by the real ingest hook `update_stories` in
batches), then the next `--probe` articles are written and clustered in ingest-sized batches and
timed. Printed per size: ms per article for `update_stories` (clusterer add, storyline placing,
summaries, state and row writes, all in its transaction), the same for the clusterer's `add`
alone, the time a fresh process takes to load the state, resident memory, and copy detection
throughput (`update_copies` from `storyline.store.copies`) on the probe articles.

    PYTHONPATH=src python benchmarks/cluster.py --sizes 10000,100000,1000000

The enrichment stages are not run (no spaCy): articles carry title, text and date only, so
storylines fall back on capitalised names, as they do for languages the entity model lacks.
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
from pathlib import Path

from storyline.article import Article
from storyline.cluster.stories import StoryClusterer
from storyline.store import Store
from storyline.store.stories import _ENGINES, _load_engine, story_doc, update_stories
from storyline.testing import generate


def _articles(start: int, n: int, seed: int = 7) -> list[Article]:
    out = []
    for i, s in enumerate(generate(start + n, seed)[start:], start):
        out.append(
            Article(
                source=f"synthetic/{s.name}.txt",
                id=f"b{i:07d}",
                content_hash=f"h{i}",
                title=s.title,
                text=s.body,
                paragraphs=s.body.split("\n\n"),
                outlet=s.outlet,
                agencies=[s.agency] if s.agency else [],
                published=s.day.isoformat() if s.day else None,
            )
        )
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fill(store: Store, articles: list[Article], batch: int, copies: bool) -> None:
    from storyline.store.copies import update_copies

    for start in range(0, len(articles), batch):
        chunk = articles[start : start + batch]
        store.write_batch([(a.source, a) for a in chunk])
        if copies:
            update_copies(store, chunk)
        update_stories(store, chunk)


def run_size(size: int, probe: int, batch: int, folder: Path, copies: bool) -> dict[str, float]:
    db = folder / f"bench_{size}.db"
    # generate() is deterministic and prefix-stable: the probe continues the same corpus
    everything = _articles(0, size + probe)
    filled, probing = everything[:size], everything[size:]
    store = Store(db)
    t0 = time.perf_counter()
    _fill(store, filled, 1000, copies)
    fill_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _fill(store, probing, batch, copies=False)
    per_article = (time.perf_counter() - t0) / len(probing) * 1000
    engine = _ENGINES[store]
    n_stories = len(engine.clusterer.stories())
    # the clusterer alone, on a copy restored from its own state
    clusterer = StoryClusterer.from_state(engine.clusterer.to_state())
    extra = _articles(size + probe, probe)
    t0 = time.perf_counter()
    for article in extra:
        clusterer.add(story_doc(article))
    add_ms = (time.perf_counter() - t0) / len(extra) * 1000
    del clusterer
    _ENGINES.pop(store, None)
    gc.collect()
    t0 = time.perf_counter()
    _load_engine(store.conn)
    load_s = time.perf_counter() - t0
    copy_rate = float("nan")
    if copies:
        from storyline.store.copies import update_copies

        t0 = time.perf_counter()
        for start in range(0, len(extra), batch):
            chunk = extra[start : start + batch]
            store.write_batch([(a.source, a) for a in chunk])
            update_copies(store, chunk)
        copy_rate = len(extra) / (time.perf_counter() - t0)
    store.close()
    return {
        "size": size,
        "stories": n_stories,
        "fill_s": fill_s,
        "ms_per_article": per_article,
        "add_ms": add_ms,
        "load_s": load_s,
        "rss_mb": _rss_mb(),
        "db_mb": db.stat().st_size / 2**20,
        "copies_per_s": copy_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--probe", type=int, default=1000, help="articles timed per size")
    parser.add_argument("--batch", type=int, default=64, help="ingest batch size when timing")
    parser.add_argument("--no-copies", action="store_true", help="skip copy detection")
    parser.add_argument("--dir", default=None, help="where the stores go (default: a temp dir)")
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="storyline-bench-"))
    print(f"stores in {folder}; probe {args.probe} articles in batches of {args.batch}")
    header = (
        f"{'stored':>9} {'stories':>8} {'fill s':>8} {'ms/article':>10} {'add ms':>7} "
        f"{'load s':>7} {'peak RSS MB':>11} {'db MB':>7} {'copies/s':>9}"
    )
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        r = run_size(size, args.probe, args.batch, folder, not args.no_copies)
        print(
            f"{r['size']:>9,} {r['stories']:>8,} {r['fill_s']:>8.1f} {r['ms_per_article']:>10.2f} "
            f"{r['add_ms']:>7.2f} {r['load_s']:>7.2f} {r['rss_mb']:>11.0f} {r['db_mb']:>7.1f} "
            f"{r['copies_per_s']:>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
