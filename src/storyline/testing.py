"""Test seams shipped as public API: a deterministic generator of synthetic news articles.

Benchmarks and durability tests need thousands of articles that look like the real flood
(datelines, wire credits, junk lines, reprints, undated copies) without copying anyone's text.
Every sentence here is assembled from our own phrase tables.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

PLACES = [
    "Tehran",
    "Kabul",
    "Islamabad",
    "Quetta",
    "Herat",
    "Zahedan",
    "Peshawar",
    "Kandahar",
    "Mashhad",
    "Karachi",
    "Lahore",
    "Jalalabad",
    "Chabahar",
    "Gwadar",
    "Torkham",
]
ACTORS = [
    "the foreign ministry",
    "the border commission",
    "a provincial governor",
    "the interior minister",
    "the refugee agency",
    "a trade delegation",
    "the water authority",
    "the caretaker cabinet",
    "local elders",
    "the central bank",
]
VERBS = [
    "announced",
    "criticised",
    "welcomed",
    "postponed",
    "approved",
    "rejected",
    "proposed",
    "reviewed",
    "suspended",
    "extended",
]
OBJECTS = [
    "a new crossing schedule",
    "the fuel import quota",
    "a joint patrol plan",
    "the return of displaced families",
    "a dam inspection visit",
    "tariffs on fruit",
    "a prisoner exchange",
    "the electricity contract",
    "customs fees",
    "a health campaign",
]
OUTLETS = [
    "Kabul Ledger",
    "Indus Evening Post",
    "Caspian Wire Review",
    "Frontier Monitor",
    "Persian Gulf Dispatch",
    "Hindu Kush Herald",
    "Makran Daily",
    "Sistan Courier",
]
AGENCIES = ["AFP", "Reuters", "APP", "IRNA", "AP", "Xinhua", "Anadolu"]
JUNK = [
    "Home / News / Region / {title}",
    "Read more: {other}",
    "Share this: Facebook Twitter WhatsApp",
    "About {outlet}\n\n{outlet} is an independent outlet covering the region since 2009.",
    "Subscribe to our newsletter for daily updates.",
    "http://192.0.2.{n}/ http://198.51.100.{n}/ https://spam-{n}.example/ http://203.0.113.{n}/",
]


@dataclass
class Synthetic:
    name: str
    title: str
    body: str
    day: date | None
    outlet: str
    agency: str | None
    copy_of: str | None


#: Syllables of the made-up names and topic words of `generate(..., realistic=True)`.
_SYLLABLES = (
    "ka",
    "ri",
    "zan",
    "mo",
    "del",
    "ha",
    "shi",
    "tor",
    "bek",
    "lu",
    "nas",
    "gul",
    "far",
    "ze",
    "qa",
    "min",
    "dar",
    "ab",
    "ul",
    "ra",
    "so",
    "vin",
    "tu",
    "mer",
    "pa",
    "li",
    "sed",
    "jo",
    "ne",
    "wa",
    "rez",
    "ot",
    "yan",
    "ki",
    "bar",
    "em",
)


class Vocabulary:
    """Made-up people, places and topic words, each drawn with a Zipf-like law (rank ** -1.1).

    Why: with the fixed phrase tables every query matches most articles, which says little about
    search on real news, where a few names are everywhere and most words are rare. The words are
    built from syllables, so they are nobody's text; the same seed gives the same vocabulary.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        people: int = 4000,
        places: int = 1500,
        terms: int = 30000,
        exponent: float = 1.1,
    ) -> None:
        rng = random.Random(f"vocabulary-{seed}")
        self.given = self._words(rng, 400, 2, 3)
        self.family = self._words(rng, 3000, 2, 4)
        self.people = [
            f"{rng.choice(self.given).title()} {rng.choice(self.family).title()}"
            for _ in range(people)
        ]
        self.places = [w.title() for w in self._words(rng, places, 2, 3)]
        self.terms = self._words(rng, terms, 2, 4)
        self._cum = {
            len(x): list(itertools.accumulate(r**-exponent for r in range(1, len(x) + 1)))
            for x in (self.people, self.places, self.terms)
        }

    @staticmethod
    def _words(rng: random.Random, n: int, lo: int, hi: int) -> list[str]:
        seen: dict[str, None] = {}
        while len(seen) < n:
            seen.setdefault("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(lo, hi))))
        return list(seen)

    def draw(self, rng: random.Random, words: list[str]) -> str:
        """One word of ``words`` (ordered by rank), the first ones far more often."""
        return rng.choices(words, cum_weights=self._cum[len(words)])[0]


def _sentence(rng: random.Random, place: str, vocab: Vocabulary | None = None) -> str:
    if vocab is not None:
        return (
            f"In {place}, {rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"on {vocab.draw(rng, vocab.terms)} and {vocab.draw(rng, vocab.terms)} after "
            f"talks with {vocab.draw(rng, vocab.people)}, officials said."
        )
    return (
        f"In {place}, {rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"after talks that lasted {rng.randint(2, 9)} hours, officials said."
    )


def generate(
    n: int, seed: int = 7, reprint_rate: float = 0.2, *, realistic: bool = False
) -> list[Synthetic]:
    """``n`` articles; about ``reprint_rate`` of them are lightly edited reprints of earlier ones.

    ``realistic`` adds Zipf-distributed people, places and topic words (`Vocabulary`) to every
    sentence, so search terms range from common to rare; without it the output is unchanged.
    """
    rng = random.Random(seed)
    vocab = Vocabulary(seed) if realistic else None

    def pick_place() -> str:
        if vocab is not None and rng.random() < 0.5:
            return vocab.draw(rng, vocab.places)
        return rng.choice(PLACES)

    start = date(2024, 1, 1)
    out: list[Synthetic] = []
    for i in range(n):
        if out and rng.random() < reprint_rate:
            src = rng.choice(out[-200:])
            body = src.body.replace("neighbouring", "neighboring").replace("’", "'")
            paras = body.split("\n\n")
            if len(paras) > 3 and rng.random() < 0.5:
                paras = paras[:-1]
            out.append(
                Synthetic(
                    f"a{i:06d}",
                    src.title.title(),
                    "\n\n".join(paras),
                    None if rng.random() < 0.3 else src.day,
                    rng.choice(OUTLETS),
                    src.agency,
                    src.name,
                )
            )
            continue
        place = pick_place()
        day = start + timedelta(days=rng.randint(0, 300))
        agency = rng.choice(AGENCIES) if rng.random() < 0.4 else None
        title = (
            f"{place}: {rng.choice(ACTORS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        )
        paras = [f"{place.upper()} -- " + _sentence(rng, place, vocab)]
        for _ in range(rng.randint(3, 7)):
            paras.append(
                " ".join(_sentence(rng, pick_place(), vocab) for _ in range(rng.randint(2, 4)))
            )
        paras.append(
            f"The talks were first announced on {day.strftime('%B')} {day.day}, "
            f"{day.year}, by neighbouring officials, record number {i}."
        )
        out.append(
            Synthetic(
                f"a{i:06d}", title, "\n\n".join(paras), day, rng.choice(OUTLETS), agency, None
            )
        )
    return out


def render_text(a: Synthetic, rng: random.Random) -> str:
    """A scraped-page style plain-text rendering, with a date line, credits and junk."""
    lines = [rng.choice(JUNK[:1]).format(title=a.title), "", a.title, ""]
    if a.day:
        lines += [a.day.strftime("%B %d, %Y").replace(" 0", " "), ""]
    if a.agency:
        lines += [f"By {a.agency}", ""]
    lines += [a.body, ""]
    for junk in rng.sample(JUNK[1:], 2):
        lines += [junk.format(other="Another headline", outlet=a.outlet, n=rng.randint(1, 250)), ""]
    return "\n".join(lines)


def render_html(a: Synthetic) -> str:
    meta = (
        f'<meta property="article:published_time" content="{a.day.isoformat()}">' if a.day else ""
    )
    paras = "".join(f"<p>{p}</p>" for p in a.body.split("\n\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{a.title} | {a.outlet}</title>"
        f'<meta property="og:title" content="{a.title}">'
        f'<meta property="og:site_name" content="{a.outlet}">{meta}</head><body>'
        f'<nav><a href="/">Home</a> <a href="/region">Region</a></nav>'
        f"<article><h1>{a.title}</h1>{paras}</article>"
        f'<aside><h3>Related</h3><ul><li><a href="/x">Other story</a></li></ul></aside>'
        f"<footer>Copyright {a.outlet}</footer></body></html>"
    )


def write_corpus(
    folder: Path, n: int, fmt: str = "txt", seed: int = 7, *, realistic: bool = False
) -> list[Synthetic]:
    """Write ``n`` synthetic articles as txt or html files, or one JSON Lines file.

    ``realistic`` (`generate`'s): without it the articles share a small vocabulary, so the
    clusterer makes a handful of stories of thousands of reports (10 stories for 10,000), the
    worst case for the work that grows with a story; with it, hundreds of stories of news-like
    sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    items = generate(n, seed, realistic=realistic)
    if fmt == "jsonl":
        with (folder / "corpus.jsonl").open("w", encoding="utf-8") as fh:
            for a in items:
                fh.write(
                    json.dumps(
                        {
                            "title": a.title,
                            "text": a.body,
                            "outlet": a.outlet,
                            "date": a.day.isoformat() if a.day else None,
                        }
                    )
                    + "\n"
                )
        return items
    for a in items:
        if fmt == "html":
            (folder / f"{a.name}.html").write_text(render_html(a), encoding="utf-8")
        else:
            (folder / f"{a.name}.txt").write_text(render_text(a, rng), encoding="utf-8")
    return items


#: Columns that record when something happened, not what: left out of snapshots.
VOLATILE_COLUMNS = frozenset(
    {
        "ingested_at",
        "updated_at",
        "seen_at",
        "created_at",
        "joined_at",
        "found_at",
        "applied_at",
        "failed_at",
        "generation",
    }
)
#: Bookkeeping whose values depend on the history of runs (feed positions, the random token
#: naming the copy index's state), not on the content.
BOOKKEEPING_TABLES = frozenset(
    {"changes", "update_marks", "schema_migrations", "sqlite_sequence", "copy_index_file"}
)


#: The kept search index's tables, keyed by rowid: snapshots hold their content by article id.
SEARCH_INDEX_TABLES = frozenset({"search_postings", "search_blocks", "search_rows"})


def _search_index_snapshot(conn: Any) -> dict[str, list[tuple[object, ...]]]:
    """The kept search index by article id (rowids depend on the order articles came in):
    each article's terms with their title and text counts, and each article's length."""
    from storyline.store.search_index import BLOCK, BLOCK_BITS

    article_of = dict(conn.execute("SELECT rowid, article_id FROM search_rows").fetchall())
    postings: list[tuple[object, ...]] = []
    for term, block, n, wide, blob in conn.execute(
        "SELECT term, block, n, wide, postings FROM search_postings"
    ):
        offsets = memoryview(blob)[: 2 * n].cast("H")
        counts = memoryview(blob)[2 * n :].cast("I" if wide else "H")
        for k in range(n):
            rowid = (block << BLOCK_BITS) + offsets[k]
            postings.append((article_of.get(rowid), term, counts[k], counts[n + k]))
    lengths: list[tuple[object, ...]] = []
    for block, blob in conn.execute("SELECT block, lengths FROM search_blocks"):
        sizes = memoryview(blob).cast("I")
        for k in range(BLOCK):
            if sizes[k]:
                lengths.append((article_of.get((block << BLOCK_BITS) + k), sizes[k]))
    return {
        "search_index": sorted(postings, key=repr),
        "search_lengths": sorted(lengths, key=repr),
        "search_rows": sorted(((a,) for a in article_of.values()), key=repr),
    }


def store_snapshot(
    db: Path, *, exclude: frozenset[str] | set[str] = frozenset()
) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, without time stamps or feed bookkeeping: two stores with
    equal snapshots hold the same articles and the same derived facts.

    The FTS5 index is included as (article id, title, text) of each indexed row, read through
    the index's own rowids; ``check_consistent`` runs its integrity check.
    """
    import sqlite3

    conn = sqlite3.connect(db)
    snap: dict[str, list[tuple[object, ...]]] = {}
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'articles_fts%' ORDER BY name"
            )
        ]
        for table in tables:
            if table in BOOKKEEPING_TABLES or table in exclude or table in SEARCH_INDEX_TABLES:
                continue
            columns = [
                r[1]
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in VOLATILE_COLUMNS
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f"SELECT {quoted} FROM {table}").fetchall()
            if table == "cluster_state":  # the saved linker is a cache, saved when time says
                rows = [r for r in rows if r[0] != "linker"]
            snap[table] = sorted(rows, key=repr)
        if "search_postings" in tables and "search_index" not in exclude:
            snap.update(_search_index_snapshot(conn))
        if "articles" in tables and "articles_fts" not in exclude:
            snap["articles_fts"] = sorted(
                conn.execute(
                    "SELECT a.id, f.title, f.text FROM articles_fts f JOIN articles a "
                    "ON a.rowid = f.rowid"
                ).fetchall(),
                key=repr,
            )
    finally:
        conn.close()
    return snap


def snapshot_diff(
    expected: dict[str, list[tuple[object, ...]]], got: dict[str, list[tuple[object, ...]]]
) -> dict[str, tuple[int, int]]:
    """Tables whose rows differ: name -> (rows only in expected, rows only in got)."""
    out: dict[str, tuple[int, int]] = {}
    for table in sorted(set(expected) | set(got)):
        a, b = set(expected.get(table, [])), set(got.get(table, []))
        if a != b:
            out[table] = (len(a - b), len(b - a))
    return out


def check_consistent(db: Path) -> list[str]:
    """Problems a killed writer could leave behind; an empty list means none."""
    import sqlite3

    conn = sqlite3.connect(db)
    problems: list[str] = []
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("integrity_check failed")
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" not in tables:
            # Killed before the first migration committed: nothing may be recorded either.
            if "schema_migrations" in tables and one("SELECT COUNT(*) FROM schema_migrations"):
                problems.append("migrations recorded but the articles table is missing")
            return problems
        if one("SELECT COUNT(*) FROM articles") != one("SELECT COUNT(*) FROM articles_fts"):
            problems.append("FTS index and articles differ")
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"FTS index integrity check failed: {exc}")
        if one(
            "SELECT COUNT(*) FROM articles a LEFT JOIN raw_inputs r ON r.article_id = a.id "
            "WHERE r.article_id IS NULL"
        ):
            problems.append("article without its raw input")
        if one(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM sources s WHERE s.article_id = a.id)"
        ):
            problems.append("article without a checkpoint row")
        if one(
            "SELECT COUNT(*) FROM sources s WHERE status = 'stored' AND NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = s.article_id)"
        ):
            problems.append("checkpoint row without its article")
        if "integrity_check failed" not in problems:
            from storyline.store.db import MIGRATIONS, _load_schema

            _load_schema()
            known = {v for v, _, _ in MIGRATIONS}
            versions = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
            if not versions <= known:
                problems.append(f"unknown schema versions {sorted(versions - known)}")
    finally:
        conn.close()
    return problems


def kill_during_ingest(corpus: Path, db: Path, delay: float, batch_size: int = 3) -> int:
    """Start `storyline ingest` in a subprocess and SIGKILL it after ``delay`` seconds.

    Returns the process's exit status (negative when it was killed, 0 or 1 if it finished first).
    """
    import os
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, STORYLINE_STORE_BATCH_SIZE=str(batch_size))
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline", "--db", str(db), "ingest", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    return proc.wait()


def write_and_update(store: Any, items: list[tuple[str, Any]]) -> Any:
    """Write a batch of processed articles and run the default update steps over it, as ingest
    does after each batch: for tests that build articles by hand. Returns the write result."""
    from storyline.update import Updater, default_steps

    result = store.write_batch(items)
    Updater(store, default_steps(store.settings)).run()
    return result


def kill_after_commit(
    corpus: Path, db: Path, commits: int, batch_size: int = 3, settings_file: Path | None = None
) -> int:
    """Run the CLI's full ingest in a subprocess that SIGKILLs itself right after its
    ``commits``-th batch commit, before that batch's update steps run (the moment a kill leaves
    the steps behind the articles). Returns the exit status (negative when killed)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, STORYLINE_STORE_BATCH_SIZE=str(batch_size))
    code = (
        "import sys; from storyline.testing import _ingest_then_die; "
        "_ingest_then_die(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] or None)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(corpus), str(db), str(commits), str(settings_file or "")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    return proc.returncode


def _ingest_then_die(corpus: str, db: str, commits: int, settings_file: str | None) -> None:
    import os
    import signal

    from storyline import config
    from storyline.ingest import build_pipeline, build_updater, ingest
    from storyline.store import Store

    settings = config.load(settings_file, {"store": {"db": db}})
    seen = 0

    def die(_: object) -> None:
        nonlocal seen
        seen += 1
        if seen >= commits:
            os.kill(os.getpid(), signal.SIGKILL)

    with Store(db, settings=settings) as store:
        ingest(
            [corpus],
            store,
            build_pipeline(settings),
            updater=build_updater(store, settings),
            batch_size=int(settings["store"]["batch_size"]),
            on_commit=die,
        )


#: Hostile inputs for the text cleaner's regular expressions: long runs of what its rules look
#: for, built to make a backtracking pattern blow up (each about 100 KB).
HOSTILE_CLEAN = [
    "a/" * 50_000,
    "http://" * 15_000,
    " / " * 33_000,
    "[" * 100_000,
    "[a](" * 25_000,
    "#" * 100_000,
    "- " * 50_000,
    "1 " * 50_000,
    "Read more " * 10_000,
    "By A " * 20_000,
    "August 27, " * 9_000,
    "a" * 100_000,
    " " * 100_000,
    "(" * 50_000 + ")" * 50_000,
    "**a" * 33_000,
    "<http://" * 12_000,
]
#: The same for bylines, agencies, datelines and outlets.
HOSTILE_BYLINES = [
    "A" * 100_000,
    "TEHRAN " * 15_000,
    "By " * 33_000,
    "(" * 100_000,
    "AFP/" * 25_000,
    "- " * 50_000,
    "ISLAMABAD, " * 9_000,
    "[a](" * 25_000,
    ("word " * 20 + "\n") * 1_000,
    "About " * 16_000,
]
#: A ceiling for unit tests: a linear scan of 100 KB takes milliseconds and a backtracking
#: blow-up minutes, so this catches the blow-up without failing on a loaded machine. The speed
#: goal itself (100 ms per pattern) is measured by ``benchmarks/regex_safety.py``.
BLOWUP_SECONDS = 20.0


def compiled_patterns(*modules: Any) -> dict[str, Any]:
    """Every compiled regular expression defined in ``modules``, once each, as "module.NAME":
    what a stage split over several modules matches text with, for the blow-up tests."""
    import re

    found: dict[str, Any] = {}
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and value not in found.values():
                found[f"{module.__name__.rsplit('.', 1)[1]}.{name}"] = value
    return found


# -- the hostile-input battery (docs/ingest.md, "Limits"; tests/hostile, benchmarks/hostile.py) --
#: Input kinds every hostile pattern is written as.
HOSTILE_KINDS = ("txt", "md", "html", "json", "jsonl")

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // max(len(unit), 1) + 1))[:size]


def _counted(make: Any, size: int) -> str:
    """``make(i)`` for i = 0, 1, 2 … joined until ``size`` characters (cut there)."""
    parts: list[str] = []
    total, i = 0, 0
    while total < size:
        part = make(i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:size]


_GIVEN = "Ahmad Sara Reza Nadia Omar Laila Hamid Zahra Farid Mina Yusuf Parisa".split()
_FAMILY = (
    "Khan Rahimi Karimi Noori Haidari Sultani Wardak Popal Ahmadi Jafari Mousavi Qureshi Baloch "
    "Durrani Hashimi Sadat Nazari Rostami Tavakoli Zand"
).split()


def _person(i: int) -> str:
    return f"{_GIVEN[i % len(_GIVEN)]} {_FAMILY[(i // len(_GIVEN)) % len(_FAMILY)]}"


def ordinary_prose(size: int, seed: int = 7) -> str:
    """Ordinary news prose of about ``size`` characters (the battery's yardstick)."""
    rng = random.Random(seed)
    paras: list[str] = []
    total = 0
    while total < size:
        para = " ".join(_sentence(rng, rng.choice(PLACES)) for _ in range(rng.randint(2, 4)))
        paras.append(para)
        total += len(para) + 2
    return "\n\n".join(paras)[:size]


def hostile_texts(size: int) -> dict[str, str]:
    """Adversarial texts of ``size`` characters, one per pattern of issue 15 and the classic
    ones, plus ``prose`` (ordinary text of the same size, the yardstick). Deterministic."""
    places = " ".join(PLACES) + " "
    return {
        "prose": ordinary_prose(size),
        "prose-one-line": ordinary_prose(size).replace("\n\n", "  "),
        "open-brackets-link": "[" * max(size - 3, 0) + "](x",
        "bracket-links": _repeat("[a](", size),
        "parentheses": "(" * (size // 2) + ")" * (size - size // 2),
        "place-names": _repeat(places, size),
        "capitalised-before-dashes": _repeat("Tehran Border Guards Kabul Herat -- ", size),
        "by-lines": _counted(lambda i: f"By {_person(i)} and {_person(i + 7)}\n", size),
        "by-repeated": _repeat("By ", size),
        "month-days": _counted(
            lambda i: f"The talks were held on {_MONTH_NAMES[i % 12]} {i % 28 + 1}. ", size
        ),
        "month-names": _repeat(" ".join(_MONTH_NAMES) + " ", size),
        "digits": _repeat("1 ", size),
        "digit-run": _repeat("1234567890", size),
        "spaces": "Start " + " " * max(size - 10, 0) + "end.",
        "dashes": _repeat("-", size),
        "dash-space": _repeat("- ", size),
        "slashes": _repeat("/", size),
        "letter-slashes": _repeat("a/", size),
        "read-more": _counted(lambda i: f"Read more: Another headline number {i}\n", size),
        "nested-quotes": _repeat("\"'“‘«", size),
        "urls": _counted(lambda i: f"https://spam-{i}.example/news/{i}/story.html ", size),
        "punctuation": _repeat(".,;:!?", size),
        "emphasis": _repeat("**a", size),
        "letters": _repeat("a", size),
        "acronyms": _counted(lambda i: f"Organization of Islamic Cooperation (OIC{i % 9}) ", size),
        "surnames": _counted(lambda i: f"{_person(i)} met {_person(i + 3)} in Kabul. ", size),
    }


def hostile_document(text: str, kind: str) -> tuple[str, bytes]:
    """``text`` as a file of ``kind`` (one of `HOSTILE_KINDS`): (file suffix, bytes)."""
    import html

    if kind == "txt":
        return ".txt", text.encode("utf-8")
    if kind == "md":
        return ".md", f"# Hostile input\n\n{text}\n".encode()
    if kind == "html":
        paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line)
        page = (
            "<!DOCTYPE html><html><head><title>Hostile input</title></head><body><article>"
            f"<h1>Hostile input</h1>{paras}</article></body></html>"
        )
        return ".html", page.encode("utf-8")
    record = {"title": "Hostile input", "text": text}
    if kind == "json":
        return ".json", json.dumps(record, ensure_ascii=False).encode("utf-8")
    if kind == "jsonl":
        return ".jsonl", (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    raise ConfigError(
        f"unknown kind {kind!r}; choose one of {', '.join(HOSTILE_KINDS)}", code="E501"
    )


def hostile_files(size: int) -> dict[str, bytes]:
    """File name → bytes: every hostile text of ``size`` in every kind of `HOSTILE_KINDS`."""
    out: dict[str, bytes] = {}
    for name, text in hostile_texts(size).items():
        for kind in HOSTILE_KINDS:
            suffix, data = hostile_document(text, kind)
            out[f"{name}{suffix}"] = data
    return out


def crash_inputs() -> dict[bytes, bytes]:
    """File name (bytes: some are not valid UTF-8) → content: inputs that used to stop a whole
    run (issue 15). Symlink loops cannot be bytes; `write_crash_inputs` adds them."""
    deep = b"[" * 10_000 + b"]" * 10_000
    return {
        b"deep.json": deep,
        b"deep.jsonl": b'{"text": ' + deep + b"}\n",
        b"surrogate.json": b'{"title": "A", "text": "Kabul talks went on.", "x": "\\ud800"}',
        b"surrogate.jsonl": b'{"title": "B\\udc80", "text": "Herat talks went on."}\n',
        b"bad-name-\xff\xfe.txt": b"Officials in Quetta said the crossing reopened.",
    }


def write_crash_inputs(folder: Path) -> list[Path]:
    """Write `crash_inputs` and a symlink loop into ``folder``; returns the paths written."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in crash_inputs().items():
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        path.write_bytes(data)
        written.append(path)
    for a, b in (("loop-a.txt", "loop-b.txt"), ("loop-b.txt", "loop-a.txt")):
        (folder / a).symlink_to(b)
        written.append(folder / a)
    return written
