"""Appending on the register in a pipeline (two round trips) and without one (libpq older than
14, forced here with `store.pipelined = False`), on a real server: the same rows and hashes,
the same Dutch errors, and nothing committed when a statement in the pipeline fails."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import psycopg
import pytest

from meldcode.errors import CasusNotFound, StoreError
from meldcode.store import Casus, NieuwEvent
from meldcode.store.postgres import PostgresStore
from meldcode.store.postgres_connect import NoRegisterAccess, RegisterUnreachable
from pgserver import PgServer, Register, new_register

WIJZEN = [pytest.param(True, id="pipeline"), pytest.param(False, id="zonder-pipeline")]
TIJD = "2026-12-05T10:00:00+01:00"


def antwoord(i: int) -> NieuwEvent:
    return NieuwEvent(
        soort="antwoord", stap="stap-1", vraag=f"vraag-{i}", antwoord=f"Feit {i}", toelichting=None
    )


def open_store(register: Register, pipelined: bool) -> PostgresStore:
    store = PostgresStore(register.dsn("anna"), clock=lambda: TIJD)
    assert store.pipelined == psycopg.Pipeline.is_supported()  # pipelined wherever libpq can
    store.pipelined = pipelined
    return store


def new_case(store: PostgresStore) -> Casus:
    return store.create(sector="basis", flow_versie="1", flow_hash="sha256:x")


def saved(register: Register, casus_id: str) -> tuple[Any, ...]:
    """What the administrator reads of the case: its row's head, its events, the register."""
    with psycopg.connect(register.admin_dsn) as c:
        return (
            c.execute(
                "SELECT laatste_hash, aantal_events, bijgewerkt FROM meldcode.casussen"
                " WHERE id = %s",
                (casus_id,),
            ).fetchall(),
            c.execute(
                "SELECT volgnummer, hash FROM meldcode.events WHERE casus_id = %s ORDER BY 1",
                (casus_id,),
            ).fetchall(),
            c.execute("SELECT nummer, hash FROM meldcode.register ORDER BY 1").fetchall(),
        )


def test_with_and_without_a_pipeline_the_same_rows_and_hashes(
    pg_server: PgServer, pg_register: Register
) -> None:
    uitkomsten = []
    for register, pipelined in ((pg_register, True), (new_register(pg_server), False)):
        with open_store(register, pipelined) as store:
            casus = store.create(
                casus_id="mc-aaaa-bbbb", sector="basis", flow_versie="1", flow_hash="sha256:x"
            )
            for i in range(3):
                casus, events = store.append(casus, antwoord(i), antwoord(10 + i), status="open")
                assert casus == store.get(casus.id)  # the row returned is the one committed
            casus, _ = store.append(casus, uitkomst_id="afsluiten", uitkomst_tijd="nu")
            assert (TIJD, casus) == (casus.uitkomst_tijd, store.get(casus.id))
            uitkomsten.append((store.events(casus.id), saved(register, casus.id), events))
    assert uitkomsten[0] == uitkomsten[1]
    assert 6 == len(uitkomsten[0][0])


@pytest.mark.parametrize("pipelined", WIJZEN)
def test_a_refused_statement_in_the_pipeline_commits_nothing_and_says_so_in_dutch(
    pg_register: Register, pipelined: bool
) -> None:
    with open_store(pg_register, pipelined) as store:
        casus = new_case(store)
        for i in range(6):  # past psycopg's threshold: the statements are prepared by now
            casus, _ = store.append(casus, antwoord(i))
        voor = saved(pg_register, casus.id)
        recht = "EXECUTE ON FUNCTION meldcode.registreer(text, text, text, integer)"
        with psycopg.connect(pg_register.admin_dsn, autocommit=True) as admin:
            # The head is read and the event inserted; the register entry is refused.
            admin.execute(f"REVOKE {recht} FROM meldcode_professional")
            with pytest.raises(NoRegisterAccess) as fout:
                store.append(casus, antwoord(6))
            assert str(NoRegisterAccess(waar=store.location)) == str(fout.value)
            assert voor == saved(pg_register, casus.id)
            admin.execute(f"GRANT {recht} TO meldcode_professional")
        # The connection is as before: the next answer is recorded after the last one.
        casus, events = store.append(casus, antwoord(6))
        assert [7] == [e.volgnummer for e in events]
        assert 7 == len(saved(pg_register, casus.id)[1])


@pytest.mark.parametrize("pipelined", WIJZEN)
def test_an_error_after_some_statements_were_sent_commits_nothing(
    pg_register: Register, pipelined: bool
) -> None:
    with open_store(pg_register, pipelined) as store:
        casus = new_case(store)
        casus, _ = store.append(casus, antwoord(0))
        voor = saved(pg_register, casus.id)
        # The event and the register entry are on their way when the update cannot be made.
        with pytest.raises(StoreError):
            store.append(casus, antwoord(1), status=object())
        assert voor == saved(pg_register, casus.id)
        casus, events = store.append(casus, antwoord(1))
        assert [2] == [e.volgnummer for e in events]


@pytest.mark.parametrize("pipelined", WIJZEN)
def test_a_session_the_server_ended_gives_the_same_message_and_loses_nothing(
    pg_register: Register, pipelined: bool
) -> None:
    store = open_store(pg_register, pipelined)
    casus = new_case(store)
    casus, _ = store.append(casus, antwoord(0))
    with psycopg.connect(pg_register.admin_dsn, autocommit=True) as admin:
        pid = store.conn.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))  # as a restart does
    with pytest.raises(RegisterUnreachable) as fout:
        store.append(casus, antwoord(1))
    reden = "de server is aan het stoppen of starten"
    assert str(RegisterUnreachable(waar=store.location, reden=reden)) == str(fout.value)
    store.close()
    assert 1 == len(saved(pg_register, casus.id)[1])


@pytest.mark.parametrize("pipelined", WIJZEN)
def test_a_case_gone_mid_append_is_casus_not_found_and_the_session_goes_on(
    pg_register: Register, pipelined: bool
) -> None:
    with open_store(pg_register, pipelined) as store:
        weg = new_case(store)
        blijft = new_case(store)
        store.delete(weg.id)
        with pytest.raises(CasusNotFound):  # raised between the head's SELECT and the inserts
            store.append(weg, antwoord(0))
        assert psycopg.pq.TransactionStatus.IDLE == store.conn.info.transaction_status
        blijft, events = store.append(blijft, antwoord(0))
        assert (1, 1) == (events[0].volgnummer, len(saved(pg_register, blijft.id)[1]))


# A store in a process of its own, appending to a case whose row the test holds locked.
WACHTER = """
import sys
from meldcode.errors import StoreError
from meldcode.store import Casus, NieuwEvent
from meldcode.store.postgres import PostgresStore
store = PostgresStore(sys.argv[1])
store.pipelined = sys.argv[3] == "ja"
casus = store.get(sys.argv[2])
print(store.conn.info.backend_pid, flush=True)
try:
    store.append(casus, NieuwEvent(soort="pauze"))
except StoreError as e:
    print(e, file=sys.stderr)
    sys.exit(3)
"""


@pytest.mark.parametrize("pipelined", WIJZEN)
def test_a_session_ended_inside_the_transaction_says_why_in_dutch_only(
    pg_register: Register, pipelined: bool
) -> None:
    """The server ends the session while the append waits for the head's row: the Dutch
    message of a stopping server, and none of psycopg's own (English) warnings on stderr (a
    pipeline or a rollback on a lost connection: psycopg logs one, naming SQL context)."""
    with open_store(pg_register, pipelined) as store:
        casus = new_case(store)
    with psycopg.connect(pg_register.admin_dsn, autocommit=True) as admin:
        with admin.transaction():
            admin.execute("SELECT 1 FROM meldcode.casussen WHERE id = %s FOR UPDATE", (casus.id,))
            proces = subprocess.Popen(
                [sys.executable, "-c", WACHTER, pg_register.dsn("anna"), casus.id,
                 "ja" if pipelined else "nee"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert proces.stdout is not None
            pid = int(proces.stdout.readline())
            wacht = "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s"
            for _ in range(500):  # until its SELECT … FOR UPDATE waits for the test's lock
                if admin.execute(wacht, (pid,)).fetchone() == ("Lock",):
                    break
                time.sleep(0.01)
            with psycopg.connect(pg_register.admin_dsn, autocommit=True) as ander:
                ander.execute("SELECT pg_terminate_backend(%s)", (pid,))
        _, stderr = proces.communicate(timeout=30)
    reden = "de server is aan het stoppen of starten"
    waar = store.location
    assert (3, f"{RegisterUnreachable(waar=waar, reden=reden)}\n") == (proces.returncode, stderr)
    assert [] == saved(pg_register, casus.id)[1]
