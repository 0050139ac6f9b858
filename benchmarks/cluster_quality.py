"""Story clustering quality on ECB+ (all modes, per split) against a tuned-on-test baseline.

    python benchmarks/cluster_quality.py [--embedder auto|none|wordllama|minilm]
        [--embed-weight 0.2] [--no-entities] [--as-ingested] [--scale 20000]
        [--small-batch 3]

Reads ``../shared/datasets/ecbplus-traindev.jsonl`` (next to the repository) and the package's own
sample corpus (labelled by its manifest; see ``sample_labelled_rows``). The baseline is
TF-IDF + average-link agglomerative clustering whose threshold is chosen on the very data it is
scored on (an upper bound for that method, not a fair competitor). As ``storyline eval clustering``
does by default, the pipeline's entity and actor stages first run over every article (once) and
give the clusterer their actors and places, as the store does; ``--no-entities`` leaves them out
(text and names only, much faster on ECB+). Embeddings lead the same-week boost by default;
``--embed-weight`` also makes them a channel.
``--as-ingested`` measures each split as a user who ingests it would see it (`storyline eval
clustering FILE --as-ingested`: a throwaway store per split, texts cleaned and dated by ingest, and
the store's own stories as mode ``store``). ``--scale N`` also times ``add()`` on N synthetic
articles to show the cost per article stays flat as the store grows. ``--small-batch N`` (3 by
default, 0 skips it) also feeds the sample corpus N articles at a time in 20 shuffled orders, as
two writers at once do (`tests/update/test_order_independence.py`): a date rule that chains a
storyline's separate happenings shows there and not in batches of 64 (docs/clustering.md round
23).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.evaluate.clustering import (
    add_entities,
    evaluate_clustering,
    format_report,
    sample_labelled_rows,
    write_labelled,
)
from storyline.evaluate.metrics import clustering_scores

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "ecbplus-traindev.jsonl"


def baseline(rows: list[dict]) -> tuple[float, float, dict[str, float]]:
    """Best B-cubed F1 of TF-IDF + average-link over thresholds, tuned on these rows."""
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [r["text"] for r in rows]
    )
    dense = matrix.toarray()
    gold = [r["label"] for r in rows]
    best = (-1.0, 0.0, {})
    tree = linkage(dense, method="average", metric="cosine")  # one tree, cut at every threshold
    for threshold in np.arange(0.50, 0.99, 0.01):
        labels = fcluster(tree, t=threshold, criterion="distance")
        scores = clustering_scores(gold, list(labels))
        if scores["bcubed_f1"] > best[0]:
            best = (scores["bcubed_f1"], float(threshold), scores)
    return best


def scale(n: int, seed: int = 0) -> None:
    """Time add() on synthetic articles: Zipf words plus a few event-specific names."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(30000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    clusterer = StoryClusterer()
    checkpoints = {n // 10, n // 4, n // 2, n}
    started = time.perf_counter()
    last = (0, started)
    for i in range(n):
        event = rng.randrange(max(1, n // 5))
        words = rng.choices(vocab, weights, k=150)
        names = [f"Name{event} Place{event}", f"Actor{event % 997}"]
        day = 1 + event * 3650 // max(1, n // 5)
        date = (np.datetime64("2015-01-01") + np.timedelta64(day, "D")).astype(str)
        clusterer.add(StoryDoc(id=f"d{i}", text=" ".join(words + names), date=date))
        if i + 1 in checkpoints:
            now = time.perf_counter()
            per = 1000 * (now - last[1]) / (i + 1 - last[0])
            print(f"  {i + 1:>8} stored: {per:.2f} ms/article over the last {i + 1 - last[0]}")
            last = (i + 1, now)


def small_batches(path: Path, settings: ClusterSettings | None, embedder: str, batch: int) -> None:
    """The sample corpus fed ``batch`` articles at a time, in file order and 20 shuffles."""
    result = evaluate_clustering(
        path, settings, shuffles=20, embedder=embedder, entities=False, batch=batch
    )
    f1s = [m["bcubed_f1"] for name, m in result["modes"].items() if name != "rebuild"]
    print(
        f"sample corpus in batches of {batch}, file order and 20 shuffles: B3 F1 mean "
        f"{sum(f1s) / len(f1s):.3f}, min {min(f1s):.3f}, max {max(f1s):.3f}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--scale", type=int, default=0)
    parser.add_argument(
        "--entities",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="actors and places from the ingest stages (default; --no-entities: text and names)",
    )
    parser.add_argument("--embed-weight", type=float, default=None, help="embedding weight")
    parser.add_argument(
        "--as-ingested",
        action="store_true",
        help="ingest each split into a throwaway store first (what a user who ingests it gets)",
    )
    parser.add_argument(
        "--small-batch",
        type=int,
        default=3,
        help="also feed the sample corpus this many articles at a time in 20 orders (0: skip)",
    )
    args = parser.parse_args()
    settings = None  # the shipped settings, as the store's (its own stories are then scored)
    if args.embed_weight is not None:
        settings = ClusterSettings(embed_weight=args.embed_weight)
    rows = []
    if args.data.exists():
        rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    else:
        print(f"ECB+ data not found at {args.data}; measuring the sample corpus only")
    sample = sample_labelled_rows()
    if args.entities and not args.as_ingested:  # an ingest runs the entity stages itself
        started = time.perf_counter()
        for group in (sample, rows):
            docs = [StoryDoc(id=r["id"], text=r["text"], title=r.get("title") or "") for r in group]
            add_entities(docs)
            for row, doc in zip(group, docs, strict=True):
                row["actors"], row["places"] = doc.actors, doc.places
        per = 1000 * (time.perf_counter() - started) / max(1, len(sample) + len(rows))
        print(f"entity stages: {per:.0f} ms per article\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = write_labelled(sample, Path(tmp) / "sample.jsonl")
        print("== sample corpus (our own articles, dated, four in other languages) ==")
        result = evaluate_clustering(
            path, settings, embedder=args.embedder, entities=False, as_ingested=args.as_ingested
        )
        result["entities"] = args.entities  # the rows carry the entity facts computed above
        print(format_report(result).replace(str(path), "sample corpus"))
        f1, threshold, scores = baseline(sample)
        print(
            f"baseline TF-IDF + average link, threshold {threshold:.2f} tuned on this data: "
            f"B3 F1 {f1:.3f}, ARI {scores['ari']:.3f}, {int(scores['clusters'])} clusters\n"
        )
        if args.small_batch > 0 and not args.as_ingested:
            small_batches(path, settings, args.embedder, args.small_batch)
        for split in ("train", "dev", "all") if rows else ():
            subset = [r for r in rows if split == "all" or r["split"] == split]
            path = Path(tmp) / f"ecbplus-{split}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in subset), encoding="utf-8")
            # the rows already carry the entity facts (computed once above): not again per split
            result = evaluate_clustering(
                path,
                settings,
                embedder=args.embedder,
                entities=False,
                as_ingested=args.as_ingested,
            )
            result["entities"] = args.entities
            print(f"== ECB+ {split} ==")
            print(format_report(result).replace(str(path), f"ecbplus {split}"))
            f1, threshold, scores = baseline(subset)
            print(
                f"baseline TF-IDF + average link, threshold {threshold:.2f} tuned on this data: "
                f"B3 F1 {f1:.3f}, ARI {scores['ari']:.3f}, {int(scores['clusters'])} clusters\n"
            )
    if args.scale:
        print(f"== add() cost as the store grows ({args.scale} synthetic articles) ==")
        scale(args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
