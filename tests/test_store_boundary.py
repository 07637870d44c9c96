"""The store's boundary (issue 13 point 4): SQL only inside the SQLite backend, no sqlite3 for
code that only needs the store's types or interface, and no typer in the store."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "meldcode"
# The SQLite backend: the only modules that may hold SQL text or import sqlite3; and the
# PostgreSQL backend (store/postgres*.py, issue 15).
# filters.py holds the case filters' WHERE conditions that both backends share.
BACKEND = {"sqlite.py", "connection.py", "queries.py", "tables.py", "files.py", "filters.py"}
SQL = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|PRAGMA\s|"
    r"(CREATE|DROP|ALTER)\s+(TABLE|INDEX)\s|BEGIN\s+IMMEDIATE|VACUUM\b)"
)


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _in_backend(path: Path) -> bool:
    return path.parent == SRC / "store" and (
        path.name in BACKEND or path.name.startswith("postgres")
    )


def _imports(tree: ast.AST) -> set[str]:
    """Every module an import names, late imports inside functions included."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", [p for p in _modules() if not _in_backend(p)], ids=str)
def test_no_sql_and_no_sqlite3_outside_the_backend(path: Path) -> None:
    """Integrity, statistics, maintenance and every caller reach the data through the
    CaseStore interface only: no SQL string, no sqlite3 import, no backend internals."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sql = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
    ]
    assert [] == sql, f"{path.relative_to(SRC)}: SQL on line(s) {sql}"
    verboden = {"sqlite3", "meldcode.store.connection", "meldcode.store.queries"}
    assert set() == _imports(tree) & verboden


@pytest.mark.parametrize("path", sorted((SRC / "store").glob("*.py")), ids=lambda p: p.name)
def test_the_store_never_imports_typer(path: Path) -> None:
    """The data folder's default (typer.get_app_dir) is the CLI layer's (commands/home.py)."""
    imports = _imports(ast.parse(path.read_text(encoding="utf-8")))
    assert not {m for m in imports if m == "typer" or m.startswith(("typer.", "click"))}


def test_the_store_types_and_its_users_load_no_database_module() -> None:
    """Render, the dossier, the walk and the store's own logic import the store's records and
    interface without loading sqlite3 (only opening a store does)."""
    modules = (
        "meldcode.store",
        "meldcode.store.records",
        "meldcode.store.interface",
        "meldcode.store.integrity",
        "meldcode.store.stats",
        "meldcode.store.maintenance",
        "meldcode.render",
        "meldcode.render.summary",
        "meldcode.render.views",
        "meldcode.render.agenda",
        "meldcode.dossier.build",
        "meldcode.walk.recorder",
    )
    code = f"import sys; import {', '.join(modules)}; print('sqlite3' in sys.modules)"
    uit = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert "False" == uit.strip()
