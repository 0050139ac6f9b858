"""Years for year-less dates of undated articles, from dated copies, stories and storylines.

Unit tests of the year choice, then real ingests (foundation stages, the real update steps) of
articles written for these tests, then the seeds: the undated seed 003 says "on September 7"
without a year and gets its year from the dated seeds it is clustered with. The inferred bound is
kept in ``context_bounds``; the article's own row keeps what its text says.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from storyline.ingest import build_pipeline, build_updater, foundation_stages, ingest
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.update.dates_from_context import context_dates, resolve_year


@pytest.mark.parametrize(
    ("month", "day", "anchor", "expected"),
    [
        (9, 7, "2021-08-27", "2021-09-07"),  # shortly after the anchor
        (8, 15, "2021-08-27", "2021-08-15"),  # shortly before
        (12, 30, "2022-01-03", "2021-12-30"),  # across New Year, backwards
        (1, 2, "2021-12-20", "2022-01-02"),  # across New Year, forwards
        (6, 27, "2021-12-27", "2022-06-27"),  # nearest wins, even when it is later
        (2, 29, "2021-03-01", "2020-02-29"),  # only 2020 is a leap year in range
        (2, 29, "2018-06-01", None),  # no leap year within a year either side
    ],
)
def test_resolve_year(month: int, day: int, anchor: str, expected: str | None) -> None:
    found = resolve_year(month, day, date.fromisoformat(anchor))
    assert (found.isoformat() if found else None) == expected


PARAS = [
    "Engineers from both countries inspected the canal intake near the border on Friday and "
    "measured the flow at three gauging stations, the provincial water authority said.",
    "The inspection followed a meeting of the joint water commission on March 3, at which the "
    "two delegations agreed to share daily readings for the rest of the season.",
    "Farmers downstream have complained for months that the flow reaching their fields was far "
    "below what they were promised, and several villages have lost their spring planting.",
    "Officials said the readings would be published every week on the authority's website and "
    "that a second inspection would follow once the snowmelt reached its peak in the mountains.",
    "A spokesman for the commission said the engineers had been given full access to the "
    "gauging stations and that the two sides had exchanged their records without any dispute.",
]
WIRE = "Engineers inspect canal intake\n\nMarch 10, 2023\n\n" + "\n\n".join(PARAS) + "\n"
REPRINT = "Joint team checks canal flow at the border\n\n" + "\n\n".join(PARAS) + "\n"
LONER = (
    "Tea prices climb in the old bazaar\n\nTraders in the old bazaar said the price of green "
    "tea rose sharply after a shipment was held at the port on June 14, and that customers had "
    "begun to buy smaller amounts than before.\n"
)


def _ingest(store: Store, *paths: Path, full: bool = False) -> None:
    pipeline = build_pipeline() if full else Pipeline(foundation_stages())
    ingest([str(p) for p in paths], store, pipeline, updater=build_updater(store, {}))


def _row(store: Store, name: str) -> dict:
    """The article as a reader sees it (`Store.get`: the bound from context included)."""
    row = store.conn.execute("SELECT id FROM articles WHERE source LIKE ?", (f"%{name}",))
    article = store.get(row.fetchone()[0])
    assert article is not None
    return {
        "id": article.id,
        "published": article.published,
        "date_not_before": article.date_not_before,
        "date_bound_evidence": article.date_bound_evidence,
        "data": {"provenance": article.provenance, "extras": article.extras},
    }


def _own(store: Store, name: str) -> dict:
    """The article's own row: what its text says, never a bound inferred from others."""
    row = store.conn.execute(
        "SELECT date_not_before, data FROM articles WHERE source LIKE ?", (f"%{name}",)
    ).fetchone()
    return {"date_not_before": row[0], "data": json.loads(row[1])}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    out = {}
    for name, text in (("wire.txt", WIRE), ("reprint.txt", REPRINT), ("loner.txt", LONER)):
        (folder / name).write_text(text, "utf-8")
        out[name] = folder / name
    return out


def test_undated_copy_gets_the_year_of_its_dated_original(files: dict[str, Path], tmp_path):
    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, *files.values())
        wire, reprint, loner = (_row(store, n) for n in ("wire.txt", "reprint.txt", "loner.txt"))
        assert wire["published"] == "2023-03-10"
        assert reprint["published"] is None
        assert reprint["date_not_before"] == "2023-03-03"
        assert "joint water commission on March 3" in reprint["date_bound_evidence"]
        provenance = reprint["data"]["provenance"]["date_not_before"]
        assert provenance == f"text-bound, year from copy context: {wire['id']} (2023-03-10)"
        assert reprint["data"]["extras"]["text_bound"]["value"] is None
        own = _own(store, "reprint.txt")  # the row keeps the text's own (absent) bound
        assert own["date_not_before"] is None and "text_bound" not in own["data"]["extras"]
        # No dated article around it: the lone undated article keeps no bound at all.
        assert loner["date_not_before"] is None
        assert loner["data"]["extras"]["yearless_dates"][0]["month"] == 6
        assert context_dates(store.conn, loner["id"]) == ("", [])
        # Idempotent: running the steps again, or ingesting again, writes nothing.
        tables = ("articles", "context_bounds")
        before = [store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables]
        assert build_updater(store, {}).run().changes == {}
        _ingest(store, *files.values())
        after = [store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables]
        assert [[tuple(r) for r in t] for t in before] == [[tuple(r) for r in t] for t in after]
    finally:
        store.close()


def test_the_undated_copy_first_then_its_original(files: dict[str, Path], tmp_path):
    """Batches in the other order: the original's batch resolves the stored reprint."""
    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, files["reprint.txt"])
        assert _row(store, "reprint.txt")["date_not_before"] is None
        _ingest(store, files["wire.txt"])
        assert _row(store, "reprint.txt")["date_not_before"] == "2023-03-03"
    finally:
        store.close()


def test_the_bound_goes_when_its_context_goes(files: dict[str, Path], tmp_path):
    """The original changes into an unrelated text: its copy link goes, and with it the bound
    the reprint took from it (the bound is a function of the stored context, not of history)."""
    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, files["wire.txt"], files["reprint.txt"])
        assert _row(store, "reprint.txt")["date_not_before"] == "2023-03-03"
        files["wire.txt"].write_text(
            "Engineers inspect canal intake\n\nMarch 10, 2023\n\n" + LONER, "utf-8"
        )
        _ingest(store, files["wire.txt"])
        assert _row(store, "reprint.txt")["date_not_before"] is None
        assert store.conn.execute("SELECT COUNT(*) FROM context_bounds").fetchone()[0] == 0
    finally:
        store.close()


def test_a_later_year_ful_bound_is_kept(files: dict[str, Path], tmp_path):
    later = REPRINT.replace(
        PARAS[3], PARAS[3] + " A new gauge was installed in April 2023 after a long delay."
    )
    files["reprint.txt"].write_text(later, "utf-8")
    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, files["wire.txt"], files["reprint.txt"])
        reprint = _row(store, "reprint.txt")
        assert reprint["date_not_before"] == "2023-04-01"  # text bound beats 2023-03-03
        assert reprint["data"]["provenance"]["date_not_before"] == "text-bound"
    finally:
        store.close()


def test_seed_003_gets_september_7_from_the_dated_seeds(seeds_dir: Path, tmp_path) -> None:
    store = Store(tmp_path / "seeds.db")
    try:
        # The full pipeline, as `storyline ingest` runs it: storylines link on actors and places.
        _ingest(store, *sorted(seeds_dir.iterdir()), full=True)
        row = _row(store, "003_7d9c1083e8e1333c.txt")
        level, dated = context_dates(store.conn, row["id"])
        assert dated, (
            "seed 003 is not linked to a dated seed by copies, stories or storylines: the year of "
            "'September 7' cannot be resolved (report this, do not force it)"
        )
        assert row["published"] is None
        assert row["date_not_before"] == "2021-09-07"
        assert "caretaker government on September 7" in row["date_bound_evidence"]
        how = row["data"]["provenance"]["date_not_before"]
        assert how.startswith(f"text-bound, year from {level} context: ")
    finally:
        store.close()


def test_a_context_larger_than_sqlite_binds_is_read_in_chunks(files: dict[str, Path], tmp_path):
    """A long storyline's context holds more ids than one SQLite statement can bind."""
    from storyline.update.dates_from_context import _dated

    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, files["wire.txt"])
        wire = _row(store, "wire.txt")
        limit = store.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        ids = [f"missing{i:07d}" for i in range(limit)] + [wire["id"]]
        assert _dated(store.conn, ids) == [("2023-03-10", wire["id"])]
    finally:
        store.close()


def test_targets_are_the_year_less_members_of_touched_stories_and_storylines(
    files: dict[str, Path], tmp_path
):
    """`_targets` reads the few year-less undated articles from their partial index and asks
    each whether it sits in a touched story or storyline: the same set as reading every member
    of those stories and storylines and testing its data."""
    from types import SimpleNamespace

    from storyline.update.dates_from_context import _targets

    store = Store(tmp_path / "s.db")
    try:
        _ingest(store, *files.values(), full=True)
        conn = store.conn
        yearless = {
            r[0]
            for r in conn.execute("SELECT id, published, data FROM articles")
            if r[1] is None and json.loads(r[2]).get("extras", {}).get("yearless_dates")
        }
        assert len(yearless) == 2  # the reprint and the loner
        members: dict[str, dict[str, set[str]]] = {"story": {}, "storyline": {}}
        for story_id, article_id in conn.execute("SELECT story_id, article_id FROM story_articles"):
            members["story"].setdefault(story_id, set()).add(article_id)
        lines = conn.execute("SELECT storyline_id, story_id FROM storyline_stories")
        for line_id, story_id in lines:
            members["storyline"].setdefault(line_id, set()).update(members["story"][story_id])
        assert members["story"] and members["storyline"]
        for kind in ("story", "storyline"):
            for key, ids in members[kind].items():
                keys = {kind: [key]}
                run = SimpleNamespace(conn=conn, keys=lambda name, k=keys: k.get(name, []))
                assert set(_targets(run)) == ids & yearless, (kind, key)
        nothing = SimpleNamespace(conn=conn, keys=lambda name: ["no-such-id"])
        assert _targets(nothing) == []
    finally:
        store.close()
