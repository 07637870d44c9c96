"""Structured conditions (`als`, design.md §3): whether one holds for a sector and answers."""

from __future__ import annotations

from collections.abc import Mapping

from meldcode.model import Voorwaarde, Waarde


def holds(  # noqa: PLR0911, PLR0912 - one flat chain of checks: the engine's hot path
    als: Voorwaarde | None, sector: str, gegeven: Mapping[str, Waarde]
) -> bool:
    """Whether condition `als` holds for `sector` and the answers `gegeven` so far."""
    if als is None:
        return True
    # NOTE: plain loops with early returns, no generators: this is the engine's hottest
    # function (validation walks every path, replay every answer).
    if als.sector is not None and sector not in als.sector:
        return False
    if als.antwoord is not None:
        for v, toegestaan in als.antwoord.items():
            if not _chosen(gegeven.get(v), toegestaan):
                return False
    if als.beantwoord is not None:
        for v in als.beantwoord:
            if gegeven.get(v) is None:
                return False
    if als.alle is not None:
        for a in als.alle:
            if not holds(a, sector, gegeven):
                return False
    if als.een_van is not None:
        for a in als.een_van:
            if holds(a, sector, gegeven):
                break
        else:
            return False
    return als.niet is None or not holds(als.niet, sector, gegeven)


def _chosen(waarde: Waarde, toegestaan: tuple[str, ...]) -> bool:
    if isinstance(waarde, tuple):
        return any(w in toegestaan for w in waarde)
    return waarde is not None and waarde in toegestaan
