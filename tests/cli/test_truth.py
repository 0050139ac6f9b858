"""What the CLI says must be true (issue 9): copies are not overclaimed, mistyped stores are
refused, bad values are usage errors, tables read at 80 columns, untitled articles get a title
from their lead. Exact-output tests on the seeds (skipped without ../shared) and small inputs."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.article import Article
from storyline.cli.main import app, hoist_global_options
from storyline.extract.lead_title import LeadTitleStage, lead_title

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
runner = CliRunner()
NARROW = {"COLUMNS": "80"}
GOOD = (
    "Border crossing reopens\n\nTORKHAM -- Traders queued from dawn as the crossing "
    "reopened after four days of talks between customs officials.\n"
)


def cli(*args: str, code: int = 0, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args), env=env or NARROW)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live outside the repository)")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    cli("ingest", str(SEEDS), "--db", str(db))  # --db after the command
    return db


# -- item 4: copies ------------------------------------------------------------------------------


def test_shared_background_is_partial_reuse_and_two_sources(seeds_db: Path) -> None:
    shown = cli("--db", str(seeds_db), "copies", "c4a21f").stdout.splitlines()
    assert shown[:4] == [
        "Iranian President Ebrahim Raisi called on Thursday for cooperation between Iran "
        "and Pakistan c4a21f2738",
        "1 article shares text with this one: 1 partial reuse of some paragraphs; the 2 "
        "articles are 2 independent sources (partial reuse does not merge sources)",
        "",
        "partial reuse — this article reuses 2 paragraphs of ud550fa328 (13% of the longer "
        "one); a separate source",
    ]
    assert "  shared: 2 paragraphs, 13% of the longer article" in shown
    report = json.loads(cli("--db", str(seeds_db), "copies", "c4a21f", "--json").stdout)
    assert (report["independent_sources"], report["copies_of_reporting"]) == (2, 0)
    assert report["partial_reuse"] == 1 and report["links"][0]["kind"] == "partial"
    stories = json.loads(cli("--db", str(seeds_db), "stories", "--json").stdout)
    assert all(s["n_sources"] == s["n_articles"] for s in stories)


# -- item 5: opening stores ----------------------------------------------------------------------


def test_read_commands_refuse_what_is_not_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "zero.db").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a database\n")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    cases = {
        "typo.db": "E401 no store at typo.db: check --db (or $STORYLINE_DB); `storyline ingest "
        "PATH` creates one",
        "folder": "E402 cannot open store folder: it is a folder; give a store file (--db FILE)",
        "zero.db": "E403 cannot open store zero.db: it is an empty file, not a storyline store; "
        "delete it or give another --db",
        "notes.txt": "E403 cannot open store notes.txt: not a SQLite database file; give a "
        "storyline store (--db FILE)",
        "other.db": "E403 cannot open store other.db: a SQLite database of another application "
        "(tables notes; no schema_migrations); storyline never writes into it: give another --db",
    }
    for db, message in cases.items():
        for command in (["list"], ["show", "c4"], ["search", "x"], ["stats"], ["story", "st_x"]):
            result = cli("--db", db, *command, code=2)
            assert result.stderr == f"error: {message}\n", (db, command)
    assert cli("--db", "typo.db", "serve", code=2).stderr == f"error: {cases['typo.db']}\n"
    assert not (tmp_path / "typo.db").exists()
    for db in ("zero.db", "other.db"):  # writing commands refuse them too
        assert cli("--db", db, "ingest", "notes.txt", code=2).stderr.startswith("error: E403")
    assert other.read_bytes() == before and not Path("other.db-wal").exists()
    assert (tmp_path / "zero.db").read_bytes() == b""


def test_newer_schema_refused_and_read_only_store_serves_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(GOOD)
    cli("ingest", "a.txt", "--db", "s.db")
    listed = cli("--db", "s.db", "list", "--json").stdout
    for suffix in ("-wal", "-shm"):
        Path("s.db" + suffix).unlink(missing_ok=True)
    Path("s.db").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = Path("s.db").read_bytes()
    assert cli("--db", "s.db", "list", "--json").stdout == listed
    assert cli("stats", "--db", "s.db").stdout.startswith("1 article, 1 undated")
    assert Path("s.db").read_bytes() == before
    result = cli("--db", "s.db", "ingest", "a.txt", code=2)
    assert result.stderr == (
        "error: E406 cannot write to store s.db: the file is read-only; this command writes "
        "(list, show, search and the other read commands still work)\n"
    )
    Path("s.db").chmod(0o644)
    conn = sqlite3.connect("s.db")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', 'now')")
    conn.commit()
    conn.close()
    result = cli("--db", "s.db", "list", code=2)
    assert result.stderr.startswith(
        "error: E405 cannot open store s.db: written by a newer storyline (schema v999; this "
        "version knows up to v"
    )


def test_global_options_after_the_command() -> None:
    assert hoist_global_options(["ingest", "x", "--db", "s.db"]) == ["--db", "s.db", "ingest", "x"]
    assert hoist_global_options(["--db", "a", "list", "--db=b", "-n", "3"]) == [
        "--db", "a", "--db=b", "list", "-n", "3",
    ]  # fmt: skip
    assert hoist_global_options(["search", "--", "--db"]) == ["search", "--", "--db"]


# -- item 6: nothing to ingest, bad values -------------------------------------------------------


def test_ingest_of_nothing_says_so_and_makes_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    result = cli("--db", "s.db", "ingest", "empty")
    assert result.stdout == (
        "nothing to ingest: no files to read in empty (see --include, --exclude and "
        "ingest.exclude)\n"
    )
    result = cli("--db", "s.db", "ingest", "nope.txt", code=1)
    assert result.stdout == (
        "read 1, stored 0, updated 0, unchanged 0, skipped 0, failed 1\nfailed:\n"
        "  nope.txt: no such file\n"
    )
    assert not Path("s.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--since", "2021-13-45"], "error: E803 --since: '2021-13-45' is not a day"),
        (["search", "x", "--until", "2021-1-1"], "error: E803 --until: '2021-1-1' is not a day"),
        (["stories", "--since", "yesterday"], "error: E803 --since: 'yesterday' is not a day"),
        (["list", "-n", "0"], "'--limit'"),
        (["events", "-n", "-1"], "'--limit'"),
        (["ingest", "x", "--max-bytes", "0"], "'--max-bytes'"),
    ],
)
def test_bad_values_are_usage_errors_naming_the_option(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = cli("--db", str(tmp_path / "s.db"), *args, code=2)
    assert message in result.stderr
    assert not (tmp_path / "s.db").exists()


# -- item 8: 80 columns, plurals, help -----------------------------------------------------------


def test_storylines_and_events_stack_at_80_columns(seeds_db: Path) -> None:
    lines = cli("--db", str(seeds_db), "storylines").stdout.splitlines()
    assert (
        lines[0]
        == "sl_c182ca8a82ed0579  2021-08-18 → 2021-08-27 +2 ≥ 2021-08-01  5 stories, 5 articles"
    )
    shown = cli("--db", str(seeds_db), "events", "-n", "1").stdout.splitlines()
    assert shown[0].startswith("~2021-08-27  CONSULT  Shah Mahmood Qureshi → Hossein Amir-")
    assert shown[1].startswith("  His remarks were made during a meeting")
    wide = cli("--db", str(seeds_db), "stories", env={"COLUMNS": "160"}).stdout
    assert "│ st_c4a21f27381ba8b1 │ 2021-08-27   │        1 │       1 │" in wide


def test_stats_say_one_article_and_agency(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    db = str(tmp_path / "s.db")
    cli("--db", db, "ingest", str(tmp_path / "a.txt"))
    shown = cli("--db", db, "stats").stdout
    assert shown.startswith("1 article, 1 undated (0 with a lower bound), 0 failed inputs, ")
    assert "agencie " not in shown


def test_every_option_has_help_and_readable_values() -> None:
    import click
    from typer.main import get_command

    def walk(command: click.Command, path: str) -> None:
        for param in command.params:
            if isinstance(param, click.Option) or param.param_type_name == "option":
                assert getattr(param, "help", None), f"{path} {param.opts} has no help"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(get_command(app), "storyline")
    for command in (["stats"], ["list"], ["ingest"], ["events"]):
        text = cli(*command, "--help").stdout
        assert "<bool>" not in text and "<str>" not in text and "<int" not in text


# -- item 9: a title from the lead ---------------------------------------------------------------


def test_untitled_seed_gets_a_derived_title_from_its_lead(seeds_db: Path) -> None:
    rows = json.loads(cli("--db", str(seeds_db), "list", "--json").stdout)
    titles = {r["id"]: r["title"] for r in rows}
    assert titles["c4a21f27381ba8b1"] == (
        "Iranian President Ebrahim Raisi called on Thursday for cooperation between Iran and "
        "Pakistan"
    )
    assert titles["ud550fa3280588c6"] == (
        "Iran Says Ready to Work With Russia, China on Afghanistan 'Peace'"
    )  # a real title is kept
    article = json.loads(cli("--db", str(seeds_db), "show", "c4a21f", "--json").stdout)
    assert article["provenance"]["title"] == "lead"
    shown = cli("--db", str(seeds_db), "show", "c4a21f").stdout.splitlines()
    assert shown[1] == "(title derived from the lead: the text has no headline)"


def test_lead_title_rules() -> None:
    assert lead_title(["KABUL, Aug 27 (AFP) -- The U.S. embassy said it would close. More."]) == (
        "The U.S. embassy said it would close"
    )
    assert lead_title(["one two three four five six seven eight nine ten eleven twelve "
                       "thirteen fourteen fifteen"]) == (
        "one two three four five six seven eight nine ten eleven twelve…"
    )  # fmt: skip
    assert lead_title(["", "   "]) is None
    kept = Article(source="x", title="A real headline", paragraphs=["Some lead text here."])
    LeadTitleStage().process(kept)
    assert kept.title == "A real headline" and "title" not in kept.provenance


def test_the_store_and_its_files_are_never_read_as_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(GOOD)
    cli("ingest", "a.txt", "--db", "s.db")
    conn = sqlite3.connect("s.db")  # keeps the WAL beside the store while the ingest runs
    conn.execute("SELECT 1").fetchall()
    Path("link.db").symlink_to("s.db")  # another name for the same file
    Path("s.db.copy-index.npz").write_text(GOOD)  # the copy index saved beside a large store
    result = cli("--db", "s.db", "ingest", ".", "--include", "*", "--json", code=1)
    report = json.loads(result.stdout)
    failed = {f["source"]: f["reason"] for f in report["failures"]}
    for name in ("s.db", "s.db-wal", "s.db-shm", "link.db", "s.db.copy-index.npz"):
        assert failed.get(name, "").endswith("never read"), (name, failed)
    assert report["stored"] == 0 and report["unchanged"] == 1
    conn.close()
