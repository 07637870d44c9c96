"""The assembled flow of one sector, and the answers and state the engine works with."""

from __future__ import annotations

import re

from meldcode.model.base import Frozen, Waarde
from meldcode.model.files import Sector
from meldcode.model.outcomes import Mededeling, UitkomstRegel
from meldcode.model.questions import AnyVraag, Optie, Vraag


class Flow(Frozen):
    """The questions, outcome rules and notices of one sector, in asking order."""

    sector: Sector
    versie: str
    hash: str
    stap_namen: dict[str, str]
    vragen: tuple[Vraag, ...]
    uitkomsten: tuple[UitkomstRegel, ...]
    mededelingen: tuple[Mededeling, ...] = ()
    afsluitredenen: tuple[Optie, ...]
    afsluiten_tekst: str

    def vraag(self, vraag_id: str) -> AnyVraag:
        """The question with this id; KeyError if the flow has none."""
        for v in self.vragen:
            if v.id == vraag_id:
                return v
        raise KeyError(vraag_id)

    def has_vraag(self, vraag_id: str) -> bool:
        """Whether the flow has a question with this id."""
        return any(v.id == vraag_id for v in self.vragen)


class Antwoord(Frozen):
    """One answer given to one question."""

    vraag_id: str
    waarde: Waarde = None
    toelichting: str | None = None


class State(Frozen):
    """Where a case stands: its sector and the answers on the active path, in order."""

    sector: str
    antwoorden: tuple[Antwoord, ...] = ()
    # Closed early by the user (afsluiten at any step), with the reason given.
    afgesloten: str | None = None

    def waarde(self, vraag_id: str) -> Waarde:
        """The current answer to `vraag_id`, or None."""
        for a in self.antwoorden:
            if a.vraag_id == vraag_id:
                return a.waarde
        return None

    def heeft(self, vraag_id: str) -> bool:
        """Whether `vraag_id` has an answer."""
        return any(a.vraag_id == vraag_id for a in self.antwoorden)


def is_iso_date(text: str) -> bool:
    """Whether `text` looks like `JJJJ-MM-DD` (the calendar check is the engine's)."""
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
