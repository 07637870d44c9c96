"""`meldcode register init / gebruiker` on a real server, and what a user sees when the register
cannot be used: one Dutch paragraph, the documented exit code, never a password or traceback.

Commands run in-process (`meldcode`, tests/inprocess.py); an installation without psycopg needs
a process of its own (`meldcode_process`, another PYTHONPATH)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inprocess import run_meldcode
from pgserver import PgServer, Register, free_port

psycopg = pytest.importorskip("psycopg")


def meldcode(
    *args: str, url: str | None, home: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run meldcode in-process with MELDCODE_DATABASE = url (unset when None), and no other
    MELDCODE_ or PG variable of the caller's."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith(("MELDCODE_", "PG"))}
    env["MELDCODE_HOME"] = str(home)
    env["MELDCODE_DATABASE"] = url
    return run_meldcode(args, env=env, input=stdin)


def meldcode_process(
    *args: str, url: str | None, home: Path, stdin: str = "", extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script with MELDCODE_DATABASE = url (unset when None)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MELDCODE_", "PG"))}
    env["MELDCODE_HOME"] = str(home)
    if url is not None:
        env["MELDCODE_DATABASE"] = url
    env.update(extra or {})
    return subprocess.run(
        [str(Path(sys.executable).parent / "meldcode"), *args],
        capture_output=True, text=True, env=env, check=False, timeout=60, input=stdin,
    )  # fmt: skip


def test_init_sets_up_the_register_once(pg_admin_dsn: str, tmp_path: Path) -> None:
    eerste = meldcode("register", "init", url=pg_admin_dsn, home=tmp_path)
    assert (0, "") == (eerste.returncode, eerste.stderr)
    assert "staat klaar: schemaversie 2" in eerste.stdout
    tweede = meldcode("register", "init", url=pg_admin_dsn, home=tmp_path)
    assert (0, "") == (tweede.returncode, tweede.stderr)
    assert "was al bij: schemaversie 2" in tweede.stdout


def test_gebruiker_makes_a_professional_who_can_log_in(
    pg_register: Register, tmp_path: Path
) -> None:
    r = meldcode(
        "register", "gebruiker", "dirk", "--wachtwoord",
        url=pg_register.admin_dsn, home=tmp_path, stdin="geheim-dirk\n",
    )  # fmt: skip
    assert (0, "") == (r.returncode, r.stderr)
    assert "Gebruiker dirk is aangemaakt: professional in het register." == r.stdout.strip()
    url = pg_register.server.dsn(pg_register.dbname, "dirk", "geheim-dirk")
    with psycopg.connect(url) as dirk:
        assert [] == dirk.execute("SELECT id FROM meldcode.casussen").fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            dirk.execute("SELECT * FROM meldcode.telling")


def test_gebruiker_coordinator_reads_only_the_views(pg_register: Register, tmp_path: Path) -> None:
    r = meldcode(
        "register", "gebruiker", "els", "--coordinator", "--wachtwoord",
        url=pg_register.admin_dsn, home=tmp_path, stdin="geheim-els\n",
    )  # fmt: skip
    assert "Gebruiker els is aangemaakt: coördinator in het register." == r.stdout.strip()
    with psycopg.connect(pg_register.server.dsn(pg_register.dbname, "els", "geheim-els")) as els:
        assert [] == els.execute("SELECT * FROM meldcode.telling").fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            els.execute("SELECT id FROM meldcode.casussen")


@pytest.mark.parametrize(
    ("naam", "verwacht"),
    [
        ("Dirk de Vries", "bestaat uit kleine letters, cijfers en '_'"),
        ("meldcode_systeem", "is voorbehouden"),
        ("pg_monitor", "is voorbehouden"),
    ],
)
def test_gebruiker_refuses_a_name_that_is_no_plain_role(
    pg_register: Register, tmp_path: Path, naam: str, verwacht: str
) -> None:
    r = meldcode("register", "gebruiker", naam, url=pg_register.admin_dsn, home=tmp_path)
    assert 2 == r.returncode
    assert verwacht in r.stderr


def test_a_professional_cannot_set_up_the_register(pg_register: Register, tmp_path: Path) -> None:
    r = meldcode("register", "gebruiker", "mallory", url=pg_register.dsn("anna"), home=tmp_path)
    assert 3 == r.returncode
    assert "weigert het inrichten voor deze databaserol" in r.stderr
    assert "anna" not in r.stderr[::-1]  # the password (anna reversed) is never shown
    assert "Traceback" not in r.stderr


def test_without_meldcode_database_register_says_what_to_set(tmp_path: Path) -> None:
    r = meldcode("register", "init", url=None, home=tmp_path)
    assert 2 == r.returncode
    assert r.stderr.startswith("Zet eerst MELDCODE_DATABASE op het adres")


def test_an_unreachable_server_is_exit_3_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://anna:Zeer-Geheim-42@127.0.0.1:{free_port()}/register"
    r = meldcode("register", "init", url=url, home=tmp_path)
    assert 3 == r.returncode
    assert "(database register op 127.0.0.1:" in r.stderr
    assert "er antwoordt geen server op dat adres" in r.stderr
    assert "Zeer-Geheim-42" not in r.stderr + r.stdout
    assert "Traceback" not in r.stderr


def test_a_wrong_password_is_refused_without_showing_it(
    pg_register: Register, pg_server: PgServer, tmp_path: Path
) -> None:
    url = pg_server.dsn(pg_register.dbname, "anna", "Fout-Wachtwoord-7")
    r = meldcode("register", "init", url=url, home=tmp_path)
    assert 3 == r.returncode
    assert "de server weigert de aanmelding" in r.stderr
    assert "Fout-Wachtwoord-7" not in r.stderr + r.stdout


def test_a_role_outside_the_register_is_told_to_ask_for_access(
    pg_register: Register, tmp_path: Path
) -> None:
    """A login role that is not a register user is refused at the database's door: exit 3 and
    'ask the administrator for access', not 'no server answers at that address'."""
    with psycopg.connect(pg_register.admin_dsn, autocommit=True) as admin:
        if admin.execute("SELECT FROM pg_roles WHERE rolname = 'buiten'").fetchone() is None:
            admin.execute("CREATE ROLE buiten LOGIN PASSWORD 'netiub'")
    url = pg_register.dsn("buiten")
    r = meldcode("lijst", url=url, home=tmp_path)
    assert 3 == r.returncode
    assert "weigert dit voor uw databaserol" in r.stderr
    assert "meldcode register gebruiker" in r.stderr
    assert "er antwoordt geen server" not in r.stderr
    assert "netiub" not in r.stderr + r.stdout


def test_without_psycopg_the_register_is_exit_3_with_how_to_install(tmp_path: Path) -> None:
    # An installation without the postgresql extra: psycopg cannot be imported.
    geen = tmp_path / "zonder"
    (geen / "psycopg").mkdir(parents=True)
    (geen / "psycopg" / "__init__.py").write_text("raise ImportError('psycopg')\n")
    r = meldcode_process(
        "register", "init", url="postgresql://anna@127.0.0.1/register", home=tmp_path,
        extra={"PYTHONPATH": str(geen)},
    )  # fmt: skip
    assert 3 == r.returncode
    assert "pip install 'meldcode[postgresql]'" in r.stderr
    assert 1 == len(r.stderr.strip().splitlines())


def test_each_new_case_names_the_eindverantwoordelijke_set_once(
    pg_register: Register, tmp_path: Path
) -> None:
    from test_register_walks import start_case

    voor = start_case(pg_register, "anna", tmp_path)
    r = meldcode(
        "register", "init", "--eindverantwoordelijke", "Directeur zorg, M. de Boer",
        url=pg_register.admin_dsn, home=tmp_path,
    )  # fmt: skip
    assert 0 == r.returncode, r.stderr
    assert "Eindverantwoordelijke: Directeur zorg, M. de Boer." in r.stdout
    na = start_case(pg_register, "anna", tmp_path)
    with psycopg.connect(pg_register.admin_dsn) as admin:
        rijen = dict(
            admin.execute("SELECT id, eindverantwoordelijke FROM meldcode.casussen").fetchall()
        )
    assert {voor: None, na: "Directeur zorg, M. de Boer"} == rijen
    # Asked once: a later init without the option keeps it.
    again = meldcode("register", "init", url=pg_register.admin_dsn, home=tmp_path)
    assert "Eindverantwoordelijke: Directeur zorg, M. de Boer." in again.stdout
    # Shown in the dossier: toon and the dossier exports name it; the older case has none.
    for opdracht in (["toon", na], ["exporteer", na, "--formaat", "markdown"],
                     ["exporteer", na, "--formaat", "html"]):  # fmt: skip
        r = meldcode(*opdracht, url=pg_register.dsn("anna"), home=tmp_path)
        assert 0 == r.returncode, r.stderr
        assert "Eindverantwoordelijke (organisatie)" in r.stdout
        assert "Directeur zorg, M. de Boer" in r.stdout
    ouder = meldcode("exporteer", voor, "--formaat", "markdown",
                     url=pg_register.dsn("anna"), home=tmp_path)  # fmt: skip
    assert "Eindverantwoordelijke (organisatie)" not in ouder.stdout
