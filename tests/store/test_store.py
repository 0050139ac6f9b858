"""Idempotent ingest, changed-file updates, reprocess, search and export on real inputs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from storyline.errors import QueryError, StoreError
from storyline.ingest import build_pipeline, ingest, reprocess
from storyline.store import Store
from storyline.store.db import MIGRATIONS
from storyline.store.export import export
from storyline.store.search import search, to_fts_query
from storyline.testing import write_corpus


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def table_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    out = {}
    for table in ("articles", "article_agencies", "removed_text", "raw_inputs"):
        cols = (
            "*"
            if table != "articles"
            else (
                "id, content_hash, title, text, outlet, published, date_not_before, language, data"
            )
        )
        out[table] = sorted(conn.execute(f"SELECT {cols} FROM {table}").fetchall())
    out["sources"] = sorted(
        conn.execute("SELECT key, raw_hash, article_id, status, reason FROM sources").fetchall()
    )
    conn.close()
    return out


def test_second_ingest_writes_nothing(tmp_path: Path, pipeline) -> None:
    write_corpus(tmp_path / "in", 30)
    db = tmp_path / "s.db"
    with Store(db) as store:
        first = ingest([str(tmp_path / "in")], store, pipeline)
        assert first.summary()["stored"] + first.summary()["unchanged"] == 30
        before = table_rows(db)
        changes = store.conn.total_changes
        second = ingest([str(tmp_path / "in")], store, pipeline)
        assert store.conn.total_changes == changes
    assert second.summary()["unchanged"] == 30 and second.summary()["stored"] == 0
    assert table_rows(db) == before


def test_union_equals_sequence(tmp_path: Path, pipeline) -> None:
    write_corpus(tmp_path / "in", 24)
    files = sorted((tmp_path / "in").iterdir())
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for i, f in enumerate(files):
        shutil.copy(f, tmp_path / ("a" if i % 2 else "b") / f.name)
    with Store(tmp_path / "seq.db") as s:
        ingest([str(tmp_path / "a")], s, pipeline)
        ingest([str(tmp_path / "b")], s, pipeline)
        seq = sorted(r[0] for r in s.conn.execute("SELECT content_hash FROM articles"))
    with Store(tmp_path / "all.db") as s:
        ingest([str(tmp_path / "a"), str(tmp_path / "b")], s, pipeline)
        union = sorted(r[0] for r in s.conn.execute("SELECT content_hash FROM articles"))
    assert seq == union and len(union) > 15


def test_changed_file_updates_its_article(tmp_path: Path, pipeline) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "Border talks resume\n\nQUETTA -- Officials from both sides met again on "
        "Tuesday to discuss the reopening of the crossing for traders.\n"
    )
    with Store(tmp_path / "s.db") as store:
        ingest([str(path)], store, pipeline)
        (old,) = store.iter_articles()
        path.write_text(
            "Border talks resume\n\nQUETTA -- Officials from both sides met again on "
            "Wednesday to discuss the reopening of the crossing for traders.\n"
        )
        report = ingest([str(path)], store, pipeline)
        assert report.summary()["updated"] == 1
        (new,) = store.iter_articles()
    assert "Wednesday" in new.text and new.id != old.id and store_count(tmp_path / "s.db") == 1


def store_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    conn.close()
    assert n == fts
    return n


def test_same_content_from_two_paths_is_one_article(tmp_path: Path, pipeline) -> None:
    text = (
        "Dust storm closes schools\n\nZAHEDAN -- Schools stayed shut for a second day as dust "
        "covered the city.\n"
    )
    (tmp_path / "one.txt").write_text(text)
    (tmp_path / "two.txt").write_text(text)
    with Store(tmp_path / "s.db") as store:
        report = ingest([str(tmp_path)], store, pipeline)
    assert report.summary()["stored"] == 1 and report.summary()["unchanged"] == 1
    assert store_count(tmp_path / "s.db") == 1


def test_reprocess_rebuilds_from_raw_without_files(tmp_path: Path, pipeline) -> None:
    write_corpus(tmp_path / "in", 12, fmt="html")
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([str(tmp_path / "in")], store, pipeline)
        before = table_rows(db)["articles"]
        shutil.rmtree(tmp_path / "in")
        report = reprocess(store, pipeline)
    assert report.summary()["failed"] == 0 and report.read == 12
    assert table_rows(db)["articles"] == before


def test_failed_batch_write_leaves_earlier_batches(tmp_path: Path, pipeline, monkeypatch) -> None:
    write_corpus(tmp_path / "in", 20)
    db = tmp_path / "s.db"
    from storyline.store import articles as store_articles

    calls = {"n": 0}

    def explode(conn, article):
        calls["n"] += 1
        if calls["n"] == 13:
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_articles, "CHILD_WRITERS", [explode])
    with Store(db) as store, pytest.raises(StoreError, match="disk is full"):
        ingest([str(tmp_path / "in")], store, pipeline, batch_size=5)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    assert stored == 10  # two whole batches, nothing of the third
    assert (
        conn.execute("SELECT COUNT(*) FROM raw_inputs").fetchone()[0]
        == conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    )
    conn.close()
    monkeypatch.setattr(store_articles, "CHILD_WRITERS", [])
    with Store(db) as store:
        report = ingest([str(tmp_path / "in")], store, pipeline, batch_size=5)
    assert report.summary()["unchanged"] == 10
    assert table_rows(db)["sources"].__len__() == 20


def test_migrations_are_recorded(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        rows = store.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == [v for v, _, _ in MIGRATIONS]


def test_store_in_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        Store(tmp_path / "nope" / "s.db")


@pytest.fixture(scope="module")
def searchable(tmp_path_factory, pipeline) -> Store:
    folder = tmp_path_factory.mktemp("search")
    docs = {
        "a.txt": "Envoy meets minister\n\nTEHRAN -- The special envoy Hassan Kazemi-Qomi met the "
        "foreign minister on water sharing along the Helmand river.\n",
        "b.txt": "Refugee returns rise\n\nISLAMABAD -- Thousands of Afghan refugees crossed at "
        "Torkham this week as the deadline for undocumented families passed.\n",
        "c.json": json.dumps(
            {
                "title": "Helmand flows",
                "text": "KABUL -- Engineers measured the "
                "Helmand river flow at Kajaki dam and found it lower than last year.",
                "outlet": "Kabul Ledger",
                "date": "2024-03-05",
                "language": "en",
            }
        ),
    }
    for name, body in docs.items():
        (folder / name).write_text(body)
    store = Store(folder / "s.db")
    ingest([str(folder)], store, pipeline)
    return store


def test_search_ranks_phrases_and_booleans(searchable: Store) -> None:
    hits = search(searchable.conn, "Helmand")
    assert {h.title for h in hits} == {"Envoy meets minister", "Helmand flows"}
    assert hits[0].title == "Helmand flows"  # title matches weigh more
    assert "[Helmand]" in hits[0].snippet
    assert [h.title for h in search(searchable.conn, '"Helmand river flow"')] == ["Helmand flows"]
    assert [h.title for h in search(searchable.conn, "Helmand NOT dam")] == ["Envoy meets minister"]
    either = {h.title for h in search(searchable.conn, "refugee* OR kajaki")}
    assert either == {"Refugee returns rise", "Helmand flows"}
    assert [h.title for h in search(searchable.conn, "Kazemi-Qomi")] == ["Envoy meets minister"]


def test_search_filters(searchable: Store) -> None:
    assert [h.title for h in search(searchable.conn, "Helmand", outlet="kabul ledger")] == [
        "Helmand flows"
    ]
    assert [
        h.title for h in search(searchable.conn, "Helmand", since="2024-03-01", until="2024-03-31")
    ] == ["Helmand flows"]
    assert search(searchable.conn, "Helmand", language="fr") == []
    assert search(searchable.conn, "Helmand", agency="Reuters") == []


def test_bad_query_is_a_clear_error(searchable: Store) -> None:
    with pytest.raises(QueryError, match="cannot search for"):
        search(searchable.conn, "Helmand AND")
    with pytest.raises(QueryError, match="empty query"):
        search(searchable.conn, "  ")


@pytest.mark.parametrize(
    ("query", "fts"),
    [
        ("Kazemi-Qomi", '"Kazemi-Qomi"'),
        ("Da'ish OR Daesh", '"Da\'ish" OR Daesh'),
        ('"exact phrase" NOT x', '"exact phrase" NOT x'),
        ("refug*", "refug*"),
    ],
)
def test_query_quoting(query: str, fts: str) -> None:
    assert to_fts_query(query) == fts


def test_export_formats(searchable: Store, tmp_path: Path) -> None:
    buf = io.StringIO()
    assert export(searchable.iter_articles(), "jsonl", buf) == 3
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert {r["title"] for r in rows} >= {"Helmand flows"} and "removed" in rows[0]
    buf = io.StringIO()
    export(searchable.iter_articles(), "csv", buf)
    assert len(list(csv.DictReader(io.StringIO(buf.getvalue())))) == 3
    import pyarrow.parquet as pq

    export(searchable.iter_articles(), "parquet", tmp_path / "a.parquet")
    assert pq.read_table(tmp_path / "a.parquet").num_rows == 3


def test_a_lower_numbered_migration_landing_later_is_still_applied(
    tmp_path: Path, monkeypatch
) -> None:
    from storyline.store import db as store_db

    def make(table: str):
        return lambda conn: conn.execute(f"CREATE TABLE {table} (x INTEGER)")

    migrations = list(store_db.MIGRATIONS)
    monkeypatch.setattr(store_db, "MIGRATIONS", [*migrations, (99, "late", make("t99"))])
    Store(tmp_path / "s.db").close()
    monkeypatch.setattr(
        store_db,
        "MIGRATIONS",
        [*migrations, (98, "earlier number", make("t98")), (99, "late", make("t99"))],
    )
    with Store(tmp_path / "s.db") as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations")]
        assert 98 in versions and 99 in versions
        store.conn.execute("SELECT * FROM t98")


def test_get_by_exact_id_then_by_unique_prefix(searchable: Store) -> None:
    ids = sorted(r[0] for r in searchable.conn.execute("SELECT id FROM articles"))
    one = ids[len(ids) // 2]
    found = searchable.get(one)
    assert found is not None and found.id == one
    # a unique prefix (in any case, as the LIKE match it replaces read it) finds the article
    short = next(
        one[:n] for n in range(2, len(one)) if sum(i.startswith(one[:n]) for i in ids) == 1
    )
    by_prefix, by_upper = searchable.get(short), searchable.get(short.upper())
    assert by_prefix is not None and by_prefix.id == one
    assert by_upper is not None and by_upper.id == one
    # a prefix shared by two articles, and one no id starts with, find nothing
    shared = next(
        ids[k][:n] for k in range(len(ids) - 1) for n in (4, 3, 2, 1)
        if ids[k + 1].startswith(ids[k][:n])
    )  # fmt: skip
    assert searchable.get(shared) is None
    assert searchable.get(one + "0") is None and searchable.get("zz") is None
    # the lookup reads the primary key, never the whole table
    plan = " ".join(
        r[3]
        for r in searchable.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM articles a WHERE a.id >= ? AND a.id < ?",
            ("u1", "u2"),
        )
    )
    assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
