"""Exact-output tests for the ingest summary and for errors, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.main import app

runner = CliRunner()

GOOD_A = (
    "Border crossing reopens\n\nTORKHAM -- Traders queued from dawn as the crossing "
    "reopened after four days of talks between customs officials.\n"
)
GOOD_B = (
    "Dam visit planned\n\nKABUL -- Engineers from both countries will inspect the dam "
    "next month, the water ministry said on Sunday.\n"
)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_A)
    (folder / "b.txt").write_text(GOOD_B)
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(bytes(300) + b"x")
    return folder


def invoke(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def test_ingest_summary_and_exit_codes(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    missing = str(tmp_path / "missing.txt")
    result = invoke(db, "ingest", str(inbox), missing)
    assert result.exit_code == 1
    assert result.stdout == (
        "read 5, stored 2, updated 0, unchanged 0, skipped 2, failed 1\n"
        "skipped: empty document (1), not text: looks like binary data (NUL bytes) (1)\n"
        "failed:\n"
        f"  {missing}: no such file\n"
    )
    again = invoke(db, "ingest", str(inbox))
    assert again.exit_code == 0
    assert again.stdout == "read 4, stored 0, updated 0, unchanged 4, skipped 0, failed 0\n"


def test_ingest_json_summary(inbox: Path, tmp_path: Path) -> None:
    result = invoke(tmp_path / "s.db", "ingest", "--json", str(inbox / "a.txt"))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "read": 1,
        "stored": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
        "skipped_reasons": {},
        "failures": [],
        "update_failures": {},
    }


def test_show_list_search_stats(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke(db, "ingest", str(inbox))
    listed = json.loads(invoke(db, "list", "--json").stdout)
    assert sorted(r["title"] for r in listed) == ["Border crossing reopens", "Dam visit planned"]
    shown = invoke(db, "show", listed[0]["id"][:8])
    assert shown.exit_code == 0 and listed[0]["title"] in shown.stdout
    as_json = json.loads(invoke(db, "show", "--json", listed[0]["id"]).stdout)
    assert as_json["id"] == listed[0]["id"] and as_json["removed"][0]["reason"] == "title"
    answer = json.loads(invoke(db, "search", "--json", "crossing").stdout)
    hits = answer["items"]
    assert [h["title"] for h in hits] == ["Border crossing reopens"]
    assert (answer["total"], answer["next_cursor"], answer["resolved"]) == (1, None, {})
    assert [hits[0]["snippet"][s:e] for s, e in hits[0]["highlights"]] == ["crossing"]
    assert "no articles match 'zebra'" in invoke(db, "search", "zebra").stdout
    stats = json.loads(invoke(db, "stats", "--json").stdout)
    assert stats["articles"] == 2 and stats["failed_inputs"] == 0 and stats["skipped_inputs"] == 2


def test_errors_are_one_line_with_exit_code_2(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke(db, "ingest", str(inbox / "a.txt"))
    result = invoke(db, "show", "nope")
    assert result.exit_code == 2
    assert result.stderr == "error: E404 no article with id 'nope' (see `storyline list`)\n"
    result = invoke(db, "search", "Helmand AND")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: E800 cannot search for 'Helmand AND': ")
    result = invoke(tmp_path / "no" / "s.db", "stats")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: E401 no store at {tmp_path / 'no' / 's.db'}: check --db (or $STORYLINE_DB); "
        "`storyline ingest PATH` creates one\n"
    )
    result = invoke(tmp_path / "no" / "s.db", "ingest", str(inbox))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: E400 cannot open store {tmp_path / 'no' / 's.db'}: folder "
        f"{tmp_path / 'no'} does not exist\n"
    )
    result = invoke(db, "export", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: E501 unknown format 'xml'; choose one of jsonl, csv, parquet\n"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[store]\nbatchsize = 3\n")
    result = runner.invoke(app, ["--config", str(bad), "stats"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: E500 {bad}: unknown setting store.batchsize; known: ")


def test_export_writes_files(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    invoke(db, "ingest", str(inbox))
    out = tmp_path / "a.csv"
    result = invoke(db, "export", "--format", "csv", "--output", str(out))
    assert result.stdout == f"exported 2 articles to {out}\n"
    assert out.read_text().startswith("id,title,outlet,url")


def test_batch_commands_yield_the_cpu_by_their_nice_setting(tmp_path: Path) -> None:
    """`ingest.nice` / `follow.nice` set the process's niceness (inherited by stage workers),
    never lower an already higher one, and refuse a value outside 0-19 before any work."""
    probe = (
        "import os\n"
        "from storyline.cli.output import yield_cpu\n"
        "yield_cpu(10, 'follow.nice')\n"
        "print(os.nice(0))\n"
        "yield_cpu(3, 'ingest.nice')\n"
        "print(os.nice(0))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["10", "10"]
    (tmp_path / "a.txt").write_text("Border talks resume\n\nOfficials met again on Monday.\n")
    result = CliRunner().invoke(
        app,
        ["--db", str(tmp_path / "s.db"), "ingest", str(tmp_path / "a.txt")],
        env={"STORYLINE_INGEST_NICE": "25"},
    )
    assert result.exit_code == 2, result.output
    assert "E500 ingest.nice = 25: give 0 (unchanged) to 19 (nicest)" in result.stderr
