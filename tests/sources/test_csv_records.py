"""CSV and TSV files: one article per row, mapped like JSON records (issue 9, item 6)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from storyline.sources.files import ReadOptions, read_paths
from storyline.sources.sample import GOLD_FILES


def rows_of(path: Path, **options: object) -> list:
    return list(read_paths([str(path)], ReadOptions(**options)))  # type: ignore[arg-type]


def test_each_row_is_a_record_mapped_like_json(tmp_path: Path) -> None:
    path = tmp_path / "wire.csv"
    path.write_text(
        "headline,body,link,pubDate,source\n"
        'Dam opens,"The new dam opened.\n\nIt holds water.",'
        "https://a.example/1,2024-05-02,Daily Lamp\n"
        ",,,,\n"
        "Bridge closes,The bridge closed for repairs.,https://a.example/2,2024-05-03,"
        "/data/crawl/bridge.html\n",
        encoding="utf-8",
    )
    first, second = rows_of(path)
    assert first.raw_format == "json" and first.record == 0 and second.record == 1
    assert first.fields == {
        "headline": "Dam opens",
        "body": "The new dam opened.\n\nIt holds water.",
        "link": "https://a.example/1",
        "pubDate": "2024-05-02",
        "source": "Daily Lamp",
    }
    assert json.loads(first.raw) == first.fields
    from storyline.extract.record import pick

    assert pick(first.fields, "outlet") == "Daily Lamp"
    assert pick(second.fields, "outlet") is None  # a path is where it came from, not an outlet
    assert pick(second.fields, "title") == "Bridge closes"


def test_tsv_bom_and_other_encodings(tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_bytes("\ufefftitle\ttext\nCafé\tLe café ouvre.\n".encode())
    (art,) = rows_of(tsv)
    assert art.fields == {"title": "Café", "text": "Le café ouvre."} and not art.problems
    latin = tmp_path / "b.csv"
    latin.write_bytes(
        "title,text\nCaf\xe9 r\xe9ouvert,Le caf\xe9 du port a r\xe9ouvert hier "
        "apr\xe8s des travaux.\n".encode("cp1252")
    )
    (art,) = rows_of(latin)
    assert art.fields["title"] == "Café réouvert"


def test_bad_rows_fail_alone_naming_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,text\nOne,First text.\nTwo,Second,extra\nThree,Third text.\n")
    got = rows_of(path)
    assert [a.fields.get("title") for a in got if a.ok] == ["One", "Three"]
    (bad,) = [a for a in got if a.failed]
    assert bad.source == f"{path}:3" and "3 cells for 2 columns" in bad.failed
    dup = tmp_path / "dup.csv"
    dup.write_text("title,title\na,b\n")
    (art,) = rows_of(dup)
    assert "names a column twice: title" in art.failed
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    (art,) = rows_of(empty)
    assert "without a header row" in art.failed


def test_rows_are_capped_like_records(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("title,text\n" + "".join(f"T{i},Text {i}.\n" for i in range(7)))
    got = rows_of(path, max_records=5)
    assert sum(a.ok for a in got) == 5
    assert "from line 7 on refused" in got[-1].failed


def test_a_csv_export_ingests_back_as_the_articles_it_holds(tmp_path: Path, sample_dir) -> None:
    """`storyline export --format csv`, then `storyline ingest out.csv`: the same articles."""

    def storyline(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "storyline", *args], capture_output=True, text=True
        )
        # exit 1: some inputs failed (the sample holds hostile files on purpose)
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    first, second, out = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "out.csv"
    excludes = [a for pattern in GOLD_FILES for a in ("--exclude", pattern)]
    storyline("--db", str(first), "ingest", str(sample_dir), *excludes)
    storyline("--db", str(first), "export", "--format", "csv", "--output", str(out))
    exported = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    storyline("--db", str(second), "ingest", str(out))

    def articles(db: Path) -> list[dict]:
        text = storyline("--db", str(db), "export", "--format", "jsonl")
        rows = [json.loads(line) for line in text.splitlines() if line]
        # reprints share a title: the end of the text tells them apart
        return sorted(rows, key=lambda r: (r["title"], r["url"] or "", r["text"][-300:]))

    before, back = articles(first), articles(second)
    assert len(back) == len(exported) == len(before) > 40
    for row, again in zip(before, back, strict=True):
        for field in ("title", "url", "published", "date_not_before", "language", "byline"):
            assert again[field] == row[field], (row["title"], field)
        # the exported text is cleaned once more on the way back in: a byline or outlet line
        # left at its top (the outlet now known from the record) may go, nothing else
        assert again["text"] and again["text"] in row["text"], row["title"]
        assert row["outlet"] in (None, again["outlet"]), row["title"]
