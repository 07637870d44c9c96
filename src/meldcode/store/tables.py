"""The store's tables: their rows as Python values, the migrations and the version check."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meldcode.errors import StoreCorrupt, StoreTooNew
from meldcode.store.log import GENESIS, register_hash
from meldcode.store.records import Casus, Event, RegisterEntry

if TYPE_CHECKING:  # the register on PostgreSQL reads rows with these helpers, without sqlite3
    import sqlite3

SCHEMA_VERSION = 4

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE casussen (
        id TEXT PRIMARY KEY,
        sector TEXT NOT NULL,
        status TEXT NOT NULL,
        label TEXT,
        oefening INTEGER NOT NULL DEFAULT 0,
        aangemaakt TEXT NOT NULL,
        bijgewerkt TEXT NOT NULL,
        uitkomst_id TEXT,
        uitkomst_reden TEXT,
        meldnorm INTEGER,
        uitkomst_tijd TEXT,
        evaluatiedatum TEXT,
        flow_versie TEXT NOT NULL,
        flow_hash TEXT NOT NULL,
        laatste_hash TEXT NOT NULL,
        aantal_events INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX casussen_status ON casussen(status);
    CREATE INDEX casussen_sector ON casussen(sector);
    CREATE INDEX casussen_evaluatie ON casussen(evaluatiedatum) WHERE evaluatiedatum IS NOT NULL;
    CREATE INDEX casussen_aangemaakt ON casussen(aangemaakt);
    CREATE INDEX casussen_statistiek ON casussen(
        oefening, sector, status, uitkomst_id, uitkomst_reden, aangemaakt, uitkomst_tijd
    );
    CREATE TABLE events (
        casus_id TEXT NOT NULL REFERENCES casussen(id) ON DELETE CASCADE,
        volgnummer INTEGER NOT NULL,
        tijd TEXT NOT NULL,
        soort TEXT NOT NULL,
        stap TEXT,
        vraag TEXT,
        antwoord TEXT,
        toelichting TEXT,
        vorige_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (casus_id, volgnummer)
    ) WITHOUT ROWID;
    """,
    # Expression indexes, so statistiek groups by month and counts days without sorting.
    2: """
    CREATE INDEX casussen_maand_gestart ON casussen(substr(aangemaakt, 1, 7))
        WHERE oefening = 0;
    CREATE INDEX casussen_maand_uitkomst ON casussen(substr(uitkomst_tijd, 1, 7))
        WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL;
    CREATE INDEX casussen_tienden ON casussen(
        CAST(round((julianday(uitkomst_tijd) - julianday(aangemaakt)) * 10) AS INTEGER)
    ) WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL;
    """,
    # The register: a store-wide chain over the case heads, deletions included (its last
    # hash is the root a user keeps elsewhere; see docs/integriteit.md).
    3: """
    CREATE TABLE register (
        volgnummer INTEGER PRIMARY KEY,
        casus_id TEXT NOT NULL,
        soort TEXT NOT NULL,
        kop TEXT NOT NULL,
        aantal INTEGER NOT NULL,
        vorige_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX register_casus ON register(casus_id, volgnummer);
    """,
    # Times carry the offset of the machine that wrote them: order and compare them as instants
    # (julianday() reads the offset). And the follow-up a `vervolg` case is due on
    # (history.case_fields), so `lijst --evaluatie-verlopen` stays one indexed query.
    4: """
    DROP INDEX IF EXISTS casussen_aangemaakt;
    CREATE INDEX casussen_moment ON casussen(julianday(aangemaakt));
    ALTER TABLE casussen ADD COLUMN vervolg_open TEXT;
    CREATE INDEX casussen_vervolg_open ON casussen(vervolg_open) WHERE vervolg_open IS NOT NULL;
    """,
}


# The columns each *_from_row function reads, in its order.
CASUS_COLUMNS = ", ".join(Casus.__dataclass_fields__)
EVENT_COLUMNS = "volgnummer, tijd, soort, stap, vraag, antwoord, toelichting, vorige_hash, hash"
REGISTER_COLUMNS = ", ".join(RegisterEntry.__dataclass_fields__)

def casus_from_row(row: Sequence[Any]) -> Casus:
    """A case from its row, in the order of Casus's fields."""
    values = list(row)
    values[4] = bool(values[4])
    return Casus(*values)


class UnreadableEvent(ValueError):
    """A stored event whose answer is not the JSON meldcode wrote (a damaged or edited file)."""

    def __init__(self, volgnummer: object) -> None:
        super().__init__(f"event {volgnummer}: the answer is not valid JSON")
        self.volgnummer = volgnummer


def events_from_rows(rows: Iterable[Sequence[Any]], pad: str) -> list[Event]:
    """A case's events from their rows; StoreCorrupt (naming `pad`) if one cannot be read."""
    try:
        return [event_from_row(r) for r in rows]
    except UnreadableEvent:
        raise StoreCorrupt(pad=pad) from None


def event_from_row(row: Sequence[Any]) -> Event:
    """An event from its row (volgnummer … hash, in table order after casus_id).

    UnreadableEvent if its answer cannot be decoded.
    """
    try:
        antwoord = None if row[5] is None else json.loads(row[5])
    except (ValueError, TypeError, RecursionError):
        raise UnreadableEvent(row[0]) from None
    return _event(row, antwoord, row[8])


def event_for_chain_check(row: Sequence[Any]) -> Event:
    """Like event_from_row, but an unreadable event comes back with its answer as stored and
    an empty hash, so a chain check reports it as broken instead of failing on it."""
    try:
        return event_from_row(row)
    except UnreadableEvent:
        return _event(row, str(row[5]), "")


def _event(row: Sequence[Any], antwoord: Any, hash_: str) -> Event:
    return Event(
        volgnummer=row[0],
        tijd=row[1],
        soort=row[2],
        stap=row[3],
        vraag=row[4],
        antwoord=antwoord,
        toelichting=row[6],
        vorige_hash=row[7],
        hash=hash_,
    )


def register_from_row(row: Sequence[Any]) -> RegisterEntry:
    """A register entry from its row (REGISTER_COLUMNS)."""
    return RegisterEntry(*row)


def event_to_row(casus_id: str, e: Event) -> tuple[Any, ...]:
    """The events row of this event, in table order."""
    return (
        casus_id,
        e.volgnummer,
        e.tijd,
        e.soort,
        e.stap,
        e.vraag,
        None if e.antwoord is None else json.dumps(e.antwoord, ensure_ascii=False),
        e.toelichting,
        e.vorige_hash,
        e.hash,
    )


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version; StoreTooNew or StoreCorrupt if it is not ours to use."""
    # One statement, so the version and the tables come from the same snapshot.
    versie, tabellen = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_master WHERE type = 'table')"
    ).fetchone()
    if versie > SCHEMA_VERSION:
        raise StoreTooNew(pad=str(path), versie=versie)
    if versie == 0 and tabellen:
        raise StoreCorrupt(pad=str(path))  # a database, but not one of ours
    return int(versie)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to SCHEMA_VERSION; the caller holds the write transaction."""
    # Another process may have migrated since the caller's check: read it again now that
    # this one holds the write lock.
    for v in range(check_version(conn, path) + 1, SCHEMA_VERSION + 1):
        for statement in _split(_MIGRATIONS[v]):
            conn.execute(statement)
        if v == 3:
            _register_existing(conn)
        if v == 4:
            _vervolg_existing(conn)
        conn.execute(f"PRAGMA user_version = {v}")


def _register_existing(conn: sqlite3.Connection) -> None:
    """Enter every case of an older store in the new register as it is now ('bestaand')."""
    rows = conn.execute(
        "SELECT id, laatste_hash, aantal_events FROM casussen ORDER BY aangemaakt, id"
    ).fetchall()
    vorige = GENESIS
    for nummer, (casus_id, kop, aantal) in enumerate(rows, start=1):
        vorige = append_register(conn, nummer, casus_id, "bestaand", kop, aantal, vorige)


def _vervolg_existing(conn: sqlite3.Connection) -> None:
    """Fill `vervolg_open` of the cases in `vervolg` by replaying their logs on the current
    flows; a case whose log no longer fits them keeps NULL (as `verifieer` then does not
    compare derived fields)."""
    from meldcode.errors import MeldcodeError
    from meldcode.flows import load_flow
    from meldcode.store.history import case_fields, state_from_events

    flows: dict[str, Any] = {}
    rows = conn.execute("SELECT id, sector FROM casussen WHERE status = 'vervolg'").fetchall()
    for casus_id, sector in rows:
        try:
            if sector not in flows:
                flows[sector] = load_flow(sector)
            events = [
                event_from_row(r)
                for r in conn.execute(
                    f"SELECT {EVENT_COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer",
                    (casus_id,),
                )
            ]
            flow = flows[sector]
            waarde = case_fields(flow, state_from_events(flow, sector, events))["vervolg_open"]
        except (MeldcodeError, ValueError):
            continue
        conn.execute("UPDATE casussen SET vervolg_open = ? WHERE id = ?", (waarde, casus_id))


def append_register(
    conn: sqlite3.Connection,
    volgnummer: int,
    casus_id: str,
    soort: str,
    kop: str,
    aantal: int,
    vorige_hash: str,
) -> str:
    """Insert one register entry; its hash."""
    h = register_hash(volgnummer, casus_id, soort, kop, aantal, vorige_hash)
    conn.execute(
        "INSERT INTO register (volgnummer, casus_id, soort, kop, aantal, vorige_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (volgnummer, casus_id, soort, kop, aantal, vorige_hash, h),
    )
    return h


def migration_statements(versie: int) -> list[str]:
    """The SQL statements that bring a store from version `versie - 1` to `versie`, in order
    (tests build a store of an older meldcode with them)."""
    return list(_split(_MIGRATIONS[versie]))


def _split(script: str) -> Sequence[str]:
    return [s for s in (part.strip() for part in script.split(";")) if s]
