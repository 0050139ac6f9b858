"""The kept search index ranks exactly as FTS5's BM25: same top 20, same scores, same order.

Compared on the bundled sample corpus (real ingest, every update step) and on generated stores
(Zipf vocabulary) for single words from head to tail, prefixes, AND/OR/NOT, parentheses, phrases
and filters (the last two are answered by FTS5 itself: the test checks that too), after
incremental batches, rewrites and deletions, and against a full rebuild of the index.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline import config
from storyline.article import Article
from storyline.extract.identity import content_hash
from storyline.ingest import ingest_paths
from storyline.store import Store, search_index, search_topk
from storyline.store import search as search_mod
from storyline.store.search import search, to_fts_query
from storyline.testing import Vocabulary, generate
from storyline.update import Updater
from storyline.update.index_search import IndexSearch

SEED = 5


def fts5_top(conn: sqlite3.Connection, query: str, n: int = 20) -> list[tuple[int, float]]:
    """Exact BM25 by FTS5 over every match, ties by rowid."""
    rows = conn.execute(
        "SELECT rowid, bm25(articles_fts, 5.0, 1.0) AS s FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY s, rowid LIMIT ?",
        (to_fts_query(query), n),
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


def both(conn: sqlite3.Connection, query: str, **filters: str) -> tuple[list, list]:
    """`search` with the kept index and with FTS5 alone."""
    kept = [(h.id, h.score, h.snippet) for h in search(conn, query, limit=20, **filters)]
    search_mod.USE_KEPT_INDEX = False
    try:
        alone = [(h.id, h.score, h.snippet) for h in search(conn, query, limit=20, **filters)]
    finally:
        search_mod.USE_KEPT_INDEX = True
    return kept, alone


def write(store: Store, items: list, start: int = 0) -> list[str]:
    batch: list[tuple[str, Article]] = []
    for k, s in enumerate(items):
        a = Article(source=f"gen/{start + k}.txt", raw=s.body.encode())
        a.title, a.text, a.outlet = s.title, s.body, s.outlet
        a.published = s.day.isoformat() if s.day else None
        a.language = "en"
        a.agencies = [s.agency] if s.agency else []
        a.content_hash = content_hash(a.title, a.text)
        a.id = "g" + a.content_hash[:15]
        batch.append((a.source, a))
    store.write_batch(batch)
    return [a.id for _, a in batch]


def queries(vocab: Vocabulary, rng: random.Random, n: int) -> list[str]:
    """Words from head to tail, prefixes, and random AND/OR/NOT/parenthesised combinations."""
    t, pl = vocab.terms, vocab.places
    words = [t[0], t[3], t[20], t[200], t[2000], t[29000], pl[1], pl[300], "kabul", "customs",
             "talks", "officials", "fuel", "the", "border", "schedule", "zzzznotaword"]  # fmt: skip
    out = [*words, f"{t[1][:3]}*", f"{t[10][:2]}*", "cust*", "tarif*", '"Kabul"']
    for _ in range(n):
        a, b, c = rng.sample(words, 3)
        out += [
            f"{a} AND {b}",
            f"{a} {b}",
            f"{a} OR {b}",
            f"{a} NOT {b}",
            f"{a} OR {b} {c}",
            f"({a} OR {b}) AND {c}",
            f"{a} AND ({b} OR {c}*)",
            f"{a} {b} NOT {c}",
            f"{a} OR {b} AND {c}",
            f"{a} AND {b} NOT {c}",
            f"({a} OR {b}) NOT {c}",
        ]
    return out


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Store]:
    items = generate(600, seed=SEED, reprint_rate=0.2, realistic=True)
    with Store(tmp_path / "g.db") as store:
        for start in range(0, len(items), 150):
            write(store, items[start : start + 150], start)
            Updater(store, [IndexSearch()]).run()
        yield store


def test_generated_store_top20_equals_fts5_bm25(generated: Store) -> None:
    conn = generated.conn
    assert search_index.is_current(conn)
    vocab = Vocabulary(SEED)
    answered = 0
    for q in queries(vocab, random.Random(1), 12):
        kept = search_topk.top(conn, to_fts_query(q), 20)
        assert kept is not None, q  # every query of this set is one the index answers
        answered += 1
        exact = fts5_top(conn, q)
        assert [r for r, _ in kept] == [r for r, _ in exact], q
        assert [s for _, s in kept] == [s for _, s in exact], q  # to the last bit
    assert answered > 100
    # deep pages too: the order is total (ties by rowid)
    deep = search_topk.top(conn, to_fts_query("officials"), 400)
    exact = fts5_top(conn, "officials", 400)
    assert deep is not None and [r for r, _ in deep] == [r for r, _ in exact]


def test_search_hits_equal_with_and_without_the_index(generated: Store) -> None:
    conn = generated.conn
    mixed = ["border", "kabul AND customs", "tarif*", "talks NOT fuel", '"joint patrol"',
             '"a joint" OR fuel', "kabul NEAR customs", '"joint patrol" OR "the joint patrol"',
             "officials OR (fuel NOT talks)"]  # fmt: skip
    for q in mixed:
        kept, alone = both(conn, q)
        assert kept == alone, q
        assert kept or "NEAR" in q, q
    for filters in ({"outlet": "Kabul Ledger"}, {"since": "2024-05-01"}, {"agency": "Reuters"}):
        kept, alone = both(conn, "border", **filters)
        assert kept == alone and kept, filters
    # phrases of three words or more, NEAR and NOT inside OR are left to FTS5
    for q in ['"the joint patrol"', '"joint patrol"*', "kabul NEAR customs",
              "officials OR (fuel NOT talks)", "café"]:  # fmt: skip
        assert search_topk.top(conn, to_fts_query(q), 20) is None, q
    assert search_topk.top(conn, to_fts_query('"joint patrol"'), 20) is not None


def two_word_phrases(conn: sqlite3.Connection, rng: random.Random, n: int) -> list[str]:
    """Adjacent words of stored titles and texts, frequent and rare (any punctuation between
    them, as FTS5 reads a phrase), written as phrases, some in AND/OR/NOT combinations."""
    import re

    texts = [r[0] + " " + r[1] for r in conn.execute("SELECT title, text FROM articles")]
    out: list[str] = []
    while len(out) < n:
        words = re.findall(r"[A-Za-z0-9]+", rng.choice(texts))
        k = rng.randrange(len(words) - 1)
        out.append(f'"{words[k]} {words[k + 1]}"')
    combos = [f"{a} AND {b}" for a, b in zip(out[::2], out[1::2], strict=False)]
    combos += [f"{a} OR border" for a in out[:10]] + [f"{a} NOT fuel" for a in out[10:20]]
    combos += [f'{a} "{a[1:-1].split()[1]} {a[1:-1].split()[0]}"' for a in out[20:30]]
    return out + combos + ['"a a"', '"joint patrol"', '"zzzz notaword"', '"Kabul, customs"']


def test_two_word_phrases_rank_as_fts5(generated: Store) -> None:
    """Two-word phrases are ranked from the index's adjacent pairs: the same rows and scores as
    FTS5's phrase matching (same column, consecutive tokens), alone and combined."""
    conn = generated.conn
    for q in two_word_phrases(conn, random.Random(3), 60):
        kept = search_topk.top(conn, to_fts_query(q), 20)
        assert kept is not None, q
        exact = fts5_top(conn, q)
        assert [r for r, _ in kept] == [r for r, _ in exact], q
        assert [s for _, s in kept] == [s for _, s in exact], q  # to the last bit
        n = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (to_fts_query(q),)
        ).fetchone()[0]
        found = search_topk.rank(conn, to_fts_query(q))
        assert found is not None and len(found.rowids) == n, q


def test_index_follows_writes_rewrites_and_deletions(generated: Store, tmp_path: Path) -> None:
    conn = generated.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid LIMIT 40")]
    extra = generate(60, seed=SEED + 1, realistic=True)
    write(generated, extra, 10_000)
    # written but not yet indexed: the index is behind, search adds the pending articles to it
    # and stays exact
    assert not search_index.is_current(conn)
    assert search_topk.top(conn, "border", 20) == fts5_top(conn, "border")
    kept, alone = both(conn, "border")
    assert kept == alone
    with conn:
        conn.execute("UPDATE articles SET text = text || ' zzzznotaword' WHERE id = ?", (ids[3],))
        conn.execute("DELETE FROM articles WHERE id IN (?, ?)", (ids[5], ids[6]))
        from storyline.store.changes import log_changes, next_batch

        log_changes(conn, "article", [ids[3], ids[5], ids[6]], next_batch(conn))
    Updater(generated, [IndexSearch()]).run()
    assert search_index.is_current(conn)
    top = search_topk.top(conn, "border", 20)
    assert top == [(r, pytest.approx(s, rel=1e-12)) for r, s in fts5_top(conn, "border")]
    rowid = conn.execute("SELECT rowid FROM articles WHERE id = ?", (ids[3],)).fetchone()[0]
    assert search_topk.top(conn, "zzzznotaword", 20) == [(rowid, pytest.approx(-0.0, abs=100))]
    # what the batches left equals a rebuild from scratch
    tables = ("search_postings", "search_terms", "search_blocks", "search_rows")
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    Updater(generated, [IndexSearch()]).rebuild("index_search")
    after = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert before == after
    df = dict(conn.execute("SELECT term, df FROM search_terms").fetchall())
    # document frequencies equal FTS5's own counts
    for term in ["border", "kabul", "officials", "zzzznotaword"]:
        n = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (term,)
        ).fetchone()[0]
        assert df.get(term, 0) == n, term


def test_sample_corpus_top20_equals_fts5(tmp_path: Path, sample_dir: Path) -> None:
    settings = config.load(None, {"store": {"db": str(tmp_path / "s.db")}}, environ={})
    with Store(tmp_path / "s.db", settings=settings) as store:
        ingest_paths([str(sample_dir)], store, settings)
        conn = store.conn
        assert search_index.is_current(conn)
        words = [r[0] for r in conn.execute(
            "SELECT term FROM search_terms WHERE term GLOB '[a-z]*' ORDER BY df DESC, term"
        )]  # fmt: skip
        assert len(words) > 500
        picked = words[:10] + words[200:205] + words[-5:]
        qs = [*picked, "iran*", "border AND guards", "Kabul OR Tehran", "police NOT Kabul",
              "(talks OR fuel) AND border", "killed"]  # fmt: skip
        for q in qs:
            kept = search_topk.top(conn, to_fts_query(q), 20)
            assert kept is not None, q
            exact = fts5_top(conn, q)
            assert [r for r, _ in kept] == [r for r, _ in exact], q
            assert [s for _, s in kept] == [s for _, s in exact], q  # to the last bit
            hits, alone = both(conn, q)
            assert hits == alone, q
        for q in ['"border guards"', "Kazemi-Qomi"]:
            hits, alone = both(conn, q)
            assert hits == alone
        hits, alone = both(conn, "border", language="en")
        assert hits == alone


def test_batches_of_new_articles_equal_a_rebuild(generated: Store) -> None:
    """New articles are merged into their terms' rows batch by batch (not their blocks
    re-tokenized): what that leaves equals a rebuild, rows and blobs."""
    conn = generated.conn
    write(generated, generate(45, seed=SEED + 2, realistic=True), 20_000)
    Updater(generated, [IndexSearch()]).run()
    tables = ("search_postings", "search_terms", "search_blocks", "search_rows")
    batches = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert (
        len(batches["search_rows"]) == conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    )
    Updater(generated, [IndexSearch()]).rebuild("index_search")
    rebuilt = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert batches == rebuilt
    assert search_index.is_current(conn)


def test_search_page_answer_equal_with_and_without_the_index(generated: Store) -> None:
    """The search page's answer (ranked window, folded copies, counts, facets) is the same."""
    from storyline.analysis.search import search_articles

    conn = generated.conn
    for q in ["border", "kabul AND customs", "officials OR fuel", "talks NOT fuel", "tarif*"]:
        kept = search_articles(conn, q, facets=True, limit=5)
        assert search_topk.rank(conn, to_fts_query(q)) is not None
        search_mod.USE_KEPT_INDEX = False
        try:
            alone = search_articles(conn, q, facets=True, limit=5)
            deeper = search_articles(conn, q, limit=5, cursor=alone["next_cursor"])
        finally:
            search_mod.USE_KEPT_INDEX = True
        assert kept == alone, q
        assert search_articles(conn, q, limit=5, cursor=kept["next_cursor"]) == deeper, q


def test_snippets_from_the_page_equal_fts5s(generated: Store) -> None:
    """Snippets made over the page's articles alone equal FTS5's over its whole index, for
    words, prefixes, phrases and boolean queries, with either pair of markers."""
    from storyline.store import search_snippets

    conn = generated.conn
    qs = queries(Vocabulary(SEED), random.Random(2), 3)
    qs += two_word_phrases(conn, random.Random(4), 10)
    qs += [
        '"the joint patrol"',
        "kabul NEAR customs",
        "title:border",
        "officials OR (fuel NOT talks)",
    ]
    for q in qs:
        fts = to_fts_query(q)
        rowids = [r for r, _ in fts5_top(conn, q, 30)]
        for start, end in (("[", "]"), (search_mod.HIT_START, search_mod.HIT_END)):
            exact = dict(
                conn.execute(
                    "SELECT rowid, snippet(articles_fts, 1, ?, ?, ' … ', 16) FROM articles_fts "
                    "WHERE articles_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                    (start, end, fts, str(rowids)),
                ).fetchall()
            )
            assert search_snippets.snippets(conn, fts, rowids, start, end) == exact, q
    with pytest.raises(sqlite3.OperationalError):
        search_snippets.snippets(conn, "kabul AND", [1], "[", "]")


def test_an_index_behind_the_store_ranks_the_store_as_it_is(generated: Store) -> None:
    """New articles, a rewritten one, deleted ones and a reused rowid, none of them indexed yet
    (an ingest's batch committed, its update step still to run): every query of the set ranks
    as FTS5 does over the store as it is now, to the last bit, and counts agree."""
    conn = generated.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
    top_rowid = conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
    from storyline.store.changes import log_changes, next_batch

    with conn:
        conn.execute("UPDATE articles SET text = text || ' zzzznotaword border' WHERE id = ?",
                     (ids[2],))  # fmt: skip
        conn.execute("DELETE FROM articles WHERE id IN (?, ?, ?)", (ids[7], ids[8], ids[-1]))
        log_changes(conn, "article", [ids[2], ids[7], ids[8], ids[-1]], next_batch(conn))
    # the first new article takes the rowid of the newest indexed one, deleted above (SQLite
    # reuses the highest rowid when it is gone)
    write(generated, generate(90, seed=SEED + 2, realistic=True), 20_000)
    reused = conn.execute("SELECT id FROM articles WHERE rowid = ?", (top_rowid,)).fetchone()
    assert reused is not None and reused[0] not in ids
    assert not search_index.is_current(conn)
    assert search_index.pending(conn) is not None
    vocab = Vocabulary(SEED)
    asked = [*queries(vocab, random.Random(4), 10), *two_word_phrases(conn, random.Random(5), 10)]
    asked += ["zzzznotaword", "zzzznotaword OR border"]
    for q in asked:
        kept = search_topk.top(conn, to_fts_query(q), 20)
        assert kept is not None, q
        assert kept == fts5_top(conn, q), q  # same rows, same scores to the last bit
        found = search_topk.rank(conn, to_fts_query(q))
        assert found is not None
        n = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (to_fts_query(q),)
        ).fetchone()[0]
        assert len(found.rowids) == n, q
    for q in ["border", "kabul AND customs", "tarif*", '"joint patrol"']:
        kept_hits, alone = both(conn, q)
        assert kept_hits == alone, q
    # further behind than the limit: FTS5 answers
    assert search_index.pending(conn, most=10) is None
    # the step catches up, and the index answers as before
    Updater(generated, [IndexSearch()]).run()
    assert search_index.is_current(conn)
    assert search_topk.top(conn, "border", 20) == fts5_top(conn, "border")


def test_a_store_written_around_the_feed_is_left_to_fts5(generated: Store) -> None:
    """An article changed without a change-feed row: the kept totals disagree with FTS5's, so
    the pending articles cannot make the index whole and FTS5 answers."""
    conn = generated.conn
    with conn:
        conn.execute("UPDATE articles SET text = text || ' extra words here' WHERE rowid = 3")
    assert search_index.pending(conn) is None
    assert search_topk.top(conn, "border", 20) is None


def test_postings_merged_out_of_order_or_wide_equal_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New rowids usually come after a term's stored ones and counts fit 16 bits, and their
    postings are spliced onto the stored bytes; a rowid before the stored ones, or a count
    past 65,535, is merged the long way. Both leave what a rebuild leaves."""
    items = generate(6, seed=SEED + 3, realistic=True)
    items[0].body += " cargo"
    items[5].body += " " + " ".join(["cargo"] * 70_000)  # a count past 16 bits
    long_way: list[int] = []
    unpack = search_index._unpack

    def counted(n: int, wide: int, blob: bytes) -> tuple:
        long_way.append(n)
        return unpack(n, wide, blob)

    monkeypatch.setattr(search_index, "_unpack", counted)
    with Store(tmp_path / "w.db") as store:
        conn = store.conn
        write(store, items, 0)
        rowids = [int(r[0]) for r in conn.execute("SELECT rowid FROM articles ORDER BY rowid")]
        with conn:  # the later articles first, then the earlier ones: rowids out of order
            search_index.add_articles(conn, rowids[3:5])
            search_index.add_articles(conn, rowids[:3])
            search_index.add_articles(conn, rowids[5:])
        tables = ("search_postings", "search_terms", "search_blocks", "search_rows")
        merged = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
        assert long_way, "some postings were merged the long way"
        assert (
            conn.execute("SELECT wide FROM search_postings WHERE term = 'cargo'").fetchone()[0] == 1
        )
        Updater(store, [IndexSearch()]).rebuild("index_search")
        rebuilt = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
        assert merged == rebuilt
