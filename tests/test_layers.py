"""Layers you can see (issue 13): no module imports upwards, and no two parts import each other.

Every import in `src/meldcode` is read with `ast`, late imports inside functions included. The one
exemption: an import under `if TYPE_CHECKING:` is a type annotation only, never executed, and is
not counted (no such import exists today; the exemption keeps a protocol's type hint possible).
Not read: `importlib.import_module` with a name in a string (only the export registry does that,
for its own modules).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# THE layer order, bottom to top: a module may import from its own layer and the layers below it.
# Each entry is a package or module; a module belongs to the longest entry that is its prefix.
# A new module or package must be placed here (the test fails until it is).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("meldcode",),  # the package itself: __version__ only
    ("meldcode.errors",),
    ("meldcode.contract",),  # design.md §6 tables (statuses, outcomes, contract ids): stdlib only
    ("meldcode.deadlines",),  # follow-up terms in working days: stdlib only, so `lijst` stays light
    # text: plain-Python helpers; a new module in text/ lands here unless placed higher.
    (
        "meldcode.text",
        "meldcode.text.control_chars",
        "meldcode.text.formatting",
        "meldcode.text.labels",
        "meldcode.text.stdout",
    ),
    ("meldcode.model",),
    ("meldcode.text.phrases",),  # outcomes and answers in words: reads the model
    ("meldcode.loading",),
    ("meldcode.engine",),
    ("meldcode.checks",),
    ("meldcode.flows",),  # the entry point that loads *and* validates
    ("meldcode.store",),
    ("meldcode.dossier",),
    ("meldcode.export", "meldcode.render", "meldcode.graph"),
    ("meldcode.melding", "meldcode.practice"),
    ("meldcode.prompts",),
    ("meldcode.walk",),
    ("meldcode.commands",),
    ("meldcode.cli", "meldcode.__main__"),
)

# Upward imports that other work in issue 13 is removing, as (importing module, imported
# module). Each entry must still occur (a stale one fails), so this list only shrinks; the lead
# removes an entry when the branch that fixes it is merged.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


class Import(NamedTuple):
    """One import statement's target, as read from a module's source."""

    importer: str
    imported: str
    line: int


def module_name(path: Path, root: Path) -> str:
    """`root/meldcode/store/sqlite.py` -> `meldcode.store.sqlite` (a package: its folder)."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The ids of import nodes inside an `if TYPE_CHECKING:` block."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ids |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return ids


def imports_of(path: Path, root: Path) -> tuple[Import, ...]:
    """Every `meldcode` module that `path` imports, at any depth (late imports too); read once
    per source text (three tests read every module of the source tree)."""
    return _imports_of(path, root, path.read_text(encoding="utf-8"))


@functools.cache
def _imports_of(path: Path, root: Path, text: str) -> tuple[Import, ...]:
    return tuple(_imports_in(path, root, text))


def _imports_in(path: Path, root: Path, text: str) -> Iterator[Import]:
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(text)
    skip = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from meldcode import engine` imports the module meldcode.engine.
            targets = [
                f"{base}.{a.name}" if _is_module(f"{base}.{a.name}", root) else base
                for a in node.names
            ]
        else:
            continue
        for target in targets:
            if target == "meldcode" or target.startswith("meldcode."):
                yield Import(name, target, node.lineno)


def _is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def unit_of(module: str, layers: Sequence[Sequence[str]]) -> tuple[int, str]:
    """The layer index and the table entry that `module` belongs to (longest prefix wins)."""
    best: tuple[int, str] | None = None
    for i, entries in enumerate(layers):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (
                best is None or len(entry) > len(best[1])
            ):
                best = (i, entry)
    if best is None or (best[1] == "meldcode" and module != "meldcode"):
        raise LookupError(f"{module} staat in geen laag van LAYERS")
    return best


def upward(root: Path, layers: Sequence[Sequence[str]]) -> list[Import]:
    """Every import of a module from a higher layer than the importer's."""
    found = []
    for path in sorted(root.joinpath("meldcode").rglob("*.py")):
        for imp in imports_of(path, root):
            if unit_of(imp.imported, layers)[0] > unit_of(imp.importer, layers)[0]:
                found.append(imp)
    return found


def cycles(root: Path, layers: Sequence[Sequence[str]]) -> list[list[str]]:
    """Groups of table entries that import each other, directly or round about (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.joinpath("meldcode").rglob("*.py")):
        for imp in imports_of(path, root):
            a, b = unit_of(imp.importer, layers)[1], unit_of(imp.imported, layers)[1]
            graph.setdefault(a, set())
            if a != b:
                graph[a].add(b)
    return _strongly_connected(graph)


def _strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (top := stack.pop()) != node:
                group.append(top)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


# --- the source tree ----------------------------------------------------------------------


def test_every_module_has_a_layer() -> None:
    """Each module under src/meldcode belongs to an entry of LAYERS."""
    for path in SRC.joinpath("meldcode").rglob("*.py"):
        unit_of(module_name(path, SRC), LAYERS)


def test_no_module_imports_upwards() -> None:
    """No import reaches a higher layer, apart from the listed ones being removed."""
    new = [i for i in upward(SRC, LAYERS) if (i.importer, i.imported) not in ALLOWED]
    assert [] == [f"{i.importer} (line {i.line}) -> {i.imported}" for i in new]


def test_the_allow_list_only_names_imports_that_still_occur() -> None:
    """An allowed upward import that is gone must leave ALLOWED, so the list only shrinks."""
    found = {(i.importer, i.imported) for i in upward(SRC, LAYERS)}
    assert [] == sorted(ALLOWED - found)


def test_no_two_parts_import_each_other() -> None:
    """No cycle between the entries of LAYERS (e.g. loading -> checks -> loading)."""
    assert [] == cycles(SRC, LAYERS)


# --- the checker itself -------------------------------------------------------------------


def _tree(tmp_path: Path, files: Mapping[str, str]) -> Path:
    for name, text in {"meldcode/__init__.py": "", **files}.items():
        path = tmp_path.joinpath(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


TOY = (("meldcode",), ("meldcode.model",), ("meldcode.engine", "meldcode.graph"))


@pytest.mark.parametrize(
    "source",
    [
        "import meldcode.engine\n",
        "from meldcode.engine import walk\n",
        "from meldcode import engine\n",
        "from .. import engine\n",
        "def late():\n    from meldcode.engine.core import walk\n",
    ],
)
def test_checker_finds_an_upward_import(tmp_path: Path, source: str) -> None:
    """A model module importing the engine, in any spelling, late or not, is found."""
    root = _tree(
        tmp_path,
        {
            "meldcode/model/__init__.py": "",
            "meldcode/model/flow.py": source,
            "meldcode/engine/__init__.py": "",
            "meldcode/engine/core.py": "",
        },
    )
    assert ["meldcode.model.flow"] == [i.importer for i in upward(root, TOY)]


def test_checker_lets_downward_and_type_only_imports_pass(tmp_path: Path) -> None:
    """Importing a lower layer, or a higher one only under TYPE_CHECKING, is no violation."""
    guarded = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from meldcode import engine\n"
    )
    root = _tree(
        tmp_path,
        {
            "meldcode/model.py": guarded,
            "meldcode/engine/__init__.py": "from meldcode.model import x\n",
        },
    )
    assert [] == upward(root, TOY)


def test_checker_finds_a_cycle_within_a_layer(tmp_path: Path) -> None:
    """Two parts of one layer that import each other are a cycle."""
    root = _tree(
        tmp_path,
        {
            "meldcode/model.py": "",
            "meldcode/engine.py": "def f():\n    import meldcode.graph\n",
            "meldcode/graph.py": "from meldcode.engine import f\n",
        },
    )
    assert [["meldcode.engine", "meldcode.graph"]] == cycles(root, TOY)


def test_checker_refuses_a_module_without_a_layer(tmp_path: Path) -> None:
    """A module that LAYERS does not place is an error, not a pass."""
    files = {"meldcode/utils.py": "import meldcode.model\n", "meldcode/model.py": ""}
    root = _tree(tmp_path, files)
    with pytest.raises(LookupError, match=r"meldcode\.utils"):
        upward(root, TOY)
