"""The documentation says what the code does: every setting, URL parameter, page and folder.

Each list is collected from the code (or the repository) and compared with the table that
documents it, both ways, so a test fails when either side changes without the other.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from presenter.deck import DECK_PARAMS
from settings import VARIABLES, Settings
from views.url_state import LANGUAGE_PARAM, LIST_PARAMS, PAGE_PARAMS, YEAR_PARAMS

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"
# Where the app reads URL parameters by name (besides the constants above).
PARAM_READERS = ("pages", "ui", "presenter")


def tables(markdown: str, under: str | None = None) -> list[list[list[str]]]:
    """The body rows (as lists of cells) of every table in `markdown`, or only of those in
    the section headed `under` (up to the next heading of the same or a higher level)."""
    lines = markdown.splitlines()
    if under is not None:
        level = under.split(" ")[0]
        start = lines.index(under) + 1
        end = next(
            (i for i in range(start, len(lines)) if re.match(rf"#{{1,{len(level)}}} ", lines[i])),
            len(lines),
        )
        lines = lines[start:end]
    found: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            found.append(rows[2:])  # the header row and the rule under it
            rows = []
    return found


def code(cell: str) -> str:
    """The first `code` span of a table cell."""
    match = re.search(r"`([^`]+)`", cell)
    assert match, f"no `name` in the cell {cell!r}"
    return match.group(1)


def first_column(rows: list[list[str]]) -> list[str]:
    return [code(row[0]) for row in rows]


# Settings ------------------------------------------------------------------------------------


def test_settings_has_one_property_per_variable() -> None:
    properties = [name for name, value in vars(Settings).items() if isinstance(value, property)]
    assert sorted(properties) == sorted(VARIABLES.values())


@pytest.mark.parametrize(
    ("document", "section"),
    [(README, "## Configuration"), (DOCS / "configuration.md", "## Environment variables")],
)
def test_the_configuration_table_lists_exactly_the_settings(document: Path, section: str) -> None:
    (rows,) = tables(document.read_text(), under=section)
    assert sorted(first_column(rows)) == sorted(VARIABLES)


# URL parameters ------------------------------------------------------------------------------


def read_params() -> set[str]:
    """Every URL parameter the app reads: the global filters, the pages' own, the deck's and
    the reader's language."""
    return {*LIST_PARAMS, *YEAR_PARAMS, *PAGE_PARAMS, *DECK_PARAMS, LANGUAGE_PARAM}


def test_every_url_parameter_is_documented() -> None:
    documented = [
        name
        for rows in tables((DOCS / "url-parameters.md").read_text())
        for name in first_column(rows)
    ]
    assert sorted(documented) == sorted(read_params())


def is_query_params(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "query_params"


def named_params(tree: ast.AST) -> Iterator[str]:
    """Parameter names written as literals: `param="x"` arguments and `query_params.get("x")`
    or `query_params["x"]`."""
    for node in ast.walk(tree):
        name: ast.expr | None = None
        if isinstance(node, ast.keyword) and node.arg == "param":
            name = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            name = node.args[0] if is_query_params(node.func.value) else None
        elif isinstance(node, ast.Subscript) and is_query_params(node.value):
            name = node.slice
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield name.value


def test_parameters_named_in_the_code_are_in_the_constants() -> None:
    """A page that reads a parameter under a name of its own must declare it (PAGE_PARAMS),
    or the filters would call it unknown, and the documentation above would miss it."""
    named = {
        (str(path.relative_to(REPO)), name)
        for folder in PARAM_READERS
        for path in sorted((REPO / folder).rglob("*.py"))
        for name in named_params(ast.parse(path.read_text()))
    }
    assert named, "no parameter found: has the way pages read them changed?"
    assert {(path, name) for path, name in named if name not in read_params()} == set()


# Pages ---------------------------------------------------------------------------------------


def marked(node: ast.expr) -> ast.expr:
    """The words inside `_(...)` or `N_(...)` (a title translated where it is shown)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_", "N_")
        and len(node.args) == 1
    ):
        return node.args[0]
    return node


def registered_pages() -> set[tuple[str, str]]:
    """(title, url_path) of every page dashboard.py registers: its `page(...)` helper calls
    and any `st.Page(...)` there or in ui/ (the admin page)."""
    found: set[tuple[str, str]] = set()
    for path in [REPO / "dashboard.py", *sorted((REPO / "ui").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        helpers = {
            node.name: [arg.arg for arg in node.args.args]
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "Page":
                names = ["page", "title", "icon", "url_path"]  # st.Page's leading parameters
            elif isinstance(func, ast.Name) and path.name == "dashboard.py" and func.id in helpers:
                names = helpers[func.id]
            else:
                continue
            given = dict(zip(names, node.args, strict=False))
            given.update({k.arg: k.value for k in node.keywords if k.arg})
            title, url_path = given.get("title"), given.get("url_path")
            title = marked(title) if title is not None else None
            if isinstance(title, ast.Name) and path.parent.name == "ui":  # a module's constant
                module = importlib.import_module(f"ui.{path.stem}")
                title = ast.Constant(getattr(module, title.id))
            if isinstance(title, ast.Constant) and isinstance(url_path, ast.Constant):
                found.add((str(title.value), str(url_path.value)))
    return found


def test_every_page_is_documented() -> None:
    registered = registered_pages()
    assert len(registered) >= 10, f"pages not found in dashboard.py: {registered}"
    (rows,) = tables((DOCS / "pages.md").read_text(), under="# Pages")
    documented = [(row[0], code(row[1])) for row in rows]
    assert sorted(documented) == sorted(registered)


# Layout --------------------------------------------------------------------------------------


def tracked_folders() -> set[str]:
    """The top-level folders holding files under version control."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"the folders under version control are unknown here: {error}")
    return {path.split("/")[0] + "/" for path in listed.split("\0") if "/" in path}


def test_the_layout_table_matches_the_folders() -> None:
    (rows,) = tables(README.read_text(), under="## Layout")
    listed = first_column(rows)
    folders = [name for name in listed if name.endswith("/")]
    assert sorted(folders) == sorted(tracked_folders())
    missing_files = [name for name in listed if name not in folders and not (REPO / name).is_file()]
    assert missing_files == []
