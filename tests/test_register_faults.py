"""The register's server goes away mid-walk (issue 15): the answer being typed is the most that
is lost, the walk ends with exit 3 and a Dutch message, and `hervat` goes on once the server is
back. And a chain changed behind meldcode's back in the database is found by `verifieer`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from casussen import VERDER
from pgserver import PgServer, Register, make_register, serving
from terminal import Terminal
from test_register_cli import meldcode


@pytest.fixture(scope="module")
def module_server() -> Iterator[PgServer]:
    """A server of this module's own (no other test uses it): one initdb, not one per test."""
    with serving() as server:
        yield server


@pytest.fixture
def own_server(module_server: PgServer) -> PgServer:
    """The module's server, running, which the test may stop and start."""
    if not (module_server.data / "postmaster.pid").exists():
        module_server.start()
    return module_server


def answers(register: Register, casus_id: str) -> list[str | None]:
    """The questions answered in the case's log, as the administrator reads them."""
    with psycopg.connect(register.admin_dsn) as c:
        rows = c.execute(
            "SELECT vraag FROM meldcode.events WHERE casus_id = %s AND soort = 'antwoord'"
            " ORDER BY volgnummer",
            (casus_id,),
        ).fetchall()
    return [r[0] for r in rows]


def test_server_stopped_mid_walk_loses_at_most_the_answer_being_typed(
    own_server: PgServer, tmp_path: Path
) -> None:
    register = make_register(own_server)
    url = register.dsn("anna")
    term = Terminal(
        tmp_path, "start", "--sector", "basis", "--eenvoudig", extra={"MELDCODE_DATABASE": url}
    )
    term.wait_for("acuut gevaar voor")
    gevonden = re.search(r"Casus (mc-[a-z0-9]{4}-[a-z0-9]{4})", term.text())
    assert gevonden is not None
    casus_id = gevonden.group(1)
    term.send("2\r")  # acuut-gevaar: nee, recorded at once
    term.wait_for("signalen ziet")
    own_server.stop("fast")
    term.send("1\r")  # signalen: typed while the server is gone
    code = term.finish()
    assert 3 == code
    assert "niet bereikbaar" in term.text()
    assert "Traceback" not in term.raw.decode("utf-8", "replace")
    assert "anna"[::-1] not in term.raw.decode("utf-8", "replace")  # no password shown

    own_server.start()
    assert ["acuut-gevaar"] == answers(register, casus_id)
    r = meldcode(
        "hervat", casus_id, "--antwoorden", "-", "--standaard", "--json",
        url=url, home=tmp_path, stdin=VERDER,
    )  # fmt: skip
    assert 0 == r.returncode, r.stderr
    assert "acuut-gevaar" == answers(register, casus_id)[0]
    assert "afweging-2" in answers(register, casus_id)
    assert 0 == meldcode("verifieer", casus_id, url=url, home=tmp_path).returncode


def test_a_command_while_the_server_is_down_is_exit_3(own_server: PgServer, tmp_path: Path) -> None:
    register = make_register(own_server)
    own_server.stop("fast")
    for args in (["lijst"], ["statistiek"], ["start", "--antwoorden", "-"]):
        r = meldcode(*args, url=register.dsn("anna"), home=tmp_path, stdin=VERDER)
        assert 3 == r.returncode, args
        assert "is niet bereikbaar" in r.stderr
        assert "Traceback" not in r.stderr
        assert "anna"[::-1] not in r.stderr


def test_verifieer_finds_an_answer_changed_in_the_database(
    pg_register: Register, tmp_path: Path
) -> None:
    from test_register_walks import start_case

    casus_id = start_case(pg_register, "anna", tmp_path)
    url = pg_register.dsn("anna")
    assert 0 == meldcode("verifieer", url=url, home=tmp_path).returncode
    with psycopg.connect(pg_register.admin_dsn) as admin:
        admin.execute(
            "UPDATE meldcode.events SET antwoord = '\"ja\"'"
            " WHERE casus_id = %s AND vraag = 'acuut-gevaar'",
            (casus_id,),
        )
    r = meldcode("verifieer", url=url, home=tmp_path)
    assert 2 == r.returncode
    assert casus_id in r.stdout + r.stderr
