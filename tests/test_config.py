from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

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


# -- settings the code reads -----------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "storyline"
_ROOT = "<settings>"  # the merged settings; ("section", name) is one section of them


class SettingsReads(ast.NodeVisitor):
    """Every literal read of the merged settings in a module, as ``(section, key)`` (key None: a
    section read whole). The merged settings are a name or attribute called ``settings`` (a
    parameter, ``self.settings``, ``state(ctx).settings``), what ``load()``/``defaults()``
    return, and names bound to them (``merged = dict(settings or {})``); a name bound to a
    section reads keys later (``ingest = settings["ingest"]; ingest["max_bytes"]``). Reads are
    subscripts and ``.get`` calls with string keys, chained or not, and
    ``shipped("section", "key")``, which gives a dataclass field its shipped default."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, object]] = [{}]
        self.reads: set[tuple[str, str | None]] = set()

    def kind(self, node: ast.AST | None) -> object:
        if node is None:
            return None
        if isinstance(node, ast.Name):
            for scope in reversed(self.scopes):
                if node.id in scope:
                    return scope[node.id]
            return _ROOT if node.id == "settings" else None
        if isinstance(node, ast.Attribute):
            return _ROOT if node.attr == "settings" else None
        if isinstance(node, ast.BoolOp):
            kinds = [self.kind(v) for v in node.values]
            return next((k for k in kinds if k is not None), None)
        if isinstance(node, ast.IfExp):
            return self.kind(node.body) or self.kind(node.orelse)
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in {"load", "config.load", "defaults", "config.defaults"}:
                return _ROOT
            if name == "dict" and node.args:
                return self.kind(node.args[0])
        read = self._read(node)
        if read is not None and read[0] == _ROOT:
            return ("section", read[1])
        return None

    def _read(self, node: ast.AST) -> tuple[object, str] | None:
        """(kind of what is read from, the string key) of ``x["key"]`` and ``x.get("key", …)``."""
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            base, key = node.value, node.slice.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            base, key = node.func.value, node.args[0].value
        else:
            return None
        return (self.kind(base), key) if isinstance(key, str) else None

    def _record(self, node: ast.AST) -> None:
        read = self._read(node)
        if read is None:
            return
        base, key = read
        if base == _ROOT:
            self.reads.add((key, None))
        elif isinstance(base, tuple):
            self.reads.add((base[1], key))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._record(node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self._record(node)
        if ast.unparse(node.func).split(".")[-1] == "shipped":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            section, key = [*args, None, None][:2]
            if len(args) == 2 and isinstance(section, str) and isinstance(key, str):
                self.reads.update({(section, None), (section, key)})
        self.generic_visit(node)

    def _bind(self, targets: list[ast.expr], value: ast.expr | None) -> None:
        if value is not None:
            self.visit(value)
        kind = self.kind(value)
        for target in targets:
            if isinstance(target, ast.Name):
                self.scopes[-1][target.id] = kind
            else:
                self.visit(target)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._bind(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind([node.target], node.value)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append({})
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef


def settings_reads(source: str) -> set[tuple[str, str | None]]:
    visitor = SettingsReads()
    visitor.visit(ast.parse(source))
    return visitor.reads


def code_reads() -> dict[tuple[str, str | None], list[str]]:
    found: dict[tuple[str, str | None], list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for read in settings_reads(path.read_text("utf-8")):
            found.setdefault(read, []).append(str(path.relative_to(SRC)))
    return found


def test_the_reader_of_settings_reads_finds_every_form() -> None:
    source = """
def stage(settings=None):
    nlp = (settings or {}).get("nlp", {})
    mode = nlp.get("sentences", "rules")
    floor = (settings or {}).get("language", {}).get("min_score", 0.3)

def cli(ctx):
    settings = state(ctx).settings["ingest"]
    return settings["max_bytes"], state(ctx).settings["search"]["limit"]

def run(store, settings=None):
    merged = dict(settings if settings is not None else (store.settings or config.load()))
    return merged["store"]["batch_size"], self.settings["store"]["db"]

def unrelated(report, data, settings: dict = {}):
    settings = {"PREFER_DAY_OF_MONTH": "first"}
    return report["kind"]["wrong"], data.get("extras", {}).get("yearless"), settings["X"]

@dataclass
class Tuned:
    threshold: float = field(default_factory=shipped("stories", "threshold"))
"""
    assert settings_reads(source) == {
        ("nlp", None),
        ("nlp", "sentences"),
        ("language", None),
        ("language", "min_score"),
        ("ingest", None),
        ("ingest", "max_bytes"),
        ("search", None),
        ("search", "limit"),
        ("store", None),
        ("store", "batch_size"),
        ("store", "db"),
        ("stories", None),
        ("stories", "threshold"),
    }


def test_every_setting_the_code_reads_is_a_shipped_default() -> None:
    """A setting read but missing from settings.toml cannot be set: `load` refuses it in a config
    file and never maps its environment variable (how `[nlp] sentences` was lost)."""
    shipped = config.defaults()
    reads = code_reads()
    assert ("nlp", "sentences") in reads and ("store", "db") in reads, "the reader finds nothing"
    unknown = {
        f"{section}.{key}" if key else f"[{section}]": where
        for (section, key), where in reads.items()
        if section not in shipped or (key is not None and key not in shipped[section])
    }
    assert not unknown, f"read in src but not in settings.toml: {unknown}"


def test_every_shipped_setting_is_read_by_the_code() -> None:
    reads = code_reads()
    unread = [
        f"{section}.{key}"
        for section, values in config.defaults().items()
        for key in values
        if (section, key) not in reads
    ]
    assert not unread, f"in settings.toml but read nowhere in src: {unread}"


def test_no_module_reads_storyline_variables_past_the_loader() -> None:
    """``STORYLINE_*`` variables reach the code through `config.load` (environment precedence)."""
    names = re.compile(r"STORYLINE_[A-Z0-9_]+")
    env_names = {
        f"STORYLINE_{section}_{key}".upper()
        for section, values in config.defaults().items()
        for key in values
    } | {"STORYLINE_DB"}
    bypass, unknown = [], []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(SRC))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if names.fullmatch(node.value) and node.value not in env_names:
                    unknown.append(f"{where}: {node.value}")
            if isinstance(node, ast.Call | ast.Subscript) and where != "config.py":
                text = ast.unparse(node)
                if re.search(r"(environ|getenv)\b.*['\"]STORYLINE_", text):
                    bypass.append(f"{where}: {text}")
    assert not unknown, f"STORYLINE_ variables that are no setting: {unknown}"
    assert not bypass, f"read from the environment, not through config.load: {bypass}"


# -- [nlp] sentences and [cache] dir reach the stages ----------------------------------------------


def _stage(settings: dict[str, Any], cls: type) -> Any:
    from storyline.nlp.stages import default_stages

    return next(s for s in default_stages(settings) if isinstance(s, cls))


@pytest.mark.parametrize("mode", ["senter", "rules"])
def test_sentences_from_the_config_file_reach_the_entity_stage(tmp_path: Path, mode: str) -> None:
    from storyline.nlp.entities import EntityStage

    user = tmp_path / "s.toml"
    user.write_text(f'[nlp]\nsentences = "{mode}"\n')
    assert _stage(config.load(user, environ={}), EntityStage).sentence_mode == mode
    other = "rules" if mode == "senter" else "senter"
    merged = config.load(user, environ={"STORYLINE_NLP_SENTENCES": other})
    assert _stage(merged, EntityStage).sentence_mode == other


def test_an_unknown_sentence_splitter_is_refused_before_anything_runs(tmp_path: Path) -> None:
    from storyline.nlp.entities import EntityStage

    user = tmp_path / "s.toml"
    user.write_text('[nlp]\nsentences = "spacy"\n')
    with pytest.raises(ConfigError, match=r"'spacy' in nlp.sentences; choose one of rules, senter"):
        _stage(config.load(user, environ={}), EntityStage)


def test_the_cache_folder_follows_file_environment_and_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.cluster import embed
    from storyline.nlp import places_cache
    from storyline.nlp.places import PlaceStage

    monkeypatch.delenv("STORYLINE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # platformdirs follows it
    merged = config.load(environ={})
    assert merged["cache"]["dir"] == ""
    assert config.cache_dir(merged) == tmp_path / "xdg" / "storyline"
    assert config.cache_dir(None) == tmp_path / "xdg" / "storyline"

    user = tmp_path / "s.toml"
    user.write_text(f"[cache]\ndir = '{tmp_path / 'file'}'\n")
    merged = config.load(user, environ={})
    assert _stage(merged, PlaceStage).cache_dir == tmp_path / "file" / "places"
    assert places_cache.cache_dir(merged) == tmp_path / "file" / "places"
    assert embed._cache_dir(merged) == tmp_path / "file" / "wordllama"

    env = {"STORYLINE_CACHE_DIR": str(tmp_path / "env")}
    merged = config.load(user, environ=env)
    assert _stage(merged, PlaceStage).cache_dir == tmp_path / "env" / "places"
    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path / "env2"))  # no settings: load()'s
    assert places_cache.cache_dir() == tmp_path / "env2" / "places"
    assert embed._cache_dir() == tmp_path / "env2" / "wordllama"
    assert config.cache_dir({"cache": {"dir": "~/c"}}) == Path.home() / "c"
