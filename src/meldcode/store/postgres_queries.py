"""The PostgreSQL backend's queries that are more than one line: the case filters of `lijst`
and the figures of `statistiek` (over one's own cases, or the coordinator's views)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from meldcode.store.filters import casus_conditions
from meldcode.store.records import CaseChain, Casus, Counts, Event, RegisterEntry

CASE_COLUMNS = ", ".join(Casus.__dataclass_fields__)
# The events columns tables.event_from_row reads, in its order.
EVENT_COLUMNS = "volgnummer, tijd, soort, stap, vraag, antwoord, toelichting, vorige_hash, hash"
REGISTER_COLUMNS = "volgnummer, casus_id, soort, kop, aantal, vorige_hash, hash"

# The ids `chains` walks, a page at a time (after %s, in byte order): the cases this role can
# read, their events, and its own register chain's cases (deleted ones included).
CHAIN_IDS = (
    "SELECT id FROM (SELECT id FROM meldcode.casussen UNION SELECT casus_id FROM meldcode.events"
    " UNION SELECT casus_id FROM meldcode.register WHERE eigenaar = current_user) ids"
    ' WHERE id > %s COLLATE "C" ORDER BY id COLLATE "C" LIMIT {page}'
)
# The cases this role handed over: gone from its view, but not deleted.
OVERGEDRAGEN = "SELECT casus_id FROM meldcode.overdrachten WHERE van = current_user"

# The first key of a case's advisory lock ('mc'); the second is hashtext(case id).
LOCK_CLASS = 0x6D63


def casus_query(
    *,
    status: str | None,
    sector: str | None,
    evaluatie_voor: str | None,
    vervolg_voor: str | None,
    bijgewerkt_voor: str | None,
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions and their values for CaseStore.iter_casussen's filters (the same
    meaning as on SQLite; dates compare as ISO text)."""
    return casus_conditions(
        {
            "status": status,
            "sector": sector,
            "evaluatie_voor": evaluatie_voor,
            "vervolg_voor": vervolg_voor,
            "bijgewerkt_voor": bijgewerkt_voor,
        },
        param="%s",
        datum=lambda column: f"left({column}, 10)",
    )


# Days from start to outcome in tenths, rounded half away from zero as SQLite's round().
TIENDEN = "round(extract(epoch FROM uitkomst_moment - moment) / 8640)::integer"

# Every figure of `statistiek` in one scan: four grouping sets, told apart by `soort`
# (GROUPING's bits: 7 per outcome, 11 month started, 13 month of outcome, 14 tenths).
OVERZICHT = f"""SELECT sector, status, uitkomst_id, uitkomst_reden,
    left(aangemaakt, 7) AS maand_gestart, left(uitkomst_tijd, 7) AS maand_uitkomst,
    {TIENDEN} AS tienden, count(*)::integer AS aantal,
    GROUPING(sector, left(aangemaakt, 7), left(uitkomst_tijd, 7), {TIENDEN})::integer AS soort
FROM meldcode.casussen WHERE NOT oefening
GROUP BY GROUPING SETS ((sector, status, uitkomst_id, uitkomst_reden), (left(aangemaakt, 7)),
    (left(uitkomst_tijd, 7)), ({TIENDEN}))"""


def counts_sql(*, coordinator: bool) -> str:
    """The query behind Counts: the coordinator's view of the organisation's counters (no right
    on any table), or this role's own counters (postgres_counts.py). Both equal OVERZICHT, the
    scan over the cases the role may read."""
    from meldcode.store.postgres_counts import EIGEN_TELLINGEN

    return "SELECT * FROM meldcode.overzicht" if coordinator else EIGEN_TELLINGEN


def counts_from(rows: list[Any]) -> Counts:
    """Counts from the rows of OVERZICHT."""
    per_uitkomst: list[tuple[str, str, str | None, str | None, int]] = []
    gestart: dict[str, int] = {}
    met_uitkomst: dict[str, int] = {}
    tienden: dict[int, int] = {}
    for sector, status, uid, reden, mg, mu, t, n, soort in rows:
        if soort == 7:
            per_uitkomst.append((sector, status, uid, reden, n))
        elif soort == 11:
            gestart[mg] = n
        elif soort == 13 and mu is not None:
            met_uitkomst[mu] = n
        elif soort == 14 and t is not None:
            tienden[t] = n
    return Counts(per_uitkomst, gestart, met_uitkomst, tienden)


def chains_from(
    ids: list[str], casussen: dict[str, Casus], events: list[Any], entries: list[Any]
) -> Iterator[CaseChain]:
    """One CaseChain per id, from the rows of its events (casus_id first, in order) and of its
    register entries; an event that cannot be read comes as event_for_chain_check makes it."""
    from meldcode.store.tables import event_for_chain_check

    per_id: dict[str, list[Event]] = {i: [] for i in ids}
    regels: dict[str, list[RegisterEntry]] = {i: [] for i in ids}
    for r in events:
        per_id[r[0]].append(event_for_chain_check(r[1:]))
    for r in entries:
        regels[r[1]].append(RegisterEntry(*r))
    for i in ids:
        yield CaseChain(i, casussen.get(i), per_id[i], regels[i])
