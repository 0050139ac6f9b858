from __future__ import annotations

from pathlib import Path

import pytest

from storyline import config
from storyline.errors import ConfigError


def test_precedence_default_file_env_cli(tmp_path: Path) -> None:
    assert config.load(environ={})["store"]["batch_size"] == 64
    user = tmp_path / "s.toml"
    user.write_text("[store]\nbatch_size = 10\ndb = 'file.db'\n")
    assert config.load(user, environ={})["store"]["batch_size"] == 10
    env = {"STORYLINE_STORE_BATCH_SIZE": "20", "STORYLINE_DB": "env.db"}
    merged = config.load(user, environ=env)
    assert merged["store"]["batch_size"] == 20 and merged["store"]["db"] == "env.db"
    merged = config.load(user, {"store": {"batch_size": 30, "db": None}}, environ=env)
    assert merged["store"]["batch_size"] == 30 and merged["store"]["db"] == "env.db"


def test_unknown_settings_are_named(tmp_path: Path) -> None:
    user = tmp_path / "s.toml"
    user.write_text("[store]\nbach_size = 10\n")
    with pytest.raises(ConfigError, match=r"unknown setting store.bach_size; known: \["):
        config.load(user, environ={})


def test_bad_environment_value_is_named() -> None:
    with pytest.raises(ConfigError, match="STORYLINE_INGEST_MAX_BYTES='lots'"):
        config.load(environ={"STORYLINE_INGEST_MAX_BYTES": "lots"})


def test_every_setting_is_documented_in_the_defaults_file() -> None:
    from importlib import resources

    text = resources.files("storyline").joinpath("settings.toml").read_text()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[i - 1].startswith("#"), f"setting without a comment: {line}"


def test_a_value_of_the_wrong_type_in_the_file_is_named(tmp_path: Path) -> None:
    user = tmp_path / "s.toml"
    user.write_text('[stories]\nthreshold = "high"\n')
    with pytest.raises(ConfigError, match=r"stories.threshold = 'high' is not a valid float"):
        config.load(user, environ={})
    user.write_text("[stories]\nthreshold = 1\n[store]\nbatch_size = 8\n")
    merged = config.load(user, environ={})
    assert merged["stories"]["threshold"] == 1.0 and isinstance(
        merged["stories"]["threshold"], float
    )
    user.write_text("[store]\nbatch_size = 8.5\n")
    with pytest.raises(ConfigError, match=r"store\.batch_size = 8\.5 is not a valid int"):
        config.load(user, environ={})
