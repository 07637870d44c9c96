"""Typing at a questionary menu: every menu searches word by word, a typed command does what
picking it does, and Enter on a search that finds nothing records nothing but says what to do.

Used by `interactive.py` only; questionary and prompt_toolkit are imported late, as there.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from meldcode.prompts.screen import UITLEG, Cmd, Menu, breedte, command, omloop, typ_vorm

if TYPE_CHECKING:
    import questionary


def zoekbaar(question: questionary.Question, menu: Menu, *, vinkjes: bool) -> questionary.Question:
    """`question` (a select, or with `vinkjes` a checkbox) with our search: words match across
    the line breaks of a wrapped label, a typed command of `menu` runs on Enter, and Enter on
    a search that finds nothing shows a line under the search instead of recording anything.
    In a checkbox a space is part of what is typed while searching (questionary ticked the
    option under the cursor instead: "geweld tussen" ticked "Lichamelijk geweld"), and Enter
    ticks what was found."""
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    app = question.application
    ic = next(c for c in app.layout.find_all_controls() if isinstance(c, InquirerControl))
    # NOTE: questionary compares the search with the raw title; ours holds line breaks.
    ic.__class__ = _woordzoeker()
    ic.getypt = menu.getypt  # type: ignore[attr-defined]  # Woordzoeker's own fields
    ic.melding = None  # type: ignore[attr-defined]
    ic.start = ic.pointed_at  # type: ignore[attr-defined]
    _onder_de_lijst(app, ic)
    zoekt = Condition(lambda: bool(ic.search_filter))
    extra = KeyBindings()

    if vinkjes:

        @extra.add(" ", eager=True, filter=zoekt)
        def _spatie(_event: Any) -> None:
            ic.add_search_character(" ")  # type: ignore[arg-type]  # a str, as questionary does

    @extra.add("enter", eager=True, filter=zoekt)
    def _enter(event: Any) -> None:
        zoek = str(ic.search_filter)
        gevonden = bool(ic.filtered_choices) and ic.found_in_search
        if (cmd := command(zoek)) is not None or not gevonden:
            if cmd is not None and cmd in menu.getypt:
                ic.is_answered = True
                event.app.exit(result=[*ic.selected_options, cmd] if vinkjes else cmd)
            else:
                ic.melding = melding(zoek, menu)  # type: ignore[attr-defined]
            return
        if not vinkjes:
            ic.is_answered = True
            event.app.exit(result=ic.get_pointed_at().value)
            return
        # Ticks what was found, never unticks it (a second search for a ticked signal and
        # Enter kept unticking it); the space unticks.
        if (waarde := ic.get_pointed_at().value) not in ic.selected_options:
            ic.selected_options.append(waarde)
        ic.search_filter = None
        ic.pointed_at = 0

    @extra.add("escape", "enter", eager=True)
    def _esc_enter(event: Any) -> None:
        # NOTE: Esc then Enter ends a text of several lines; at a menu prompt_toolkit's own
        # Meta+Enter answered with its hidden, empty input line (the ticks were dropped and
        # "(niets gekozen)" was submitted). Here it is Enter.
        from prompt_toolkit.key_binding.key_processor import KeyPress
        from prompt_toolkit.keys import Keys

        event.key_processor.feed(KeyPress(Keys.ControlM, "\r"), first=True)

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    return question


def _onder_de_lijst(app: Any, ic: Any) -> None:
    """The search line and its message right under the list, as high as they need."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.layout.controls import FormattedTextControl

    for window in app.layout.find_all_windows():
        inhoud = window.content
        if inhoud is ic:  # the list took the rows left, and put the search at the bottom
            window.dont_extend_height = to_filter(True)
        naam = getattr(getattr(inhoud, "text", None), "__name__", "")
        if isinstance(inhoud, FormattedTextControl) and naam == "get_search_string_tokens":
            # questionary's search line is two rows high; ours grows with the message. (Its
            # method was bound before ic became a Woordzoeker: bind ours.)
            inhoud.text = ic.get_search_string_tokens
            window.height = None
            window.dont_extend_height = to_filter(True)


def melding(zoek: str, menu: Menu) -> str:
    """What is wrong with Enter on `zoek` and what to do, in one short paragraph."""
    cmd = command(zoek)
    if cmd is None:
        wat = f"Niets gevonden voor '{zoek.strip()}'; er is niets gekozen."
    else:
        wat = f"'{typ_vorm(cmd)}' kan bij deze vraag niet; er is niets gekozen."
    opdrachten = " · ".join("? (uitleg)" if c == UITLEG else typ_vorm(c) for c in menu.getypt)
    verder = (
        f"Typ een deel van een keuze, of een opdracht: {opdrachten}."
        if opdrachten
        else "Typ een deel van een keuze, of kies met de pijltjes."
    )
    return f"{wat} Backspace wist de zoektekst. {verder}"


@functools.cache
def _woordzoeker() -> type:
    """questionary's list, searched word by word (line breaks and indents count as spaces),
    with a line under the search: what Enter does with a typed command, or what went wrong."""
    from questionary import Separator
    from questionary.prompts.common import InquirerControl

    class Woordzoeker(InquirerControl):
        getypt: dict[Cmd, str]
        melding: str | None
        start: int

        @property
        def filtered_choices(self) -> list[Any]:
            if not self.search_filter:
                return list(self.choices)
            zoek = " ".join(self.search_filter.lower().split())
            gevonden = [
                c
                for c in self.choices
                if not isinstance(c, Separator) and zoek in " ".join(str(c.title).lower().split())
            ]
            self.found_in_search = bool(gevonden)
            return gevonden or list(self.choices)

        def add_search_character(self, char: Any) -> None:
            self.melding = None  # typing again: the message has done its work
            super().add_search_character(char)
            # Cleared, or nothing found (the whole list shows): the cursor where it started,
            # on the default (never on an answer that ends the case), not on the first line.
            if not (self.search_filter and self.filtered_choices and self.found_in_search):
                self.pointed_at = self.start

        def get_search_string_tokens(self) -> list[tuple[str, str]] | None:
            if self.search_filter is None:
                return None
            cmd = command(self.search_filter)
            label = self.getypt.get(cmd) if cmd is not None else None
            goed = self.found_in_search or label is not None
            tokens = [
                ("", "\n"),
                ("class:question-mark", "/ "),
                ("class:search_success" if goed else "class:search_none", self.search_filter),
                ("class:question-mark", "..."),
            ]
            regel = f"Enter kiest: {label}" if label is not None else None
            if self.melding is not None:
                regel, stijl = self.melding, "fg:ansired"
            else:
                stijl = "class:instruction"
            if regel is not None:
                tokens += [("", "\n"), (stijl, omloop(regel, breedte() - 1))]
            return tokens

    return Woordzoeker
