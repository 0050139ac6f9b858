# ruff: noqa: E501  (exact output: table lines are as wide as they are)
"""`storyline sources list` and `show`: exact output over a store in a known state."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from typer.testing import CliRunner

from storyline.cli import main, sources
from storyline.store import Store
from storyline.store import followed as db

AT = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def app() -> typer.Typer:
    """The `sources` group on an app of its own (the same callback as `storyline`)."""
    cli = typer.Typer()
    cli.callback()(main.main)
    sources.register(cli)
    return cli


def filled(db_path: Path) -> None:
    with Store(db_path) as store:
        c = store.conn
        good = db.add_source(c, "https://kabul-ledger.example/rss.xml", name="Kabul Ledger", at=AT)
        bad = db.add_source(c, "https://broken.example/feed", every_s=3600, at=AT)
        items = [{"url": f"https://kabul-ledger.example/a{i}", "feed": {}} for i in range(3)]
        db.record_poll(c, good["id"], status=200, items=items, kind="feed", etag='"x"', at=AT)
        db.record_poll(
            c, bad["id"], status=500, error="E117 https://broken.example/feed: HTTP 500", at=AT
        )
        db.fail_items(c, [("https://kabul-ledger.example/a2", "E117 …/a2: HTTP 404", False)])
        c.execute(
            "UPDATE followed_items SET state = 'stored', done_at = found_at "
            "WHERE url = 'https://kabul-ledger.example/a0'"
        )


LIST = """\
id  name          kind  every  last fetch        status  new  errors  queued  failed  next due          url
1   Kabul Ledger  feed  15m    2024-06-01 08:00  200     3    0       1       1       2024-06-01 08:15  https://kabul-ledger.example/rss.xml
2   -             auto  1h     2024-06-01 08:00  error   0    1       0       0       2024-06-01 10:00  https://broken.example/feed
source 2: E117 https://broken.example/feed: HTTP 500
"""

SHOW = """\
id:              1
name:            Kabul Ledger
url:             https://kabul-ledger.example/rss.xml
kind:            feed
content:         page
every:           15m
tags:            -
robots:          obeyed
added:           2024-06-01 08:00
last fetch:      2024-06-01 08:00
status:          200
new items:       3
errors in a row: 0
last error:      -
next due:        2024-06-01 08:15
etag:            "x"
last modified:   -
recent items (3):
  state   found             url                              reason
  failed  2024-06-01 08:00  https://kabul-ledger.example/a2  E117 …/a2: HTTP 404
  queued  2024-06-01 08:00  https://kabul-ledger.example/a1
  stored  2024-06-01 08:00  https://kabul-ledger.example/a0
"""


def test_sources_list_and_show_exact_output(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    filled(path)
    runner = CliRunner()
    listed = runner.invoke(app(), ["--db", str(path), "sources", "list"])
    assert listed.exit_code == 0, listed.output
    assert listed.output == LIST
    shown = runner.invoke(app(), ["--db", str(path), "sources", "show", "Kabul Ledger"])
    assert shown.exit_code == 0, shown.output
    assert shown.output == SHOW
    by_url = runner.invoke(
        app(),
        ["--db", str(path), "sources", "show", "https://KABUL-ledger.example/rss.xml?utm_source=x"],
    )
    assert by_url.output == SHOW


def test_sources_list_json_and_remove(tmp_path: Path) -> None:
    import json

    path = tmp_path / "s.db"
    filled(path)
    runner = CliRunner()
    rows = json.loads(runner.invoke(app(), ["--db", str(path), "sources", "list", "--json"]).output)
    assert [(r["id"], r["last_status"], r["queued"], r["failed"]) for r in rows] == [
        (1, 200, 1, 1),
        (2, 500, 0, 0),
    ]
    assert rows[1]["last_error"].startswith("E117")
    gone = runner.invoke(app(), ["--db", str(path), "sources", "remove", "2"])
    assert gone.output == "removed 2: https://broken.example/feed\n"
    missing = runner.invoke(app(), ["--db", str(path), "sources", "show", "nope"])
    assert missing.exit_code == 2 and "no followed source 'nope'" in missing.output
