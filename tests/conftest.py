"""Shared fixtures: a private copy of the shipped flow files to break or extend, the basis flow,
and a store of every backend."""

from __future__ import annotations

import compileall
import os
import py_compile
import shutil
import signal
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

# First: it makes typer build the app's click command once (inprocess.built_once) before any
# test module imports typer's CliRunner, which binds the builder when it is imported.
import inprocess  # noqa: F401  # isort: skip
import meldcode
from meldcode.flows import load_flow
from meldcode.model import Flow
from meldcode.store import CaseStore, open_store
from pgserver import pg_admin_dsn, pg_register, pg_server

REPO = Path(__file__).resolve().parents[1]

# A real PostgreSQL for the register tests (issue 15): see pgserver.py.
__all__ = ["pg_admin_dsn", "pg_register", "pg_server"]

# The store backends a test that uses `store` (or `store_opener`) runs on, one parameter each:
# the embedded SQLite file, and a shared register on a real PostgreSQL (as professional anna).
STORE_BACKENDS: tuple[str, ...] = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    """The `backends` mark; and a test's terminal size is the one it chooses (a pseudo-terminal's,
    or COLUMNS it sets), never the caller's: pytest-xdist workers, and some shells, export
    COLUMNS=80 and LINES=24, which rich would prefer to the size of the test's pseudo-terminal."""
    for naam in ("COLUMNS", "LINES"):
        os.environ.pop(naam, None)
    # A run started in the background of a shell without job control inherits SIGINT ignored,
    # and so would every meldcode it starts: a Ctrl-C typed in plain mode would do nothing. The
    # tests need what a terminal gives (exec resets a handled signal to its default).
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if not hasattr(config, "workerinput"):  # once, before pytest-xdist starts its workers
        compile_package()
    config.addinivalue_line(
        "markers",
        "backends(*names): run a test that uses the `store` fixture on these store backends "
        "only (e.g. one that patches sqlite.Store)",
    )


def compile_package() -> None:
    """Write the bytecode of the meldcode package under test, if it is this checkout's.

    NOTE: with PYTHONDONTWRITEBYTECODE set (as on CI) Python never writes it, so each of the
    ~300 `meldcode` processes the tests start compiled the whole package again (~45 ms CPU
    each). Checked by hash, not by date: a file changed within the same second (as the mutation
    tests do, in their own copy of the package, which is left alone here) is never run stale.
    """
    package = Path(meldcode.__file__).resolve().parent
    if package.is_relative_to(REPO):
        compileall.compile_dir(
            package, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test that uses a store runs once per backend (or per backend its mark names)."""
    if "store_backend" in metafunc.fixturenames:
        mark = metafunc.definition.get_closest_marker("backends")
        metafunc.parametrize("store_backend", mark.args if mark else STORE_BACKENDS)


@pytest.fixture
def store_opener(
    store_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], CaseStore]]:
    """Opens the test's own new store of `store_backend`; each call is another connection to
    the same store (a second writer, a reopen). All are closed after the test."""
    opened: list[CaseStore] = []
    url = None
    if store_backend == "postgresql":
        url = request.getfixturevalue("pg_register").dsn("anna")
    elif store_backend != "sqlite":
        raise ValueError(f"no store backend {store_backend!r} in tests/conftest.py")

    def opener() -> CaseStore:
        if url is not None:
            from meldcode.store.postgres import PostgresStore

            store: CaseStore = PostgresStore(url)
        else:
            store = open_store(home=tmp_path)
        opened.append(store)
        return store

    yield opener
    for store in reversed(opened):
        store.close()


@pytest.fixture
def store(store_opener: Callable[[], CaseStore]) -> CaseStore:
    """A new, empty store (in `tmp_path` for SQLite), once for each of STORE_BACKENDS."""
    return store_opener()


@pytest.fixture
def flows_copy(tmp_path: Path) -> Path:
    """A folder with a copy of the shipped `stappen/` and `afwegingskader/`."""
    root = tmp_path / "flows"
    for folder in ("stappen", "afwegingskader"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Under `.ci/run` (MELDCODE_CI=1) a skipped test fails: CI must run every test it has."""
    report = yield
    if os.environ.get("MELDCODE_CI") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        reden = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"MELDCODE_CI=1: {item.nodeid} was skipped ({reden}); CI needs every test to run, "
            "so install what it lacks in .ci/run."
        )
    return report


@pytest.fixture(scope="session")
def flow() -> Flow:
    """The shipped basis flow; frozen, so one serves every test."""
    return load_flow("basis")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A private data directory (owner-only, as meldcode makes its own)."""
    pad = tmp_path / "home"
    pad.mkdir(mode=0o700)
    return pad
