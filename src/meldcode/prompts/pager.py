"""Screens that fit: text longer than the terminal is shown a screen at a time, with Enter.

A trainer in front of a class (80×24, or a projector) must be able to read the case story and
the debrief before they scroll away. rich wraps the text at word boundaries; the pager counts
the lines rich will draw and stops for Enter when the next block would not fit.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from meldcode.errors import InputClosed

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

BEGIN = "Enter: begin de oefening"
VERDER = "Enter: verder naar de vraag"
VOLGENDE = "Enter: volgende scherm ({nu}/{totaal})"


class Pager:
    """Draws renderables on `console`, stopping for Enter at each full screen."""

    def __init__(self, console: Console, *, wissen: bool) -> None:
        self.console = console
        self.wissen = wissen  # presentation mode: every screen starts on an empty screen
        # Only a person at a terminal presses Enter; output to a file or pipe is never paged.
        self.actief = console.is_terminal and sys.stdin is not None and sys.stdin.isatty()

    def hoogte(self, items: Sequence[RenderableType]) -> int:
        """How many lines `items` take on this console, wrapped at its width."""
        return sum(
            len(self.console.render_lines(item, self.console.options, pad=False))
            for item in items
        )

    def past(self, items: Sequence[RenderableType], *, plus: int = 0) -> bool:
        """Whether `items` and `plus` more lines fit on one screen."""
        return not self.actief or self.hoogte(items) + plus < self.console.height

    def wacht(self, tekst: str) -> None:
        """Stop until Enter; a closed input stops the walk as everywhere else."""
        if not self.actief:
            return
        try:
            self.console.input(f"[reverse] {tekst} [/reverse] ")
        except EOFError:
            raise InputClosed from None

    def toon(self, items: Sequence[RenderableType]) -> None:
        """Draw `items` a screen at a time; the last screen stays when the program ends."""
        from rich.segment import Segment, Segments

        if not self.actief:
            for item in items:
                self.console.print(item)
            return
        regels = [
            regel
            for item in items
            for regel in self.console.render_lines(item, self.console.options, pad=False)
        ]
        per_scherm = max(self.console.height - 2, 5)  # room for the Enter line
        schermen = [regels[i : i + per_scherm] for i in range(0, len(regels), per_scherm)]
        for nummer, scherm in enumerate(schermen, start=1):
            if self.wissen:
                self.console.clear()
            self.console.print(
                Segments([s for regel in scherm for s in (*regel, Segment.line())]), end=""
            )
            if nummer < len(schermen):
                self.wacht(VOLGENDE.format(nu=nummer, totaal=len(schermen)))
