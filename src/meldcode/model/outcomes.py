"""Outcomes, the rules that reach them, notices, and a case that has to wait."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from meldcode.model.base import Bron, Frozen, Kebab, StapId, UitkomstId
from meldcode.model.conditions import Voorwaarde


class Uitkomst(Frozen):
    """An outcome of a case: what the professional decided, why, under which meldnorm."""

    id: UitkomstId
    reden: Kebab | None = None
    meldnorm: Literal[1, 2, 3] | None = None
    tekst: str = Field(min_length=1)
    # Short points the summary lists under the advice (e.g. after every melding).
    punten: tuple[str, ...] = ()
    # `wacht-op-evaluatie` pauses the case (hulp-bieden); `vervolg` keeps it in follow-up
    # (melden, medewerkersroute) until its follow-up questions are answered; `afgerond` ends it.
    status: Literal["afgerond", "wacht-op-evaluatie", "vervolg"] = "afgerond"


class UitkomstRegel(Frozen):
    """When `als` holds after an answer, the case reaches `uitkomst` (first rule wins)."""

    id: Kebab
    als: Voorwaarde
    uitkomst: Uitkomst
    bron: Bron
    # True: the questions still reachable after this outcome are walked on and recorded after
    # its follow-up questions (afwegingen 3-5 "samen met Veilig Thuis" after a melding); the
    # outcome stays.
    vervolg: bool = False


class Mededeling(Frozen):
    """A notice shown at the start of a step when `als` holds (e.g. special forms)."""

    id: Kebab
    stap: StapId
    als: Voorwaarde
    tekst: str = Field(min_length=1)
    bron: Bron


class Wacht(Frozen):
    """The case cannot go on yet: `vraag` was answered other than it `vereist`."""

    vraag_id: str
    tekst: str
