"""The actions offered at every question: back, overview and change, acute danger, advice, close."""

from __future__ import annotations

from collections.abc import Callable

from meldcode import engine
from meldcode.answers import check_antwoord
from meldcode.errors import MeldcodeError
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst
from meldcode.phrases import ACUUT, datum_nl, kort, uitkomst_naam, waarde_tekst
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
    DATUM_FOUT,
    OVERZICHT,
    PAUZE,
    TERUG,
    UITLEG,
    Cmd,
    Keuze,
    Screen,
    datum,
)

ANNULEREN: Keuze = ("Annuleren, terug naar de vraag", None)


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
        acties: list[Keuze] = []
        if vraag.uitleg:
            acties.append(("? Uitleg bij deze vraag", UITLEG))
        if context.pad:
            acties += [
                ("← Terug naar een eerdere vraag", TERUG),
                ("≡ Overzicht: antwoorden bekijken en wijzigen", OVERZICHT),
            ]
        if vraag.id != "acuut-gevaar":  # there "ja" is the answer itself
            acties.append(("! Acuut gevaar (112 / Veilig Thuis)", ACUUT_CMD))
        return [
            *acties,
            ("✆ Advies van Veilig Thuis vastleggen", ADVIES),
            ("× Casus afsluiten", AFSLUITEN),
            (f"‖ Pauzeren (later verder met {self.hervat_opdracht})", PAUZE),
        ]

    # --- the actions --------------------------------------------------------------------------

    def _actie(self, cmd: Cmd, context: VraagContext) -> Actie | None:
        """The action for `cmd`, or None when the user cancels (the question comes again)."""
        if cmd in (TERUG, OVERZICHT) and not context.pad:
            self.say("Er zijn nog geen eerdere antwoorden.", "fout")
            return None
        handlers: dict[Cmd, Callable[[], Actie | None]] = {
            PAUZE: Pauzeren,
            ACUUT_CMD: self._acuut,
            ADVIES: self._advies,
            AFSLUITEN: self._afsluiten,
            TERUG: lambda: self._terug(context),
            OVERZICHT: lambda: self._overzicht(context),
        }
        return handlers[cmd]()

    def _acuut(self) -> AcuutGevaar | None:
        self.say(ACUUT, "alarm")
        keuzes = [("Ja, acuut gevaar vastleggen (uitkomst: melden)", True), ANNULEREN]
        return AcuutGevaar() if self.choose("Vastleggen?", keuzes, True) else None

    def _terug(self, context: VraagContext) -> Terug | None:
        gekozen = self.choose("Naar welke vraag wilt u terug?", [*self._pad(context), ANNULEREN])
        return None if gekozen is None else Terug(vraag_id=str(gekozen))

    def _pad(self, context: VraagContext) -> list[Keuze]:
        return [
            (f"{kort(tekst, 60)} — {kort(waarde_tekst(self.flow.vraag(i), w), 40)}", i)
            for i, tekst, w in context.pad
        ]

    def _advies(self) -> AdviesVeiligThuis | None:
        while True:
            typed = self.text(
                "Wanneer sprak u Veilig Thuis? (dd-mm-jjjj)", self.vandaag.strftime("%d-%m-%Y")
            )
            if (wanneer := datum(typed)) is not None:
                break
            self.say(f"Ongeldige datum: {DATUM_FOUT}", "fout")
        anoniem = self.choose(
            "Was het gesprek geanonimiseerd?", [("ja", "ja"), ("nee", "nee")], "ja"
        )
        advies = self.text("Wat adviseerde Veilig Thuis?", multiline=True).strip()
        if not advies:
            self.say("Geen advies ingevuld: er is niets vastgelegd.", "fout")
            return None
        gesproken = datum_nl(wanneer)
        return AdviesVeiligThuis(
            f"Datum: {gesproken}; geanonimiseerd: {anoniem}; advies: {advies}"
        )

    def _afsluiten(self) -> Afsluiten | None:
        keuzes = [(o.label, o.id) for o in self.flow.afsluitredenen]
        reden = self.choose("Waarom sluit u de casus af?", [*keuzes, ANNULEREN])
        if reden is None:
            return None
        toelichting = self.text("Toelichting (wat is er gebeurd, wat heeft u geprobeerd):").strip()
        if reden == "anders" and not toelichting:
            self.say("Bij 'een andere reden' is een toelichting nodig.", "fout")
            return None
        return Afsluiten(reden=str(reden), toelichting=toelichting or None)

    def _overzicht(self, context: VraagContext) -> Wijzig | None:
        self.say("Overzicht van uw antwoorden:", "kop")
        for n, (i, tekst, w) in enumerate(context.pad, start=1):
            self.say(f"{n}. {kort(tekst, 80)}\n   {waarde_tekst(self.flow.vraag(i), w)}")
        gekozen = self.choose("Welk antwoord wilt u wijzigen?", [*self._pad(context), ANNULEREN])
        if gekozen is None or context.state is None:
            return None
        vraag = self.flow.vraag(str(gekozen))
        oud = context.state.waarde(vraag.id)
        nieuw = self.value(vraag, oud)
        if isinstance(nieuw, Cmd):
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
        reden = self.text("Waarom wijzigt u dit antwoord? (kort; leeg = annuleren)").strip()
        if not reden:
            return None
        self.bekend[vraag.id] = antwoord.waarde
        return Wijzig(antwoord=antwoord, reden=reden)
