"""`storyline actors` and `storyline actor` through the real CLI, on a store of enriched seeds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.article import Article
from storyline.cli.main import app
from storyline.nlp.actor_keys import ActorStage
from storyline.nlp.entities import EntityStage
from storyline.store import Store
from storyline.testing import write_and_update

runner = CliRunner()


@pytest.fixture
def db(seeds_dir: Path, tmp_path: Path) -> Path:
    articles = []
    for i, path in enumerate(sorted(seeds_dir.glob("*.txt"))):
        text = path.read_text("utf-8")
        a = Article(source=path.name, text=text, raw=text.encode())
        a.id = hashlib.sha256(text.encode()).hexdigest()[:16]
        a.content_hash = a.id
        a.published = f"2021-{8 + i % 2:02d}-1{i}"
        articles.append(a)
    entities, actors = EntityStage(), ActorStage()
    entities.setup()
    entities.process_batch(articles)
    actors.process_batch(articles)
    target = tmp_path / "s.db"
    with Store(target) as store:
        write_and_update(store, [(a.source, a) for a in articles])
    return target


def invoke(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def test_top_actors_json_and_filters(db: Path) -> None:
    result = invoke(db, "actors", "--type", "person", "--country", "IR", "-n", "3", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [
        "ebrahim-raisi",
        "hassan-kazemi-qomi",
        "hossein-amir-abdollahian",
    ]
    assert rows[1] == {
        "id": "hassan-kazemi-qomi",
        "name": "Hassan Kazemi-Qomi",
        "type": "person",
        "country": "IR",
        "mentions": 4,
        "articles": 2,
    }


def test_top_actors_csv(db: Path) -> None:
    result = invoke(db, "actors", "--type", "organisation", "-n", "2", "--csv")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "id,name,type,country,mentions,articles"
    assert result.output.splitlines()[1].startswith("taliban,Taliban,organisation,AF,")


def test_actor_profile_by_any_spelling(db: Path) -> None:
    for spelling in ("Kazmi Qomi", "Hassan Kazemi-Qomi", "hassan-kazemi-qomi"):
        result = invoke(db, "actor", spelling, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["id"] == "hassan-kazemi-qomi"
    profile = json.loads(invoke(db, "actor", "Daesh", "--json").output)
    assert {(a["alias"], a["rule"], a["mentions"]) for a in profile["aliases"]} == {
        ("Daesh", "gazetteer", 2),
        ("Da'ish", "gazetteer", 1),
    }
    # Seeds 001 and 003 are dated 2021-09 here; "Daesh" is in 003's headline and body.
    assert profile["months"] == [{"month": "2021-09", "mentions": 3, "articles": 2}]
    roles = {r["role"] for r in json.loads(invoke(db, "actor", "Qomi", "--json").output)["roles"]}
    assert "Iran’s special envoy to Afghanistan" in roles


def test_actor_month_csv_and_text(db: Path) -> None:
    result = invoke(db, "actor", "Raisi", "--csv")
    assert result.output == "month,mentions,articles\n2021-08,10,2\n"
    text = invoke(db, "actor", "Raisi").output
    assert (
        text.splitlines()[0]
        == "Ebrahim Raisi (person, IR) id ebrahim-raisi: 10 mentions in 2 articles"
    )


def test_merge_split_and_errors(db: Path) -> None:
    result = invoke(db, "actors", "merge", "Iran", "Tehran")
    assert (result.exit_code, result.output) == (0, "merged tehran into country-ir\n")
    result = invoke(db, "actors", "split", "Taliban", "Afghan Taliban")
    assert (result.exit_code, result.output) == (
        0,
        "split 'Afghan Taliban' from taliban into split:afghan-taliban\n",
    )
    log = json.loads(invoke(db, "actors", "corrections", "--json").output)
    assert [(c["action"], c["actor_id"], c["other"]) for c in log] == [
        ("merge", "country-ir", "tehran"),
        ("split", "taliban", "Afghan Taliban"),
    ]
    with Store(db) as store:
        n = store.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    assert invoke(db, "actors", "relink").output == f"relinked {n} mentions\n"
    profile = json.loads(invoke(db, "actor", "split:afghan-taliban", "--json").output)
    assert profile["mentions"] == 3  # "the Afghan Taliban" three times in seed 001
    result = invoke(db, "actor", "Nobody Atall")
    assert result.exit_code == 2
    assert "no actor matches 'Nobody Atall'" in result.output
    result = invoke(db, "actors", "merge", "Iran", "Iran")
    assert result.exit_code == 2
