"""Appending to a case on the shared register (PostgresStore.append): the events, the register
entry and the row update in one transaction, committed before `append` returns.

Over a network every round trip to the server costs 1–5 ms, and a statement at a time an answer
took seven (BEGIN, the head, the event, the register, the update, COMMIT, reading the row back).
Where libpq can pipeline (version 14 or newer: psycopg.Pipeline.is_supported()), the append
takes two: BEGIN with the head's SELECT … FOR UPDATE (its answer is needed to chain the events),
then the inserts, the register entry, the update (RETURNING the new row) and COMMIT at once.
Without pipelining, the same statements go one at a time in a transaction (the fallback). Both
write the same rows: the chain and the register are hashed from the same bytes.

In a pipeline the server answers at the end: an error of any statement (a refused right, the
server going away) surfaces when the pipeline ends, the statements after it are skipped, COMMIT
included, and the transaction is rolled back here, so the connection is as before the append.
"""

from __future__ import annotations

import contextlib
import functools
import select
from collections.abc import Callable
from typing import Any

from meldcode.store.log import chain_after
from meldcode.store.postgres_queries import CASE_COLUMNS, EVENT_COLUMNS
from meldcode.store.records import Event, NieuwEvent
from meldcode.store.tables import event_to_row

# What `write` gives: the events, and the cursor with the updated case's row.
Written = tuple[list[Event], Any]


def registreer(conn: Any, casus_id: str, soort: str, kop: str, aantal: int) -> None:
    """An entry in this role's register chain, hashed by the database (meldcode.registreer)."""
    conn.execute("SELECT meldcode.registreer(%s, %s, %s, %s)", (casus_id, soort, kop, aantal))


def write(
    conn: Any,
    clock: Callable[[], str],
    casus_id: str,
    nieuw: tuple[NieuwEvent, ...],
    update: dict[str, Any],
) -> Written:
    """Inside a transaction: lock the case's row (FOR UPDATE: two connections never chain after
    the same head), insert the events chained after it, register them, update the row. The
    events and the cursor whose one row (or none: the case is gone) is the updated case."""
    row = conn.execute(
        "SELECT laatste_hash, aantal_events FROM meldcode.casussen WHERE id = %s FOR UPDATE",
        (casus_id,),
    ).fetchone()
    tijd = clock()
    events, vorige = chain_after(casus_id, row, tijd, nieuw)
    for e in events:
        conn.execute(
            f"INSERT INTO meldcode.events (casus_id, {EVENT_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            event_to_row(casus_id, e),
        )
    if update.get("uitkomst_tijd") is not None:
        update["uitkomst_tijd"] = tijd
    update.update(bijgewerkt=tijd, laatste_hash=vorige.hash, aantal_events=vorige.volgnummer)
    if nieuw:
        registreer(conn, casus_id, "bij", vorige.hash, vorige.volgnummer)
    sets = ", ".join(f"{k} = %s" for k in update)
    nu = conn.execute(
        f"UPDATE meldcode.casussen SET {sets} WHERE id = %s RETURNING {CASE_COLUMNS}",
        (*update.values(), casus_id),
    )
    return events, nu


def write_events(
    conn: Any,
    clock: Callable[[], str],
    casus_id: str,
    nieuw: tuple[NieuwEvent, ...],
    update: dict[str, Any],
    *,
    pipelined: bool,
) -> Written:
    """`write` in a transaction of its own, pipelined when `pipelined` (libpq can) and the
    server has not ended the session (see `unasked`); inside a caller's transaction (a
    handover) as a savepoint of it, a statement at a time."""
    import psycopg

    schrijf = functools.partial(write, conn, clock, casus_id, nieuw, update)
    los = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if pipelined and los and not unasked(conn):
        return append_pipelined(conn, schrijf)
    return append_plain(conn, schrijf)


def unasked(conn: Any) -> bool:
    """Whether the server sent something unasked on this idle connection: a server that stops
    or restarts ends each session with a message why, then closes it. The statements go one at
    a time then, so the first reads that message and the error says why ("de server is aan het
    stoppen of starten"): in a pipeline libpq would only see the connection closed."""
    if conn.closed:
        return True
    try:
        klaar, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(klaar)


def append_pipelined(conn: Any, schrijf: Callable[[], Written]) -> Written:
    """`schrijf` (a `write`) in one pipeline: two round trips. Leaving the pipeline waits for
    every answer, COMMIT's included, so what returns is committed; an error of any statement is
    raised there (and everything is rolled back), as is an exception in between (nothing is
    committed: the server never got a COMMIT)."""
    try:
        with conn.pipeline():
            conn.execute("BEGIN")
            geschreven = schrijf()
            conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return geschreven


def append_plain(conn: Any, schrijf: Callable[[], Written]) -> Written:
    """`schrijf` (a `write`) a statement at a time, in a transaction (or a savepoint of the
    caller's): libpq older than 14 has no pipeline mode."""
    with conn.transaction():
        return schrijf()


def rollback(conn: Any) -> None:
    """End a pipelined append's transaction that did not commit (an error made the server skip
    the rest, or the block stopped before COMMIT). A broken connection is left as it is: its
    error is the one raised."""
    import psycopg

    if conn.closed or conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        return
    with contextlib.suppress(psycopg.Error):
        conn.execute("ROLLBACK")
