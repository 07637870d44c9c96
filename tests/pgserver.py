"""A real, throwaway PostgreSQL server for the tests (no mock database anywhere, issue 15).

One server per test session: `initdb` into a fresh temporary folder (in memory, /dev/shm, when
there is room), started with `pg_ctl` on a free loopback port and a unix socket in that folder;
each test gets its own database in it, a file copy of a template: an empty database, or a
register set up once per server (new_register). The server refuses to run as root, so under
root (CI) the folder belongs to the `postgres` OS user (made by Debian's `postgresql` package,
which `.ci/run` installs) and every server command runs as that user through `runuser`.

Logins: the superuser (`meldcode_beheer`) over the unix socket without a password (`trust`, only
that user may enter the folder); every other role over TCP with a password (`scram-sha-256`),
as an organisation's professionals would log in.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SUPERUSER = "meldcode_beheer"
SERVER_USER = "postgres"  # the OS user that runs the server when the tests run as root


def find_bindir() -> Path | None:
    """The folder with initdb, pg_ctl and postgres: $MELDCODE_PG_BINDIR, else the newest
    Debian cluster version, else the PATH."""
    eigen = os.environ.get("MELDCODE_PG_BINDIR")
    if eigen:
        return Path(eigen)
    versies = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versies:
        return versies[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running test server: where it lives and how to reach it."""

    bindir: Path
    folder: Path
    port: int
    run_as: str | None  # the OS user running the server (None: the current user)
    register_template: str | None = None  # what new_register copies (made on first use)
    _admin: Any = field(default=None, repr=False, compare=False)  # see admin()

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    def admin_dsn(self, dbname: str = "postgres") -> str:
        """The superuser's URL (unix socket, no password)."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket_dir}&port={self.port}"

    def admin(self) -> Any:
        """The superuser's session on the `postgres` database (autocommit), kept open for the
        fixtures' CREATE and DROP DATABASE: one connection per server, not two per test."""
        import psycopg

        if self._admin is None or self._admin.closed or self._admin.broken:
            self._admin = psycopg.connect(self.admin_dsn(), autocommit=True)
        return self._admin

    def close_admin(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None

    def dsn(self, dbname: str, user: str, password: str) -> str:
        """A role's DSN over TCP with its password, as a libpq URL."""
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{dbname}"

    def command(self, *args: str) -> list[str]:
        """A server command line, run as the server's OS user."""
        exe = [str(self.bindir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *exe] if self.run_as else exe

    def run(self, *args: str) -> None:
        subprocess.run(self.command(*args), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.close_admin()
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


IN_MEMORY = Path("/dev/shm")
IN_MEMORY_FREE = 2**30  # bytes free there at least (a container's is often only 64 MB)


def in_memory() -> str | None:
    """A memory file system for a throwaway server's folder (/dev/shm) if there is a roomy
    one, else None (the temporary folder). A database copied and dropped there per test costs a
    tenth of the CPU it costs on a disk's file system, which journals and writes it back."""
    try:
        st = os.statvfs(IN_MEMORY)
    except OSError:
        return None
    if st.f_bavail * st.f_frsize < IN_MEMORY_FREE or not os.access(IN_MEMORY, os.W_OK | os.X_OK):
        return None
    return str(IN_MEMORY)


def start_server(*, durable: bool = False) -> PgServer:
    """initdb + pg_ctl start in a new temporary folder; RuntimeError with the reason if not.

    `durable`: fsync as a production server does, on disk (benchmarks); the tests' throwaway
    server skips it and lives in memory (see in_memory), which makes a fresh database per test
    cheap.
    """
    bindir = find_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        raise RuntimeError("no PostgreSQL server programs (initdb, pg_ctl) found")
    run_as = None
    folder = Path(tempfile.mkdtemp(prefix="meldcode-pg-", dir=None if durable else in_memory()))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise RuntimeError(f"running as root and no OS user {SERVER_USER!r}") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = SERVER_USER
    server = PgServer(bindir=bindir, folder=folder, port=free_port(), run_as=run_as)
    try:
        _initdb(server, durable=durable)
        server.start()
    except (OSError, subprocess.SubprocessError) as e:
        log = server.folder / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        stop_server(server)
        raise RuntimeError(f"the test PostgreSQL did not start: {e}\n{tail}") from None
    return server


def _initdb(server: PgServer, *, durable: bool) -> None:
    server.run(
        "initdb", "-D", str(server.data), "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
        "--auth-local=trust", "--auth-host=scram-sha-256",
    )  # fmt: skip
    server.socket_dir.mkdir(parents=True, exist_ok=True)
    if server.run_as:
        user = pwd.getpwnam(server.run_as)
        os.chown(server.socket_dir, user.pw_uid, user.pw_gid)
    instellingen = {
        "listen_addresses": "'127.0.0.1'",
        "port": str(server.port),
        "unix_socket_directories": f"'{server.socket_dir}'",
        "max_connections": "100",
        "shared_buffers": "32MB",
        "log_min_messages": "warning",
    }
    if not durable:
        # Little write-ahead log kept (it may be in memory): a test database is copied at a
        # checkpoint anyway (new_database).
        instellingen.update(
            fsync="off", synchronous_commit="off", full_page_writes="off",
            min_wal_size="32MB", max_wal_size="256MB",
        )  # fmt: skip
    conf = "".join(f"{k} = {v}\n" for k, v in instellingen.items())
    # Root may write into the server user's file; that user keeps owning it.
    with (server.data / "postgresql.conf").open("a", encoding="utf-8") as f:
        f.write(conf)


def stop_server(server: PgServer) -> None:
    """Stop the server at once and remove its folder."""
    server.close_admin()
    if (server.data / "postmaster.pid").exists():
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            server.stop("immediate")
    shutil.rmtree(server.folder, ignore_errors=True)


@contextlib.contextmanager
def running_server(*, durable: bool = False) -> Iterator[PgServer]:
    server = start_server(durable=durable)
    try:
        yield server
    finally:
        stop_server(server)


# --- pytest fixtures (imported by conftest.py) ------------------------------------------------

_databases = itertools.count(1)


@contextlib.contextmanager
def serving() -> Iterator[PgServer]:
    """A throwaway server while the block runs; the test is skipped (so failed under
    MELDCODE_CI=1, see conftest.py) when none can be started here."""
    try:
        server = start_server()
    except RuntimeError as e:
        pytest.skip(f"no PostgreSQL server could be started: {e}")
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway server for the session."""
    with serving() as server:
        yield server


def new_database(server: PgServer, template: str = "template1") -> str:
    """A fresh database on the server, a copy of `template` (by default an empty one); its name.

    The copy is of the template's files (STRATEGY FILE_COPY: two checkpoints, cheap without
    fsync) rather than block by block through the write-ahead log, PostgreSQL 15's default:
    about half the server's CPU. Only a template nobody is connected to can be copied."""
    naam = f"test_{os.getpid()}_{next(_databases)}"
    admin = server.admin()
    strategy = " STRATEGY FILE_COPY" if admin.info.server_version >= 150000 else ""
    admin.execute(f'CREATE DATABASE "{naam}" TEMPLATE "{template}"{strategy}')
    return naam


def drop_database(server: PgServer, naam: str) -> None:
    """Drop a test database (its sessions ended first). Roles belong to the whole server and
    stay: `register gebruiker` and `register init` find them and go on (both are idempotent)."""
    server.admin().execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


@pytest.fixture
def pg_admin_dsn(pg_server: PgServer) -> Iterator[str]:
    """The superuser's URL of a fresh, empty database, dropped afterwards."""
    naam = new_database(pg_server)
    try:
        yield pg_server.admin_dsn(naam)
    finally:
        drop_database(pg_server, naam)


@dataclass
class Register:
    """A set-up register in a fresh database, with professionals anna and bert and the
    coordinator cor (password: their name, reversed)."""

    server: PgServer
    dbname: str
    admin_dsn: str

    def dsn(self, user: str) -> str:
        return self.server.dsn(self.dbname, user, user[::-1])


def make_register(server: PgServer, dbname: str | None = None) -> Register:
    """A register set up by `register init`'s own code, with three users (in a new database
    unless `dbname` is given)."""
    import psycopg

    from meldcode.store.postgres_admin import add_user, init_register

    dbname = dbname or new_database(server)
    with psycopg.connect(server.admin_dsn(dbname)) as c:
        init_register(c)
        for naam in ("anna", "bert", "cor"):
            add_user(c, naam, coordinator=naam == "cor", wachtwoord=naam[::-1])
    return Register(server=server, dbname=dbname, admin_dsn=server.admin_dsn(dbname))


def register_template(server: PgServer) -> str:
    """The server's template register: made once by make_register, frozen (so no copy sets
    hint bits again), and closed to connections (a template in use cannot be copied)."""
    import psycopg

    if server.register_template is None:
        naam = make_register(server).dbname
        with psycopg.connect(server.admin_dsn(naam), autocommit=True) as c:
            c.execute("VACUUM FREEZE")
        server.admin().execute(
            f'ALTER DATABASE "{naam}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false'
        )
        server.register_template = naam
    return server.register_template


def new_register(server: PgServer) -> Register:
    """A register as make_register sets it up, in a new database copied from the server's
    template register (a tenth of the server's work). The rights on the database itself are
    kept outside it, so `register init`'s own code grants them on the copy again."""
    from meldcode.store.postgres_admin import grant_database

    naam = new_database(server, register_template(server))
    grant_database(server.admin(), naam)
    return Register(server=server, dbname=naam, admin_dsn=server.admin_dsn(naam))


def add_professionals(register: Register, prefix: str, count: int = 20) -> list[str]:
    """`count` professionals in `register` (`prefix_00`, …; password: the name reversed)."""
    import psycopg

    from meldcode.store.postgres_admin import add_user

    namen = [f"{prefix}_{n:02d}" for n in range(count)]
    with psycopg.connect(register.admin_dsn) as admin:
        for naam in namen:
            add_user(admin, naam, coordinator=False, wachtwoord=naam[::-1])
    return namen


@pytest.fixture
def pg_register(pg_server: PgServer) -> Iterator[Register]:
    """A set-up register in a fresh database (dropped afterwards), with three users."""
    register = new_register(pg_server)
    try:
        yield register
    finally:
        drop_database(pg_server, register.dbname)
