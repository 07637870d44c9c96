"""The shared register on PostgreSQL: the CaseStore interface (store/interface.py) with psycopg 3
(issue 15, docs/register.md).

The same chain as SQLite (log.chain hashes the same fields; answers are stored as the same JSON
text), one transaction per `append`, the register written by meldcode.registreer() (hashed as
log.register_hash), and a case lock per case as a session advisory lock. Who may see what is
the database's row-level security (postgres_schema.py), never a filter here: every query reads
"all cases", and PostgreSQL answers with the ones this role may see.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Unpack

from meldcode.errors import CasusNotFound, StoreLocked
from meldcode.store import records
from meldcode.store.interface import CaseStore
from meldcode.store.log import new_kop
from meldcode.store.postgres_append import registreer, write_events
from meldcode.store.postgres_connect import (
    RegisterNotReady,
    connect,
    describe,
    pipeline_supported,
    store_error,
)
from meldcode.store.postgres_queries import (
    CASE_COLUMNS,
    CHAIN_IDS,
    EVENT_COLUMNS,
    LOCK_CLASS,
    OVERGEDRAGEN,
    REGISTER_COLUMNS,
    casus_query,
    chains_from,
    counts_from,
    counts_sql,
)
from meldcode.store.postgres_schema import SCHEMA_VERSION, schema_version
from meldcode.store.records import CASE_UPDATE_FIELDS, Casus, Event, new_casus_id, now_iso
from meldcode.store.tables import casus_from_row, events_from_rows

PAGE = 500  # rows fetched per query when iterating: memory stays one page


def open_postgres(url: str, *, home: Path, lezen: bool) -> CaseStore:  # noqa: ARG001
    """The register MELDCODE_DATABASE names (a UrlOpener; `home` plays no part here).
    `lezen`: a read-only session, for a command that only reads."""
    return PostgresStore(url, lezen=lezen)


class PostgresStore:
    """A connection to the register as one professional's (or coordinator's) role."""

    def __init__(
        self, url: str, *, clock: Callable[[], str] = now_iso, lezen: bool = False
    ) -> None:
        self.url = url
        self.clock = clock
        self._locks: set[str] = set()
        self.conn = connect(url, autocommit=True)
        # Pipeline mode needs libpq 14 or newer; tests set this False to run the fallback.
        self.pipelined: bool = pipeline_supported()
        try:
            with self.errors():
                versie = schema_version(self.conn)
                # JIT compiling costs more than the short queries of a command ever take.
                self.conn.execute("SET jit = off")
                if lezen:
                    self.conn.execute("SET default_transaction_read_only = on")
        except BaseException:
            self.conn.close()
            raise
        if versie != SCHEMA_VERSION:
            self.conn.close()
            raise RegisterNotReady(waar=self.location, versie=versie, nodig=SCHEMA_VERSION)
        self._versie = versie

    @property
    def location(self) -> str:
        return describe(self.url)

    @property
    def schema_version(self) -> int:
        return self._versie

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """psycopg errors become StoreErrors (exit 3): never SQL, a password or a traceback."""
        import psycopg

        try:
            yield
        except psycopg.Error as e:
            raise store_error(e, self.url) from None

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self.errors():
            return list(self.conn.execute(sql, args).fetchall())

    def close(self) -> None:
        """Release the case locks (at once: a closed session's backend lets go only when it
        has ended) and close the connection."""
        with contextlib.suppress(Exception):
            if self._locks and not self.conn.closed:
                self.conn.execute("SELECT pg_advisory_unlock_all()")
        self._locks.clear()
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Leaving a `with` block closes the store, also after an error."""
        self.close()

    def __del__(self) -> None:
        # A store its command never closed still ends its session (no ResourceWarning).
        conn = getattr(self, "conn", None)
        if conn is not None and not conn.closed:
            self.close()

    # --- cases ----------------------------------------------------------------------------

    def create(self, **nieuw: Unpack[records.NieuweCasus]) -> Casus:
        """A new case of this role, committed and registered as "nieuw"."""
        casus_id = nieuw.get("casus_id") or new_casus_id()
        sector, label = nieuw["sector"], nieuw.get("label")
        oefening = bool(nieuw.get("oefening", False))
        flow_versie, flow_hash = nieuw["flow_versie"], nieuw["flow_hash"]
        tijd = self.clock()
        kop = new_kop(casus_id, tijd, nieuw)
        with self.errors(), self.conn.transaction():
            self.conn.execute(
                "INSERT INTO meldcode.casussen (id, sector, status, label, oefening, aangemaakt,"
                " bijgewerkt, flow_versie, flow_hash, laatste_hash, aantal_events)"
                " VALUES (%s, %s, 'open', %s, %s, %s, %s, %s, %s, %s, 0)",
                (casus_id, sector, label, oefening, tijd, tijd, flow_versie, flow_hash, kop),
            )
            self._register(casus_id, "nieuw", kop, 0)
        return self.get(casus_id)

    def _register(self, casus_id: str, soort: str, kop: str, aantal: int) -> None:
        registreer(self.conn, casus_id, soort, kop, aantal)

    def get(self, casus_id: str) -> Casus:
        rows = self.rows(f"SELECT {CASE_COLUMNS} FROM meldcode.casussen WHERE id = %s", (casus_id,))
        if not rows:
            getoond = casus_id if casus_id.isprintable() else ascii(casus_id)[1:-1]
            raise CasusNotFound(casus_id=getoond)
        return casus_from_row(rows[0])

    def casussen(self, **filters: Unpack[records.CasusFilter]) -> list[Casus]:
        return list(self.iter_casussen(**filters))

    def iter_casussen(self, **filters: Unpack[records.CasusFilter]) -> Iterator[Casus]:
        """Newest first, a page at a time (keyset on moment, volgorde): no transaction stays
        open between pages, so the caller may write while it iterates."""
        where, args = casus_query(
            status=filters.get("status"),
            sector=filters.get("sector"),
            evaluatie_voor=filters.get("evaluatie_voor"),
            vervolg_voor=filters.get("vervolg_voor"),
            bijgewerkt_voor=filters.get("bijgewerkt_voor"),
        )
        over = filters.get("limit") or None
        na: tuple[Any, Any] | None = None
        while over is None or over > 0:
            page = min(PAGE, over) if over is not None else PAGE
            voorwaarden = list(where)
            waarden = list(args)
            if na is not None:
                voorwaarden.append("(moment, volgorde) < (%s, %s)")
                waarden += list(na)
            sql = f"SELECT {CASE_COLUMNS}, moment, volgorde FROM meldcode.casussen"
            if voorwaarden:
                sql += " WHERE " + " AND ".join(voorwaarden)
            sql += f" ORDER BY moment DESC, volgorde DESC LIMIT {page}"
            rows = self.rows(sql, waarden)
            for r in rows:
                yield casus_from_row(r[:-2])
            if len(rows) < page:
                return
            na = (rows[-1][-2], rows[-1][-1])
            if over is not None:
                over -= len(rows)

    def events(self, casus_id: str) -> list[Event]:
        sql = f"SELECT {EVENT_COLUMNS} FROM meldcode.events WHERE casus_id = %s ORDER BY volgnummer"
        return events_from_rows(self.rows(sql, (casus_id,)), self.location)

    def append(
        self, casus: Casus, *nieuw: records.NieuwEvent, **update: Any
    ) -> tuple[Casus, list[Event]]:
        """The events and the row update in one transaction, committed before it returns (or
        with the caller's transaction): two round trips to the server where libpq can pipeline,
        else one per statement (postgres_append.py)."""
        onbekend = set(update) - set(CASE_UPDATE_FIELDS)
        if onbekend:
            raise ValueError(f"not a case field: {sorted(onbekend)}")
        with self.errors():
            events, nu = write_events(
                self.conn, self.clock, casus.id, nieuw, update, pipelined=self.pipelined
            )
            row = nu.fetchone()
        if row is None:
            raise CasusNotFound(casus_id=casus.id)
        return casus_from_row(row), events

    def delete(self, *casus_ids: str, compact: bool = True) -> str | None:
        with self.errors(), self.conn.transaction():
            for casus_id in casus_ids:
                row = self.conn.execute(
                    "SELECT laatste_hash, aantal_events FROM meldcode.casussen WHERE id = %s"
                    " FOR UPDATE",
                    (casus_id,),
                ).fetchone()
                if row is None:
                    raise CasusNotFound(casus_id=casus_id)
                # Registered first: the register checks that the case is this role's own.
                self._register(casus_id, "verwijderd", row[0], row[1])
                self.conn.execute("DELETE FROM meldcode.events WHERE casus_id = %s", (casus_id,))
                self.conn.execute("DELETE FROM meldcode.casussen WHERE id = %s", (casus_id,))
        for casus_id in casus_ids:
            self.unlock(casus_id)
        return self.compact() if compact else None

    def compact(self) -> str | None:
        """Nothing to do: autovacuum frees deleted rows (backups: docs/register.md)."""
        return None

    # --- locks ----------------------------------------------------------------------------

    def lock(self, casus_id: str) -> None:
        if casus_id in self._locks:
            return
        with self.errors():
            ok = self.conn.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (LOCK_CLASS, casus_id)
            ).fetchone()[0]
        if not ok:
            raise StoreLocked(casus_id=casus_id)
        self._locks.add(casus_id)

    def unlock(self, casus_id: str) -> None:
        if casus_id not in self._locks:
            return
        self._locks.discard(casus_id)
        with self.errors():
            self.conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (LOCK_CLASS, casus_id))

    # --- maintenance, integrity, statistics -----------------------------------------------

    def changed_before(self, grens: str) -> list[tuple[str, str]]:
        rows = self.rows(
            "SELECT id, left(bijgewerkt, 10) FROM meldcode.casussen"
            " WHERE bijgewerkt::timestamptz < %s::timestamptz"
            " ORDER BY bijgewerkt::timestamptz, id",
            (grens,),
        )
        return [(r[0], r[1]) for r in rows]

    def eindverantwoordelijke(self, casus_id: str) -> str | None:
        rows = self.rows(
            "SELECT eindverantwoordelijke FROM meldcode.casussen WHERE id = %s", (casus_id,)
        )
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def damage(self) -> list[str]:
        return []  # PostgreSQL checks its own pages (data checksums; amcheck for the admin)

    def register(self) -> Iterator[records.RegisterEntry]:
        """This role's own register chain (every transaction of theirs: creating, appending,
        deleting), by volgnummer; each role has one, so each can verify a whole chain."""
        na = 0
        while True:
            rows = self.rows(
                f"SELECT {REGISTER_COLUMNS} FROM meldcode.register"
                " WHERE eigenaar = current_user AND volgnummer > %s"
                f" ORDER BY volgnummer LIMIT {PAGE}",
                (na,),
            )
            for r in rows:
                yield records.RegisterEntry(*r)
            if len(rows) < PAGE:
                return
            na = rows[-1][0]

    def chains(self, casus_id: str | None = None) -> Iterator[records.CaseChain]:
        """The cases this role can read, and those it deleted; not those it handed over."""
        if casus_id is not None:
            casus = self.get(casus_id)
            yield from self._chains([casus_id], {casus_id: casus})
            return
        weg = {r[0] for r in self.rows(OVERGEDRAGEN)}
        na = ""
        while True:
            ids = [r[0] for r in self.rows(CHAIN_IDS.format(page=PAGE), (na,))]
            rows = self.rows(
                f"SELECT {CASE_COLUMNS} FROM meldcode.casussen WHERE id = ANY(%s)", (ids,)
            )
            casussen = {r[0]: casus_from_row(r) for r in rows}
            eigen = [i for i in ids if i in casussen or i not in weg]
            yield from self._chains(eigen, casussen)
            if len(ids) < PAGE:
                return
            na = ids[-1]

    def _chains(self, ids: list[str], casussen: dict[str, Casus]) -> Iterator[records.CaseChain]:
        events = self.rows(
            f"SELECT casus_id, {EVENT_COLUMNS} FROM meldcode.events WHERE casus_id = ANY(%s)"
            " ORDER BY casus_id, volgnummer",
            (ids,),
        )
        entries = self.rows(
            f"SELECT {REGISTER_COLUMNS} FROM meldcode.register WHERE casus_id = ANY(%s)"
            " ORDER BY nummer",
            (ids,),
        )
        return chains_from(ids, casussen, events, entries)

    def termijnen(self) -> list[tuple[str, str, str, str]]:
        """The coordinator's view: (case id, owner, what is open, its date), by date."""
        rows = self.rows("SELECT * FROM meldcode.termijnen ORDER BY datum, casus_id")
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def counts(self) -> records.Counts:
        """Over this role's own cases; a coordinator's over the organisation (a view)."""
        coordinator = self.rows(
            "SELECT pg_has_role(current_user, 'meldcode_coordinator', 'MEMBER')"
        )[0][0]
        return counts_from(self.rows(counts_sql(coordinator=bool(coordinator))))
