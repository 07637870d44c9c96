"""questionary at the terminal: arrow keys, filtering by typing, actions at the end of each menu.

questionary (and prompt_toolkit) are imported here only, and only when a prompt is shown, so
`meldcode --help` stays light (design.md §7).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from meldcode.errors import InputClosed
from meldcode.prompts.dialog import DialogPrompter
from meldcode.prompts.screen import Cmd, Keuze, Soort
from meldcode.stuurtekens import zonder_stuurtekens

if TYPE_CHECKING:
    import questionary

STIJL: dict[str, str] = {
    "kop": "bold fg:ansicyan",
    "vraag": "bold",
    "mededeling": "fg:ansiyellow",
    "uitleg": "italic",
    "fout": "fg:ansired",
    "alarm": "bold fg:ansiwhite bg:ansired",
    "info": "",
}
FILTER_VANAF = 8  # longer lists are filtered by typing


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

        questionary.print(zonder_stuurtekens(text), style=STIJL[soort] or None)

    def choose(
        self,
        message: str,
        choices: Sequence[Keuze],
        default: object = None,
        *,
        acties: Sequence[Keuze] = (),
        zoeken: bool = False,
    ) -> object:
        """A single choice; with many choices, typing filters the list."""
        import questionary

        items = _choices(choices, acties)
        zoeken = zoeken or len(items) > FILTER_VANAF
        start = next((c for c in items if getattr(c, "value", None) == default), None)
        while True:
            gekozen = _ask(
                questionary.select(
                    zonder_stuurtekens(message),
                    choices=items,
                    default=start,
                    use_search_filter=zoeken,
                    use_jk_keys=not zoeken,
                    instruction="(pijltjes; typ om te zoeken)" if zoeken else "(pijltjes)",
                )
            )
            if gekozen is not None or any(v is None for _, v in choices):
                return gekozen

    def choose_many(
        self,
        message: str,
        choices: Sequence[Keuze],
        default: Sequence[object],
        *,
        acties: Sequence[Keuze] = (),
    ) -> tuple[object, ...] | Cmd:
        """Any choices (space toggles, typing filters); an action ticked wins."""
        import questionary

        items = _choices(choices, acties, default)
        zoeken = len(choices) > FILTER_VANAF
        gekozen = _ask(
            questionary.checkbox(
                zonder_stuurtekens(message),
                choices=items,
                use_search_filter=zoeken,
                use_jk_keys=not zoeken,
                instruction="(spatie kiest, Enter bevestigt"
                + (", typ om te zoeken)" if zoeken else ")"),
            )
        )
        cmds = [g for g in gekozen or () if isinstance(g, Cmd)]
        return cmds[0] if cmds else tuple(gekozen or ())

    def text(self, message: str, default: str = "", *, multiline: bool = False) -> str:
        """A line, or several lines (Esc then Enter to finish)."""
        import questionary

        # Stored text (an earlier answer as default) may hold control characters from old stores.
        message, default = zonder_stuurtekens(message), zonder_stuurtekens(default)
        if not multiline:
            return str(_ask(questionary.text(message, default=default)) or "")
        # NOTE: prompt_toolkit draws nothing at all for a multi-line prompt whose message wraps,
        # so the question goes above it and the prompt itself stays short.
        self.say(message, "vraag")
        instruction = "(meerdere regels; Esc en dan Enter bevestigt)"
        result = _ask(
            questionary.text("Uw tekst", default=default, multiline=True, instruction=instruction)
        )
        return str(result or "")


def _choices(
    choices: Sequence[Keuze], acties: Sequence[Keuze], checked: Sequence[object] = ()
) -> list[Any]:
    """questionary choices: the answers, a separator, then the actions."""
    import questionary

    items: list[Any] = [
        questionary.Choice(zonder_stuurtekens(label), value=value, checked=value in checked)
        for label, value in choices
    ]
    if acties:
        items.append(questionary.Separator("── of kies een actie ──"))
        items += [questionary.Choice(label, value=value) for label, value in acties]
    return items
