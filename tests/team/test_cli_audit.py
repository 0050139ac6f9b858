"""Changes made at the terminal are in the audit log too: sources followed and dropped, actor
merges and splits (issue 14, item 5)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from storyline.cli.main import app
from storyline.store import Store
from storyline.team import audit_rows

runner = CliRunner()


def run(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_source_changes_are_audited(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<rss version="2.0"><channel><title>Local wire</title><item><title>x</title>'
        "<link>https://news.example/a</link></item></channel></rss>"
    )
    run(db, "sources", "add", str(feed))
    run(db, "sources", "remove", "Local wire")
    with Store(db) as store:
        rows = audit_rows(store.conn, action="source.")
    assert [r["action"] for r in rows] == ["source.remove", "source.add"]  # newest first
    assert all(r["actor"].startswith("cli:") and r["via"] == "cli" for r in rows)
    assert rows[0]["target"] == rows[1]["target"] == feed.resolve().as_uri()
