"""The PostgreSQL backend's queries that are more than one line: the case filters of `lijst`
and the figures of `statistiek` (over one's own cases, or the coordinator's views)."""

from __future__ import annotations

from typing import Any

from meldcode.store.records import Casus

CASE_COLUMNS = ", ".join(Casus.__dataclass_fields__)
# The events columns tables.event_from_row reads, in its order.
EVENT_COLUMNS = "volgnummer, tijd, soort, stap, vraag, antwoord, toelichting, vorige_hash, hash"
REGISTER_COLUMNS = "volgnummer, casus_id, soort, kop, aantal, vorige_hash, hash"

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
    where: list[str] = []
    args: list[Any] = []
    if status:
        where.append("status = %s")
        args.append(status)
    if sector:
        where.append("sector = %s")
        args.append(sector)
    if evaluatie_voor and vervolg_voor:
        where.append(
            "((status IN ('wacht-op-evaluatie', 'vervolg') AND evaluatiedatum <= %s)"
            " OR (status = 'vervolg' AND vervolg_open = 'terugkoppeling'"
            " AND left(uitkomst_tijd, 10) <= %s)"
            " OR (status = 'vervolg' AND vervolg_open = 'leiding'"
            " AND left(uitkomst_tijd, 10) <= %s))"
        )
        args += [evaluatie_voor, vervolg_voor, evaluatie_voor]
    elif evaluatie_voor:
        where.append("status = 'wacht-op-evaluatie' AND evaluatiedatum <= %s")
        args.append(evaluatie_voor)
    if bijgewerkt_voor:
        where.append("left(bijgewerkt, 10) <= %s")
        args.append(bijgewerkt_voor)
    return where, args


# Days from start to outcome in tenths, rounded half away from zero as SQLite's round().
_TIENDEN = "round(extract(epoch FROM uitkomst_moment - moment) / 8640)::integer"

_EIGEN = {
    "per_uitkomst": "SELECT sector, status, uitkomst_id, uitkomst_reden, count(*)::integer"
    " FROM meldcode.casussen WHERE NOT oefening GROUP BY 1, 2, 3, 4",
    "gestart": "SELECT left(aangemaakt, 7), count(*)::integer FROM meldcode.casussen"
    " WHERE NOT oefening GROUP BY 1",
    "met_uitkomst": "SELECT left(uitkomst_tijd, 7), count(*)::integer FROM meldcode.casussen"
    " WHERE NOT oefening AND uitkomst_tijd IS NOT NULL GROUP BY 1",
    "tienden": f"SELECT {_TIENDEN}, count(*)::integer FROM meldcode.casussen"
    " WHERE NOT oefening AND uitkomst_moment IS NOT NULL GROUP BY 1",
}

# The coordinator has no right on the tables: the same figures from the aggregate views.
_ORGANISATIE = {
    "per_uitkomst": "SELECT sector, status, uitkomst_id, uitkomst_reden, sum(aantal)::integer"
    " FROM meldcode.telling GROUP BY 1, 2, 3, 4",
    "gestart": "SELECT maand, aantal::integer FROM meldcode.gestart_per_maand",
    "met_uitkomst": "SELECT maand, aantal::integer FROM meldcode.uitkomst_per_maand",
    "tienden": "SELECT tienden, aantal::integer FROM meldcode.doorlooptijd",
}


def counts_for(*, coordinator: bool) -> dict[str, str]:
    """The four queries behind Counts: over the organisation for a coordinator, else over the
    cases this role may read."""
    return _ORGANISATIE if coordinator else _EIGEN
