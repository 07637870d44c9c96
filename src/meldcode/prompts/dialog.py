"""What a human prompter asks, and how it goes on after an outcome; the screen is abstract.

`PlainPrompter` (numbered choices over text streams) and `InteractivePrompter` (questionary)
differ only in four primitives: `say`, `choose`, `choose_many` and `text` (see `screen.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from meldcode import engine
from meldcode.contract import Status
from meldcode.errors import InputClosed, MeldcodeError, NotInteractive
from meldcode.model import (
    Antwoord,
    AnyVraag,
    JaNeeVraag,
    KeuzeVraag,
    Sector,
    State,
    Uitkomst,
    Waarde,
    Wacht,
    is_iso_date,
)
from meldcode.prompts.actions import Acties
from meldcode.prompts.interface import Actie, AdviesVeiligThuis, Pauzeren, Stoppen, VraagContext
from meldcode.prompts.screen import (
    ANNULEER,
    DATUM_FOUT,
    PAUZE,
    UITLEG,
    Cmd,
    Keuze,
    Menu,
    Omweg,
    command,
)
from meldcode.text.control_chars import zonder_stuurtekens
from meldcode.text.phrases import datum_nl, kort


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
        """Ask `vraag` until the user answers it or picks an action.

        An afweging comes back at once, without its onderbouwing: the loop records it first
        and then asks `onderbouwing` (a crash at that prompt loses nothing the screen accepted).
        """
        if context.state is not None:
            self.volg(context.state)
        if (actie := self._na_tussenvraag(vraag, context)) is not None:
            return actie
        if context.nieuwe_stap:
            self.say(f"{context.stap.replace('stap-', 'Stap ')}: {context.stap_naam}", "kop")
        for m in context.mededelingen:
            self.say(m.tekst, "mededeling")
        start = self._start(vraag, context)
        # A command picked where no question could do it (e.g. at "Doorgaan?") is done here.
        cmd, self._uitgesteld = self._uitgesteld, None
        while True:
            try:
                if cmd is not None:
                    gekozen, cmd = cmd, None
                    if (actie := self._actie(gekozen, vraag, context)) is not None:
                        return actie
                    continue
                self.aangevinkt = None
                result = self.value(vraag, start, acties=self._acties(vraag, context))
                if isinstance(result, Cmd):
                    cmd = result
                    if self.aangevinkt is not None:  # cancelled, the ticks come back
                        start = tuple(str(w) for w in self.aangevinkt)
                    continue
                if not self._bevestigd(vraag, result):
                    continue
                if vraag.id == "gesprek-gevoerd" and result == "nee" and self._gesprek_later():
                    return Pauzeren()
            except Omweg as o:  # a command typed inside an action's dialogue
                cmd = o.cmd
                continue
            self.bekend[vraag.id] = result
            return Antwoord(vraag_id=vraag.id, waarde=result)

    def _na_tussenvraag(self, vraag: AnyVraag, context: VraagContext) -> Actie | None:
        """A command typed at "Doorgaan?" or "Wilt u afweging 5 nu al beoordelen?" is done
        first; cancelled, that question comes again (its "Nee" stops the walk here)."""
        while self._uitgesteld is not None and (tussenvraag := self._tussenvraag) is not None:
            cmd, self._uitgesteld = self._uitgesteld, None
            try:
                if (actie := self._actie(cmd, vraag, context)) is not None:
                    self._tussenvraag = None
                    return actie
            except Omweg as o:  # a command typed inside the action's dialogue
                self._uitgesteld = o.cmd
                continue
            if not tussenvraag():
                self._uitgesteld = self._tussenvraag = None
                return Stoppen()
        self._tussenvraag = None
        return None

    def _start(self, vraag: AnyVraag, context: VraagContext) -> Waarde | Cmd:
        """Where the cursor starts: the default; with none, never on an answer that ends the
        case (design.md §4), so a reflex Enter records no outcome. Plain mode: no default."""
        if context.standaard is not None or self.eenvoudig or context.state is None:
            return context.standaard
        if not isinstance(vraag, JaNeeVraag | KeuzeVraag):
            return None
        opties = ["ja", "nee"] if isinstance(vraag, JaNeeVraag) else [o.id for o in vraag.opties]
        state = context.state
        voor = engine.walk(self.flow, state).uitkomst
        for waarde in opties:
            antwoord = Antwoord(vraag_id=vraag.id, waarde=waarde)
            try:
                na = engine.walk(
                    self.flow,
                    engine.wijzig(self.flow, state, antwoord)
                    if state.heeft(vraag.id)
                    else engine.advance(self.flow, state, antwoord),
                ).uitkomst
            except MeldcodeError:
                continue
            if na == voor:
                return waarde
        return UITLEG if vraag.uitleg else None

    def _bevestigd(self, vraag: AnyVraag, result: Waarde) -> bool:
        """Answers with weight take an explicit confirmation; Annuleren asks the question again."""
        if vraag.id == "acuut-gevaar" and result == "ja":
            return self._acuut() is not None  # 112 and Veilig Thuis on screen at once
        if vraag.soort == "datum" and isinstance(result, str) and is_iso_date(result):
            try:
                dagen = (dt.date.fromisoformat(result) - self.vandaag).days
            except ValueError:
                return True  # the engine names what is wrong
            if dagen < 0:
                keuzes: list[Keuze] = [(f"Ja, {datum_nl(result)} vastleggen", True)]
                vraag_tekst = f"De datum {datum_nl(result)} ligt in het verleden. Klopt dat?"
                return self._kies(vraag_tekst, keuzes) is not None
        return True

    def _gesprek_later(self) -> bool:
        """Stap 3 without the conversation: pause until it happened, or say why it is skipped."""
        keuzes: list[Keuze] = [
            ("Pauzeren tot het gesprek heeft plaatsgevonden", True),
            ("Het gesprek wordt overgeslagen (veiligheid of geen contact)", False),
        ]
        gekozen = self._kies("Het gesprek is nog niet gevoerd. Wat wilt u doen?", keuzes, True)
        if gekozen is None:
            raise Omweg(ANNULEER)  # nothing recorded: the question comes again
        return bool(gekozen)

    def onderbouwing(self, vraag: AnyVraag) -> str | None:
        """The reasoning behind an afweging, asked after the afweging itself is recorded."""
        while True:
            try:
                tekst = self.text("Korte onderbouwing (optioneel; Enter slaat over):")
            except NotInteractive:
                raise InputClosed(afweging=vraag.id) from None
            cmd = command(tekst)
            if cmd is None:
                return zonder_stuurtekens(tekst).strip() or None
            if cmd != UITLEG:
                # The afweging is saved; the command is done before anything else is asked.
                self._uitgesteld = cmd
                return None
            self.say(vraag.uitleg or "Bij deze vraag is geen uitleg.", "uitleg")

    def bevestig(self, actie: Actie) -> None:
        """The advice is in the log: the professional sees it was kept, then the question."""
        if isinstance(actie, AdviesVeiligThuis):
            wanneer = f" (gesprek van {actie.datum})" if actie.datum else ""
            self.say(
                f"Vastgelegd in het logboek: het advies van Veilig Thuis{wanneer}. "
                "U gaat verder met de vraag."
            )

    def invalid(self, vraag: AnyVraag, melding: str) -> None:
        """Show why the engine refused the answer, naming the question by its text."""
        if vraag.soort == "datum":
            # The engine names the ISO form of answers files; a person may type either form.
            melding = f"Ongeldig antwoord op vraag '{vraag.id}': {DATUM_FOUT}"
        # Closing early is an action, not a question: name it as the menu does.
        melding = melding.replace("vraag 'afsluiten'", "'Casus afsluiten'", 1)
        self.say(melding.replace(f"'{vraag.id}'", f"'{kort(vraag.tekst, 60)}'", 1), "fout")

    def _ja_nee(self, message: str, keuzes: list[Keuze], default: bool) -> bool:
        """A yes/no between outcome and next question; every command does what it says:
        ? explains, :pauze stops here, another is done before the next question (cancelled,
        this question comes again: see `_na_tussenvraag`)."""
        self._tussenvraag = lambda: self._ja_nee(message, keuzes, default)
        while True:
            gekozen = self.choose(Menu(message, keuzes, default, opdrachten=True))
            if gekozen == UITLEG:
                self.say(
                    "Ja: u legt nu de volgende vragen vast. Nee: alles is bewaard en u gaat "
                    f"later verder met {self.hervat_opdracht}.",
                    "uitleg",
                )
                continue
            if gekozen == PAUZE:
                return False
            if isinstance(gekozen, Cmd):
                self._uitgesteld = gekozen
                return True
            return bool(gekozen)

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:
        """Go on after an outcome? afweging-5 waits for its evaluation date."""
        if self._uitgesteld == PAUZE:  # typed at the onderbouwing: stop here, all is saved
            self._uitgesteld = None
            return False
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
            keuzes: list[Keuze] = [
                (f"Nee, later (met {self.hervat_opdracht})", False),
                ("Ja, nu evalueren", True),
            ]
            return self._ja_nee("Wilt u afweging 5 nu al beoordelen?", keuzes, False)
        if Status(reached.status) is Status.WACHT:
            return True  # the agreements on the help belong to the same decision
        sleutel = (reached.id, reached.reden)
        if sleutel not in self._doorgaan:
            # The advice now, as the summary shows it: a user who stops here (Veilig Thuis
            # has not reported back yet) has seen what to do, the meldnorm and any staff duty.
            self.toon_uitkomst(reached)
            keuzes = [("Ja, nu verder vastleggen", True), ("Nee, nu stoppen", False)]
            if reached.reden == "acuut-gevaar":
                vraag = "U legt nu vast wat u zag, wie u belde en wanneer. Doorgaan?"
            else:
                vraag = (
                    "Leg daarna de opvolging vast (wat nog niet bekend is, later met "
                    f"{self.hervat_opdracht}). Doorgaan?"
                )
            if not self._ja_nee(vraag, keuzes, True):
                return False
            self._doorgaan.add(sleutel)
        return True

    def toon_uitkomst(self, reached: Uitkomst) -> None:
        """The outcome's block from the summary (summary.uitkomst_blok), on this screen."""
        from meldcode.render import summary

        datum = self.bekend.get("evaluatiedatum")
        summary.uitkomst_blok(
            self.console(),
            self.flow,
            reached,
            evaluatiedatum=datum if isinstance(datum, str) else None,
            eenvoudig=self.eenvoudig,
        )

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
        gekozen = self.choose(Menu("In welke sector of welk beroep werkt u?", keuzes))
        return str(gekozen)
