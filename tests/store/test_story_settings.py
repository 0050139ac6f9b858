"""Story and storyline settings come from settings.toml, the environment and the config file."""

from __future__ import annotations

import json
import tomllib
from dataclasses import MISSING, fields
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app
from storyline.cluster.story_clusterer import ClusterSettings
from storyline.cluster.storyline_linker import StorylineSettings
from storyline.store import Store
from storyline.update.story_state import cluster_settings, storyline_settings

SAMPLE = Path(str(resources.files("storyline").joinpath("data", "sample")))


def test_shipped_values_are_the_code_defaults() -> None:
    shipped = tomllib.loads(resources.files("storyline").joinpath("settings.toml").read_text())
    for section, cls in (("stories", ClusterSettings()), ("storylines", StorylineSettings())):
        assert shipped[section], section
        for key, value in shipped[section].items():
            assert getattr(cls, key) == value, f"{section}.{key}"


@pytest.mark.parametrize(
    ("section", "cls"), [("stories", ClusterSettings), ("storylines", StorylineSettings)]
)
def test_settings_toml_is_the_one_place_of_the_defaults(section: str, cls: type) -> None:
    """Each ``[section]`` setting is a field of the dataclass (else `cluster_settings` would drop
    it unread) whose default is read from settings.toml, not written again in the code."""
    shipped = config.defaults()[section]
    by_name = {f.name: f for f in fields(cls)}
    assert shipped, section
    for key, value in shipped.items():
        assert key in by_name, (
            f"[{section}] {key} is no field of {cls.__name__}: it would be ignored"
        )
        field = by_name[key]
        assert field.default is MISSING, (
            f"{cls.__name__}.{key} = {field.default!r} repeats the default of [{section}] {key}; "
            f"use field(default_factory=shipped({section!r}, {key!r}))"
        )
        assert field.default_factory is not MISSING and field.default_factory() == value


def test_a_store_without_settings_uses_the_defaults(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert cluster_settings(store) == ClusterSettings()
        assert storyline_settings(store) == StorylineSettings()


def test_threshold_from_the_environment_changes_the_stories(tmp_path: Path) -> None:
    """A threshold of 1.0 lets no article join another: every sample article is its own story."""
    runner = CliRunner()
    files = [str(p) for p in sorted(SAMPLE.glob("caspian-wire-review_*"))]
    counts = {}
    for threshold in ("0.18", "1.0"):
        db = tmp_path / f"{threshold}.db"
        env = {"STORYLINE_STORIES_THRESHOLD": threshold}
        result = runner.invoke(app, ["--db", str(db), "ingest", *files], env=env)
        assert result.exit_code == 0, result.output
        listed = runner.invoke(app, ["--db", str(db), "stories", "--json", "-n", "100"], env=env)
        counts[threshold] = [s["n_articles"] for s in json.loads(listed.stdout)]
    assert sum(counts["1.0"]) == sum(counts["0.18"]) == len(files)
    assert set(counts["1.0"]) == {1}
    assert len(counts["0.18"]) < len(counts["1.0"])


def test_ingest_embeds_stories_with_the_configured_embedder(tmp_path: Path) -> None:
    """The store gives the clusterer the `[stories] embedder`'s vectors (the same-week boost
    reads their cosine); ``none`` leaves them out and the boost flat."""
    from storyline.cluster.embed import default_embedder
    from storyline.update.story_state import unpack_state

    if default_embedder() is None:
        pytest.skip("the wordllama package is not installed")
    runner = CliRunner()
    files = [str(p) for p in sorted(SAMPLE.glob("caspian-wire-review_*"))]
    held = {}
    for name in ("auto", "none"):
        db = tmp_path / f"{name}.db"
        env = {"STORYLINE_STORIES_EMBEDDER": name}
        result = runner.invoke(app, ["--db", str(db), "ingest", *files], env=env)
        assert result.exit_code == 0, result.output
        with Store(db) as store:
            rows = store.conn.execute("SELECT state FROM cluster_state_stories").fetchall()
            states = [unpack_state(r["state"]) for r in rows]
        assert states
        held[name] = [s.get("embedding") is not None for s in states]
    assert all(held["auto"]) and not any(held["none"])
