"""The actions offered at every question: back, overview and change, acute danger, advice, close."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from meldcode import engine
from meldcode.engine.answers import check_antwoord
from meldcode.errors import MeldcodeError
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst
from meldcode.prompts.interface import (
    Actie,
    AcuutGevaar,
    AdviesVeiligThuis,
    Afsluiten,
    Pauzeren,
    Terug,
    VraagContext,
    Wijzig,
)
from meldcode.prompts.screen import (
    ACUUT_CMD,
    ADVIES,
    AFSLUITEN,
    ANNULEER,
    ANNULEREN,
    DATUM_FOUT,
    OPDRACHT_NAMEN,
    OVERZICHT,
    PAUZE,
    TERUG,
    UITLEG,
    Cmd,
    Keuze,
    Menu,
    Omweg,
    Screen,
    command,
    datum,
)
from meldcode.text.phrases import ACUUT, datum_nl, kort, uitkomst_naam, waarde_tekst


def gevolgen(
    flow: Flow, state: State, antwoord: Antwoord
) -> tuple[list[AnyVraag], Uitkomst | None, Uitkomst | None]:
    """What changing an answer does: the answers that drop out, the outcome before and after."""
    oud = engine.walk(flow, state)
    nieuw = engine.walk(flow, engine.wijzig(flow, state, antwoord))
    blijft = {v.id for v, _ in nieuw.pad}
    vervalt = [v for v, _ in oud.pad if v.id not in blijft]
    return vervalt, oud.uitkomst, nieuw.uitkomst


class Acties(Screen):
    """The action menu of each question and the small dialogues behind its entries."""

    def _acties(self, vraag: AnyVraag, context: VraagContext) -> list[Keuze]:
        acties: list[Cmd] = []
        if vraag.uitleg:
            acties.append(UITLEG)
        if context.pad:
            acties += [TERUG, OVERZICHT]
        if vraag.id != "acuut-gevaar":  # there "ja" is the answer itself
            acties.append(ACUUT_CMD)
        keuzes = [(OPDRACHT_NAMEN[c], c) for c in [*acties, ADVIES, AFSLUITEN]]
        return [
            *keuzes,
            (f"{OPDRACHT_NAMEN[PAUZE]} (later verder met {self.hervat_opdracht})", PAUZE),
        ]

    # --- the actions --------------------------------------------------------------------------

    def _actie(self, cmd: Cmd, vraag: AnyVraag, context: VraagContext) -> Actie | None:
        """The action for `cmd`, or None when the user cancels (the question comes again).

        A command typed inside the action's dialogue (plain mode, or at a text prompt) raises
        Omweg: the dialogue ends without recording anything and the question does that command.
        """
        if cmd in (TERUG, OVERZICHT) and not context.pad:
            self.say("Er zijn nog geen eerdere antwoorden.", "fout")
            return None
        if cmd == UITLEG:
            self.say(vraag.uitleg or "Bij deze vraag is geen uitleg.", "uitleg")
            return None
        handlers: dict[Cmd, Callable[[], Actie | None]] = {
            ANNULEER: lambda: None,
            PAUZE: Pauzeren,
            ACUUT_CMD: self._acuut,
            ADVIES: self._advies,
            AFSLUITEN: self._afsluiten,
            TERUG: lambda: self._terug(context),
            OVERZICHT: lambda: self._overzicht(context),
        }
        return handlers[cmd]()

    # --- asking inside an action's dialogue: cancel records nothing, a command is a detour ---

    def _kies(self, message: str, keuzes: Sequence[Keuze], default: object = ANNULEER) -> object:
        """A choice with Annuleren (and Esc); None when cancelled. The cursor starts on
        Annuleren unless `default` says otherwise, so a reflex Enter records nothing."""
        menu = Menu(message, [*keuzes, ANNULEREN], default, opdrachten=True)
        return self._binnen(self.choose(menu))

    @staticmethod
    def _binnen(gekozen: object) -> object:
        if gekozen == ANNULEER:
            return None
        if isinstance(gekozen, Cmd):
            raise Omweg(gekozen)
        return gekozen

    def _typ(self, message: str, default: str = "", *, multiline: bool = False) -> str:
        """Text inside an action's dialogue; a typed command ends the dialogue (Omweg), and so
        does Esc on one line (Omweg(ANNULEER); several lines end with Esc and Enter)."""
        typed = self.text(message, default, multiline=multiline, annuleren=not multiline)
        if (cmd := command(typed)) is not None:
            raise Omweg(cmd)
        return typed

    def _acuut(self) -> AcuutGevaar | None:
        """Show 112 and Veilig Thuis at once; record acute danger only when confirmed."""
        self.say(ACUUT, "alarm")
        keuzes: list[Keuze] = [("Ja, acuut gevaar vastleggen (uitkomst: melden)", True)]
        return AcuutGevaar() if self._kies("Acuut gevaar vastleggen?", keuzes) else None

    def _terug(self, context: VraagContext) -> Terug | None:
        gekozen = self._kies("Naar welke vraag wilt u terug?", self._pad(context), None)
        return None if gekozen is None else Terug(vraag_id=str(gekozen))

    def _pad(self, context: VraagContext) -> list[Keuze]:
        return [
            (f"{kort(tekst, 60)} — {kort(waarde_tekst(self.flow.vraag(i), w), 40)}", i)
            for i, tekst, w in context.pad
        ]

    def _advies(self) -> AdviesVeiligThuis | None:
        while True:
            typed = self._typ(
                "Wanneer sprak u Veilig Thuis? (dd-mm-jjjj)", self.vandaag.strftime("%d-%m-%Y")
            )
            if (wanneer := datum(typed)) is not None:
                break
            self.say(f"Ongeldige datum: {DATUM_FOUT}", "fout")
        anoniem = self._kies(
            "Was het gesprek geanonimiseerd?", [("ja", "ja"), ("nee", "nee")], "ja"
        )
        if anoniem is None:
            return None
        advies = self._typ("Wat adviseerde Veilig Thuis? (leeg = annuleren)", multiline=True)
        if not (advies := advies.strip()):
            self.say("Geen advies ingevuld: er is niets vastgelegd.", "fout")
            return None
        gesproken = datum_nl(wanneer)
        return AdviesVeiligThuis(
            f"Datum: {gesproken}; geanonimiseerd: {anoniem}; advies: {advies}", datum=gesproken
        )

    def _afsluiten(self) -> Afsluiten | None:
        keuzes = [(o.label, o.id) for o in self.flow.afsluitredenen]
        reden = self._kies("Waarom sluit u de casus af?", keuzes)  # the cursor on Annuleren
        if reden is None:
            return None
        optie = next(o for o in self.flow.afsluitredenen if o.id == reden)
        if not optie.overdracht:
            verplicht = optie.toelichting_verplicht or optie.id == "anders"
            vraag = "Toelichting (wat is er gebeurd, wat heeft u geprobeerd):"
            toelichting = (
                self._verplicht(vraag, "een toelichting") if verplicht else self._typ(vraag)
            )
            if toelichting is None:
                return None
            return Afsluiten(reden=optie.id, toelichting=toelichting.strip() or None)
        # A handover (issue 12 item 8): who took over, and when the professional checks.
        door = self._verplicht(
            "Toelichting bij de overdracht: wie heeft de zorg voor de veiligheid overgenomen? "
            "Noem functie en organisatie (een naam is niet nodig).",
            "wie de zorg heeft overgenomen",
        )
        if door is None:
            return None
        nagaan = self._nagaan_op()
        if nagaan is None:
            return None
        rest = self._typ("Verdere toelichting (optioneel; Enter slaat over):").strip()
        return Afsluiten(
            reden=optie.id, toelichting=rest or None, overgenomen_door=door, nagaan_op=nagaan
        )

    def _verplicht(self, message: str, wat: str) -> str | None:
        """Text that may not stay empty: left empty, the user fills it in after all (the
        reason chosen is kept) or cancels (None)."""
        while True:
            if typed := self._typ(message).strip():
                return typed
            self.say(f"Om met deze reden af te sluiten, is {wat} nodig.", "fout")
            if self._kies("Wat wilt u doen?", [("Alsnog invullen", True)], True) is None:
                return None

    def _nagaan_op(self) -> str | None:
        """The date (ISO) the professional checks that the help started: today or later."""
        vraag = "Op welke datum gaat u na of de hulp daar is gestart? (dd-mm-jjjj)"
        while True:
            typed = self._verplicht(vraag, "de datum waarop u nagaat of de hulp is gestart")
            if typed is None:
                return None
            if (iso := datum(typed)) is None:
                self.say(f"Ongeldige datum: {DATUM_FOUT}", "fout")
            elif iso < self.vandaag.isoformat():
                self.say("Die datum ligt in het verleden: kies vandaag of later.", "fout")
            else:
                return iso

    def _overzicht(self, context: VraagContext) -> Wijzig | None:
        self.say("Overzicht van uw antwoorden:", "kop")
        for n, (i, tekst, w) in enumerate(context.pad, start=1):
            self.say(f"{n}. {kort(tekst, 80)}\n   {waarde_tekst(self.flow.vraag(i), w)}")
        gekozen = self._kies("Welk antwoord wilt u wijzigen?", self._pad(context), None)
        if gekozen is None or context.state is None:
            return None
        vraag = self.flow.vraag(str(gekozen))
        oud = context.state.waarde(vraag.id)
        nieuw = self.value(vraag, oud, acties=[ANNULEREN])
        if isinstance(nieuw, Cmd):
            self._binnen(nieuw)  # Annuleren or Esc: nothing; another command: a detour
            return None
        antwoord = Antwoord(vraag_id=vraag.id, waarde=nieuw)
        try:
            if check_antwoord(vraag, nieuw) == oud:
                self.say("Het antwoord is niet veranderd.")
                return None
            vervalt, voor, na = gevolgen(self.flow, context.state, antwoord)
        except MeldcodeError as e:
            self.say(str(e), "fout")
            return None
        for v in vervalt:
            self.say(f"Vervalt: {kort(v.tekst, 80)}", "mededeling")
        if voor != na:
            oud_u = uitkomst_naam(voor) if voor else "nog geen"
            nieuw_u = uitkomst_naam(na) if na else "nog geen"
            self.say(f"Uitkomst verandert: {oud_u} → {nieuw_u}", "mededeling")
        reden = self._typ("Waarom wijzigt u dit antwoord? (kort; leeg = annuleren)").strip()
        if not reden:
            return None
        self.bekend[vraag.id] = antwoord.waarde
        return Wijzig(antwoord=antwoord, reden=reden)
