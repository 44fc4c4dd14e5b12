"""The shape of the code: no import cycle between modules nor between packages, layers
that import downward only, no private names across packages, and no Textual or click
inside `breathpace/session/`.

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


def package_of(module: str) -> str:
    """The package a module belongs to, one level under `breathpace` ("session" for
    `breathpace.session.runner`; a top-level module is its own package)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Package -> the packages its modules import (every import, also function-local)."""
    packages: dict[str, set[str]] = {}
    for source, targets in edges.items():
        here = package_of(source)
        packages.setdefault(here, set())
        for target in targets:
            there = package_of(target)
            packages.setdefault(there, set())
            if there != here:
                packages[here].add(there)
    return packages


def test_the_package_checker_sees_a_cycle_through_one_module_each():
    edges = {
        "breathpace.session.runner": {"breathpace.player.core"},
        "breathpace.player.core": {"breathpace.session.events"},
        "breathpace.session.events": set(),
    }
    assert cycles(package_graph(edges)) == [["player", "session"]]


def test_there_is_no_cycle_between_packages():
    """A package that imports another must not be imported back by it, even through a
    function-local import: each package can be read (and tested) above the ones below."""
    assert cycles(package_graph(graph())) == []


#: The layers, top down: a package imports only from layers below its own. Top-level
#: modules that are not listed (settings, paths, safe_text…) are shared helpers.
LAYERS = (
    ("cli", "commands", "__main__"),
    ("tui",),
    ("plain",),
    ("day",),
    ("track",),
    ("session",),
    ("player",),
    ("journal", "audio"),
    ("library",),
    ("timeline",),
    ("routine",),
)


def test_layers_import_downward_only():
    rank = {package: level for level, names in enumerate(LAYERS) for package in names}
    upward = sorted(
        (source, target)
        for source, targets in package_graph(graph()).items()
        for target in targets
        if source in rank and target in rank and rank[target] < rank[source]
    )
    assert upward == []


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
