"""How story clustering and copy detection scale with the number of articles already stored.

Three measurements, each at one or more sizes N (articles already stored), each in a fresh
subprocess so the memory figures are that size's alone:

* ``clusterer``: `StoryClusterer.add` alone, filled with N `StoryDoc`s, then a probe of the next
  ``--probe`` articles added one at a time and timed one by one (median and p95 ms), with the
  number of candidate stories scored per add and the number of index postings read to find them
  (both bounded by `ClusterSettings`: ``candidates`` and ``index_keys * postings_per_key``),
  resident memory after the fill, and what the fill added to it.
* ``store``: the update steps on a real store filled with N articles (`Store.write_batch` and
  the default update steps in batches of 1,000), then the probe written and updated in
  ingest-sized batches (``--batch``): ms per article for each step (`UpdateReport.seconds`).
* ``copies``: `CopyIndex` directly (no paragraph texts kept, as in the store), filled with N
  articles (indexed only, as a restarted store reloads it), then the probe added with detection
  on: articles per second at that size, and recall: probe reprints (`Synthetic.copy_of`) linked
  to their source, with links to other articles told apart (same reprint group or not).

Articles come from ``storyline.testing.generate(n, realistic=True)`` (Zipf-distributed made-up
people, places and topic words; 20% reprints). Its dates span 300 days whatever n is, so they
are replaced: article i of a size-N run is dated ``--days * i / N`` days after 2024-01-01 (about
two years for the stored articles; the probe continues at the same rate), undated reprints stay
undated. No enrichment stages run (no spaCy), so articles carry title, text and date only.
``--undated`` drops every date: the feed on which the regroup after each batch runs (it leaves
stories more than half dated alone), timed with ``--regroup 0`` against the shipped 600;
``--regroup-dated-share 0`` regroups undated stories only, as before round 13.
``--embed wordllama|random`` embeds the clusterer-alone articles as the store's step does (timed
as "embedding"): the same-week boost then follows the cosine and the stories of the same days are
looked up by it. The made-up words all look alike to WordLlama (cosine about 0.9, so every
same-week pair gets the full boost: a worst case), so ``random`` hands the clusterer random unit
vectors instead, which cost every sum, scan and dot product without changing the stories.

    PYTHONPATH=src python benchmarks/cluster.py --sizes 10000,100000 --store-sizes 10000 \
        --copy-sizes 10000,100000 --probe 500

Prints one table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline.testing import Synthetic, generate

START = date(2024, 1, 1)


def _corpus(n: int, size: int, days: int, seed: int) -> list[tuple[Synthetic, str | None]]:
    """The first ``n`` realistic articles with their dates spread at ``size / days`` per day
    (or at ``PER_DAY`` a day when set: the same density whatever the size)."""
    out = []
    for i, s in enumerate(generate(n, seed, realistic=True)):
        offset = i // PER_DAY if PER_DAY else i * days // size
        day = None if s.day is None or UNDATED else (START + timedelta(days=offset)).isoformat()
        out.append((s, day))
    return out


def _rss_mb() -> float:
    """Current resident memory (not the peak: each measurement runs in its own process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _clusterer(size: int) -> Any:
    """A clusterer with the default settings, or ``--active-days`` when given; with retiring on,
    retired stories go to a SQLite file as the store keeps them (`StoreArchive`), so what stays
    in memory is what a store-backed process holds."""
    from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer

    extra: dict[str, Any] = {} if NEAR_BOOST is None else {"date_near_boost": NEAR_BOOST}
    if LOOKUP_KEYS is not None:
        extra["lookup_keys"] = LOOKUP_KEYS
    if REGROUP is not None:
        extra["regroup_max_articles"] = REGROUP
    if DATED_SHARE is not None:
        extra["regroup_dated_share"] = DATED_SHARE
    if SUBJECT_MIN is not None:
        extra["subject_min_group"] = SUBJECT_MIN
    if REVISIT is not None:
        extra["settle_revisit"] = REVISIT
    if EVICT_ADOPTED is not None:
        extra["evict_adopted"] = EVICT_ADOPTED
    if GRACE_DAYS is not None:
        extra["date_grace_days"] = GRACE_DAYS
    if MERGE_DATED is not None:
        extra["merge_dated"] = MERGE_DATED
    if MAX_GAP_DAYS is not None:
        extra["max_gap_days"] = MAX_GAP_DAYS
    if FAR_GAP_DAYS is not None:
        extra["far_gap_days"] = FAR_GAP_DAYS
    if ACTIVE_DAYS is None:
        return StoryClusterer(ClusterSettings(**extra))
    clusterer = StoryClusterer(ClusterSettings(active_days=ACTIVE_DAYS, **extra))
    if ACTIVE_DAYS > 0:
        import sqlite3

        from storyline.update.story_state import StoreArchive

        folder = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
        conn = sqlite3.connect(folder / f"archive_{size}.db", isolation_level=None)
        conn.execute(
            "CREATE TABLE cluster_state_stories (story_id TEXT PRIMARY KEY, state BLOB NOT NULL,"
            " last_day INTEGER)"
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        clusterer.archive = StoreArchive(conn)
    return clusterer


def clusterer_run(size: int, probe: int, days: int, seed: int) -> dict[str, Any]:
    from storyline.cluster.story_clusterer import StoryDoc

    docs = [
        StoryDoc(id=s.name, text=s.body, title=s.title, date=day)
        for s, day in _corpus(size + probe, size, days, seed)
    ]
    embed_s = 0.0
    if EMBED:  # as the store's step does: the same-week boost then follows the cosine
        from storyline.update.story_state import embed_docs, story_embedder

        for doc in docs:
            doc.language = "en"  # made-up words: counted as English so that they are embedded
        embedder = story_embedder(None)
        if embedder is None:
            raise SystemExit("--embed needs the store's embedder: pip install wordllama")
        started = time.perf_counter()
        for start in range(0, len(docs), 64):  # in ingest's batches, as the step embeds them
            embed_docs(docs[start : start + 64], embedder)
        embed_s = time.perf_counter() - started
        if EMBED == "random":
            import numpy as np

            # WordLlama finds the made-up words all alike (cosine ~0.9): random unit vectors
            # keep the stories of the flat run and still cost every sum, scan and dot product
            rng = np.random.default_rng(seed)
            for doc in docs:
                vector = rng.standard_normal(256).astype(np.float32)
                doc.embedding = vector / np.linalg.norm(vector)
    clusterer = _clusterer(size)
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    lap = t0
    cpu_lap = time.process_time()
    for i, doc in enumerate(docs[:size], 1):
        clusterer.add(doc)
        if PROGRESS and i % PROGRESS == 0:  # what a long fill has reached, in case it is cut off
            now, cpu = time.perf_counter(), time.process_time()
            active = len(clusterer._stories)
            print(
                f"# filled {i:,}: {1000 * (now - lap) / PROGRESS:.2f} ms per add over the last "
                f"{PROGRESS:,} ({1000 * (cpu - cpu_lap) / PROGRESS:.2f} ms CPU), "
                f"{now - t0:.0f} s, RSS {_rss_mb():.0f} MB, "
                f"{len(clusterer):,} articles, {active:,} stories in memory",
                file=sys.stderr,
                flush=True,
            )
            lap, cpu_lap = now, cpu
    fill_s = time.perf_counter() - t0
    rss1 = _rss_mb()
    stories = len(clusterer._stories)
    # count what each probe add reads: candidate stories scored, postings walked to find them
    scored: list[int] = []
    postings: list[int] = []
    original = clusterer._candidates

    def counting(feats: Any) -> Any:
        postings.append(sum(len(clusterer._postings.get(k, ())) for k in clusterer._keys(feats)))
        found = original(feats)
        scored.append(len(found))
        return found

    clusterer._candidates = counting  # type: ignore[method-assign]
    times, cpu_times = [], []
    for doc in docs[size:]:
        t, c = time.perf_counter(), time.process_time()
        clusterer.add(doc)
        times.append((time.perf_counter() - t) * 1000)
        cpu_times.append((time.process_time() - c) * 1000)
    median, p95 = _quantiles(times)
    # the batch step ingest runs after each batch (`settle`), timed per article of its batch
    clusterer._candidates = original  # type: ignore[method-assign]
    settle_s = 0.0
    for start in range(0, probe, 64):
        t = time.perf_counter()
        clusterer.settle(doc.id for doc in docs[size + start : size + start + 64])
        settle_s += time.perf_counter() - t
    return {
        "size": size,
        "stories": stories,
        "settle_ms": 1000 * settle_s / max(1, probe),
        "fill_s": fill_s,
        "embed_ms": 1000 * embed_s / max(1, len(docs)),
        "median_ms": median,
        "p95_ms": p95,
        "mean_ms": statistics.fmean(times),
        "cpu_mean_ms": statistics.fmean(cpu_times),
        "scored_mean": statistics.fmean(scored),
        "scored_max": max(scored),
        "postings_mean": statistics.fmean(postings),
        "postings_max": max(postings),
        "rss_mb": rss1,
        "fill_rss_mb": rss1 - rss0,
    }


def _articles(corpus: list[tuple[Synthetic, str | None]], start: int) -> list[Any]:
    from storyline.article import Article

    return [
        Article(
            source=f"synthetic/{s.name}.txt",
            id=f"b{i:07d}",
            content_hash=f"h{i}",
            title=s.title,
            text=s.body,
            paragraphs=s.body.split("\n\n"),
            outlet=s.outlet,
            agencies=[s.agency] if s.agency else [],
            published=day,
        )
        for i, (s, day) in enumerate(corpus[start:], start)
    ]


def store_run(size: int, probe: int, batch: int, days: int, seed: int) -> dict[str, Any]:
    from storyline.store import Store
    from storyline.update import Updater, default_steps

    corpus = _corpus(size + probe, size, days, seed)
    everything = _articles(corpus, 0)
    folder = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    store = Store(folder / f"bench_{size}.db")
    updater = Updater(store, default_steps())
    t0 = time.perf_counter()
    for start in range(0, size, 1000):
        chunk = everything[start : min(size, start + 1000)]
        store.write_batch([(a.source, a) for a in chunk])
        updater.run()
    fill_s = time.perf_counter() - t0
    spent = {"write": 0.0, "copies": 0.0, "stories": 0.0}
    per_batch = []
    probing = everything[size:]
    for start in range(0, len(probing), batch):
        chunk = probing[start : start + batch]
        t = time.perf_counter()
        store.write_batch([(a.source, a) for a in chunk])
        spent["write"] += time.perf_counter() - t
        seconds = updater.run().seconds
        spent["copies"] += seconds.get("find_copies", 0.0)
        spent["stories"] += seconds.get("cluster_stories", 0.0)
        per_batch.append(seconds.get("cluster_stories", 0.0) / len(chunk) * 1000)
    n = len(probing)
    stories = store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    rss = _rss_mb()
    db_mb = (folder / f"bench_{size}.db").stat().st_size / 2**20
    store.close()
    return {
        "size": size,
        "stories": stories,
        "fill_s": fill_s,
        "write_ms": spent["write"] / n * 1000,
        "copies_ms": spent["copies"] / n * 1000,
        "stories_ms": spent["stories"] / n * 1000,
        "stories_batch_p95_ms": _quantiles(per_batch)[1],
        "rss_mb": rss,
        "db_mb": db_mb,
    }


def copies_run(size: int, probe: int, days: int, seed: int) -> dict[str, Any]:
    from storyline.cluster.copy_index import CopyIndex

    corpus = _corpus(size + probe, size, days, seed)
    texts = {s.name: s.body.split("\n\n") for s, _ in corpus}
    # As the store holds it: no paragraph texts in memory, fetched when a link is written.
    index = CopyIndex(keep_text=False, load_text=lambda aid, i: texts[aid][i])
    rss0 = _rss_mb()

    def add(s: Synthetic, day: str | None, find: bool) -> list[Any]:
        agencies = [s.agency] if s.agency else []
        return index.add(s.name, texts[s.name], day, None, agencies, s.outlet, find=find)

    t0 = time.perf_counter()
    for s, day in corpus[:size]:
        add(s, day, find=False)
    fill_s = time.perf_counter() - t0
    rss1 = _rss_mb()
    root = {}  # reprint group: the original a chain of copy_of leads to
    for s, _ in corpus:
        root[s.name] = root.get(s.copy_of, s.copy_of) if s.copy_of else s.name
    links = reprints = found = same_group = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for s, day in corpus[size:]:
        pairs = {frozenset((x.a, x.b)) for x in add(s, day, find=True)}
        links += len(pairs)
        same_group += sum(1 for pair in pairs if len({root[x] for x in pair}) == 1)
        if s.copy_of and s.copy_of in index:
            reprints += 1
            found += frozenset((s.name, s.copy_of)) in pairs
    probe_s, probe_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "size": size,
        "fill_per_s": size / fill_s,
        "per_s": probe / probe_s,
        "cpu_per_s": probe / probe_cpu,
        "links": links,
        "same_group": same_group,
        "reprints": reprints,
        "reprints_found": found,
        "paragraphs": index.distinct_paragraphs,
        "skipped_buckets": index.skipped_buckets,
        "truncated": index.truncated_lookups,
        "rss_mb": rss1,
        "fill_rss_mb": rss1 - rss0,
    }


#: Report the clusterer fill every this many adds (0: never); set by --progress.
PROGRESS = 0
#: Articles dated per day whatever the size (0: the stored articles span ``--days``).
PER_DAY = 0
#: ``ClusterSettings.active_days`` for the clusterer runs (None: the shipped default).
ACTIVE_DAYS: float | None = None
#: ``ClusterSettings.date_near_boost`` for the clusterer runs (None: the shipped default).
NEAR_BOOST: float | None = None
#: ``ClusterSettings.lookup_keys`` for the clusterer runs (None: the shipped default).
LOOKUP_KEYS: int | None = None
#: ``ClusterSettings.regroup_max_articles`` for the clusterer runs (None: the shipped default).
REGROUP: int | None = None
#: ``ClusterSettings.regroup_dated_share`` for the clusterer runs (None: the shipped default).
DATED_SHARE: float | None = None
#: ``ClusterSettings.subject_min_group`` for the clusterer runs (None: the shipped default).
SUBJECT_MIN: int | None = None
REVISIT: bool | None = None
EVICT_ADOPTED: bool | None = None
#: ``ClusterSettings.date_grace_days`` for the clusterer runs (None: the shipped default).
GRACE_DAYS: float | None = None
#: ``ClusterSettings.merge_dated`` for the clusterer runs (None: the shipped default).
MERGE_DATED: bool | None = None
#: ``ClusterSettings.max_gap_days`` for the clusterer runs (None: the shipped default).
MAX_GAP_DAYS: float | None = None
#: ``ClusterSettings.far_gap_days`` for the clusterer runs (None: the shipped default).
FAR_GAP_DAYS: float | None = None
#: Every article undated (the feed on which the regroup after a batch runs).
UNDATED = False
EMBED = ""


def _worker(args: argparse.Namespace) -> None:
    global PROGRESS, PER_DAY, ACTIVE_DAYS, NEAR_BOOST, LOOKUP_KEYS, REGROUP, UNDATED, EMBED
    global DATED_SHARE, SUBJECT_MIN, REVISIT, EVICT_ADOPTED, GRACE_DAYS, MERGE_DATED
    global MAX_GAP_DAYS, FAR_GAP_DAYS
    PROGRESS, PER_DAY, ACTIVE_DAYS = args.progress, args.per_day, args.active_days
    NEAR_BOOST, LOOKUP_KEYS = args.date_near_boost, args.lookup_keys
    DATED_SHARE, SUBJECT_MIN = args.regroup_dated_share, args.subject_min_group
    REVISIT = None if args.settle_revisit is None else bool(args.settle_revisit)
    EVICT_ADOPTED = None if args.evict_adopted is None else bool(args.evict_adopted)
    GRACE_DAYS = args.grace_days
    MERGE_DATED = None if args.merge_dated is None else bool(args.merge_dated)
    MAX_GAP_DAYS, FAR_GAP_DAYS = args.max_gap_days, args.far_gap_days
    REGROUP, UNDATED, EMBED = args.regroup, args.undated, args.embed
    kind, size = args.worker.split(":")
    if kind == "clusterer":
        result = clusterer_run(int(size), args.probe, args.days, args.seed)
    elif kind == "store":
        result = store_run(int(size), args.probe, args.batch, args.days, args.seed)
    else:
        result = copies_run(int(size), args.probe, args.days, args.seed)
    print(json.dumps(result))


def _spawn(kind: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        f"{kind}:{size}",
        "--probe",
        str(args.probe),
        "--batch",
        str(args.batch),
        "--days",
        str(args.days),
        "--seed",
        str(args.seed),
        "--progress",
        str(args.progress),
        "--per-day",
        str(args.per_day),
    ]
    if args.active_days is not None:
        command += ["--active-days", str(args.active_days)]
    if args.date_near_boost is not None:
        command += ["--date-near-boost", str(args.date_near_boost)]
    if args.lookup_keys is not None:
        command += ["--lookup-keys", str(args.lookup_keys)]
    if args.regroup is not None:
        command += ["--regroup", str(args.regroup)]
    if args.regroup_dated_share is not None:
        command += ["--regroup-dated-share", str(args.regroup_dated_share)]
    if args.subject_min_group is not None:
        command += ["--subject-min-group", str(args.subject_min_group)]
    if args.settle_revisit is not None:
        command += ["--settle-revisit", str(args.settle_revisit)]
    if args.evict_adopted is not None:
        command += ["--evict-adopted", str(args.evict_adopted)]
    if args.grace_days is not None:
        command += ["--grace-days", str(args.grace_days)]
    if args.merge_dated is not None:
        command += ["--merge-dated", str(args.merge_dated)]
    if args.max_gap_days is not None:
        command += ["--max-gap-days", str(args.max_gap_days)]
    if args.far_gap_days is not None:
        command += ["--far-gap-days", str(args.far_gap_days)]
    if args.undated:
        command.append("--undated")
    if args.embed:
        command += ["--embed", args.embed]
    t0 = time.perf_counter()
    # stdout carries the result; the worker's stderr (progress, a traceback) goes straight through
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"# {kind} {size:,}: {time.perf_counter() - t0:.0f} s {result}", file=sys.stderr, flush=True
    )
    return result


def _sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip() and int(s)]  # 0 or '' skips a part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="clusterer-alone sizes")
    parser.add_argument("--store-sizes", default="10000", help="store hook sizes ('' to skip)")
    parser.add_argument("--copy-sizes", default="10000,100000", help="CopyIndex sizes")
    parser.add_argument("--probe", type=int, default=500, help="articles timed per size")
    parser.add_argument("--batch", type=int, default=64, help="ingest batch size (store probe)")
    parser.add_argument("--days", type=int, default=730, help="days the stored articles span")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--progress", type=int, default=0, help="print the clusterer fill every N adds (stderr)"
    )
    parser.add_argument(
        "--per-day", type=int, default=0, help="articles dated per day (0: spread over --days)"
    )
    parser.add_argument(
        "--active-days",
        type=float,
        default=None,
        help="the clusterer's active_days (0: never retire; default: the shipped setting)",
    )
    parser.add_argument(
        "--date-near-boost",
        type=float,
        default=None,
        help="the clusterer's date_near_boost (1.0: off; default: the shipped setting)",
    )
    parser.add_argument(
        "--lookup-keys",
        type=int,
        default=None,
        help="the clusterer's lookup_keys (16: as before 2026-12-05; default: the shipped 24)",
    )
    parser.add_argument(
        "--regroup",
        type=int,
        default=None,
        help="the clusterer's regroup_max_articles (0: no regroup; default: the shipped 600)",
    )
    parser.add_argument(
        "--regroup-dated-share",
        type=float,
        default=None,
        help="the clusterer's regroup_dated_share (0: stories without a dated member only, as "
        "before round 13; default: the shipped 0.5)",
    )
    parser.add_argument(
        "--subject-min-group",
        type=int,
        default=None,
        help="the clusterer's subject_min_group (0: no subject test in the average-link tree, "
        "as before round 14; default: the shipped 3)",
    )
    parser.add_argument(
        "--settle-revisit",
        type=int,
        choices=[0, 1],
        default=None,
        help="the clusterer's settle_revisit (0: lone reports not asked again, as before round "
        "17; default: the shipped 1)",
    )
    parser.add_argument(
        "--evict-adopted",
        type=int,
        choices=[0, 1],
        default=None,
        help="the clusterer's evict_adopted (0: the repair evicts members adoption would keep, "
        "as before round 18; default: the shipped 1)",
    )
    parser.add_argument(
        "--grace-days",
        type=float,
        default=None,
        help="the clusterer's date_grace_days (3: as before round 19; default: the shipped "
        "setting)",
    )
    parser.add_argument(
        "--merge-dated",
        type=int,
        choices=[0, 1],
        default=None,
        help="the clusterer's merge_dated (0: dated stories never merge, as before round 19; "
        "default: the shipped setting)",
    )
    parser.add_argument(
        "--max-gap-days",
        type=float,
        default=None,
        help="the clusterer's max_gap_days (45: as before round 20; default: the shipped setting)",
    )
    parser.add_argument(
        "--far-gap-days",
        type=float,
        default=None,
        help="the clusterer's far_gap_days (0: no far joins, as before round 23; default: the "
        "shipped setting)",
    )
    parser.add_argument(
        "--undated",
        action="store_true",
        help="every article undated (the regroup after a batch leaves mostly dated stories alone)",
    )
    parser.add_argument(
        "--embed",
        choices=["wordllama", "random"],
        default="",
        help="embed the clusterer-alone articles as the store does (`[stories] embedder`, timed); "
        "'random' then gives the clusterer random unit vectors instead (the made-up words all "
        "look alike to WordLlama)",
    )
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args)
        return
    rows = []
    embed_row = args.embed
    for size in _sizes(args.sizes):
        r = _spawn("clusterer", size, args)
        rows.append(
            (
                "clusterer add",
                size,
                f"{r['median_ms']:.2f} / {r['p95_ms']:.2f} (CPU mean {r['cpu_mean_ms']:.2f})",
                f"{r['scored_mean']:.1f} (max {r['scored_max']}); postings {r['postings_mean']:.0f}"
                f" (max {r['postings_max']:,})",
                f"{r['rss_mb']:.0f} (+{r['fill_rss_mb']:.0f})",
                f"{r['stories']:,} stories; fill {r['fill_s']:.0f} s; "
                f"settle {r['settle_ms']:.2f} ms per article"
                + (
                    f"; embedding ({embed_row}) {r['embed_ms']:.2f} ms per article"
                    if embed_row
                    else ""
                ),
            )
        )
    for size in _sizes(args.store_sizes):
        r = _spawn("store", size, args)
        rows.append(
            (
                "cluster_stories step",
                size,
                f"{r['stories_ms']:.2f} mean (p95 batch {r['stories_batch_p95_ms']:.2f})",
                "",
                f"{r['rss_mb']:.0f}",
                f"{r['stories']:,} stories; db {r['db_mb']:.0f} MB; fill {r['fill_s']:.0f} s",
            )
        )
        rows.append(
            (
                "find_copies step",
                size,
                f"{r['copies_ms']:.2f} mean",
                "",
                "",
                f"write_batch {r['write_ms']:.2f} ms/article",
            )
        )
    for size in _sizes(args.copy_sizes):
        r = _spawn("copies", size, args)
        rows.append(
            (
                "CopyIndex.add",
                size,
                f"{1000 / r['per_s']:.2f} mean",
                "",
                f"{r['rss_mb']:.0f} (+{r['fill_rss_mb']:.0f})",
                f"{r['per_s']:.0f} articles/s detecting ({r['cpu_per_s']:.0f} per CPU second); "
                f"{r['fill_per_s']:.0f}/s indexing; "
                f"reprints linked to their source {r['reprints_found']}/{r['reprints']}; "
                f"{r['links']} links in probe ({r['same_group']} within a reprint group); "
                f"{r['paragraphs']:,} paragraphs; stop-bands {r['skipped_buckets']:,}",
            )
        )
    print(f"probe {args.probe} articles per size; store probe in batches of {args.batch}")
    print(
        "| what | stored | ms per article (median / p95) | candidates scored per add "
        "| RSS MB (fill) | notes |"
    )
    print("|---|---|---|---|---|---|")
    for what, size, ms, cands, rss, notes in rows:
        print(f"| {what} | {size:,} | {ms} | {cands} | {rss} | {notes} |", flush=True)


if __name__ == "__main__":
    main()
