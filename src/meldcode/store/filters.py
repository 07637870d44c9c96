"""The case filters of `CaseStore.iter_casussen` as SQL conditions, written once for every
backend: each passes its placeholder and its way to take the date of a stored time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meldcode.store.records import CasusFilter


def casus_conditions(
    filters: CasusFilter, *, param: str, datum: Callable[[str], str]
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions (to be joined with AND) and their values, in order."""
    where: list[str] = []
    args: list[Any] = []
    for column, waarde in (("status", filters.get("status")), ("sector", filters.get("sector"))):
        if waarde:
            where.append(f"{column} = {param}")
            args.append(waarde)
    evaluatie_voor = filters.get("evaluatie_voor")
    vervolg_voor = filters.get("vervolg_voor")
    if evaluatie_voor and vervolg_voor:
        # Due: an evaluation on or past its date; a melding whose terugkoppeling is not
        # recorded 5 working days after it (`vervolg_voor`); a staff route whose houder /
        # leiding is not yet told (the duty is at once: due from the day of the outcome).
        uitkomst_dag = datum("uitkomst_tijd")
        where.append(
            f"((status IN ('wacht-op-evaluatie', 'vervolg') AND evaluatiedatum <= {param})"
            f" OR (status = 'vervolg' AND vervolg_open = 'terugkoppeling'"
            f" AND {uitkomst_dag} <= {param})"
            f" OR (status = 'vervolg' AND vervolg_open = 'leiding'"
            f" AND {uitkomst_dag} <= {param}))"
        )
        args += [evaluatie_voor, vervolg_voor, evaluatie_voor]
    elif evaluatie_voor:
        where.append(f"status = 'wacht-op-evaluatie' AND evaluatiedatum <= {param}")
        args.append(evaluatie_voor)
    if bijgewerkt_voor := filters.get("bijgewerkt_voor"):
        where.append(f"{datum('bijgewerkt')} <= {param}")
        args.append(bijgewerkt_voor)
    return where, args
