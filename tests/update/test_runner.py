"""The update-step layer: declared order, marks, backfill of a new step, isolated failures,
`storyline status` and `storyline update`.

The steps here are small real ones written for the tests (a word count per article into its own
table); the default steps are exercised through real ingests of the sample corpus elsewhere.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.article import Article
from storyline.cli.main import app
from storyline.errors import UpdateError
from storyline.ingest import build_pipeline, build_updater, foundation_stages, ingest
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.update import StepRun, Updater, UpdateStep, check_step_order, default_steps
from storyline.update.find_copies import FindCopies
from storyline.update.runner import UpdateReport


class WordCounts(UpdateStep):
    """Words per article, in a table of its own; refuses articles titled "poison"."""

    name = "word_counts"
    follows = ("article",)
    reads = ("articles",)
    writes = ("test_word_counts",)

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[list[str]] = []

    def apply(self, run: StepRun) -> None:
        run.conn.execute(
            "CREATE TABLE IF NOT EXISTS test_word_counts (article_id TEXT PRIMARY KEY, n INTEGER)"
        )
        articles, gone = run.articles(run.keys("article"))
        self.seen.append([a.id for a in articles])
        for article_id in gone:
            run.conn.execute("DELETE FROM test_word_counts WHERE article_id = ?", (article_id,))
        for article in articles:
            with run.each(article.id):
                run.conn.execute(
                    "INSERT OR REPLACE INTO test_word_counts VALUES (?, ?)",
                    (article.id, len(article.text.split())),
                )
                if (article.title or "").lower() == "poison":
                    raise RuntimeError("this article poisons the step")
                if (article.title or "").lower() == "ctrl-c":  # as a lazy import cut short
                    try:
                        raise KeyboardInterrupt
                    except KeyboardInterrupt as exc:
                        raise ImportError("initialization failed") from exc


def article(n: int, title: str = "", words: int = 5) -> Article:
    a = Article(source=f"mem/{n}.txt", text=" ".join(["word"] * (words + n)), title=title or None)
    a.id, a.content_hash = f"a{n:03d}", f"h{n}-{words}"
    return a


def counts(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT article_id, n FROM test_word_counts"))


def test_a_new_step_backfills_a_filled_store_batch_by_batch(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for start in range(0, 10, 4):  # three write batches, before the step exists
            store.write_batch([(f"k{n}", article(n)) for n in range(start, min(start + 4, 10))])
        step = WordCounts()
        updater = Updater(store, [step])
        assert updater.lag() == {"word_counts": 10}
        report = updater.run()
        # one transaction per write batch, in the order they were written
        assert step.seen == [["a000", "a001", "a002", "a003"], ["a004", "a005", "a006", "a007"],
                             ["a008", "a009"]]  # fmt: skip
        assert report.batches == {"word_counts": 3} and report.changes == {"word_counts": 10}
        assert counts(store) == {f"a{n:03d}": 5 + n for n in range(10)}
        assert updater.lag() == {"word_counts": 0} and updater.run().changes == {}
        # an article written again moves to the end of the feed; a deleted one too
        store.write_batch([("k3", article(3, words=50))])
        store.write_batch([("k4", article(11))])  # input k4 now holds another article: a004 goes
        updater.run()
        assert counts(store)["a003"] == 53 and "a004" not in counts(store)
        assert counts(store)["a011"] == 16


def test_a_step_that_raises_on_one_article_records_it_and_goes_on(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.write_batch([("k1", article(1)), ("k2", article(2, "poison")), ("k3", article(3))])
        updater = Updater(store, [WordCounts()])
        report = updater.run()
        assert set(counts(store)) == {"a001", "a003"}  # the poisoned article's row was undone
        assert list(report.failed["word_counts"]) == ["a002"]
        assert "RuntimeError: this article poisons the step" in report.failed["word_counts"]["a002"]
        (status,) = updater.status()
        assert (status.position, status.lag, status.failures) == (3, 0, 1)
        fixed = article(2, "cured")
        fixed.content_hash = "cured"
        store.write_batch([("k2", fixed)])
        updater.run()
        assert set(counts(store)) == {"a001", "a002", "a003"}
        assert updater.status()[0].failures == 0  # done at last: the failure record goes


def test_ctrl_c_inside_a_step_stops_it_records_no_failure_and_a_rerun_goes_on(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "s.db") as store:
        store.write_batch([("k1", article(1)), ("k2", article(2, "ctrl-c")), ("k3", article(3))])
        updater = Updater(store, [WordCounts()])
        with pytest.raises(KeyboardInterrupt):
            updater.run()
        (status,) = updater.status()
        assert (status.position, status.failures) == (0, 0)  # the batch undone, nothing failed
        created = "SELECT 1 FROM sqlite_master WHERE name = 'test_word_counts'"
        assert store.conn.execute(created).fetchone() is None  # even the table's creation
        cured = article(2, "cured")
        cured.content_hash = "cured"
        store.write_batch([("k2", cured)])
        updater.run()
        assert set(counts(store)) == {"a001", "a002", "a003"}


def test_a_database_error_stops_the_step_and_keeps_its_mark(tmp_path: Path) -> None:
    class Broken(WordCounts):
        name = "broken"

        def apply(self, run: StepRun) -> None:
            super().apply(run)
            run.conn.execute("INSERT INTO no_such_table VALUES (1)")

    with Store(tmp_path / "s.db") as store:
        store.write_batch([("k1", article(1))])
        updater = Updater(store, [Broken()])
        with pytest.raises(UpdateError) as caught:
            updater.run()
        assert str(caught.value).startswith("E600 update step 'broken' stopped")
        assert "no such table: no_such_table" in str(caught.value)
        assert updater.lag() == {"broken": 1}  # rolled back: the same batch runs next time
        created = store.conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'test_word_counts'"
        ).fetchone()[0]
        assert created == 0  # the step's writes went with the rollback


def test_steps_are_checked_before_anything_runs() -> None:
    steps = default_steps()
    by_name = {step.name: step for step in steps}
    with pytest.raises(UpdateError) as caught:
        # stories before the copies they follow
        check_step_order([by_name["cluster_stories"], by_name["find_copies"]])
    assert caught.value.code == "E604" and "'copies'" in str(caught.value)
    with pytest.raises(UpdateError) as caught:
        check_step_order([FindCopies(), FindCopies()])
    assert caught.value.code == "E603"

    class Thief(WordCounts):
        name = "thief"
        writes = ("copy_links",)

    with pytest.raises(UpdateError) as caught:
        check_step_order([FindCopies(), Thief()])
    assert caught.value.code == "E606" and "already written by step 'find_copies'" in str(
        caught.value
    )
    check_step_order(steps)  # the default order is sound


def test_a_version_change_makes_the_step_start_over(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.write_batch([("k1", article(1)), ("k2", article(2))])
        Updater(store, [WordCounts()]).run()

        class Newer(WordCounts):
            version = "2"

        step = Newer()
        assert Updater(store, [step]).lag() == {"word_counts": 2}
        Updater(store, [step]).run()
        assert step.seen == [["a001", "a002"]]


class Doubled(UpdateStep):
    """Twice each article's word count as ``word_counts`` left it: reads an earlier step's table."""

    name = "doubled"
    follows = ("article",)
    reads = ("test_word_counts",)
    writes = ("test_doubled",)

    def apply(self, run: StepRun) -> None:
        run.conn.execute(
            "CREATE TABLE IF NOT EXISTS test_doubled (article_id TEXT PRIMARY KEY, n INTEGER)"
        )
        for article_id in run.keys("article"):
            row = run.conn.execute(
                "SELECT n FROM test_word_counts WHERE article_id = ?", (article_id,)
            ).fetchone()
            run.conn.execute(
                "INSERT OR REPLACE INTO test_doubled VALUES (?, ?)",
                (article_id, 2 * row[0] if row else None),
            )


def test_a_step_waits_for_a_batch_the_steps_before_it_have_not_taken_in(tmp_path: Path) -> None:
    """Two writers share the marks: one's later step must not take in the batch the other
    committed after the earlier steps had their turn (CI caught ``count_volume`` counting
    articles ``link_actors`` had not linked yet)."""
    db = tmp_path / "s.db"
    with Store(db) as first, Store(db) as second:
        first.write_batch([("k1", article(1))])
        updater = Updater(first, [WordCounts(), Doubled()])
        updater.run()
        # the other writer commits a batch between this run's turns of the two steps
        second.write_batch([("k2", article(2))])
        report = UpdateReport()
        assert updater._run_one(updater.steps[1], report) == 0  # doubled waits for word_counts
        assert updater._run_one(updater.steps[0], report) == 1
        assert updater._run_one(updater.steps[1], report) == 1
        doubled = dict(first.conn.execute("SELECT article_id, n FROM test_doubled"))
        assert doubled == {"a001": 12, "a002": 14}
        # a full run gets there by itself
        second.write_batch([("k3", article(3))])
        Updater(second, [WordCounts(), Doubled()]).run()
        assert dict(second.conn.execute("SELECT article_id, n FROM test_doubled"))["a003"] == 16


TEXTS = {
    "one.txt": "Dam talks resume\n\nOfficials from both countries met in Kabul on "
    "March 3, 2024 to discuss the water flowing into the Sistan basin.\n",
    "two.txt": "Border market opens\n\nTraders opened a new market at the crossing near "
    "Mirjaveh on April 9, 2024, officials said.\n",
    "three.txt": "Dust storms close schools\n\nSchools in Zabol stayed shut on June 2, 2024 as "
    "dust storms swept the region for a third day.\n",
}


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    return db


def test_status_shows_each_step_position_and_lag(small_db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(small_db), "status"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "3 articles; update steps:\n"
        "step                 version  position  lag  failures\n"
        "index_search         2               3    0  0       \n"
        "find_copies          1               3    0  0       \n"
        "count_outlet_copies  1               3    0  0       \n"
        "link_actors          1               3    0  0       \n"
        "count_cooccurrence   1               3    0  0       \n"
        "cluster_stories      1               3    0  0       \n"
        "dates_from_context   1               9    0  0       \n"
        "count_volume         1               6    0  0       \n"
    )
    # the steps fall behind when articles arrive without them, and `update` catches them up
    with Store(small_db) as store:
        extra = article(1, "a fourth report")
        store.write_batch([("mem/4", extra)])
    behind = CliRunner().invoke(app, ["--db", str(small_db), "status", "--json"])
    lags = {s["name"]: s["lag"] for s in json.loads(behind.output)["steps"]}
    assert lags == {"find_copies": 1, "count_outlet_copies": 1, "link_actors": 1,
                    "count_cooccurrence": 1, "cluster_stories": 1,
                    "dates_from_context": 1, "count_volume": 1, "index_search": 1}  # fmt: skip
    text = CliRunner().invoke(app, ["--db", str(small_db), "status"]).output
    assert text.endswith("8 step(s) behind: run `storyline update` to catch up\n")
    done = CliRunner().invoke(app, ["--db", str(small_db), "update", "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["changes"]["find_copies"] == 1
    with sqlite3.connect(small_db) as conn:
        assert conn.execute(
            "SELECT COUNT(*) FROM story_articles WHERE article_id = 'a001'"
        ).fetchone() == (1,)


def test_articles_only_then_update_equals_a_full_ingest(tmp_path: Path, sample_dir: Path) -> None:
    """Ingest without the steps, then `update`: the same derived tables as steps after each
    batch (the steps take in the same write batches either way)."""
    from storyline.testing import snapshot_diff, store_snapshot

    options = None
    full, late = tmp_path / "full.db", tmp_path / "late.db"
    paths = [str(p) for p in sorted(sample_dir.glob("caspian-wire-review_*"))]
    with Store(full) as store:
        ingest(paths, store, build_pipeline(), updater=build_updater(store, {}), batch_size=3,
               options=options)  # fmt: skip
    with Store(late) as store:
        ingest(paths, store, build_pipeline(), batch_size=3, options=options)
        assert build_updater(store, {}).lag()["cluster_stories"] > 0
        build_updater(store, {}).run()
    assert snapshot_diff(store_snapshot(full), store_snapshot(late)) == {}


def test_foundation_only_store_catches_up_when_the_steps_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    with Store(tmp_path / "s.db") as store:
        ingest([str(folder)], store, Pipeline(foundation_stages()))
        updater = build_updater(store, {})
        assert all(n == 3 for n in updater.lag().values())
        updater.run()
        assert store.conn.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0] == 3
