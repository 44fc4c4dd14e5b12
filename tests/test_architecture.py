"""The shape of the code: no import cycle, no private names across packages, and no
Textual or click inside `breathpace/session/`.

Read from the source with `ast`, every import counts, also the ones inside functions
(a cycle hidden by function-local imports is still a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breathpace"


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (never run)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def imports(mods: dict[str, ast.Module]) -> dict[str, set[tuple[str, str | None]]]:
    """module -> {(imported module, imported name or None)} for breathpace's own."""
    result: dict[str, set[tuple[str, str | None]]] = {m: set() for m in mods}
    for name, tree in mods.items():
        skip = _type_checking_only(tree)
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("breathpace"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in mods:
                        result[name].add((sub, None))
                    else:
                        result[name].add((node.module, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("breathpace"):
                        result[name].add((alias.name, None))
    return result


def graph() -> dict[str, set[str]]:
    mods = modules()
    edges = {m: set() for m in mods}
    for source, targets in imports(mods).items():
        for target, _ in targets:
            # A submodule reading its own package's shared names is not a cycle of
            # modules: the package is initialised first.
            if target in mods and target != source and not source.startswith(target + "."):
                edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_there_is_no_import_cycle():
    assert cycles(graph()) == []


def _package(module: str) -> str:
    return module.rsplit(".", 1)[0] if module.count(".") > 1 else module


def test_no_module_imports_another_packages_private_names():
    mods = modules()
    crossing = sorted(
        (source, target, name)
        for source, targets in imports(mods).items()
        for target, name in targets
        if name is not None and name.startswith("_") and _package(source) != _package(target)
    )
    assert crossing == []


def test_the_session_package_imports_neither_textual_nor_click():
    for name, tree in modules().items():
        if not name.startswith("breathpace.session"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & {"textual", "click", "rich"}, name
            assert not any(
                r == "breathpace"
                and (getattr(node, "module", "") or "").startswith(
                    ("breathpace.tui", "breathpace.commands", "breathpace.cli")
                )
                for r in roots
            ), name
