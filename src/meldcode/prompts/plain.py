"""Numbered choices over plain text streams: screen readers, dumb terminals, `--eenvoudig`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TextIO

from meldcode.errors import InputClosed
from meldcode.model import Flow
from meldcode.prompts.dialog import DialogPrompter
from meldcode.prompts.screen import (
    ANNULEER,
    COMMANDS_HULP,
    GEEN_UTF8,
    OPMAAK,
    Cmd,
    Keuze,
    Menu,
    Omweg,
    Soort,
    breedte,
    command,
    omloop,
)
from meldcode.text.control_chars import utf8, zonder_stuurtekens

if TYPE_CHECKING:
    from rich.console import Console


class PlainPrompter(DialogPrompter):
    """Asks by number over `input`/`output`; every action is a typed command (`:terug`)."""

    eenvoudig: ClassVar[bool] = True

    def __init__(
        self,
        flow: Flow | None = None,
        *,
        input: TextIO,
        output: TextIO,
        vandaag: dt.date | None = None,
    ) -> None:
        super().__init__(flow, vandaag=vandaag)
        self.input = input
        self.output = output
        self._hulp_getoond = False

    def say(self, text: str, soort: Soort = "info") -> None:
        """Write `text` with a word that says what kind of message it is."""
        # Stored text (answers, labels) may come from a store older than the input check.
        text = f"{OPMAAK[soort][0]}{zonder_stuurtekens(text)}"
        if self.output.isatty():  # a line the terminal would cut inside a word
            text = omloop(text, breedte() - 1, indent=None)  # a list item hangs under its text
        self.output.write(f"{text}\n")
        self.output.flush()

    def console(self) -> Console:
        """Plain text to `output`: no colours or escape codes, for screen readers."""
        from rich.console import Console

        breed = breedte() - 1 if self.output.isatty() else 80
        return Console(file=self.output, highlight=False, color_system=None, width=breed)

    def _line(self, prompt: str) -> str:
        if not self._hulp_getoond:
            self._hulp_getoond = True
            self.say(COMMANDS_HULP)
        while True:
            self.output.write(prompt)
            self.output.flush()
            try:
                line = self.input.readline()
            except UnicodeDecodeError:  # a strict stdin: the rest of the line is dropped too
                line = "\udcff\n"
            if utf8(line):
                break
            self.say(GEEN_UTF8, "fout")
        if not line:  # end of input: Ctrl-D, or the terminal or pipe is gone
            self.output.write("\n")  # the message that follows starts on a line of its own
            self.output.flush()
            raise InputClosed
        return line.rstrip("\r\n")

    def _list(self, message: str, choices: Sequence[Keuze], nummers: Sequence[int]) -> None:
        self.say(message)
        for n in nummers:
            self.say(f"  {n}. {choices[n - 1][0]}")

    def choose(self, menu: Menu) -> object:
        """A number, Enter for the default, a word to filter (always: `menu.zoeken` is not
        needed here), or a command (the actions are typed commands; only Annuleren is listed)."""
        choices = [*menu.choices, *_annuleren(menu.acties)]
        nummers = list(range(1, len(choices) + 1))
        # Without a default, Enter in an action's dialogue is Annuleren, as in its others.
        standaard = next((n for n in nummers if choices[n - 1][1] == menu.default), None) or next(
            (n for n in nummers if choices[n - 1][1] == ANNULEER), None
        )
        while True:
            self._list(menu.message, choices, nummers)
            hint = f" [Enter = {standaard}]" if standaard else ""
            typed = self._line(f"Kies een nummer{hint}: ").strip()
            if cmd := command(typed):
                return cmd
            if not typed and standaard:
                return choices[standaard - 1][1]
            if typed.isdigit() and 1 <= int(typed) <= len(choices):
                return choices[int(typed) - 1][1]
            treffers = _filter(choices, typed)
            if len(treffers) == 1:
                return choices[treffers[0] - 1][1]
            self.say("Kies een nummer uit de lijst, of typ een woord om te zoeken.", "fout")
            nummers = treffers or list(range(1, len(choices) + 1))

    def choose_many(self, menu: Menu) -> tuple[object, ...] | Cmd:
        """Numbers separated by commas or spaces, Enter for the default, or a command."""
        choices = [*menu.choices, *_annuleren(menu.acties)]
        alle = list(range(1, len(choices) + 1))
        nummers = alle
        standaard = [n for n in alle if choices[n - 1][1] in menu.aangevinkt]
        while True:
            self._list(menu.message, choices, nummers)
            hint = f" [Enter = {', '.join(map(str, standaard))}]" if standaard else ""
            typed = self._line(f"Kies een of meer nummers, gescheiden door komma's{hint}: ")
            if cmd := command(typed):
                return cmd
            if not typed.strip():
                return tuple(choices[n - 1][1] for n in standaard)
            delen = typed.replace(",", " ").split()
            if all(d.isdigit() and 1 <= int(d) <= len(choices) for d in delen):
                gekozen = tuple(choices[int(d) - 1][1] for d in delen)
                return ANNULEER if ANNULEER in gekozen else gekozen
            if _annuleren(menu.acties) and typed.strip().lower() == "annuleren":
                return ANNULEER
            treffers = _filter(choices, typed.strip())
            self.say("Gebruik de nummers; een woord toont de opties die het bevatten.", "fout")
            nummers = treffers or alle

    def text(
        self, message: str, default: str = "", *, multiline: bool = False, annuleren: bool = False
    ) -> str:
        """One line; with `multiline`, lines until an empty line. Enter keeps the default.
        With `annuleren` (one line inside an action's dialogue; arrow mode's Esc) the word
        "annuleren" ends the dialogue as Annuleren in its menus does (Omweg(ANNULEER))."""
        self.say(message)
        if default:
            self.say(f"(Enter houdt: {default})")
        if not multiline:
            if annuleren:
                self.say("(annuleren = niets vastleggen, terug naar de vraag)")
            typed = self._line("> ")
            if annuleren and typed.strip().lower() == "annuleren":
                raise Omweg(ANNULEER)
            return typed if typed.strip() or not default else default
        self.say("(Meerdere regels: sluit af met een lege regel.)")
        regels: list[str] = []
        while typed := self._line("> "):
            if not regels and command(typed):
                return typed
            regels.append(typed)
        return "\n".join(regels) if regels or not default else default


def _annuleren(acties: Sequence[Keuze]) -> list[Keuze]:
    """Annuleren, when the actions offer it (inside an action's dialogue)."""
    return [a for a in acties if a[1] == ANNULEER]


def _filter(choices: Sequence[Keuze], woord: str) -> list[int]:
    """The numbers of the choices whose label contains `woord` (case-insensitive)."""
    w = woord.lower()
    return [n for n, (label, _) in enumerate(choices, start=1) if w and w in label.lower()]
