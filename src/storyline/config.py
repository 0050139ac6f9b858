"""Settings with one explicit precedence: default < config file < environment < command line.

Defaults live in the commented ``settings.toml`` shipped in the package, so the documentation of
every setting sits next to its value.
"""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

ENV_PREFIX = "STORYLINE_"


def defaults() -> dict[str, Any]:
    """The shipped defaults, as nested dicts."""
    text = resources.files("storyline").joinpath("settings.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def _shipped() -> dict[str, Any]:
    return defaults()


def shipped(section: str, key: str) -> Callable[[], Any]:
    """A ``dataclasses.field(default_factory=...)`` giving the shipped ``[section] key``, so a
    settings dataclass takes its defaults from settings.toml instead of repeating the numbers."""
    try:
        value = _shipped()[section][key]
    except KeyError:
        raise ConfigError(
            f"the shipped settings.toml has no [{section}] {key}; add it there with a comment",
            setting=f"{section}.{key}",
        ) from None
    return lambda: copy.deepcopy(value)


def cache_dir(settings: Mapping[str, Any] | None = None) -> Path:
    """The folder for caches that can be rebuilt: ``[cache] dir`` of the merged ``settings``, or
    when that is empty the platform's user cache folder (``platformdirs.user_cache_dir``:
    ``$XDG_CACHE_HOME/storyline``, else ``~/.cache/storyline`` on Linux). Without settings, or
    settings without a ``[cache]`` section, those `load` merges now (``STORYLINE_CACHE_DIR``
    included)."""
    section = (settings or {}).get("cache")
    if section is None:
        section = load()["cache"]
    folder = str(section.get("dir") or "")
    if folder:
        return Path(folder).expanduser()
    import platformdirs  # here: 5 ms to import, and every CLI call loads this module

    return Path(platformdirs.user_cache_dir("storyline", appauthor=False))


def _coerce(value: str, like: Any, name: str) -> Any:
    if isinstance(like, bool):
        if value.lower() in {"1", "true", "yes", "on"}:
            return True
        if value.lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(
            f"{name}={value!r} is not a valid bool (use true/false, yes/no, on/off or 1/0)",
            setting=name,
        )
    try:
        if isinstance(like, int):
            return int(value.replace("_", ""))
        if isinstance(like, float):
            return float(value)
        if isinstance(like, list):
            return [v.strip() for v in value.split(",") if v.strip()]
    except ValueError as exc:
        raise ConfigError(
            f"{name}={value!r} is not a valid {type(like).__name__}", setting=name
        ) from exc
    return value


def load(
    config_file: str | Path | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, a config file, ``STORYLINE_*`` variables and explicit overrides."""
    settings = defaults()
    env = os.environ if environ is None else environ
    path = Path(config_file) if config_file else None
    if path is None and Path("storyline.toml").is_file():
        path = Path("storyline.toml")
    if path is not None:
        try:
            user = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        _merge(settings, user, str(path))
    for section, values in settings.items():
        for key, value in values.items():
            name = f"{ENV_PREFIX}{section.upper()}_{key.upper()}"
            if name in env:
                values[key] = _coerce(env[name], value, name)
    if "STORYLINE_DB" in env:  # the documented short form
        settings["store"]["db"] = env["STORYLINE_DB"]
    for section, values in (overrides or {}).items():
        for key, value in values.items():
            if value is not None:
                settings.setdefault(section, {})[key] = value
    return settings


def _merge(base: dict[str, Any], user: dict[str, Any], where: str) -> None:
    for section, values in user.items():
        if section not in base or not isinstance(values, dict):
            raise ConfigError(f"{where}: unknown section [{section}]; known: {sorted(base)}")
        for key, value in values.items():
            if key not in base[section]:
                known = sorted(base[section])
                raise ConfigError(f"{where}: unknown setting {section}.{key}; known: {known}")
            base[section][key] = _typed(value, base[section][key], f"{where}: {section}.{key}")


def _typed(value: Any, like: Any, name: str) -> Any:
    """``value`` if it has the default's type (an integer where a number is expected becomes a
    float); otherwise a ConfigError naming the setting, before anything reads it."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(like, bool):
        ok = isinstance(value, bool)
    elif isinstance(like, float):
        ok = number
    elif isinstance(like, int):
        ok = number and isinstance(value, int)
    else:
        ok = isinstance(value, type(like))
    if not ok:
        raise ConfigError(f"{name} = {value!r} is not a valid {type(like).__name__}")
    return float(value) if isinstance(like, float) else copy.deepcopy(value)
