"""A flow prepared once per sector for the walk: its conditions compiled (`compiled`), the
questions that cannot be on a path in the sector left out, and which outcome rules read
which answers. Kept per flow object (by identity) and sector, so every walk of a flow after
the first one pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from meldcode.engine.conditions import Check, always, compiled, never
from meldcode.model import AnyVraag, Flow, UitkomstRegel, Waarde


@dataclass(frozen=True, eq=False)
class _Zelfde:
    """A flow as a cache key by identity: flows hold dicts, so they have no hash."""

    flow: Flow

    def __hash__(self) -> int:
        return id(self.flow)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Zelfde) and other.flow is self.flow


@dataclass(frozen=True)
class Plan:
    """One flow for one sector, as the walk reads it."""

    # In flow order, each question whose `als` can hold in the sector, with that condition
    # (None: it always holds) and its `vereist-als`.
    vragen: tuple[tuple[AnyVraag, Check | None, Check], ...]
    regels: tuple[UitkomstRegel, ...]
    checks: tuple[Check, ...]  # each rule's condition
    leest: Mapping[str, tuple[int, ...]]  # vraag id → the rules whose condition reads it
    begin: tuple[bool, ...]  # which rules hold before any answer
    herhaald: frozenset[str]  # the ids of questions that stand in the flow more than once


def plan(flow: Flow, sector: str) -> Plan:
    """The plan of `flow` for `sector`, made once per flow object and sector."""
    return _plan(_Zelfde(flow), sector)


@lru_cache(maxsize=32)
def _plan(zelfde: _Zelfde, sector: str) -> Plan:
    flow = zelfde.flow
    vragen = []
    for vraag in flow.vragen:
        als = compiled(vraag.als, sector)
        if als is not never:  # never on a path in this sector: the walk skips it anyway
            vereist_als = compiled(vraag.vereist_als, sector)
            vragen.append((vraag, None if als is always else als, vereist_als))
    leest: dict[str, tuple[int, ...]] = {}
    for i, regel in enumerate(flow.uitkomsten):
        for vraag_id in regel.als.vraag_ids():
            leest[vraag_id] = (*leest.get(vraag_id, ()), i)
    checks = tuple(compiled(r.als, sector) for r in flow.uitkomsten)
    leeg: dict[str, Waarde] = {}
    ids = [v.id for v in flow.vragen]
    return Plan(
        vragen=tuple(vragen),
        regels=flow.uitkomsten,
        checks=checks,
        leest=leest,
        begin=tuple(c(leeg) for c in checks),
        herhaald=frozenset(i for i in ids if ids.count(i) > 1),
    )


class Regels:
    """Which outcome rules hold, kept up to date one answer at a time.

    A rule's condition reads only the answers it names (`Voorwaarde.vraag_ids`), so after an
    answer only the rules that name it are checked again; `na` then gives the first rule
    that holds, without checking every rule after every answer.
    """

    def __init__(self, p: Plan, waar: list[bool]) -> None:
        self.regels, self.checks, self.leest = p.regels, p.checks, p.leest
        self.waar = waar  # which rules hold now, starting from `p.begin` or a `Stand`

    def na(self, vraag_id: str, gegeven: Mapping[str, Waarde]) -> UitkomstRegel | None:
        """After `vraag_id` is answered: the first rule that holds, or None."""
        for i in self.leest.get(vraag_id, ()):
            self.waar[i] = self.checks[i](gegeven)
        return self.regels[self.waar.index(True)] if True in self.waar else None
