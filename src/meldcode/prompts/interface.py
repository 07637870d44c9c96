"""The Prompter protocol and the actions a user can take at any question (design.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from meldcode.model import Antwoord, AnyVraag, Mededeling, State, Uitkomst, Waarde, Wacht
from meldcode.text.phrases import datum_nl


@dataclass(frozen=True)
class VraagContext:
    """What a prompter may show besides the question itself."""

    stap: str  # e.g. "stap-2"
    stap_naam: str  # e.g. "Collegiale consultatie …"
    nieuwe_stap: bool  # first question of this step on the path: show the header
    standaard: Waarde  # pre-selected: an earlier answer (after terug) or the flow's
    mededelingen: tuple[Mededeling, ...] = ()  # notices for this step (special forms etc.)
    # The questions answered so far on the active path, for terug/overzicht: (id, tekst, waarde).
    pad: tuple[tuple[str, str, Waarde], ...] = ()
    vervolg: bool = False  # asked after an outcome (e.g. afwegingen 3-5 with Veilig Thuis)
    # The state before this question: lets the overview show what a change would invalidate.
    state: State | None = None


@dataclass(frozen=True)
class Terug:
    """Go back to an earlier question on the path; later answers become pre-fills."""

    vraag_id: str


@dataclass(frozen=True)
class Wijzig:
    """Change an earlier answer in place (from the overview), with a short reason."""

    antwoord: Antwoord
    reden: str


@dataclass(frozen=True)
class AcuutGevaar:
    """Acute danger declared at this question: outcome melden / acuut-gevaar at once (after
    the prompter's confirmation; what was seen and whom was called follow as questions)."""


@dataclass(frozen=True)
class AdviesVeiligThuis:
    """Veilig Thuis was consulted: when, anonymised or not, and the advice; `datum`: the day
    of the conversation (dd-mm-jjjj), for the confirmation once it is recorded."""

    toelichting: str
    datum: str | None = None


@dataclass(frozen=True)
class Afsluiten:
    """Close the case now with one of the flow's reasons; a handover (`overgedragen`) names
    who took over and the ISO date the professional checks that the help started."""

    reden: str
    toelichting: str | None = None
    overgenomen_door: str | None = None
    nagaan_op: str | None = None

    @property
    def vastgelegd(self) -> str | None:
        """The toelichting as the log keeps it: who took over and the check date first."""
        delen = []
        if self.overgenomen_door:
            delen.append(f"Overgenomen door: {self.overgenomen_door}.")
        if self.nagaan_op:
            delen.append(f"Nagaan of de hulp is gestart: {datum_nl(self.nagaan_op)}.")
        if self.toelichting:
            delen.append(self.toelichting)
        return " ".join(delen) or None


@dataclass(frozen=True)
class Pauzeren:
    """Stop now; `meldcode hervat` continues at this question."""


@dataclass(frozen=True)
class Stoppen:
    """Stop after an outcome without going on (the "Nee" of "Doorgaan?"): nothing is
    recorded, the walk ends as when `walk_on` says no."""


Actie = Terug | Wijzig | AcuutGevaar | AdviesVeiligThuis | Afsluiten | Pauzeren | Stoppen


class Prompter(Protocol):
    """Asks one question; the engine never knows which adapter runs."""

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        """The answer to `vraag`, or an action the user chose instead."""
        ...

    def onderbouwing(self, vraag: AnyVraag) -> str | None:
        """After an afweging is recorded: the reasoning behind it, or None (design.md §6)."""
        ...

    def invalid(self, vraag: AnyVraag, melding: str) -> None:
        """The engine refused the answer: show `melding` (interactive) or raise (scripted)."""
        ...

    def bevestig(self, actie: Actie) -> None:
        """An action that leaves the question open (advice from Veilig Thuis) is on disk: say
        so before the question comes again (interactive); nothing in a script."""
        ...

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        """After an outcome that allows it: go on with `volgende` (e.g. afweging-5) now?"""
        ...

    def waiting(self, wacht: Wacht) -> bool:
        """The case cannot go on yet (e.g. KNMG: consult Veilig Thuis first).

        True: ask the waiting question again now (its new answer may let the case go on).
        """
        ...


class AnswerThenStop(Exception):
    """The user confirmed `antwoord` and then stopped (Ctrl-C, closed input) before the
    question was done; the answer is saved first, then `oorzaak` is raised again. Nothing the
    user confirmed is lost (design.md §4). (An afweging's onderbouwing is asked only after the
    afweging is recorded: see `Prompter.onderbouwing`.)"""

    def __init__(self, antwoord: Antwoord, oorzaak: BaseException) -> None:
        super().__init__("antwoord gegeven, daarna gestopt")
        self.antwoord = antwoord
        self.oorzaak = oorzaak
