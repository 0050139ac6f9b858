"""The exception tree of `storyline.errors` holds across the library.

Every error the library raises on purpose is a coded `StorylineError` subclass, each class has its
own code in the hundred the drawing gives it, the drawing lists exactly the classes there are, and
the code is printed once. The raise check reads the source with `ast` rather than importing it, so
it covers modules whose optional dependencies (spaCy models, wordllama) are not installed, and its
failure lists every offending ``file:line`` so the owner of that file can fix it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest

import storyline.errors as errors_module
from storyline import errors
from storyline.errors import PipelineError, StorylineError
from storyline.pipeline import Pipeline, Stage

SRC = Path(errors_module.__file__).resolve().parent
ERRORS_MODULE = "storyline.errors"
CLI_FOLDER = SRC / "cli"
#: Raising these is how a command sets its exit status; only the CLI layer may do it.
CLI_EXITS = {("typer", "Exit"), ("builtins", "SystemExit"), ("builtins", "KeyboardInterrupt")}
#: Control-flow signals that never cross the library's boundary: the stage time budget's timer
#: interrupts a stage with a BaseException (so a stage's own ``except Exception`` cannot swallow
#: it), and the pipeline turns it into that article's recorded failure.
INTERNAL_SIGNALS = {("storyline.pipeline", "StageTimeout")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass
class Module:
    """One source file: its tree, the names its imports bind, and the classes it defines."""

    path: Path
    name: str
    tree: ast.Module
    #: local name -> (module, attribute) for ``from m import a as local``; (module, "") for
    #: ``import m as local``
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)


def load_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = Module(path, name, tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    source = ".".join([*base, source] if source else base)
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = (source, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.imports[alias.asname] = (alias.name, "")
                    else:
                        top = alias.name.split(".")[0]
                        module.imports[top] = (top, "")
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                module.classes[node.name] = node
            elif isinstance(node, ast.FunctionDef):
                module.functions[node.name] = node
        modules[name] = module
    return modules


MODULES = load_modules()


def resolve(module: Module, expr: ast.expr) -> tuple[str, str] | None:
    """The (module, name) a name or dotted attribute in ``module`` refers to, or None."""
    if isinstance(expr, ast.Name):
        if expr.id in module.imports:
            source, attribute = module.imports[expr.id]
            return (source, attribute) if attribute else (source, "")
        if expr.id in module.classes or expr.id in module.functions:
            return (module.name, expr.id)
        return ("builtins", expr.id)
    if isinstance(expr, ast.Attribute):
        owner = resolve(module, expr.value)
        if owner is None:
            return None
        source, attribute = owner
        dotted = f"{source}.{attribute}" if attribute else source
        if dotted in MODULES or not attribute:
            return (dotted, expr.attr)
        return None
    return None


def follow(target: tuple[str, str]) -> tuple[str, str]:
    """Chase re-exports (``from storyline.errors import X`` in a package ``__init__``)."""
    seen: set[tuple[str, str]] = set()
    while target[0] in MODULES and target not in seen:
        seen.add(target)
        module = MODULES[target[0]]
        if target[1] in module.classes or target[1] in module.functions:
            return target
        if target[1] in module.imports:
            target = module.imports[target[1]]
            continue
        break
    return target


def tree_classes() -> set[tuple[str, str]]:
    """Every class in ``src/storyline`` that is `StorylineError` or (transitively) under it."""
    found = {(ERRORS_MODULE, "StorylineError")}
    changed = True
    while changed:
        changed = False
        for module in MODULES.values():
            for name, node in module.classes.items():
                if (module.name, name) in found:
                    continue
                for base in node.bases:
                    target = resolve(module, base)
                    if target is not None and follow(target) in found:
                        found.add((module.name, name))
                        changed = True
                        break
    return found


TREE = tree_classes()


def is_tree(module: Module, expr: ast.expr) -> bool:
    target = resolve(module, expr)
    return target is not None and follow(target) in TREE


def returns_tree(module: Module, func: ast.expr) -> bool:
    """Whether ``func`` is a library function annotated to return a tree error."""
    target = resolve(module, func)
    if target is None:
        return False
    source, name = follow(target)
    owner = MODULES.get(source)
    if owner is None or name not in owner.functions:
        return False
    returns = owner.functions[name].returns
    if returns is None:
        return False
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        returns = ast.parse(returns.value, mode="eval").body
    return is_tree(owner, returns)


def handler_bindings(tree: ast.Module) -> dict[int, dict[str, list[ast.expr]]]:
    """For each ``raise`` (by id), the names bound by the ``except T as name`` around it."""
    bound: dict[int, dict[str, list[ast.expr]]] = {}

    def visit(node: ast.AST, names: dict[str, list[ast.expr]]) -> None:
        if isinstance(node, ast.ExceptHandler) and node.name and node.type is not None:
            caught = list(node.type.elts) if isinstance(node.type, ast.Tuple) else [node.type]
            names = {**names, node.name: caught}
        if isinstance(node, ast.Raise):
            bound[id(node)] = names
        for child in ast.iter_child_nodes(node):
            visit(child, names)

    visit(tree, {})
    return bound


def abstract_stubs(tree: ast.Module) -> set[int]:
    """``raise NotImplementedError`` that is the whole body of a method (after its docstring)."""
    stubs: set[int] = set()
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        for method in cls.body:
            if not isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            body = method.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if len(body) == 1 and isinstance(body[0], ast.Raise):
                stubs.add(id(body[0]))
    return stubs


@dataclass
class RaiseSite:
    """One ``raise`` with what is needed to judge it."""

    module: Module
    node: ast.Raise
    #: names bound by the enclosing ``except T as name`` handlers
    caught: dict[str, list[ast.expr]]
    is_stub: bool

    @property
    def where(self) -> str:
        return f"{self.module.path.relative_to(SRC.parent.parent)}:{self.node.lineno}"

    def caught_as_tree(self, name: str) -> bool:
        return name in self.caught and all(is_tree(self.module, c) for c in self.caught[name])


def raise_sites() -> Iterator[RaiseSite]:
    for module in MODULES.values():
        bindings = handler_bindings(module.tree)
        stubs = abstract_stubs(module.tree)
        nodes = [n for n in ast.walk(module.tree) if isinstance(n, ast.Raise)]
        for node in sorted(nodes, key=lambda n: n.lineno):
            yield RaiseSite(module, node, bindings[id(node)], id(node) in stubs)


def offence(site: RaiseSite) -> str | None:
    """Why a raise is outside the tree (``None`` when it is fine)."""
    exc = site.node.exc
    if exc is None:
        return None  # a bare `raise` re-raises what the handler caught
    target = exc.func if isinstance(exc, ast.Call) else exc
    if is_tree(site.module, target):
        return None
    if isinstance(target, ast.Name) and site.caught_as_tree(target.id):
        return None  # `raise exc` of an error caught as a tree class
    if (  # `raise type(exc)(...)`, exc caught as a tree class
        isinstance(target, ast.Call)
        and isinstance(target.func, ast.Name)
        and target.func.id == "type"
        and len(target.args) == 1
        and isinstance(target.args[0], ast.Name)
        and site.caught_as_tree(target.args[0].id)
    ):
        return None
    if isinstance(exc, ast.Call) and returns_tree(site.module, target):
        return None  # `raise store_error(...)`: a factory annotated to return a tree class
    resolved = resolve(site.module, target)
    resolved = follow(resolved) if resolved is not None else None
    if resolved == ("builtins", "NotImplementedError") and site.is_stub:
        return None  # the body of an abstract method
    if resolved in CLI_EXITS and CLI_FOLDER in site.module.path.parents:
        return None
    if resolved in INTERNAL_SIGNALS:
        return None
    if resolved == ("builtins", "KeyboardInterrupt") and site.node.cause is not None:
        return None  # the user's Ctrl-C passed on, found as the cause of what it cut short
    shown = ".".join(p for p in resolved if p and p != "builtins") if resolved else None
    return f"{site.where} raises {shown or ast.unparse(target)}"


def test_library_raises_only_tree_errors() -> None:
    offending = [o for o in map(offence, raise_sites()) if o is not None]
    assert not offending, (
        "raise a coded storyline.errors class (pass code= for a precise one) instead of:\n"
        + "\n".join(offending)
    )


def test_the_scan_sees_what_it_must_refuse(tmp_path: Path) -> None:
    """The raise check itself: it refuses foreign classes and accepts the tree's forms."""
    source = '''
from storyline.errors import NotFound as Missing, StoreError
import typer

class Base:
    def stub(self):
        """Subclasses do this."""
        raise NotImplementedError

def f(x):
    try:
        pass
    except StoreError as exc:
        raise type(exc)(exc.message) from exc
    except KeyError as exc:
        raise exc
    if x:
        raise Missing("a", "no a")
    if x > 1:
        raise NotImplementedError("not a stub: there is code before it")
    raise ValueError(x)
'''
    path = SRC / "_scan_probe.py"
    module = Module(path, "storyline._scan_probe", ast.parse(source))
    module.imports = {
        "Missing": (ERRORS_MODULE, "NotFound"),
        "StoreError": (ERRORS_MODULE, "StoreError"),
        "typer": ("typer", ""),
    }
    module.classes = {n.name: n for n in module.tree.body if isinstance(n, ast.ClassDef)}
    bindings = handler_bindings(module.tree)
    stubs = abstract_stubs(module.tree)
    nodes = sorted(
        (n for n in ast.walk(module.tree) if isinstance(n, ast.Raise)), key=lambda n: n.lineno
    )
    found = [offence(RaiseSite(module, n, bindings[id(n)], id(n) in stubs)) for n in nodes]
    assert [f.split(" raises ")[1] if f else None for f in found] == [
        None,  # abstract stub
        None,  # raise type(exc)(...) of a StoreError
        "exc",  # a KeyError re-raised by name
        None,  # NotFound imported under another name
        "NotImplementedError",
        "ValueError",
    ]


# -- (b) the classes, their codes and the drawing ----------------------------------------------


def defined_classes() -> list[type[StorylineError]]:
    return [
        value
        for value in vars(errors).values()
        if isinstance(value, type)
        and issubclass(value, StorylineError)
        and value.__module__ == ERRORS_MODULE
    ]


def test_each_class_has_its_own_code_in_its_hundred() -> None:
    classes = defined_classes()
    codes = [cls.code for cls in classes]
    assert len(set(codes)) == len(codes), f"a code is shared: {sorted(codes)}"
    for cls in classes:
        assert re.fullmatch(r"E\d{3}", cls.code), f"{cls.__name__}.code {cls.code!r}"
        if cls is StorylineError:
            continue
        parent = cast(type[StorylineError], cls.__bases__[0])
        if parent is StorylineError:  # a branch: its own hundred, default code at X00
            assert cls.code.endswith("00"), f"{cls.__name__} {cls.code} should be the hundred's X00"
        else:  # a leaf: inside its branch's hundred
            assert cls.code[:2] == parent.code[:2], f"{cls.__name__} {cls.code} vs {parent.code}"
    branches = [c.code[:2] for c in classes if c.__bases__[0] is StorylineError]
    assert len(set(branches)) == len(branches)


DRAWING_LINE = re.compile(r"^(?P<indent>[ │├└─]*?)(?P<name>[A-Z]\w+)\s+(?P<code>E\d{3})\s")


def drawing() -> list[tuple[int, str, str]]:
    """(depth, class name, code) for each line of the tree drawn in the module docstring."""
    assert errors.__doc__
    rows = []
    for line in errors.__doc__.splitlines():
        match = DRAWING_LINE.match(line)
        if match:
            rows.append((len(match["indent"]), match["name"], match["code"]))
    return rows


def test_the_drawing_lists_exactly_the_classes_with_their_codes_and_parents() -> None:
    rows = drawing()
    classes = {cls.__name__: cls for cls in defined_classes()}
    assert sorted(name for _, name, _ in rows) == sorted(classes)
    parents: list[tuple[int, str]] = []  # (column, name) of the open branches
    for column, name, code in rows:
        cls = classes[name]
        assert cls.code == code, f"{name}: drawn {code}, defined {cls.code}"
        while parents and parents[-1][0] >= column:
            parents.pop()
        if parents:
            assert cls.__bases__[0].__name__ == parents[-1][1], (
                f"{name} is drawn under the wrong class"
            )
        else:
            assert cls is StorylineError
        parents.append((column, name))


def test_no_tree_class_is_defined_outside_errors_py() -> None:
    """One tree: a more precise error is a ``code=`` on a drawn class, not a new class."""
    outside = []
    for module_name, name in sorted(TREE):
        if module_name != ERRORS_MODULE:
            module = MODULES[module_name]
            line = module.classes[name].lineno
            where = f"{module.path.relative_to(SRC.parent.parent)}:{line}"
            outside.append(f"{where} defines {name} (code {class_code((module_name, name))})")
    assert not outside, (
        "raise a class drawn in storyline/errors.py with code= instead of:\n" + "\n".join(outside)
    )


def class_code(target: tuple[str, str]) -> str | None:
    """The default code a tree class declares or inherits, read from the source."""
    module = MODULES[target[0]]
    node = module.classes[target[1]]
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "code" for t in statement.targets)
            and isinstance(statement.value, ast.Constant)
        ):
            return str(statement.value.value)
    for base in node.bases:
        resolved = resolve(module, base)
        if resolved is not None and follow(resolved) in TREE:
            return class_code(follow(resolved))
    return None


def tree_call(site: RaiseSite) -> tuple[ast.Call, tuple[str, str]] | None:
    exc = site.node.exc
    if not isinstance(exc, ast.Call):
        return None
    resolved = resolve(site.module, exc.func)
    if resolved is None or follow(resolved) not in TREE:
        return None
    return exc, follow(resolved)


def test_precise_codes_stay_in_their_class_hundred() -> None:
    defaults = {class_code(c): c[1] for c in TREE}
    wrong = []
    for site in raise_sites():
        found = tree_call(site)
        if found is None:
            continue
        call, cls = found
        for keyword in call.keywords:
            if keyword.arg != "code" or not isinstance(keyword.value, ast.Constant):
                continue
            code, default = str(keyword.value.value), class_code(cls) or "E?"
            if not re.fullmatch(r"E\d{3}", code) or code[:2] != default[:2]:
                wrong.append(f"{site.where}: {cls[1]} (E{default[1:2]}xx) given code {code}")
            elif code in defaults and defaults[code] != cls[1]:
                wrong.append(f"{site.where}: {cls[1]} given {code}, the code of {defaults[code]}")
    assert not wrong, "\n".join(wrong)


CODE_IN_TEXT = re.compile(r"\bE\d{3}\b")


def test_messages_carry_no_code_of_their_own() -> None:
    """``str(exc)`` prints the code; a message that holds one (written out, or a caught tree
    error formatted whole instead of its ``.message``) prints a second."""
    doubled = []
    for site in raise_sites():
        found = tree_call(site)
        if found is None:
            continue
        call, cls = found
        parts = [*call.args, *(k.value for k in call.keywords if k.arg != "code")]
        for part in parts:
            for node in ast.walk(part):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if CODE_IN_TEXT.search(node.value):
                        doubled.append(f"{site.where}: {cls[1]} message spells a code out")
                elif isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name):
                    if site.caught_as_tree(node.value.id):
                        doubled.append(
                            f"{site.where}: {cls[1]} message formats {{{node.value.id}}}, code "
                            f"and all; use {{{node.value.id}.message}}"
                        )
    assert not doubled, "pass code= and keep codes out of messages:\n" + "\n".join(doubled)


# -- (c) the code is printed once ---------------------------------------------------------------


class Source(Stage):
    name = "source"
    adds = ("count",)


class Reader(Stage):
    name = "reader"
    reads = ("count",)


class Nameless(Stage):
    pass


@pytest.mark.parametrize(
    ("stages", "code", "words"),
    [
        ([Reader(), Source()], "E303", "stage 'reader' reads ['count'] but no earlier stage"),
        ([Source(), Source()], "E302", "stage 'source' appears twice"),
        ([Nameless()], "E301", "stage Nameless has no name"),
    ],
)
def test_check_order_prints_its_precise_code_once(
    stages: list[Stage], code: str, words: str
) -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline(stages)
    text = str(info.value)
    assert info.value.code == code
    assert text.startswith(f"{code} {words}")
    assert CODE_IN_TEXT.findall(text) == [code]
    assert info.value.message == text[len(code) + 1 :]


def test_every_class_prints_its_code_once() -> None:
    made: list[StorylineError] = [
        errors.StorylineError("something"),
        errors.InputError("feed.txt", "not valid JSON"),
        errors.TooLarge("feed.txt", 10),
        errors.Skip("empty document"),
        errors.PipelineError("stopped"),
        errors.StoreError("locked"),
        errors.NotFound("x", "no article 'x'"),
        errors.StoreFull("disk full"),
        errors.SearchFallback("a phrase"),
        errors.ConfigError("bad value", setting="store.db"),
        errors.UpdateError("find_copies", "stopped"),
        errors.EvaluationError("no labels"),
        errors.QueryError("cannot search for 'AND'"),
        errors.WebError("Host 'evil.example' is not served here", code="E901"),
    ]
    assert {type(e) for e in made} == set(defined_classes())
    for exc in made:
        assert CODE_IN_TEXT.findall(str(exc)) == [exc.code]
        assert str(exc) == f"{exc.code} {exc.message}"


def test_the_cli_prints_a_library_error_as_one_line_with_one_code(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.main import app

    runner = CliRunner()
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["--db", db, "update"])  # read commands never create a store
    result = runner.invoke(app, ["--db", db, "copies", "nope"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: E404 no article with id or unique id prefix 'nope' (see `storyline list`)\n"
    )
    for args in (["show", "nope"], ["story", "nope"], ["quotes", "--json", "--csv"]):
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: E"), result.stderr
        assert len(CODE_IN_TEXT.findall(lines[0])) == 1, lines[0]
