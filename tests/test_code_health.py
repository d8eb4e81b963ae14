"""The layering the code promises, checked on its source: who may import Streamlit, what the
view layer may import, no import cycles, bounded module and page sizes, and strict typing on
every package (docs/architecture.md draws the layers)."""

from __future__ import annotations

import ast
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Everything the dashboard runs: packages and top-level modules (tests are not part of it).
PACKAGES = (
    "data_access",
    "exports",
    "figures",
    "fixtures",
    "i18n",
    "ingest",
    "presenter",
    "reporting",
    "ui",
    "views",
)
SCRIPTS = ("pages",)  # run by Streamlit as scripts, not imported
TOP_MODULES = ("dashboard.py", "settings.py", "store.py")
STREAMLIT_ALLOWED = ("ui", "pages", "dashboard")
# What each layer may not import (views are pure; data_access is the bottom layer).
FORBIDDEN = {
    "views": ("streamlit", "ui", "pages", "exports", "presenter", "dashboard"),
    "data_access": (
        "streamlit",
        "ui",
        "pages",
        "views",
        "exports",
        "presenter",
        "figures",
        "reporting",
    ),
    "figures": ("streamlit", "ui", "pages", "views", "exports", "presenter"),
    "exports": ("streamlit", "ui", "pages"),
    "presenter": ("ui", "pages"),
    # Reminder e-mail: the store and the words, nothing that draws.
    "reporting": ("streamlit", "ui", "pages", "views", "exports", "presenter", "figures"),
    "i18n": ("streamlit", "ui", "pages", "views", "exports", "presenter", "figures", "data_access"),
}
MAX_MODULE_LINES = 600
MAX_PAGE_LINES = 60
# The disclosure algorithm may be longer if it must (none is today).
LONG_MODULES_ALLOWED: frozenset[str] = frozenset()


def source_files() -> Iterator[Path]:
    """Every Python file of the dashboard (packages, page scripts, top-level modules)."""
    for folder in (*PACKAGES, *SCRIPTS):
        yield from sorted((REPO / folder).rglob("*.py"))
    for name in TOP_MODULES:
        if (REPO / name).exists():
            yield REPO / name


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _runtime_imports(tree: ast.Module, name: str, is_package: bool) -> Iterator[str]:
    """Modules a file imports when it runs (anywhere in it, lazy imports included; not those
    under `if TYPE_CHECKING:`)."""
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            # `from package import module` needs the module; `from module import name`
            # the module (the package's own __init__ runs first either way)
            for alias in node.names:
                yield f"{target}.{alias.name}" if _is_module(f"{target}.{alias.name}") else target


def import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports."""
    files = {module_name(path): path for path in source_files()}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = _runtime_imports(tree, name, path.name == "__init__.py")
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def imported_roots(path: Path) -> set[str]:
    """The top-level names of everything a file imports."""
    name = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {t.split(".")[0] for t in _runtime_imports(tree, name, path.name == "__init__.py") if t}


def _layer(path: Path) -> str:
    return path.relative_to(REPO).parts[0].removesuffix(".py")


def test_only_ui_pages_and_the_entry_point_import_streamlit() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in source_files()
        if _layer(path) not in STREAMLIT_ALLOWED and "streamlit" in imported_roots(path)
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_roots(path) & set(FORBIDDEN[layer]))
        for path in sorted((REPO / layer).rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


def test_no_module_is_over_600_lines() -> None:
    tools = [*sorted((REPO / "bench").glob("*.py")), *sorted((REPO / "scripts").glob("*.py"))]
    long = {
        str(path.relative_to(REPO)): lines
        for path in [*source_files(), *tools]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and module_name(path) not in LONG_MODULES_ALLOWED
    }
    assert long == {}


def test_pages_are_short_orchestrators() -> None:
    long = {
        path.name: lines
        for path in sorted((REPO / "pages").glob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_PAGE_LINES
    }
    assert long == {}


def _statement_start(lines: list[str], number: int) -> int:
    """The index of the top-level line a (multi-line) statement ending at `number` starts on."""
    while number > 0 and (not lines[number] or lines[number][0] in " )]}"):
        number -= 1
    return number


def test_the_formatter_formats() -> None:
    """`# fmt: skip` only on a hand-laid table of data, said so in a comment above it."""
    skipped = []
    for path in source_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.rstrip().endswith("# fmt: skip"):
                start = _statement_start(lines, number)
                if start == 0 or "hand-laid table" not in lines[start - 1]:
                    skipped.append(f"{path.relative_to(REPO)}:{number + 1}")
    assert skipped == []


def test_strict_mypy_is_configured_for_every_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    checked = set(config["files"])
    expected = {*PACKAGES, *SCRIPTS, *(m for m in TOP_MODULES if (REPO / m).exists())}
    assert expected <= checked


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="typing does not depend on the backend"
)
def test_mypy_strict_passes_on_every_package(tmp_path: Path) -> None:
    from mypy import api

    stdout, stderr, status = api.run(["--cache-dir", str(tmp_path / "mypy")])
    assert status == 0, stdout + stderr


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = [
        str(path.relative_to(REPO))
        for path in source_files()
        if path.name != "settings.py"
        and any(
            isinstance(node, ast.Attribute)
            and node.attr in ("environ", "getenv")
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert readers == []
