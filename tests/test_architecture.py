"""The layers of `src/storyline` as docs/architecture.md draws them, checked on the imports.

Every ``import storyline...`` in every module counts, at module level or inside a function
(a lazy import is still a dependency). A lower layer never imports a higher one, and there are no
import circles between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "storyline"

#: Layer of each top-level module or package, lowest first (docs/architecture.md).
LAYERS = {
    "errors": 0,
    "article": 1,
    "config": 1,
    "names": 1,
    "pipeline": 2,
    "pool": 5,
    "sources": 3,
    "extract": 3,
    "nlp": 3,
    "cluster": 3,
    "store": 4,
    "update": 5,
    "ingest": 6,
    "follow": 7,
    "testing": 7,
    "analysis": 7,
    "evaluate": 7,
    "scale": 7,
    "team": 7,
    "web": 8,
    "cli": 9,
    "__main__": 10,
    "__init__": 10,
}
#: Packages of one layer that must not import each other: the stages and the algorithms work on
#: one `Article` or on plain data, never through another family's internals... except where
#: listed (the NLP stages use the extraction helpers; clustering reads entity labels).
SAME_LAYER_ALLOWED = {("nlp", "extract"), ("cluster", "nlp"), ("extract", "sources")}


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    name = ".".join(rel.parts)
    return name.removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                submodules = {f"{target}.{a.name}" for a in node.names} & set(modules)
                found.update(submodules)
                if len(submodules) < len(node.names):  # names defined in the module itself
                    found.add(target)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_top_level_module_has_a_layer() -> None:
    tops = {part(m) for m in imports()}
    assert tops <= set(LAYERS), (
        f"add these to docs/architecture.md and LAYERS: {tops - set(LAYERS)}"
    )


def test_no_layer_imports_a_higher_one() -> None:
    wrong = []
    for module, targets in sorted(imports().items()):
        for target in sorted(targets):
            a, b = part(module), part(target)
            if a == b:
                continue
            if LAYERS[b] > LAYERS[a] or (
                LAYERS[b] == LAYERS[a] and (a, b) not in SAME_LAYER_ALLOWED
            ):
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_store_imports_no_clustering_or_nlp() -> None:
    graph = imports()
    wrong = [
        f"{m} -> {t}"
        for m, targets in graph.items()
        if part(m) == "store"
        for t in targets
        if part(t) in ("cluster", "nlp", "extract", "update")
    ]
    assert not wrong, wrong


def test_no_import_circles() -> None:
    graph = imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"
