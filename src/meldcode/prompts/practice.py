"""The practice walk: the case story before each step, the uitleg shown, and the debrief.

`OefenPrompter` wraps a human prompter (plain or questionary) and adds what a trainer needs:
the fictional story before each step, each question's uitleg without asking for it, and at the
end the comparison with the intended answers. `presentatie` draws calm, large panels for a
projector, one question per screen; otherwise everything goes through the inner prompter's
`say`, so `--eenvoudig` stays plain text for screen readers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from meldcode.contract import Besluit, Status
from meldcode.model import Uitkomst
from meldcode.practice import (
    OefenCasus,
    Vergelijking,
    Verschil,
    Verwacht,
    uitkomst_label,
    walks_on,
)
from meldcode.prompts.pager import BEGIN, VERDER, Pager
from meldcode.text.control_chars import zonder_stuurtekens
from meldcode.text.phrases import meldnorm_tekst, reden_tekst, uitkomst_naam, waarde_tekst

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from meldcode.model import Antwoord, AnyVraag, Flow, Wacht
    from meldcode.prompts.dialog import DialogPrompter
    from meldcode.prompts.interface import Actie, VraagContext
    from meldcode.prompts.screen import Soort

OEFENING = "OEFENING"
DEEL_TITELS: dict[str, str] = {"begin": "De casus", "evaluatie": "Bij de evaluatie"}
# Asked before the steps proper (design.md §6 "Order"): only the opening story precedes them.
VOORAF: frozenset[str] = frozenset({"acuut-gevaar", "route"})


class OefenPrompter:
    """A Prompter for practice cases around a human prompter (see the module docstring)."""

    def __init__(
        self,
        inner: DialogPrompter,
        flow: Flow,
        casus: OefenCasus,
        *,
        presentatie: bool = False,
        console: Console | None = None,
    ) -> None:
        self.inner = inner
        self.flow = flow
        self.casus = casus
        self.presentatie = presentatie
        self._console = console
        self._pager: Pager | None = None
        self._getoond: set[str] = set()
        self._huidig: tuple[str, str] | None = None  # the story part last shown: (titel, tekst)

    @property
    def console(self) -> Console:
        """The rich console the practice texts are drawn on, made when first needed."""
        if self._console is None:
            from rich.console import Console

            self._console = Console()
        return self._console

    @property
    def pager(self) -> Pager:
        """Screens that fit the terminal (see pager.py)."""
        if self._pager is None:
            self._pager = Pager(self.console, wissen=self.presentatie)
        return self._pager

    @property
    def _rich(self) -> bool:
        """Whether rich draws (wrapped at words, paged); `--eenvoudig` writes plain lines."""
        return self.presentatie or not self.inner.eenvoudig

    # --- what the trainer sees around the questions ------------------------------------

    def start(self, casus_id: str) -> None:
        """The title and the short introduction, marked as practice."""
        # The pause entry and the evaluation name the practice command, not `meldcode hervat`.
        self.inner.hervat_opdracht = f"meldcode oefen --hervat {casus_id}"
        titel = f"{OEFENING} · {self.casus.titel}"
        tekst = (
            f"{self.casus.inleiding}\n\nSector: {self.flow.sector.naam}. Deze oefencasus is "
            f"verzonnen en wordt apart van echte casussen bewaard ({casus_id}). Bij elke vraag "
            "toont ? (of 'Uitleg' in het menu) het verhaal van de stap opnieuw."
        )
        if self._rich:
            self.console.print(self._blok(titel, tekst, "kop"))
            # The first question clears the projector, or pushes this up: read it first.
            self.pager.wacht(BEGIN)
            return
        self._say(titel, "kop")
        self._say(tekst)

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        """Show the story due before `vraag` and its uitleg, then let the inner prompter ask."""
        delen = self._due(vraag, context)
        if self._rich:
            self._toon_voor_vraag(vraag, context, delen)
        else:
            if context.nieuwe_stap:
                self._kop(context)
            for titel, tekst in delen:
                self._say(f"{titel}: {tekst}")
            if vraag.uitleg:
                self._say(vraag.uitleg, "uitleg")
        # The header is drawn above, before the story; the inner prompter must not repeat it.
        return self.inner.ask(self._met_verhaal(vraag), replace(context, nieuwe_stap=False))

    def _toon_voor_vraag(
        self, vraag: AnyVraag, context: VraagContext, delen: list[tuple[str, str]]
    ) -> None:
        """Header, story and uitleg; a story that leaves no room for the question goes first,
        on a screen of its own, until Enter."""
        if self.presentatie:
            self.console.clear()
        kop = [self._kop_blok(context)] if self.presentatie or context.nieuwe_stap else []
        verhaal = delen or ([self._huidig] if self.presentatie and self._huidig else [])
        verhaal_blokken = [self._blok(titel, tekst, "verhaal") for titel, tekst in verhaal]
        uitleg = [self._blok("Uitleg", vraag.uitleg, "uitleg")] if vraag.uitleg else []
        plus = _vraag_hoogte(vraag, context, self.console.width)
        if not verhaal_blokken or self.pager.past([*kop, *verhaal_blokken, *uitleg], plus=plus):
            for item in (*kop, *verhaal_blokken, *uitleg):
                self.console.print(item)
            return
        hint = [_hint("De uitleg bij deze vraag staat onder ? (Uitleg).")]
        if uitleg and self.pager.past([*kop, *verhaal_blokken, *hint], plus=plus):
            # The story stays in view with its question; the uitleg is one key away.
            for item in (*kop, *verhaal_blokken, *hint):
                self.console.print(item)
            return
        if delen:  # a new story part: read it first, then the question
            self.pager.toon([*kop, *verhaal_blokken])
            self.pager.wacht(VERDER)
            if self.presentatie:
                self.console.clear()
            else:
                kop = []  # still on screen, just above
        herinnering = _hint("Het verhaal van deze stap staat onder ? (Uitleg).")
        for item in (*kop, herinnering, *uitleg):
            self.console.print(item)

    def _met_verhaal(self, vraag: AnyVraag) -> AnyVraag:
        """`vraag` with the current story before its uitleg, so ? shows the story again."""
        if self._huidig is None:
            return vraag
        titel, tekst = self._huidig
        uitleg = f"{titel}: {tekst}" + (f"\n\n{vraag.uitleg}" if vraag.uitleg else "")
        return vraag.model_copy(update={"uitleg": uitleg})

    def _due(self, vraag: AnyVraag, context: VraagContext) -> list[tuple[str, str]]:
        """The story parts not shown yet that belong before `vraag`, in order."""
        wanted = ["begin"]
        if vraag.id not in VOORAF:
            wanted.append(context.stap)
        if vraag.id == "afweging-5":
            wanted.append("evaluatie")
        delen = []
        for deel in wanted:
            tekst = self.casus.verhaal.get(deel)
            if tekst and deel not in self._getoond:
                self._getoond.add(deel)
                titel = DEEL_TITELS.get(deel) or self.flow.stap_namen.get(deel, deel)
                delen.append((titel, tekst.strip()))
        if delen:
            self._huidig = delen[-1]
        return delen

    def onderbouwing(self, vraag: AnyVraag) -> str | None:
        """The reasoning behind an afweging: the inner prompter asks it."""
        return self.inner.onderbouwing(vraag)

    def invalid(self, vraag: AnyVraag, melding: str) -> None:
        """The engine refused the answer: the inner prompter shows why."""
        self.inner.invalid(vraag, melding)

    def bevestig(self, actie: Actie) -> None:
        """An action is recorded: the inner prompter says so."""
        self.inner.bevestig(actie)

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        """Go on after an outcome when the case goes on (the evaluation, or with Veilig Thuis)."""
        if not walks_on(self.flow, self.casus.antwoorden, volgende):
            return False
        if Status(reached.status) is not Status.WACHT:
            tekst = (
                f"Uitkomst: {uitkomst_naam(reached)}. In deze oefening loopt u de volgende "
                "afwegingen samen met Veilig Thuis door; de uitkomst blijft staan."
            )
            if self._rich:
                self.console.print(self._blok(None, tekst, "kop"))
            else:
                self._say(tekst, "kop")
        return True

    def waiting(self, wacht: Wacht) -> bool:
        """The case cannot go on yet: the inner prompter says why (and may ask again)."""
        return self.inner.waiting(wacht)

    # --- the debrief ----------------------------------------------------------------------

    def nabespreking(self, v: Vergelijking) -> None:
        """The participant's outcome against the intended one, and why, per afweging."""
        uw = _uitkomst_zin(v.bereikt) if v.bereikt else uitkomst_label(None)
        bedoeld = _uitkomst_zin(v.verwacht)
        oordeel = (
            "U kwam tot de bedoelde uitkomst."
            if v.gelijk
            else "Uw uitkomst verschilt van de bedoelde uitkomst."
        )
        delen: list[tuple[str | None, str, str]] = [
            (f"Nabespreking ({OEFENING})", "", "kop"),
            (None, f"Uw uitkomst: {uw}\nBedoelde uitkomst: {bedoeld}\n{oordeel}", "info"),
        ]
        if v.bereikt is not None:
            # What the participant's outcome asks of a professional, as in a real case.
            tekst = f"In een echte casus vraagt deze uitkomst van u: {v.bereikt.tekst.strip()}"
            delen.append(("Uitleg", tekst, "uitleg"))
        if v.verschillen:
            delen.append((None, "Waar uw antwoorden verschillen van de bedoelde:", "kop"))
            delen += [self._verschil(verschil) for verschil in v.verschillen]
        else:
            kop = "U gaf bij elke afweging het bedoelde antwoord. Waarom dat klopt:"
            delen.append((None, kop, "kop"))
            for vraag_id, tekst in self.casus.uitleg.items():
                if self.flow.has_vraag(vraag_id):
                    uitleg = f"{self.flow.vraag(vraag_id).tekst}\n{tekst.strip()}"
                    delen.append(("Uitleg", uitleg, "uitleg"))
        if self._rich:
            if not self.presentatie:
                self.console.print()
            self.pager.toon([self._blok(titel, tekst, soort) for titel, tekst, soort in delen])
            return
        self._say("")
        for titel, tekst, soort in delen:
            if soort == "kop" and titel:
                self._say(titel, "kop")
            elif soort == "uitleg":
                self._say(tekst, "uitleg")
            else:
                if titel:
                    self._say(titel)
                self._say(tekst, "kop" if soort == "kop" else "info")

    def _verschil(self, verschil: Verschil) -> tuple[str, str, str]:
        vraag = self.flow.vraag(verschil.vraag_id)
        gegeven = (
            waarde_tekst(vraag, verschil.gegeven)
            if verschil.gegeven is not None
            else "niet beantwoord (u kwam niet bij deze vraag)"
        )
        bedoeld = (
            waarde_tekst(vraag, verschil.bedoeld)
            if verschil.bedoeld is not None
            else "niet aan de orde in deze casus"
        )
        waarom = (verschil.uitleg or _geen_uitleg(verschil)).strip()
        return (vraag.tekst, f"Uw antwoord: {gegeven}\nBedoeld: {bedoeld}\nWaarom: {waarom}", "")

    # --- drawing -----------------------------------------------------------------------------

    def _kop(self, context: VraagContext) -> None:
        self._say(f"{_stap(context)} ({OEFENING})", "kop")

    def _kop_blok(self, context: VraagContext) -> RenderableType:
        """The step header: a centred panel on the projector, a bold line otherwise."""
        from rich.panel import Panel
        from rich.text import Text

        if not self.presentatie:
            return Text(f"{_stap(context)} ({OEFENING})", style="bold cyan")
        tekst = Text(_stap(context).upper(), style="bold", justify="center")
        past = len(self.casus.titel) <= self.console.width - 8  # else rich cuts it mid-word
        return Panel(
            tekst, title=OEFENING, subtitle=self.casus.titel if past else None, padding=(0, 2)
        )

    def _blok(self, titel: str | None, tekst: str, soort: str) -> RenderableType:
        """One text as rich draws it, wrapped at words: a panel on the projector (and for the
        story), else a title line above the text."""
        from rich.console import Group
        from rich.panel import Panel
        from rich.text import Text

        stijl = {"kop": "bold", "uitleg": "italic", "verhaal": ""}.get(soort, "")
        body: RenderableType = Text(zonder_stuurtekens(tekst), style=stijl)
        if self.presentatie or soort == "verhaal":
            if titel is not None and len(titel) > self.console.width - 8:
                # rich cuts a title that does not fit the border: it goes above the text.
                body = Group(Text(zonder_stuurtekens(titel), style="bold"), body)
                titel = None
            return Panel(body, title=titel, title_align="left", padding=(0, 1))
        if titel is None:
            return body
        kop = Text(zonder_stuurtekens(titel), style="bold cyan" if soort == "kop" else "bold")
        return Group(kop, body) if tekst else kop

    def _say(self, tekst: str, soort: Soort = "info") -> None:
        self.inner.say(tekst, soort)


def _stap(context: VraagContext) -> str:
    return f"{context.stap.replace('stap-', 'Stap ')}: {context.stap_naam}"


def _hint(tekst: str) -> RenderableType:
    from rich.text import Text

    return Text(tekst, style="dim")


def _vraag_hoogte(vraag: AnyVraag, context: VraagContext, breedte: int) -> int:
    """About how many lines the prompter needs for `vraag`: its text, options and actions
    (see actions.py: uitleg, terug and overzicht, acuut gevaar, and three that are always
    there, below a separator)."""
    tekst = -(-len(vraag.tekst) // max(breedte - 4, 20)) + 1  # and the key hint
    if vraag.soort in ("tekst", "datum"):
        return tekst + 2
    opties = len(getattr(vraag, "opties", ())) or 2
    acties = 1 + bool(vraag.uitleg) + 2 * bool(context.pad) + (vraag.id != "acuut-gevaar") + 3
    return tekst + opties + acties


def _uitkomst_zin(u: Uitkomst | Verwacht) -> str:
    """An outcome (reached or intended) as one plain-Dutch sentence."""
    if isinstance(u, Verwacht):
        u = Uitkomst.model_validate({**Besluit.of(u).as_json(), "tekst": "-"})
    delen = [uitkomst_naam(u), reden_tekst(u), meldnorm_tekst(u.meldnorm)]
    return " — ".join(d for d in delen if d)


def _geen_uitleg(verschil: Verschil) -> str:
    """Why a question differs when the case does not explain it: it lies on another path."""
    if verschil.bedoeld is None:
        return "Met de bedoelde antwoorden komt u niet bij deze vraag; een eerdere beslist al."
    if verschil.gegeven is None:
        return "U kwam niet bij deze vraag, doordat een eerder antwoord anders was."
    if verschil.vraag_id == "acuut-gevaar":
        return (
            "Het verhaal beschrijft niemand die nu direct in gevaar is. Dan is er geen acuut "
            "gevaar en loopt u de stappen van de meldcode door. Twijfelt u in het echt, bel dan "
            "Veilig Thuis (0800-2000), of 112 bij direct levensgevaar."
        )
    return (
        "Lees het verhaal van deze stap nog eens: het bedoelde antwoord volgt uit wat daar "
        "staat. Bespreek met de groep welke feiten tot uw antwoord leidden."
    )
