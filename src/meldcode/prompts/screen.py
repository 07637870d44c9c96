"""A person at a screen: the commands they may pick instead of answering, and asking one value.

`Screen` holds what a dialogue knows and the four primitives a subclass draws (`say`,
`choose`, `choose_many`, `text`); `actions.py` and `dialog.py` build the dialogue on them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from meldcode.model import (
    AnyVraag,
    Flow,
    JaNeeVraag,
    KeuzeVraag,
    MeerkeuzeVraag,
    State,
    TekstVraag,
    Waarde,
    is_iso_date,
)
from meldcode.text.phrases import datum_nl, parse_datum

if TYPE_CHECKING:
    from rich.console import Console

Soort = Literal["kop", "vraag", "info", "mededeling", "uitleg", "fout", "alarm"]
# How each kind of line is marked: the word before it in plain text (a screen reader says it),
# and its questionary style at a terminal that draws menus.
OPMAAK: dict[Soort, tuple[str, str]] = {
    "kop": ("== ", "bold fg:ansicyan"),
    "vraag": ("", "bold"),
    "mededeling": ("Let op: ", "fg:ansiyellow"),
    "uitleg": ("Uitleg: ", "italic"),
    "fout": ("Fout: ", "fg:ansired"),
    "alarm": ("!!! ", "bold fg:ansiwhite bg:ansired"),
    "info": ("", ""),
}


@dataclass(frozen=True)
class Cmd:
    """An action the user picked instead of answering (a menu entry or a typed command)."""

    naam: str


UITLEG, TERUG, OVERZICHT = Cmd("uitleg"), Cmd("terug"), Cmd("overzicht")
ACUUT_CMD, ADVIES, AFSLUITEN, PAUZE = Cmd("acuut"), Cmd("advies"), Cmd("afsluiten"), Cmd("pauze")
# Cancel an action's dialogue (its menu entry, or Esc): nothing is recorded, the question comes
# again. NOTE: a Cmd, never None: questionary returns a choice's title when its value is None.
ANNULEER = Cmd("annuleren")
ANNULEREN: tuple[str, object] = ("Annuleren, terug naar de vraag", ANNULEER)


class Omweg(Exception):
    """A command typed inside an action's dialogue: the dialogue stops, the question does it."""

    def __init__(self, cmd: Cmd) -> None:
        super().__init__(cmd.naam)
        self.cmd = cmd


# Typed commands, accepted at text and date questions (and everywhere in the plain prompter).
COMMANDS: dict[str, Cmd] = {
    "?": UITLEG,
    ":uitleg": UITLEG,
    ":terug": TERUG,
    ":overzicht": OVERZICHT,
    ":acuut": ACUUT_CMD,
    ":advies": ADVIES,
    ":afsluiten": AFSLUITEN,
    ":pauze": PAUZE,
}
COMMANDS_HULP = (
    "Bij elke vraag: ? uitleg · :terug · :overzicht (antwoorden bekijken en wijzigen) · "
    ":acuut (acuut gevaar) · :advies (advies Veilig Thuis vastleggen) · :afsluiten · :pauze"
)
# Each action as the menus name it (`Acties._acties`), also where a typed command is named.
OPDRACHT_NAMEN: dict[Cmd, str] = {
    UITLEG: "? Uitleg bij deze vraag",
    TERUG: "← Terug naar een eerdere vraag",
    OVERZICHT: "≡ Overzicht: antwoorden bekijken en wijzigen",
    ACUUT_CMD: "! Acuut gevaar (112 / Veilig Thuis)",
    ADVIES: "✆ Advies van Veilig Thuis vastleggen",
    AFSLUITEN: "× Casus afsluiten",
    PAUZE: "‖ Pauzeren",
}
# The one-line reminder under a text or date question (arrow mode has no menu there).
TEKST_HINT = "Of typ: ? uitleg · :terug · :overzicht · :pauze · :acuut · :advies · :afsluiten"

Keuze = tuple[str, object]  # (label, value)


@dataclass(frozen=True)
class Menu:
    """A question with its choices and the actions offered after them, as a prompter draws it
    (`choose` for one value, `choose_many` for any)."""

    message: str
    choices: Sequence[Keuze]
    # choose: the value the cursor starts on; choose_many: the tuple of values ticked at first.
    default: object = None
    acties: Sequence[Keuze] = ()  # their values are Cmd
    # True inside a dialogue: every typed command works (the dialogue stops and the question
    # does it), as at its text prompts; else only those of the actions listed.
    opdrachten: bool = False

    @property
    def alle(self) -> list[Keuze]:
        """The choices, then the actions."""
        return [*self.choices, *self.acties]

    @property
    def aangevinkt(self) -> tuple[object, ...]:
        """For `choose_many`: the values ticked at first."""
        return self.default if isinstance(self.default, tuple) else ()

    @property
    def getypt(self) -> dict[Cmd, str]:
        """The commands that may be typed at this menu, with what each does (the label)."""
        eigen = {v: label for label, v in self.acties if v in OPDRACHT_NAMEN}
        return {**OPDRACHT_NAMEN, **eigen} if self.opdrachten else eigen


def typ_vorm(cmd: Cmd) -> str:
    """How `cmd` is typed: `?` for the explanation, else `:naam`."""
    return "?" if cmd == UITLEG else f":{cmd.naam}"


# What a person may type at a date question (parse_datum); answers files take ISO only.
DATUM_FOUT = (
    "typ een bestaande datum als dd-mm-jjjj, bijv. 15-03-2027 (of als jjjj-mm-dd: 2027-03-15)."
)


def breedte() -> int:
    """The terminal's width in columns (80 when it cannot be known)."""
    return shutil.get_terminal_size((80, 24)).columns


def omloop(text: str, width: int, indent: int | None = 0) -> str:
    """`text` broken at word boundaries to `width` columns; later lines indented by `indent`.

    With `indent` None each line hangs under its own text: after its leading spaces and a
    list mark ("1. ", "• "), so a wrapped item of a list keeps its indent.
    A word longer than the line (a URL) stays whole; the terminal wraps it.
    """
    return "\n".join(
        textwrap.fill(
            regel,
            width=max(width, 20),
            subsequent_indent=" " * (_hangend(regel) if indent is None else indent),
            break_long_words=False,
            break_on_hyphens=False,
        )
        or regel
        for regel in text.splitlines() or [""]
    )


def _hangend(regel: str) -> int:
    """The columns before a line's own text: its leading spaces and a list mark."""
    match = re.match(r"\s*(?:\d+\.\s+|[•\-]\s+)?", regel)
    return min(match.end() if match else 0, 20)


# Typed text that is no UTF-8 (a Latin-1 terminal sends 0xEB for ë): said, then asked again.
GEEN_UTF8 = (
    "Wat u typte, is geen geldige UTF-8 (bijvoorbeeld een terminal die Latin-1 gebruikt); er "
    "is niets vastgelegd. Stel de terminal in op UTF-8 en typ het opnieuw."
)


def command(text: str) -> Cmd | None:
    """The command typed as `text`, if it is one."""
    return COMMANDS.get(text.strip().lower())


def datum(text: str) -> str | None:
    """A typed date (dd-mm-jjjj or ISO) as ISO, or None when it is no existing date."""
    iso = parse_datum(text)
    try:
        return dt.date.fromisoformat(iso).isoformat() if is_iso_date(iso) else None
    except ValueError:
        return None


class Screen(ABC):
    """The state of one dialogue and the primitives a subclass draws it with."""

    def __init__(self, flow: Flow | None = None, *, vandaag: dt.date | None = None) -> None:
        self._flow = flow
        self.vandaag = vandaag or dt.date.today()
        self.state: State | None = None
        self.bekend: dict[str, Waarde] = {}
        self._doorgaan: set[tuple[str, str | None]] = set()
        self._wacht_gevraagd: set[str] = set()
        self._uitgesteld: Cmd | None = None
        # The yes/no between an outcome and the next question a deferred command came from.
        self._tussenvraag: Callable[[], bool] | None = None
        # What was ticked in a checkbox together with an action: ticked again when it returns.
        self.aangevinkt: tuple[object, ...] | None = None
        # How to go on with this case later, as the pause entry and the evaluation say it.
        self.hervat_opdracht = "meldcode hervat"

    @property
    def flow(self) -> Flow:
        """The flow being walked; set once the sector is known."""
        if self._flow is None:
            msg = "the prompter has no flow yet"
            raise RuntimeError(msg)
        return self._flow

    @flow.setter
    def flow(self, flow: Flow) -> None:
        self._flow = flow

    # --- the primitives a subclass draws -------------------------------------------------

    @abstractmethod
    def say(self, text: str, soort: Soort = "info") -> None:
        """Show a line or paragraph."""

    @abstractmethod
    def choose(self, menu: Menu) -> object:
        """One value of the menu's choices or actions (a Cmd)."""

    @abstractmethod
    def choose_many(self, menu: Menu) -> tuple[object, ...] | Cmd:
        """Any values of the menu's choices, or one action."""

    @abstractmethod
    def console(self) -> Console:
        """A rich console that writes where `say` does (for blocks shared with the summary)."""

    @abstractmethod
    def text(
        self, message: str, default: str = "", *, multiline: bool = False, annuleren: bool = False
    ) -> str:
        """A line (or lines) of text; typed commands come back as typed. With `annuleren` (a
        one-line prompt inside an action's dialogue) Esc raises Omweg(ANNULEER)."""

    # --- asking one value -------------------------------------------------------------------

    def value(
        self, vraag: AnyVraag, standaard: Waarde | Cmd, *, acties: Sequence[Keuze] = ()
    ) -> Waarde | Cmd:
        """The raw answer to `vraag` (the engine checks it), or a Cmd."""
        # Annuleren offered: asked inside an action's dialogue (a change from the overview).
        dialoog = any(v == ANNULEER for _, v in acties)
        if isinstance(vraag, JaNeeVraag | KeuzeVraag):
            keuzes = (
                [("ja", "ja"), ("nee", "nee")]
                if isinstance(vraag, JaNeeVraag)
                else [(o.label, o.id) for o in vraag.opties]
            )
            gekozen = self.choose(Menu(vraag.tekst, keuzes, standaard, acties, dialoog))
            return gekozen if isinstance(gekozen, Cmd) or gekozen is None else str(gekozen)
        if isinstance(vraag, MeerkeuzeVraag):
            keuzes = [(o.label, o.id) for o in vraag.opties]
            veel = self.choose_many(Menu(vraag.tekst, keuzes, standaard, acties, dialoog))
            return veel if isinstance(veel, Cmd) else tuple(str(g) for g in veel)
        default = standaard if isinstance(standaard, str) else ""
        if vraag.soort == "datum":
            datum_tekst = datum_nl(default) if default else ""
            typed = self.text(f"{vraag.tekst} (dd-mm-jjjj)", datum_tekst, annuleren=dialoog)
            return command(typed) or parse_datum(typed)
        multiline = isinstance(vraag, TekstVraag) and vraag.regels
        typed = self.text(vraag.tekst, default, multiline=multiline, annuleren=dialoog)
        return command(typed) or typed.strip()
