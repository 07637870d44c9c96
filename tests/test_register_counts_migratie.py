"""The counters across a schema migration and under concurrent writers (issue 15): a register of
version 1 (made by the old DDL, kept as MIGRATIONS[1]) gets its counters filled from its cases,
and 20 professionals writing at once (processes) lose no count and never deadlock."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from pgserver import PgServer, Register, add_professionals
from test_register_counts import normal, scan

psycopg = pytest.importorskip("psycopg")

from meldcode.store.postgres import PostgresStore  # noqa: E402
from meldcode.store.postgres_admin import add_user, init_register  # noqa: E402
from meldcode.store.postgres_connect import RegisterNotReady  # noqa: E402
from meldcode.store.stats import statistiek  # noqa: E402

CASUS = (
    "INSERT INTO meldcode.casussen (id, sector, status, label, oefening, aangemaakt, bijgewerkt,"
    " uitkomst_id, uitkomst_reden, uitkomst_tijd, flow_versie, flow_hash, laatste_hash)"
    " VALUES (%s, %s, %s, 'dossier', %s, %s, %s, %s, %s, %s, '2026.1', 'sha256:x', 'k')"
)


def version_1_register(server: PgServer, dbname: str) -> Register:
    """A register as the version-1 code set it up, with cases, a handover with co-reader, a
    handover without, and a practice case, written as the professionals would."""
    dsn = server.admin_dsn(dbname)
    with psycopg.connect(dsn) as c:
        assert 1 == init_register(c, tot=1).naar
        for naam in ("anna", "bert", "cor"):
            add_user(c, naam, coordinator=naam == "cor", wachtwoord=naam[::-1])
    register = Register(server=server, dbname=dbname, admin_dsn=dsn)
    with psycopg.connect(register.dsn("anna"), autocommit=True) as anna:
        for i in range(12):
            maand = f"2025-{1 + i % 12:02d}-0{1 + i % 7}T10:00:00+01:00"
            klaar = i % 3 == 0
            anna.execute(
                CASUS,
                (f"mc-v1-{i:02d}", ("basis", "zorg")[i % 2], "afgerond" if klaar else "open",
                 i == 11, maand, maand, "afsluiten" if klaar else None,
                 "geen-vermoeden" if klaar else None,
                 maand.replace("T10", "T17") if klaar else None),
            )  # fmt: skip
        anna.execute("SELECT meldcode.overdragen('mc-v1-01', 'bert', true)")
        anna.execute("SELECT meldcode.overdragen('mc-v1-03', 'bert', false)")
    return register


def test_a_version_1_register_migrates_and_its_counters_equal_the_scan(
    pg_server: PgServer, pg_admin_dsn: str
) -> None:
    register = version_1_register(pg_server, pg_admin_dsn.split("@/", 1)[1].split("?", 1)[0])
    with pytest.raises(RegisterNotReady, match="schemaversie 1, deze meldcode verwacht 2"):
        PostgresStore(register.dsn("anna"))
    with psycopg.connect(register.admin_dsn) as admin:
        voor = scan(admin)
        assert (1, 2) == tuple(vars(init_register(admin))[k] for k in ("van", "naar"))
        assert voor == scan(admin)
    for naam in ("anna", "bert"):
        with (
            psycopg.connect(register.dsn(naam)) as conn,
            PostgresStore(register.dsn(naam), lezen=True) as store,
        ):
            assert scan(conn) == normal(store.counts())
    with PostgresStore(register.dsn("cor"), lezen=True) as cor:
        assert voor == normal(cor.counts())
        assert 11 == statistiek(cor, exact=True)["casussen"]  # the practice case is not counted
    # And the migrated register goes on counting.
    with PostgresStore(register.dsn("bert")) as bert:
        bert.create(sector="zorg", flow_versie="2026.1", flow_hash="sha256:x")
        bert.delete("mc-v1-01")
    with psycopg.connect(register.admin_dsn) as admin, PostgresStore(register.dsn("cor")) as cor:
        assert scan(admin) == normal(cor.counts())


# One professional's writes: two cases in one transaction, in the opposite sector order of the
# next professional (counters updated as they went would deadlock); cases, outcomes, a handover
# to the next professional (with and without co-reader), a delete; all started at one moment,
# once all twenty are connected.
WORKER = """
import sys, time
from meldcode.store.postgres import PostgresStore
from meldcode.store.postgres_moves import handover
from meldcode.store.records import NieuwEvent
dsn, volgende, oneven = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
store = PostgresStore(dsn)
print("klaar", flush=True)
sys.stdin.readline()  # all twenty are connected: go
with store.conn.transaction():
    for sector in ("zorg", "basis") if oneven else ("basis", "zorg"):
        store.create(sector=sector, flow_versie="2026.1", flow_hash="sha256:x")
        time.sleep(0.3)
ids = []
for i in range(6):
    c = store.create(sector=("basis", "zorg", "onderwijs")[i % 3], flow_versie="2026.1",
                     flow_hash="sha256:x")
    ids.append(c.id)
    antwoord = {"id": "afsluiten", "reden": "geen-vermoeden", "meldnorm": None}
    store.append(c, NieuwEvent(soort="uitkomst", antwoord=antwoord), status="afgerond",
                 uitkomst_id="afsluiten", uitkomst_reden="geen-vermoeden", uitkomst_tijd="nu")
handover(store, ids[0], aan=volgende, reden="r", medelezer=True)
handover(store, ids[1], aan=volgende, reden="r", medelezer=False)
store.delete(ids[2], ids[3])
store.close()
"""


def test_twenty_writers_at_once_lose_no_count(pg_register: Register) -> None:
    namen = add_professionals(pg_register, "tel")
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, pg_register.dsn(naam), namen[(i + 1) % 20], str(i % 2)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i, naam in enumerate(namen)
    ]  # fmt: skip
    for p in runs:
        assert p.stdout is not None
        if p.stdout.readline() != "klaar\n":
            pytest.fail(f"a writer did not connect: {p.communicate(timeout=60)[1]}")
    for p in runs:
        assert p.stdin is not None
        p.stdin.write("\n")
        p.stdin.flush()
    uit = [p.communicate(timeout=180) for p in runs]
    assert [0] * 20 == [p.returncode for p in runs], [e for _, e in uit]
    with psycopg.connect(pg_register.admin_dsn) as admin:
        alles = scan(admin)
        assert 20 * 6 == admin.execute("SELECT count(*) FROM meldcode.casussen").fetchone()[0]
        for tabel in ("tellingen_wachtend", "tellingen_transacties"):  # nothing left behind
            assert 0 == admin.execute(f"SELECT count(*) FROM meldcode.{tabel}").fetchone()[0]
    with PostgresStore(pg_register.dsn("cor"), lezen=True) as cor:
        assert alles == normal(cor.counts())
    for naam in namen:
        conn: Any
        with (
            psycopg.connect(pg_register.dsn(naam)) as conn,
            PostgresStore(pg_register.dsn(naam), lezen=True) as store,
        ):
            assert scan(conn) == normal(store.counts()), naam
