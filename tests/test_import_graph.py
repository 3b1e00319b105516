"""The modules of kg/ and api/ import one another without a circle, and kg never imports
api (the one-way flow: sources -> kg -> build/ -> api). Every import that runs counts,
at the top or inside a function (a circle put off until a call is still one). In api/,
those for type checkers only (`if TYPE_CHECKING:`) count as well: api.service and api.ui
were a circle that way. (kg.extract.draft and kg.extract.patterns still are one, by a
typing-only import of the extractor's.)"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kg", "api")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path], typing: bool = False) -> set[str]:
    """The project modules `name` imports (a name imported from a package that is a
    module of it counts as that module). A module's own packages do not count: Python
    imports them before it, whatever it imports. `typing`: those for type checkers too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = set() if typing else {
        id(n) for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in block.body for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        out |= {t for t in targets if t in known and t != name and not name.startswith(t + ".")}
    return out


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports, if there is one (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def graph(typing: bool = False) -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known, typing) for name, path in known.items()}


def test_the_graph_is_read_whole():
    g = graph()
    assert len(g) >= 60 and sum(map(len, g.values())) >= 100
    assert "api.service" in g["api.sparql"] and "kg.formats" in g["api.formats"]


def test_the_finder_finds_a_circle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle():
    assert cycle(graph()) is None, " -> ".join(cycle(graph()) or [])


def test_no_import_circle_in_api_not_even_for_type_checkers():
    api = {name: {t for t in targets if t.startswith("api")}
           for name, targets in graph(typing=True).items() if name.startswith("api")}
    assert cycle(api) is None, " -> ".join(cycle(api) or [])


def test_kg_never_imports_api():
    leaks = {(a, b) for a, targets in graph().items() if a.startswith("kg") for b in targets if b.startswith("api")}
    assert not leaks
