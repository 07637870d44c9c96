"""The SQLite backend's reads for lijst, verifieer, statistiek and opschonen, as records.

Each function takes the store's row reader (`Rows`: SQL and arguments in, rows out one at a
time, SQLite errors already StoreErrors), so the SQL text lives here and nowhere outside the
backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Unpack

from meldcode.store.filters import casus_conditions
from meldcode.store.records import CaseChain, Casus, CasusFilter, Counts, Event, RegisterEntry
from meldcode.store.tables import (
    CASUS_COLUMNS,
    EVENT_COLUMNS,
    REGISTER_COLUMNS,
    casus_from_row,
    event_for_chain_check,
    register_from_row,
)

Rows = Callable[[str, Sequence[Any]], Iterator[Any]]


# --- lijst ------------------------------------------------------------------------------------


def casussen_query(**filters: Unpack[CasusFilter]) -> tuple[str, list[Any]]:
    """The query of CaseStore.iter_casussen (see there for what each filter means)."""
    where, args = casus_conditions(
        filters, param="?", datum=lambda column: f"substr({column}, 1, 10)"
    )
    sql = f"SELECT {CASUS_COLUMNS} FROM casussen"
    if where:
        sql += " WHERE " + " AND ".join(where)
    # Newest first as instants: times carry the offset they were written with; within one
    # second, the case stored last first (rowid: the index's own order, no sort step).
    sql += " ORDER BY julianday(aangemaakt) DESC, rowid DESC"
    if limit := filters.get("limit"):
        sql += f" LIMIT {int(limit)}"
    return sql, args


# --- opschonen --------------------------------------------------------------------------------


def changed_before(rows: Rows, grens: str) -> list[tuple[str, str]]:
    """CaseStore.changed_before: instants, not text, so a time written under another UTC
    offset (a DST change) compares by the moment it names."""
    found = rows(
        "SELECT id, substr(bijgewerkt, 1, 10) FROM casussen"
        " WHERE julianday(bijgewerkt) < julianday(?) ORDER BY julianday(bijgewerkt), id",
        (grens,),
    )
    return [(r[0], r[1]) for r in found]


# --- verifieer --------------------------------------------------------------------------------


def register(rows: Rows) -> Iterator[RegisterEntry]:
    """CaseStore.register."""
    for r in rows(f"SELECT {REGISTER_COLUMNS} FROM register ORDER BY volgnummer", ()):
        yield register_from_row(r)


def chain_events(rows: Rows, casus_id: str) -> list[Event]:
    """One case's events for a chain check: an answer that is no longer valid JSON comes back
    as a broken event, not a crash."""
    found = rows(
        f"SELECT {EVENT_COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer", (casus_id,)
    )
    return [event_for_chain_check(r) for r in found]


def case_entries(rows: Rows, casus_id: str) -> list[RegisterEntry]:
    """The register entries that name one case, in order."""
    found = rows(
        f"SELECT {REGISTER_COLUMNS} FROM register WHERE casus_id = ? ORDER BY volgnummer",
        (casus_id,),
    )
    return [register_from_row(r) for r in found]


def all_chains(rows: Rows) -> Iterator[CaseChain]:
    """CaseStore.chains for every case: three scans ordered by case id, merged, so memory
    stays one case whatever the store's size."""
    casussen = (
        (c.id, c)
        for c in map(casus_from_row, rows(f"SELECT {CASUS_COLUMNS} FROM casussen ORDER BY id", ()))
    )
    events = (
        (r[0], event_for_chain_check(r[1:]))
        for r in rows(
            f"SELECT casus_id, {EVENT_COLUMNS} FROM events ORDER BY casus_id, volgnummer", ()
        )
    )
    entries = (
        (e.casus_id, e)
        for e in map(
            register_from_row,
            rows(f"SELECT {REGISTER_COLUMNS} FROM register ORDER BY casus_id, volgnummer", ()),
        )
    )
    yield from merge_chains(casussen, events, entries)


def merge_chains(
    casussen: Iterator[tuple[str, Casus]],
    events: Iterator[tuple[str, Event]],
    entries: Iterator[tuple[str, RegisterEntry]],
) -> Iterator[CaseChain]:
    """Three streams keyed and ordered by case id, as one CaseChain per id (any backend)."""
    rijen, logs, register_ = _grouped(casussen), _grouped(events), _grouped(entries)
    bronnen: list[Iterator[tuple[str, list[Any]]]] = [rijen, logs, register_]
    koppen: list[tuple[str, list[Any]] | None] = [next(b, None) for b in bronnen]
    while any(k is not None for k in koppen):
        huidig = min(k[0] for k in koppen if k is not None)
        delen: list[list[Any]] = []
        for i, bron in enumerate(bronnen):
            k = koppen[i]
            if k is not None and k[0] == huidig:
                delen.append(k[1])
                koppen[i] = next(bron, None)
            else:
                delen.append([])
        yield CaseChain(huidig, delen[0][0] if delen[0] else None, delen[1], delen[2])


def _grouped(keyed: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, list[Any]]]:
    """Consecutive values with the same key, as (that key, values)."""
    sleutel: str | None = None
    groep: list[Any] = []
    for k, value in keyed:
        if k != sleutel:
            if sleutel is not None:
                yield sleutel, groep
            sleutel, groep = k, []
        groep.append(value)
    if sleutel is not None:
        yield sleutel, groep


# --- statistiek -------------------------------------------------------------------------------
# Each query reads one index in order (the covering `casussen_statistiek` or an expression
# index of schema version 2), so 100,000 cases take about 40 ms.

_PER_UITKOMST = (
    "SELECT sector, status, uitkomst_id, uitkomst_reden, COUNT(*) FROM casussen"
    " WHERE oefening = 0 GROUP BY 1, 2, 3, 4"
)
_GESTART = "SELECT substr(aangemaakt, 1, 7), COUNT(*) FROM casussen WHERE oefening = 0 GROUP BY 1"
_MET_UITKOMST = (
    "SELECT substr(uitkomst_tijd, 1, 7), COUNT(*) FROM casussen"
    " WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL GROUP BY 1"
)
# Days from start to outcome in tenths, so the median needs no row per case.
_TIENDEN = (
    "SELECT CAST(round((julianday(uitkomst_tijd) - julianday(aangemaakt)) * 10) AS INTEGER),"
    " COUNT(*) FROM casussen WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL GROUP BY 1"
)
# Every leaf page of the table, and of the covering index, counted: a damaged page is an error
# (or a difference), never a wrong figure. SQLite counts cells per page without reading rows.
_IN_TABEL = (
    "SELECT (SELECT count(*) FROM casussen NOT INDEXED),"
    " (SELECT count(*) FROM casussen INDEXED BY casussen_statistiek)"
)


def counts(rows: Rows) -> Counts | None:
    """CaseStore.counts; None when the table and its covering index disagree (the caller
    raises StoreCorrupt)."""
    result = Counts(
        per_uitkomst=[tuple(r) for r in rows(_PER_UITKOMST, ())],
        gestart=dict(rows(_GESTART, ())),
        met_uitkomst=dict(rows(_MET_UITKOMST, ())),
        tienden=dict(rows(_TIENDEN, ())),
    )
    in_tabel, in_index = next(rows(_IN_TABEL, ()))
    return result if in_tabel == in_index else None
