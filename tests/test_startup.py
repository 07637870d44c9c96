"""`meldcode --help` and the engine import only what they need (design.md §7, style.md §2).

Functional guards, not timings: benchmarks/bench_startup.py measures the time.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HELP_MUST_NOT_IMPORT = (
    "pydantic",
    "questionary",
    "prompt_toolkit",
    "sqlite3",
    "yaml",
    "meldcode.loading",
    "meldcode.engine",
    "meldcode.store.sqlite",
)
ENGINE_MUST_NOT_IMPORT = ("questionary", "rich", "sqlite3", "typer", "yaml")


def imported(*args: str) -> set[str]:
    """Every module a fresh `python -X importtime ARGS` imports; the run must succeed."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args], check=True, capture_output=True, text=True
    )
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }


def loads(modules: set[str], name: str) -> bool:
    """Whether package or module `name`, or any module inside it, is among `modules`."""
    return any(m == name or m.startswith(name + ".") for m in modules)


@pytest.fixture(scope="module")
def help_modules() -> set[str]:
    """The modules `python -m meldcode --help` imports."""
    return imported("-m", "meldcode", "--help")


@pytest.fixture(scope="module")
def engine_modules() -> set[str]:
    """The modules `import meldcode.engine` imports."""
    return imported("-c", "import meldcode.engine")


@pytest.mark.parametrize("name", ["typer", "meldcode.cli"])
def test_help_import_list_sees_typer_and_the_cli(help_modules: set[str], name: str) -> None:
    """The import list is real: `--help` shows it loading typer and meldcode.cli."""
    assert loads(help_modules, name)


@pytest.mark.parametrize("name", HELP_MUST_NOT_IMPORT)
def test_help_does_not_import(help_modules: set[str], name: str) -> None:
    """`meldcode --help` loads no heavy library and no flow, engine or store code."""
    assert not loads(help_modules, name)


def test_engine_import_list_sees_the_model(engine_modules: set[str]) -> None:
    """The import list is real: importing the engine shows it loading meldcode.model."""
    assert loads(engine_modules, "meldcode.model")


@pytest.mark.parametrize("name", ENGINE_MUST_NOT_IMPORT)
def test_engine_does_not_import(engine_modules: set[str], name: str) -> None:
    """The pure engine loads no UI, storage or YAML library."""
    assert not loads(engine_modules, name)
