"""Copy detection throughput and quality on a generated corpus with injected reprints.

    python benchmarks/copies.py [--n 10000] [--reprint-rate 0.2] [--seed 1] [--store]

Text: a word-bigram Markov chain trained on ECB+ article bodies (``../shared/datasets``, next to
the repository) when present, else Zipf-distributed words; either way every original paragraph
is new text, with the stock phrases ("said on", "one of the") that make real news paragraphs
share some shingles by chance. About ``--reprint-rate`` of the articles reuse an earlier one:
exact reprints, edited wire copy (British spelling and curly quotes changed, last paragraph
trimmed, a local paragraph added, a word changed) and partial reuse (two or three paragraphs
inside a new article). Gold pairs are the article pairs that print a common source paragraph.

Prints: articles/s and paragraphs/s of `CopyIndex.add` (shingling, MinHash, LSH lookup,
verification and indexing), precision/recall of copy pairs, peak memory, and what a restart costs
two ways: re-tokenising stored paragraphs vs rebuilding MinHash from stored shingle hashes.
``--store`` also times the ``find_copies`` update step through SQLite (batches of 64, as ingest
runs it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from storyline.cluster.copy_index import CopyIndex, prepare, signature

ECB = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "ecbplus-traindev.jsonl"
BRITISH = [
    "neighbouring",
    "organisation",
    "favour",
    "centre",
    "defence",
    "recognised",
    "programme",
    "labour",
    "criticised",
    "behaviour",
]
AMERICAN = {
    "neighbouring": "neighboring",
    "organisation": "organization",
    "favour": "favor",
    "centre": "center",
    "defence": "defense",
    "recognised": "recognized",
    "programme": "program",
    "labour": "labor",
    "criticised": "criticized",
    "behaviour": "behavior",
}
AGENCIES = ["AFP", "Reuters", "AP", "Xinhua", "IRNA", "APP", "Anadolu"]


@dataclass
class Doc:
    id: str
    paragraphs: list[str]
    origins: list[int | None]  # source paragraph id per paragraph (None: this article's own)
    date: str | None
    agencies: list[str]
    byline: str | None = None
    kind: str = "original"
    copy_of: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Words:
    """Random running text: a bigram chain over ECB+ bodies, or Zipf words as a fallback."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[str, list[str]] = defaultdict(list)
        if ECB.exists():
            for line in ECB.read_text("utf-8").splitlines():
                words = json.loads(line).get("text", "").split()
                for x, y in itertools.pairwise(words):
                    self.next[x].append(y)
        self.starts = [w for w in self.next if w[:1].isupper()] or ["The"]
        self.vocab = [f"w{i}" for i in range(40_000)]
        self.weights = [1 / (i + 1) for i in range(len(self.vocab))]

    def paragraph(self, n: int) -> str:
        rng = self.rng
        if self.next:
            word = rng.choice(self.starts)
            out = [word]
            for _ in range(n - 1):
                options = self.next.get(word)
                word = rng.choice(options) if options else rng.choice(self.starts)
                out.append(word)
        else:
            out = rng.choices(self.vocab, self.weights, k=n)
        if rng.random() < 0.4:
            out.insert(rng.randrange(len(out)), rng.choice(BRITISH))
        if rng.random() < 0.3:
            at = rng.randrange(len(out))
            out[at] = f"“{out[at]}”"
        return " ".join(out)


def generate(n: int, rate: float, seed: int) -> list[Doc]:
    rng = random.Random(seed)
    words = Words(rng)
    docs: list[Doc] = []
    originals: list[Doc] = []
    next_origin = itertools.count()

    def own(k: int) -> tuple[list[str], list[int | None]]:
        return [words.paragraph(rng.randint(25, 70)) for _ in range(k)], [None] * k

    for i in range(n):
        day = f"2024-{1 + (i * 12) // n:02d}-{1 + rng.randrange(28):02d}"
        if originals and rng.random() < rate:
            src = rng.choice(originals[-500:])
            kind = rng.choices(["exact", "edited_wire", "partial"], [0.3, 0.45, 0.25])[0]
            if kind == "exact":
                paras, origins = list(src.paragraphs), list(src.origins)
            elif kind == "edited_wire":
                paras = [americanise(p) for p in src.paragraphs]
                origins = list(src.origins)
                if len(paras) > 4 and rng.random() < 0.5:
                    paras, origins = paras[:-1], origins[:-1]
                at = rng.randrange(len(paras))
                tokens = paras[at].split()
                tokens[rng.randrange(len(tokens))] = "reportedly"
                paras[at] = " ".join(tokens)
                if rng.random() < 0.5:
                    extra, none = own(1)
                    paras, origins = paras + extra, origins + none
            else:
                picks = sorted(rng.sample(range(len(src.paragraphs)), rng.randint(2, 3)))
                paras, origins = own(rng.randint(4, 6))
                for k, pick in enumerate(picks):
                    paras.insert(2 * k + 1, src.paragraphs[pick])
                    origins.insert(2 * k + 1, src.origins[pick])
            date = None if rng.random() < 0.3 else day
            docs.append(
                Doc(
                    f"d{i:06d}",
                    paras,
                    origins,
                    date,
                    src.agencies,
                    None if kind != "partial" else "Staff Reporter",
                    kind,
                    src.id,
                )
            )
            continue
        paras, _ = own(rng.randint(6, 14))
        origins: list[int | None] = [next(next_origin) for _ in paras]
        agencies = [rng.choice(AGENCIES)] if rng.random() < 0.5 else []
        doc = Doc(f"d{i:06d}", paras, origins, day, agencies)
        docs.append(doc)
        originals.append(doc)
    return docs


def americanise(text: str) -> str:
    for british, american in AMERICAN.items():
        text = text.replace(british, american)
    return text.replace("“", '"').replace("”", '"')


def gold_pairs(docs: list[Doc]) -> set[frozenset[str]]:
    by_origin: dict[int, list[str]] = defaultdict(list)
    for d in docs:
        for origin in set(o for o in d.origins if o is not None):
            by_origin[origin].append(d.id)
    pairs: set[frozenset[str]] = set()
    for ids in by_origin.values():
        pairs.update(frozenset(p) for p in itertools.combinations(sorted(set(ids)), 2))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--reprint-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--store", action="store_true", help="also time the find_copies step in SQLite"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    docs = generate(args.n, args.reprint_rate, args.seed)
    gold = gold_pairs(docs)
    n_paras = sum(len(d.paragraphs) for d in docs)
    print(
        f"corpus: {len(docs)} articles, {n_paras} paragraphs, "
        f"{sum(d.kind != 'original' for d in docs)} reprints, {len(gold)} gold pairs "
        f"(text: {'ECB+ bigram chain' if ECB.exists() else 'Zipf words'}; "
        f"generated in {time.perf_counter() - started:.1f} s)"
    )

    index = CopyIndex()
    found: dict[frozenset[str], str] = {}
    started = time.perf_counter()
    for d in docs:
        for link in index.add(
            d.id, d.paragraphs, d.date, "generated", d.agencies, None, byline=d.byline
        ):
            found[frozenset((link.a, link.b))] = link.kind
    seconds = time.perf_counter() - started
    tp = len(found.keys() & gold)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(gold) if gold else 1.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"detection: {len(docs) / seconds:,.0f} articles/s, {n_paras / seconds:,.0f} "
        f"paragraphs/s ({seconds:.1f} s); peak RSS {peak:,.0f} MiB"
    )
    print(
        f"copy pairs: gold {len(gold)}, found {len(found)}, true {tp}: precision "
        f"{precision:.4f}, recall {recall:.4f}"
    )
    # An edited copy of an uncredited article is partial reuse by definition (no agency).
    direct = {
        frozenset((d.id, d.copy_of)): d.kind if d.kind != "edited_wire" or d.agencies else "partial"
        for d in docs
        if d.copy_of
    }
    right = sum(1 for pair, kind in direct.items() if found.get(pair) == kind)
    print(f"kind on direct pairs: {right}/{len(direct)} as generated")

    # What a restart costs: tokenise stored paragraphs again, or reuse stored shingle hashes.
    sample = docs[: min(len(docs), 5000)]
    started = time.perf_counter()
    prepared = [prepare(d.paragraphs) for d in sample]
    t_prepare = time.perf_counter() - started
    started = time.perf_counter()
    rebuilt = CopyIndex(keep_text=False)
    for d, prep in zip(sample, prepared, strict=True):
        rebuilt.add(d.id, (), d.date, None, d.agencies, None, find=False, prepared=prep)
    t_index = time.perf_counter() - started
    started = time.perf_counter()
    for prep in prepared[:1000]:
        for p in prep[0]:
            signature(p.shingles)
    t_sig = (time.perf_counter() - started) * len(sample) / min(len(sample), 1000)
    print(
        f"restart, per 1,000 articles: tokenise+shingle {1000 * t_prepare / len(sample):.2f} s, "
        f"MinHash+LSH insert from stored shingles {1000 * t_index / len(sample):.2f} s "
        f"(of which MinHash {1000 * t_sig / len(sample):.2f} s)"
    )

    if args.store:
        store_bench(docs)
    return 0 if precision >= 0.99 and recall >= 0.95 else 1


def store_bench(docs: list[Doc]) -> None:
    import tempfile

    from storyline.article import Article
    from storyline.store import Store
    from storyline.update import Updater
    from storyline.update.find_copies import FindCopies

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.db") as store:
        arts = [
            Article(
                source=d.id,
                id=d.id,
                content_hash=d.id,
                text="\n\n".join(d.paragraphs),
                paragraphs=d.paragraphs,
                published=d.date,
                agencies=d.agencies,
                byline=d.byline,
            )
            for d in docs
        ]
        spent = 0.0
        updater = Updater(store, [FindCopies()])
        for start in range(0, len(arts), 64):
            batch = arts[start : start + 64]
            store.write_batch([(a.id, a) for a in batch])
            t = time.perf_counter()
            updater.run()
            spent += time.perf_counter() - t
        links = store.conn.execute("SELECT COUNT(*) FROM copy_links").fetchone()[0]
        print(
            f"find_copies step through SQLite: {len(arts) / spent:,.0f} articles/s "
            f"({spent:.1f} s, {links} links stored)"
        )
        t = time.perf_counter()
        store2 = Store(store.path)
        step = FindCopies()
        step.ready(store2.conn)  # the index rebuilt from copy_index, as a restart does
        print(
            f"cold start of the index from copy_index ({len(arts)} articles): "
            f"{time.perf_counter() - t:.1f} s"
        )
        store2.close()


if __name__ == "__main__":
    sys.exit(main())
