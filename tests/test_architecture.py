"""The package's import graph: data flows one way, and no module imports itself
back through another.

The graph is read from the source (every ``import`` and ``from … import``, also
inside functions, but not those under ``if TYPE_CHECKING:``), so a late import that
hides a cycle from Python at run time is still seen here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "referat_nlp"

# the stages in data-flow order: a module may import its own rank or lower ones
RANKS: dict[str, int] = {
    "referat_nlp.errors": 0,
    "referat_nlp.document": 1,
    "referat_nlp.schema": 2,
    "referat_nlp.vocabulary": 2,
    "referat_nlp.readers": 2,
    "referat_nlp.structure": 3,
    "referat_nlp.decisions": 4,
    "referat_nlp.extract": 5,
    "referat_nlp.components": 6,
    "referat_nlp.export": 6,
    "referat_nlp.pipeline": 6,
    "referat_nlp.evaluation": 7,
    "referat_nlp.decisions.training": 8,  # fits the model on parsed gold documents
    "referat_nlp.search": 7,
    "referat_nlp.archive": 7,
    "referat_nlp.analysis": 8,
    "referat_nlp.cli": 9,
    "referat_nlp.__main__": 10,
    "referat_nlp": 10,  # the package namespace names the public API lazily
}
# the search side is built from the JSON contract, never from parser internals
SEARCH_MAY_IMPORT = ("referat_nlp.document", "referat_nlp.errors", "referat_nlp.search")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    found, todo = [], [tree]
    while todo:
        node = todo.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                todo.extend(child.orelse)
            else:
                todo.append(child)
    return found


def imports(module: str) -> set[str]:
    """The project modules ``module`` imports at run time."""
    found: set[str] = set()
    for node in _run_time_nodes(ast.parse(MODULES[module].read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in MODULES else node.module)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports(module) for module in MODULES}


def rank(module: str) -> int:
    """The rank of the longest prefix of ``module`` in RANKS."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:end])) in RANKS:
            return RANKS[prefix]
    raise AssertionError(f"{module} has no rank: add its package to RANKS")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            component.append(node)
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    """A reader that saw no imports would pass every check below."""
    assert "referat_nlp.structure.layout" in GRAPH["referat_nlp.pipeline"]
    assert "referat_nlp.search.postgres" in GRAPH["referat_nlp.search.index"]


def test_cycles_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_data_flow(module: str) -> None:
    later = {m for m in GRAPH[module] if rank(m) > rank(module)}
    assert not later, f"{module} imports later stages {sorted(later)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if ".search" in m))
def test_search_side_reads_only_the_json_contract(module: str) -> None:
    strays = {m for m in GRAPH[module] if not m.startswith(SEARCH_MAY_IMPORT)}
    assert not strays, f"{module} imports {sorted(strays)}"


def test_the_top_level_stays_small() -> None:
    """Besides the subpackages, the top level holds the core only."""
    top = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert len(top) <= 10, top
