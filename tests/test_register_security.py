"""The shared register's rules hold in PostgreSQL itself (issue 15): logged in as different
roles on a real server, with hand-written SQL through the same connection the store would use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pgserver import Register

psycopg = pytest.importorskip("psycopg")
from psycopg import errors  # noqa: E402

EVENT = "INSERT INTO meldcode.events VALUES (%s, %s, '2026-12-05T10:00:00+01:00', 'antwoord',"
EVENT += " 'stap-1', 'signalen-beschrijving', '\"Kind vertelt iets\"', NULL, 'v', 'h')"


@pytest.fixture
def login(pg_register: Register) -> Iterator[Any]:
    """login(user): an open connection as that role, closed afterwards."""
    conns: list[Any] = []

    def _login(user: str) -> Any:
        conn = psycopg.connect(pg_register.dsn(user), autocommit=True)
        conns.append(conn)
        return conn

    yield _login
    for c in conns:
        c.close()


def new_case(conn: Any, casus_id: str, label: str = "dossier-4711") -> None:
    """A case with one answer, as the role of `conn`."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO meldcode.casussen (id, sector, status, label, aangemaakt, bijgewerkt,"
            " flow_versie, flow_hash, laatste_hash, evaluatiedatum, uitkomst_id, uitkomst_tijd)"
            " VALUES (%s, 'basis', 'wacht-op-evaluatie', %s, '2026-12-01T10:00:00+01:00',"
            " '2026-12-01T10:00:00+01:00', '1', 'sha256:x', 'k', '2026-12-20', 'hulp-bieden',"
            " '2026-12-03T10:00:00+01:00')",
            (casus_id, label),
        )
        conn.execute(EVENT, (casus_id, 1))
        conn.execute("SELECT meldcode.registreer(%s, 'nieuw', 'k', 1)", (casus_id,))


def visible(conn: Any, casus_id: str) -> tuple[int, int]:
    """How many of the case's rows and events this role can read."""
    return (
        conn.execute(
            "SELECT count(*) FROM meldcode.casussen WHERE id = %s", (casus_id,)
        ).fetchone()[0],
        conn.execute(
            "SELECT count(*) FROM meldcode.events WHERE casus_id = %s", (casus_id,)
        ).fetchone()[0],
    )


def test_a_professional_sees_and_changes_only_their_own_cases(login: Any) -> None:
    anna, bert = login("anna"), login("bert")
    new_case(anna, "mc-anna-0001")
    new_case(bert, "mc-bert-0001")
    assert (1, 1) == visible(anna, "mc-anna-0001")
    assert (0, 0) == visible(bert, "mc-anna-0001")
    assert [("mc-bert-0001",)] == bert.execute("SELECT id FROM meldcode.casussen").fetchall()
    register = "SELECT casus_id FROM meldcode.register"
    assert [("mc-bert-0001",)] == bert.execute(register).fetchall()
    wijzig = "UPDATE meldcode.casussen SET status = 'afgerond' WHERE id = 'mc-anna-0001'"
    assert 0 == bert.execute(wijzig).rowcount
    weg = "DELETE FROM meldcode.events WHERE casus_id = 'mc-anna-0001'"
    assert 0 == bert.execute(weg).rowcount
    assert 0 == bert.execute("DELETE FROM meldcode.casussen WHERE id = 'mc-anna-0001'").rowcount
    assert (1, 1) == visible(anna, "mc-anna-0001")
    label = "SELECT label FROM meldcode.casussen WHERE id = 'mc-anna-0001'"
    assert [("dossier-4711",)] == anna.execute(label).fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        EVENT.replace("%s, %s", "'mc-anna-0001', 2"),  # an event in anna's chain
        "INSERT INTO meldcode.casussen (id, sector, status, aangemaakt, bijgewerkt, flow_versie,"
        " flow_hash, laatste_hash, eigenaar) VALUES ('mc-nep', 'basis', 'open', '2026-12-01',"
        " '2026-12-01', '1', 'x', 'k', 'anna')",  # a case in anna's name
        "SELECT meldcode.registreer('mc-anna-0001', 'bij', 'k', 2)",
        "SELECT meldcode.overdragen('mc-anna-0001', 'bert', false)",  # taking it over
        "SET ROLE anna",
        "ALTER TABLE meldcode.casussen DISABLE ROW LEVEL SECURITY",
        "DROP POLICY lezen ON meldcode.casussen",
        "CREATE TABLE meldcode.kopie AS SELECT 1",
        "CREATE VIEW meldcode.alles AS SELECT * FROM meldcode.casussen",
        "SELECT * FROM meldcode.telling",  # the coordinator's views
        "UPDATE meldcode.casussen SET eigenaar = 'bert'",  # taking a case by its owner column
        "UPDATE meldcode.casussen SET eindverantwoordelijke = 'niemand'",
        "UPDATE meldcode.organisatie SET eindverantwoordelijke = 'niemand'",
    ],
)
def test_hand_written_sql_of_another_professional_is_refused(login: Any, sql: str) -> None:
    anna, bert = login("anna"), login("bert")
    new_case(anna, "mc-anna-0001")
    with pytest.raises(errors.InsufficientPrivilege):
        bert.execute(sql)
    assert (1, 1) == visible(anna, "mc-anna-0001")


def test_the_coordinator_sees_counts_and_due_dates_never_content(login: Any) -> None:
    anna, bert, cor = login("anna"), login("bert"), login("cor")
    new_case(anna, "mc-anna-0001")
    new_case(bert, "mc-bert-0001")
    for tabel in ("casussen", "events", "register", "overdrachten", "medelezers"):
        with pytest.raises(errors.InsufficientPrivilege):
            cor.execute(f"SELECT * FROM meldcode.{tabel}")
    telling = cor.execute("SELECT * FROM meldcode.telling").fetchall()
    assert [("basis", "wacht-op-evaluatie", "hulp-bieden", None, None, 2)] == telling
    termijnen = cor.execute(
        "SELECT casus_id, eigenaar, soort, datum FROM meldcode.termijnen ORDER BY 1"
    ).fetchall()
    assert [
        ("mc-anna-0001", "anna", "evaluatie", "2026-12-20"),
        ("mc-bert-0001", "bert", "evaluatie", "2026-12-20"),
    ] == termijnen
    assert [(20,)] == cor.execute("SELECT tienden FROM meldcode.doorlooptijd").fetchall()
    # No column of any view the coordinator may read holds a label, answer or free text.
    kolommen = {
        r[0]
        for r in cor.execute(
            "SELECT column_name FROM information_schema.column_privileges"
            " WHERE grantee = 'meldcode_coordinator' AND table_schema = 'meldcode'"
        )
    }
    assert kolommen <= {
        "sector", "status", "uitkomst_id", "uitkomst_reden", "meldnorm", "aantal", "maand",
        "tienden", "casus_id", "eigenaar", "soort", "datum", "versie", "maand_gestart",
        "maand_uitkomst", "eindverantwoordelijke",
    }  # fmt: skip
    rijen = [
        str(r) for v in ("telling", "termijnen") for r in cor.execute(f"SELECT * FROM meldcode.{v}")
    ]
    assert not any("dossier-4711" in r or "Kind vertelt" in r for r in rijen)


def test_after_a_handover_the_old_owner_is_refused(login: Any) -> None:
    anna, bert = login("anna"), login("bert")
    new_case(anna, "mc-anna-0001")
    anna.execute("SELECT meldcode.overdragen('mc-anna-0001', 'bert', false)")
    assert (0, 0) == visible(anna, "mc-anna-0001")
    assert (1, 1) == visible(bert, "mc-anna-0001")
    with pytest.raises(errors.InsufficientPrivilege):
        anna.execute(EVENT, ("mc-anna-0001", 2))
    assert 0 == anna.execute("UPDATE meldcode.casussen SET status = 'afgerond'").rowcount
    bert.execute(EVENT, ("mc-anna-0001", 2))
    assert (1, 2) == visible(bert, "mc-anna-0001")


def test_a_co_reader_reads_but_cannot_write(login: Any) -> None:
    anna = login("anna")
    new_case(anna, "mc-anna-0001")
    anna.execute("SELECT meldcode.overdragen('mc-anna-0001', 'bert', true)")
    assert (1, 1) == visible(anna, "mc-anna-0001")
    with pytest.raises(errors.InsufficientPrivilege):
        anna.execute(EVENT, ("mc-anna-0001", 2))
    assert 0 == anna.execute("UPDATE meldcode.casussen SET status = 'afgerond'").rowcount
    assert 0 == anna.execute("DELETE FROM meldcode.casussen").rowcount


@pytest.mark.parametrize("aan", ["cor", "meldcode_professional", "anna", "niemand"])
def test_a_case_goes_only_to_another_professional(login: Any, aan: str) -> None:
    anna = login("anna")
    new_case(anna, "mc-anna-0001")
    with pytest.raises(errors.DatabaseError):
        anna.execute("SELECT meldcode.overdragen('mc-anna-0001', %s, false)", (aan,))
    assert (1, 1) == visible(anna, "mc-anna-0001")


def test_the_register_hash_is_the_one_sqlite_computes(pg_register: Register, login: Any) -> None:
    from meldcode.store.log import GENESIS, register_hash

    anna = login("anna")
    new_case(anna, "mc-anna-0001")
    new_case(anna, "mc-anna-0002")
    with psycopg.connect(pg_register.admin_dsn) as admin:
        rows = admin.execute(
            "SELECT volgnummer, casus_id, soort, kop, aantal, vorige_hash, hash"
            " FROM meldcode.register WHERE eigenaar = 'anna' ORDER BY volgnummer"
        ).fetchall()
    vorige = GENESIS
    for nummer, casus_id, soort, kop, aantal, vorig, h in rows:
        assert (vorige, register_hash(nummer, casus_id, soort, kop, aantal, vorige)) == (vorig, h)
        vorige = h
    assert 2 == len(rows)


def test_only_the_registers_roles_connect_and_nobody_makes_a_temporary_table(
    pg_register: Register, login: Any
) -> None:
    """`register init`'s rights on the database itself: a login role outside the register's
    groups is refused at the door, and a professional gets no temporary table (the rights live
    outside the database, so this also checks that a register copied from a template has them)."""
    with psycopg.connect(pg_register.admin_dsn, autocommit=True) as admin:
        if admin.execute("SELECT FROM pg_roles WHERE rolname = 'buiten'").fetchone() is None:
            admin.execute("CREATE ROLE buiten LOGIN PASSWORD 'netiub'")  # pg_register.dsn's
    with pytest.raises(psycopg.OperationalError, match="CONNECT privilege"):
        psycopg.connect(pg_register.dsn("buiten")).close()
    with pytest.raises(errors.InsufficientPrivilege):
        login("anna").execute("CREATE TEMPORARY TABLE kladblok (tekst text)")
