"""What a human prompter asks, and how it goes on after an outcome; the screen is abstract.

`PlainPrompter` (numbered choices over text streams) and `InteractivePrompter` (questionary)
differ only in four primitives: `say`, `choose`, `choose_many` and `text` (see `screen.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from meldcode.errors import InputClosed, NotInteractive
from meldcode.model import Antwoord, AnyVraag, Sector, State, Uitkomst, Wacht
from meldcode.phrases import ACUUT, datum_nl, uitkomst_naam
from meldcode.prompts.acties import Acties
from meldcode.prompts.interface import Actie, AnswerThenStop, VraagContext
from meldcode.prompts.screen import DATUM_FOUT, UITLEG, Cmd, Keuze
from meldcode.stuurtekens import zonder_stuurtekens


class DialogPrompter(Acties):
    """The meldcode dialogue for a person at a screen; subclasses draw it."""

    # True for the plain prompter: output without boxes or tables, for screen readers.
    eenvoudig: ClassVar[bool] = False

    # --- the Prompter protocol ----------------------------------------------------------------

    def volg(self, state: State) -> None:
        """Take in the state of a resumed case (for the evaluation date)."""
        self.state = state
        self.bekend.update({a.vraag_id: a.waarde for a in state.antwoorden})

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        """Ask `vraag` until the user answers it or picks an action."""
        if context.state is not None:
            self.volg(context.state)
        if context.nieuwe_stap:
            self.say(f"{context.stap.replace('stap-', 'Stap ')}: {context.stap_naam}", "kop")
        for m in context.mededelingen:
            self.say(m.tekst, "mededeling")
        while True:
            result = self.value(vraag, context.standaard, acties=self._acties(vraag, context))
            if result == UITLEG:
                self.say(vraag.uitleg or "Bij deze vraag is geen uitleg.", "uitleg")
                continue
            if isinstance(result, Cmd):
                actie = self._actie(result, context)
                if actie is not None:
                    return actie
                continue
            if vraag.id == "acuut-gevaar" and result == "ja":
                self.say(ACUUT, "alarm")  # before anything else, even before it is saved
            self.bekend[vraag.id] = result
            antwoord = Antwoord(vraag_id=vraag.id, waarde=result)
            if not vraag.id.startswith("afweging-"):
                return antwoord
            try:
                toelichting = self.text("Korte onderbouwing (optioneel; Enter slaat over):")
            except KeyboardInterrupt as e:
                # The afweging itself was confirmed: it is saved before the stop takes effect
                # (without onderbouwing; the dossier shows that none was recorded).
                raise AnswerThenStop(antwoord, e) from None
            except NotInteractive:
                raise AnswerThenStop(antwoord, InputClosed(afweging=vraag.id)) from None
            toelichting = zonder_stuurtekens(toelichting).strip()
            return antwoord.model_copy(update={"toelichting": toelichting or None})

    def invalid(self, vraag: AnyVraag, melding: str) -> None:
        """Show why the engine refused the answer; the question comes again."""
        if vraag.soort == "datum":
            # The engine names the ISO form of answers files; a person may type either form.
            melding = f"Ongeldig antwoord op vraag '{vraag.id}': {DATUM_FOUT}"
        self.say(melding, "fout")

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        """Go on after an outcome? afweging-5 waits for its evaluation date."""
        datum = self.bekend.get("evaluatiedatum")
        if volgende.id == "afweging-5" and isinstance(datum, str):
            dagen = (dt.date.fromisoformat(datum) - self.vandaag).days
            if dagen <= 0:
                self.say(
                    f"De evaluatiedatum ({datum_nl(datum)}) is bereikt: beoordeel nu afweging 5.",
                    "kop",
                )
                return True
            self.say(
                f"De evaluatiedatum is {datum_nl(datum)}: nog {dagen} "
                f"{'dag' if dagen == 1 else 'dagen'}."
            )
            keuzes = [
                (f"Nee, later (met {self.hervat_opdracht})", False),
                ("Ja, nu evalueren", True),
            ]
            return bool(self.choose("Wilt u afweging 5 nu al beoordelen?", keuzes, False))
        if reached.status == "wacht-op-evaluatie":
            return True  # the agreements on the help belong to the same decision
        sleutel = (reached.id, reached.reden)
        if sleutel not in self._doorgaan:
            self.say(f"Uitkomst: {uitkomst_naam(reached)}.", "kop")
            keuzes = [("Ja, nu verder vastleggen", True), ("Nee, nu stoppen", False)]
            samen = " samen met Veilig Thuis" if reached.id == "melden" else ""
            vraag = f"U kunt de volgende vragen nu{samen} vastleggen. Doorgaan?"
            if not self.choose(vraag, keuzes, True):
                return False
            self._doorgaan.add(sleutel)
        return True

    def waiting(self, wacht: Wacht) -> bool:
        """Say why the case cannot go on yet; offer the question again once per session."""
        self.say(wacht.tekst, "mededeling")
        if wacht.vraag_id in self._wacht_gevraagd:
            return False
        self._wacht_gevraagd.add(wacht.vraag_id)
        return True

    def kies_sector(self, sectoren: Sequence[Sector]) -> str:
        """The sector id, picked by sector name or by profession (type to filter)."""
        keuzes: list[Keuze] = []
        for s in sectoren:
            extra = [
                t for t in s.trefwoorden if t.lower() not in (s.naam + str(s.beroepen)).lower()
            ]
            label = f"{s.naam} — {', '.join(s.beroepen)}" + (
                f" ({', '.join(extra)})" if extra else ""
            )
            keuzes.append((label, s.id))
        gekozen = self.choose("In welke sector of welk beroep werkt u?", keuzes, zoeken=True)
        return str(gekozen)
