"""Structured conditions (`als`, design.md §3): whether one holds for a sector and answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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


# A condition prepared for one sector (`compiled`): a function of the answers so far.
Check = Callable[[Mapping[str, Waarde]], bool]


def always(_: Mapping[str, Waarde]) -> bool:
    """The compiled form of a condition that holds whatever the answers."""
    return True


def never(_: Mapping[str, Waarde]) -> bool:
    """The compiled form of a condition that cannot hold in the sector."""
    return False


def compiled(als: Voorwaarde | None, sector: str) -> Check:
    """`holds(als, sector, ·)` prepared once: the sector is decided now, parts that always
    hold are left out, and a condition that cannot hold is `never`. Same result as `holds`
    for every answers mapping (a condition has no side effects, so order does not matter)."""
    if als is None:
        return always
    if als.sector is not None and sector not in als.sector:
        return never
    checks = [_gekozen(v, toegestaan) for v, toegestaan in (als.antwoord or {}).items()]
    if als.beantwoord is not None:
        checks.append(_beantwoord(als.beantwoord))
    subs = [compiled(a, sector) for a in als.alle or ()]
    if als.een_van is not None:
        subs.append(_een_van(tuple(compiled(a, sector) for a in als.een_van)))
    if als.niet is not None:
        subs.append(_niet(compiled(als.niet, sector)))
    if never in subs:
        return never
    checks += [c for c in subs if c is not always]
    if not checks:
        return always
    return checks[0] if len(checks) == 1 else _alle(tuple(checks))


def _gekozen(vraag_id: str, toegestaan: tuple[str, ...]) -> Check:
    def check(gegeven: Mapping[str, Waarde]) -> bool:
        waarde = gegeven.get(vraag_id)
        if isinstance(waarde, tuple):
            return any(w in toegestaan for w in waarde)
        return waarde is not None and waarde in toegestaan

    return check


def _beantwoord(ids: tuple[str, ...]) -> Check:
    def check(gegeven: Mapping[str, Waarde]) -> bool:
        for v in ids:  # noqa: SIM110 - a loop, no generator: see `holds`
            if gegeven.get(v) is None:
                return False
        return True

    return check


def _alle(checks: tuple[Check, ...]) -> Check:
    def check(gegeven: Mapping[str, Waarde]) -> bool:
        for c in checks:  # noqa: SIM110 - a loop, no generator: see `holds`
            if not c(gegeven):
                return False
        return True

    return check


def _een_van(opties: tuple[Check, ...]) -> Check:
    if always in opties:
        return always
    rest = tuple(c for c in opties if c is not never)
    if not rest:
        return never
    if len(rest) == 1:
        return rest[0]

    def check(gegeven: Mapping[str, Waarde]) -> bool:
        for c in rest:  # noqa: SIM110 - a loop, no generator: see `holds`
            if c(gegeven):
                return True
        return False

    return check


def _niet(sub: Check) -> Check:
    if sub is always:
        return never
    if sub is never:
        return always

    def check(gegeven: Mapping[str, Waarde]) -> bool:
        return not sub(gegeven)

    return check
