"""questionary at the terminal: arrow keys, filtering by typing, actions at the end of each menu.

questionary (and prompt_toolkit) are imported here only, and only when a prompt is shown, so
`meldcode --help` stays light (design.md §7).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from meldcode.errors import InputClosed
from meldcode.prompts.dialog import DialogPrompter
from meldcode.prompts.screen import (
    ANNULEER,
    GEEN_UTF8,
    OPMAAK,
    TEKST_HINT,
    Cmd,
    Menu,
    Omweg,
    Soort,
    breedte,
)
from meldcode.prompts.screen import omloop as _wrap
from meldcode.prompts.zoeken import zoekbaar
from meldcode.text.control_chars import utf8, zonder_stuurtekens

if TYPE_CHECKING:
    import questionary
    from rich.console import Console

# What questionary puts before a choice's label: the pointer (select), and a box (checkbox).
INSPRINGEN_KEUZE, INSPRINGEN_VINKJE = 3, 5
# The commands in the reminder under a text prompt, in the order shown; on a narrow screen the
# least needed go first (the order of WEGLATEN): acute danger, back and pause always stay.
HINT_DELEN = ("? uitleg", ":terug", ":overzicht", ":pauze", ":acuut", ":advies", ":afsluiten")
WEGLATEN = (":afsluiten", ":advies", ":overzicht", "? uitleg")


def _vraag(message: str, instruction: str | None = None) -> str:
    """The question line of a prompt, wrapped so that no word is cut at the edge (`? ` and a
    space go before it, the instruction after it, on its own line when it does not fit)."""
    width = breedte() - 3
    tekst = _wrap(zonder_stuurtekens(message), width)
    laatste = tekst.rsplit("\n", 1)[-1]
    if instruction and len(laatste) + len(instruction) + 2 > width:
        tekst += "\n"
    return tekst


def _instructie(instruction: str) -> str:
    """The instruction after the question, wrapped at word boundaries (it may start a line)."""
    return _wrap(instruction, breedte() - 2)


def _hint(*, esc: bool = False) -> str:
    """The navigation commands, as one line that fits the terminal: the full line
    (TEKST_HINT) when it fits, else without the least needed commands (WEGLATEN). Inside an
    action's dialogue (`esc`) it starts with "Esc annuleert", which always stays."""
    width = breedte() - 1
    esc_kop = "Esc annuleert · " if esc else ""
    if len(esc_kop + TEKST_HINT) <= width:
        return esc_kop + TEKST_HINT
    delen = list(HINT_DELEN)
    for weg in WEGLATEN:
        delen.remove(weg)
        for kop in ("Of typ: ", ""):
            if len(hint := esc_kop + kop + " · ".join(delen)) <= width:
                return hint
    return esc_kop + " · ".join(delen)


# How long a lone Esc waits for the rest of an escape sequence (an arrow key) before it counts as
# Esc: vim's 0.1 s, not prompt_toolkit's 0.5 s, after which Esc felt like it had not worked. A
# sequence split over a slow link at worst reads as Esc, and Esc only ever cancels.
ESC_WACHTTIJD = 0.1


def _met_esc(question: questionary.Question) -> questionary.Question:
    """Esc cancels the menu: the answer is ANNULEER, as if Annuleren was picked."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    extra = KeyBindings()

    @extra.add("escape", eager=True)
    def _annuleren(event: Any) -> None:
        event.app.exit(result=ANNULEER)

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    app.ttimeoutlen = ESC_WACHTTIJD
    return question


def can_run() -> bool:
    """Whether questionary can draw here: a real console, not `TERM=dumb`."""
    if os.environ.get("TERM") == "dumb" or not (_tty(sys.stdin) and _tty(sys.stdout)):
        return False
    try:
        from prompt_toolkit.output.defaults import create_output

        create_output()
    except Exception:  # e.g. NoConsoleScreenBufferError on Windows: use the plain prompter
        return False
    return True


def _tty(stream: TextIO | None) -> bool:
    """Whether `stream` is a terminal; None (a closed descriptor: `<&-`) is not."""
    return stream is not None and stream.isatty()


def _ask(question: questionary.Question) -> Any:
    """Ask; Ctrl-C raises KeyboardInterrupt (unlike `ask()`), Ctrl-D or a closed terminal
    InputClosed."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise InputClosed from None


class InteractivePrompter(DialogPrompter):
    """Menus with arrow keys; actions sit at the end of each menu, or are typed at text prompts."""

    def say(self, text: str, soort: Soort = "info") -> None:
        """Print `text` in the style of its kind."""
        import questionary

        questionary.print(
            _wrap(zonder_stuurtekens(text), breedte() - 1, None), style=OPMAAK[soort][1] or None
        )

    def console(self) -> Console:
        """The terminal, with boxes and bold."""
        from rich.console import Console

        return Console(highlight=False, width=breedte() - 1)

    def choose(self, menu: Menu) -> object:
        """A single choice; typing searches the list, or types a command (`zoeken.py`)."""
        import questionary

        items = _choices(menu, indent=INSPRINGEN_KEUZE)
        start = next((c for c in items if getattr(c, "value", None) == menu.default), None)
        question = _menu(
            questionary.select, menu, "pijltjes; typ om te zoeken", choices=items, default=start
        )
        while (gekozen := _ask(question)) is None:
            pass  # NOTE: kept from questionary's select, which may answer None; ask again
        self._gekozen(menu, [gekozen])
        return gekozen

    def choose_many(self, menu: Menu) -> tuple[object, ...] | Cmd:
        """Any choices (space toggles, typing searches); an action ticked or typed wins."""
        import questionary

        items = _choices(menu, menu.aangevinkt, indent=INSPRINGEN_VINKJE)
        uitleg = (
            "spatie vinkt aan of uit; typ om te zoeken, Enter vinkt het gevonden aan; "
            "Enter zonder zoektekst bevestigt"
        )
        question = _menu(questionary.checkbox, menu, uitleg, choices=items)
        gekozen = _ask(question)
        if isinstance(gekozen, Cmd):  # Esc: Annuleren alone, not a list of ticks
            gekozen = [gekozen]
        cmds = [g for g in gekozen or () if isinstance(g, Cmd)]
        self._gekozen(menu, gekozen or ())
        if cmds:  # the answers ticked with it stay ticked when the question comes again
            self.aangevinkt = tuple(g for g in gekozen if not isinstance(g, Cmd))
            return cmds[0]
        return tuple(gekozen or ())

    def _gekozen(self, menu: Menu, gekozen: Sequence[object]) -> None:
        """The question and what was chosen, in Dutch and wrapped (the menu is erased)."""
        labels: dict[object, str] = {v: label for label, v in menu.alle}
        for cmd, naam in menu.getypt.items():  # a command typed where the menu lists none
            labels.setdefault(cmd, naam)
        labels[ANNULEER] = "Annuleren"
        cmds = [g for g in gekozen if isinstance(g, Cmd)]
        if cmds and len(cmds) < len(gekozen):
            # An action chosen with ticks: the ticks are not an answer (yet); never echo them
            # as if they were ("… » Geweld tussen partners; ‖ Pauzeren", then "alles is bewaard").
            vinkjes = "; ".join(labels.get(g, str(g)) for g in gekozen if not isinstance(g, Cmd))
            tekst = f"{labels.get(cmds[0], str(cmds[0]))} (aangevinkt, niet vastgelegd: {vinkjes})"
        else:
            tekst = "; ".join(labels.get(g, str(g)) for g in gekozen) or "(niets gekozen)"
        self.say(_wrap(f"? {zonder_stuurtekens(menu.message)} » {tekst}", breedte() - 1), "vraag")

    def text(
        self, message: str, default: str = "", *, multiline: bool = False, annuleren: bool = False
    ) -> str:
        """A line, or several lines (Esc then Enter to finish); Esc on one line of an action's
        dialogue (`annuleren`) cancels it (Omweg(ANNULEER))."""
        import questionary

        # Stored text (an earlier answer as default) may hold control characters from old stores.
        default = zonder_stuurtekens(default)
        # NOTE: the hint is a line of its own, not prompt_toolkit's bottom toolbar: that one is
        # drawn only where the terminal reports the cursor position.
        if not multiline:
            self.say(_hint(esc=annuleren), "uitleg")
            while True:
                question = questionary.text(_vraag(message), default=default)
                antwoord = _ask(_met_esc(question) if annuleren else question)
                if antwoord == ANNULEER:
                    # The prompt stays on screen with what was in it: say it was not taken.
                    self.say("Geannuleerd: er is niets vastgelegd.", "uitleg")
                    raise Omweg(ANNULEER)  # the question comes again
                if utf8(regel := str(antwoord or "")):
                    return regel
                self.say(GEEN_UTF8, "fout")
        # NOTE: prompt_toolkit draws nothing at all for a multi-line prompt whose message wraps,
        # so the question goes above it; the box starts on a line of its own, with no prompt
        # before its lines, so it gets the whole width; the hints sit on the lines above it.
        self.say(_wrap(zonder_stuurtekens(message), breedte() - 1), "vraag")
        self.say(_wrap("(Meerdere regels; Esc en dan Enter bevestigt.)", breedte() - 1))
        self.say(_hint(), "uitleg")
        from prompt_toolkit import PromptSession

        # prompt_toolkit itself: questionary puts two spaces before the first line.
        sessie: PromptSession[str] = PromptSession(multiline=True, prompt_continuation="")
        try:
            while not utf8(typed := sessie.prompt("", default=default)):
                self.say(GEEN_UTF8, "fout")
        except EOFError:
            raise InputClosed from None
        return typed


def _menu(
    soort: Callable[..., questionary.Question],
    menu: Menu,
    uitleg: str,
    **kwargs: Any,
) -> questionary.Question:
    """A questionary select or checkbox for `menu` that searches and takes typed commands
    (zoeken.py); `uitleg` is the instruction after the question. An action's dialogue (and a
    change from the overview) offers Annuleren: there Esc does the same, and says so."""
    vinkjes = soort.__name__ == "checkbox"
    esc = any(v == ANNULEER for _, v in menu.alle)
    instruction = f"({uitleg}; Esc annuleert)" if esc else f"({uitleg})"
    question = soort(
        _vraag(menu.message, instruction),
        use_search_filter=True,
        use_jk_keys=False,
        instruction=_instructie(instruction),
        # questionary repeats the chosen label after the question, cut at the edge, and its
        # line after a checkbox is English ("done (2 selections)"): erase the menu and say
        # the choice in Dutch, wrapped at word boundaries (`_gekozen`).
        erase_when_done=True,
        **kwargs,
    )
    question = zoekbaar(question, menu, vinkjes=vinkjes)
    return _met_esc(question) if esc else question


def _choices(menu: Menu, checked: Sequence[object] = (), *, indent: int) -> list[Any]:
    """questionary choices: the answers, a separator, then the actions; long labels wrap at
    word boundaries, under their first word."""
    import questionary

    width = breedte() - indent - 1

    def label_van(label: str) -> str:
        return _wrap(zonder_stuurtekens(label), width, indent)

    items: list[Any] = [
        questionary.Choice(label_van(label), value=value, checked=value in checked)
        for label, value in menu.choices
    ]
    if menu.acties:
        items.append(questionary.Separator("── of kies een actie ──"))
        items += [questionary.Choice(label_van(label), value=value) for label, value in menu.acties]
    return items
