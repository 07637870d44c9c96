"""The register's edges found in review (issue 15): server warnings, Ctrl-C against a server that
says nothing, a TRUNCATE in a transaction that changed a case, and the co-reader races of the
counters (each failed on a version of the code: a hand-written libpq session, since removed, or
the counters without one of their triggers or locks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pgserver import PgServer, Register, drop_database, make_register, new_database
from test_register_cli import meldcode_process
from test_register_counts import normal, scan

psycopg = pytest.importorskip("psycopg")

from meldcode.store.postgres import PostgresStore  # noqa: E402


def test_a_server_warning_is_not_printed_by_a_read_only_command(
    pg_server: PgServer, tmp_path: Path
) -> None:
    """A database whose collation changed under it (an OS upgrade) warns on every connection;
    libpq's default notice processor would print it on stderr, in English, with the database's
    name (psycopg keeps it to itself): `lijst` must say nothing but its own words."""
    naam = new_database(pg_server) + "_c"
    with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as c:
        c.execute(f"CREATE DATABASE \"{naam}\" TEMPLATE template0 LOCALE 'C.utf8'")
    try:
        register = make_register(pg_server, naam)
        with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as c:
            c.execute("UPDATE pg_database SET datcollversion = '0.1' WHERE datname = %s", (naam,))
        with PostgresStore(register.dsn("anna")) as anna:
            anna.create(sector="zorg", flow_versie="1", flow_hash="h")
        for args in (("lijst",), ("statistiek",)):
            r = meldcode_process(*args, url=register.dsn("anna"), home=tmp_path)
            assert (0, "") == (r.returncode, r.stderr), args
    finally:
        drop_database(pg_server, naam)


def test_a_truncate_after_a_change_in_the_same_transaction_counts_what_is_there(
    pg_register: Register,
) -> None:
    """TRUNCATE recounts, but the changes this transaction staged before it are applied again
    at commit: the coordinator counts a case that is not there."""
    with PostgresStore(pg_register.dsn("anna")) as anna:
        anna.create(sector="zorg", flow_versie="1", flow_hash="h")
    with psycopg.connect(pg_register.admin_dsn) as admin:
        admin.execute("SET ROLE anna")
        admin.execute(
            "INSERT INTO meldcode.casussen (id, sector, status, aangemaakt, bijgewerkt,"
            " flow_versie, flow_hash, laatste_hash) VALUES ('mc-x', 'basis', 'open',"
            " '2026-01-01T10:00:00+01:00', '2026-01-01T10:00:00+01:00', '1', 'h', 'k')"
        )
        admin.execute("RESET ROLE")
        admin.execute("TRUNCATE meldcode.casussen CASCADE")
    with psycopg.connect(pg_register.admin_dsn) as admin:
        alles = scan(admin)
    with PostgresStore(pg_register.dsn("cor"), lezen=True) as cor:
        assert alles == normal(cor.counts())


def test_ctrl_c_stops_a_read_only_command_whose_server_does_not_answer(tmp_path: Path) -> None:
    """A server that accepted the connection but says nothing (a network that hangs): Ctrl-C
    stops `lijst` at once (a driver blocking inside libpq's calls held the signal until
    connect_timeout, 10 s, and on a query that hangs, for ever)."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as stil:
        stil.bind(("127.0.0.1", 0))
        stil.listen(5)
        url = f"postgresql://anna:x@127.0.0.1:{stil.getsockname()[1]}/register"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MELDCODE_", "PG"))}
        env.update(MELDCODE_HOME=str(tmp_path), MELDCODE_DATABASE=url)
        p = subprocess.Popen(
            [str(Path(sys.executable).parent / "meldcode"), "lijst"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        time.sleep(2)
        begin = time.monotonic()
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=30)
        assert time.monotonic() - begin < 3


def test_a_co_reader_dropped_while_the_owner_changes_the_case_counts_its_new_state(
    pg_register: Register,
) -> None:
    """The administrator takes a co-reader away while the owner's change of that case is not
    yet committed: the co-reader's counters go back to nothing (the FOR SHARE in
    tellen_medelezers; without it the old status is taken off twice and the new one stays).
    (Adding a co-reader waits anyway: its foreign key check meets the owner's FOR UPDATE.)"""
    import threading
    import time

    from meldcode.store.records import NieuwEvent

    with PostgresStore(pg_register.dsn("anna")) as anna:
        casus = anna.create(sector="zorg", flow_versie="1", flow_hash="h")
        with psycopg.connect(pg_register.admin_dsn) as admin:
            admin.execute("INSERT INTO meldcode.medelezers VALUES (%s, 'bert')", (casus.id,))
        antwoord = {"id": "afsluiten", "reden": "geen-vermoeden", "meldnorm": None}
        with anna.conn.transaction():  # the owner's change, still open
            anna.append(
                casus, NieuwEvent(soort="uitkomst", antwoord=antwoord), status="afgerond",
                uitkomst_id="afsluiten", uitkomst_reden="geen-vermoeden", uitkomst_tijd="nu",
            )  # fmt: skip

            def drop_co_reader() -> None:
                with psycopg.connect(pg_register.admin_dsn) as admin:
                    admin.execute(
                        "DELETE FROM meldcode.medelezers WHERE casus_id = %s", (casus.id,)
                    )

            beheerder = threading.Thread(target=drop_co_reader)
            beheerder.start()
            time.sleep(1)
        beheerder.join(timeout=30)
    with (
        psycopg.connect(pg_register.dsn("bert")) as conn,
        PostgresStore(pg_register.dsn("bert"), lezen=True) as bert,
    ):
        assert scan(conn) == normal(bert.counts())


def test_a_case_deleted_by_its_new_owner_leaves_no_count_with_the_co_reader(
    pg_register: Register,
) -> None:
    """anna hands a case to bert and stays co-reader; bert deletes it: anna counts nothing
    (the co-readers go before the case: trigger medelezers_eerst; no test failed without it)."""
    from meldcode.store.postgres_moves import handover

    with PostgresStore(pg_register.dsn("anna")) as anna:
        casus = anna.create(sector="zorg", flow_versie="1", flow_hash="h")
        handover(anna, casus.id, aan="bert", reden="r", medelezer=True)
    with PostgresStore(pg_register.dsn("bert")) as bert:
        bert.delete(casus.id)
    with PostgresStore(pg_register.dsn("anna"), lezen=True) as anna:
        assert ([], {}, {}, {}) == normal(anna.counts())
