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

from meldcode.model import Uitkomst
from meldcode.oefen import (
    OefenCasus,
    Vergelijking,
    Verschil,
    Verwacht,
    uitkomst_label,
    walks_on,
)
from meldcode.phrases import meldnorm_tekst, reden_tekst, uitkomst_naam, waarde_tekst
from meldcode.stuurtekens import zonder_stuurtekens

if TYPE_CHECKING:
    from rich.console import Console

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
        self._getoond: set[str] = set()
        self._huidig: tuple[str, str] | None = None  # the story part last shown: (titel, tekst)

    @property
    def console(self) -> Console:
        """The rich console of presentation mode, made when first needed."""
        if self._console is None:
            from rich.console import Console

            self._console = Console()
        return self._console

    # --- what the trainer sees around the questions ------------------------------------

    def start(self, casus_id: str) -> None:
        """The title and the short introduction, marked as practice."""
        # The pause entry and the evaluation name the practice command, not `meldcode hervat`.
        self.inner.hervat_opdracht = f"meldcode oefen --hervat {casus_id}"
        titel = f"{OEFENING} · {self.casus.titel}"
        tekst = (
            f"{self.casus.inleiding}\n\nSector: {self.flow.sector.naam}. Deze oefencasus is "
            f"verzonnen en wordt apart van echte casussen bewaard ({casus_id})."
        )
        if self.presentatie:
            self._paneel(titel, tekst, stijl="bold")
            return
        self._say(titel, "kop")
        self._say(tekst)

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        """Show the story due before `vraag` and its uitleg, then let the inner prompter ask."""
        delen = self._due(vraag, context)
        if self.presentatie:
            self.console.clear()
            self._kop(context)
            for titel, tekst in delen or ([self._huidig] if self._huidig else []):
                self._paneel(titel, tekst)
        else:
            if context.nieuwe_stap:
                self._kop(context)
            for titel, tekst in delen:
                self._say(f"{titel}: {tekst}")
        if vraag.uitleg:
            self._uitleg(vraag.uitleg)
        # The header is drawn above, before the story; the inner prompter must not repeat it.
        return self.inner.ask(vraag, replace(context, nieuwe_stap=False))

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

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        """Go on after an outcome when the case goes on (the evaluation, or with Veilig Thuis)."""
        if not walks_on(self.flow, self.casus.antwoorden, volgende):
            return False
        if reached.status != "wacht-op-evaluatie":
            self._say(
                f"Uitkomst: {uitkomst_naam(reached)}. In deze oefening loopt u de volgende "
                "afwegingen samen met Veilig Thuis door; de uitkomst blijft staan.",
                "kop",
            )
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
        kop = f"Nabespreking ({OEFENING})"
        samenvatting = f"Uw uitkomst: {uw}\nBedoelde uitkomst: {bedoeld}\n{oordeel}"
        if self.presentatie:
            self.console.clear()
            self._paneel(kop, samenvatting, stijl="bold")
        else:
            self._say("")
            self._say(kop, "kop")
            self._say(samenvatting)
        if v.bereikt is not None:
            # What the participant's outcome asks of a professional, as in a real case.
            self._uitleg(
                f"In een echte casus vraagt deze uitkomst van u: {v.bereikt.tekst.strip()}"
            )
        if v.verschillen:
            self._say("Waar uw antwoorden verschillen van de bedoelde:", "kop")
            for verschil in v.verschillen:
                self._verschil(verschil)
            return
        self._say("U gaf bij elke afweging het bedoelde antwoord. Waarom dat klopt:", "kop")
        for vraag_id, tekst in self.casus.uitleg.items():
            if self.flow.has_vraag(vraag_id):
                self._uitleg(f"{self.flow.vraag(vraag_id).tekst}\n{tekst.strip()}")

    def _verschil(self, verschil: Verschil) -> None:
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
        tekst = f"Uw antwoord: {gegeven}\nBedoeld: {bedoeld}\nWaarom: {waarom}"
        if self.presentatie:
            self._paneel(vraag.tekst, tekst)
        else:
            self._say(vraag.tekst)
            self._say(tekst)

    # --- drawing -----------------------------------------------------------------------------

    def _kop(self, context: VraagContext) -> None:
        stap = f"{context.stap.replace('stap-', 'Stap ')}: {context.stap_naam}"
        if not self.presentatie:
            self._say(f"{stap} ({OEFENING})", "kop")
            return
        from rich.panel import Panel
        from rich.text import Text

        tekst = Text(stap.upper(), style="bold", justify="center")
        self.console.print(
            Panel(tekst, title=OEFENING, subtitle=self.casus.titel, padding=(1, 2)),
            "",
        )

    def _paneel(self, titel: str, tekst: str, *, stijl: str = "") -> None:
        from rich.panel import Panel
        from rich.text import Text

        body = Text(zonder_stuurtekens(tekst), style=stijl)
        self.console.print(Panel(body, title=titel, title_align="left", padding=(1, 3)), "")

    def _uitleg(self, tekst: str) -> None:
        if self.presentatie:
            from rich.panel import Panel
            from rich.text import Text

            paneel = Panel(
                Text(zonder_stuurtekens(tekst), style="italic"), title="Uitleg", title_align="left"
            )
            self.console.print(paneel, "")
            return
        self._say(tekst, "uitleg")

    def _say(self, tekst: str, soort: Soort = "info") -> None:
        if self.presentatie:
            self.console.print(
                zonder_stuurtekens(tekst), style="bold" if soort == "kop" else "", markup=False
            )
            return
        self.inner.say(tekst, soort)


def _uitkomst_zin(u: Uitkomst | Verwacht) -> str:
    """An outcome (reached or intended) as one plain-Dutch sentence."""
    if isinstance(u, Verwacht):
        u = Uitkomst(id=u.id, reden=u.reden, meldnorm=u.meldnorm, tekst="-")
    delen = [uitkomst_naam(u), reden_tekst(u), meldnorm_tekst(u.meldnorm)]
    return " — ".join(d for d in delen if d)


def _geen_uitleg(verschil: Verschil) -> str:
    """Why a question differs when the case does not explain it: it lies on another path."""
    if verschil.bedoeld is None:
        return "Met de bedoelde antwoorden komt u niet bij deze vraag; een eerdere beslist al."
    if verschil.gegeven is None:
        return "U kwam niet bij deze vraag, doordat een eerder antwoord anders was."
    return "De casus geeft hier geen toelichting bij."
