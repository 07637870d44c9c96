"""Every distinct path of a flow, walked with the engine: the one explorer behind
`meldcode valideer` (checks/paths.py) and `meldcode graaf` (graph/explore.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from meldcode.engine import Stand, Walk, walk_from
from meldcode.model import Antwoord, AnyVraag, Flow, State, Waarde


@dataclass(frozen=True)
class Tak:
    """One case the explorer reached: its walk, and the walk and answer it came from."""

    state: State
    walk: Walk
    voor: Walk | None = None  # the walk before the last answer; None for the empty case
    waarde: Waarde = None  # the answer given to `voor.volgende`


def explore(
    flow: Flow,
    keuzes: Callable[[AnyVraag], Iterable[Waarde]],
    sleutel: Callable[[Walk], Hashable],
    vast: Mapping[str, Antwoord] | None = None,
) -> Iterator[Tak]:
    """Depth first from an empty case, every question the paths reach answered with each of
    `keuzes(vraag)`; each case reached is yielded once, with its walk.

    A walk whose `sleutel` came before has the same future, so it is not gone on from. `vast`
    answers a question wherever a walk reaches it (a question with one answer worth trying),
    so the search only stops where paths can part.
    """

    def fill(vraag: AnyVraag, *_: object) -> Antwoord | None:
        return vast.get(vraag.id) if vast else None

    gezien: set[Hashable] = set()
    begin = State(sector=flow.sector.id)
    stack: list[tuple[State, Walk | None, Waarde, Stand | None]] = [(begin, None, None, None)]
    while stack:
        state, voor, waarde, vanaf = stack.pop()
        # NOTE: on from where the case it came from stopped, not from the start: each case
        # adds one answer to the question that case stopped at (linear, not quadratic).
        w, stand = walk_from(flow, state, vanaf, fill if vast else None)
        yield Tak(state, w, voor, waarde)
        if w.wacht is not None or w.volgende is None:
            continue
        key = sleutel(w)
        if key in gezien:
            continue
        gezien.add(key)
        vraag_id = w.volgende.id
        pad = tuple(a for _, a in w.pad)
        for waarde in keuzes(w.volgende):
            # NOTE: model_construct, not the checks: every value comes from the flow itself,
            # and `valideer` walks tens of thousands of cases.
            antwoord = Antwoord.model_construct(vraag_id=vraag_id, waarde=waarde, toelichting=None)
            nieuw = State.model_construct(
                sector=state.sector, antwoorden=(*pad, antwoord), afgesloten=None
            )
            stack.append((nieuw, w, waarde, stand))
