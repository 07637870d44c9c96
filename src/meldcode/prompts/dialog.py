"""What a human prompter asks and how it handles the actions; the screen primitives are abstract.

`PlainPrompter` (numbered choices over text streams) and `InteractivePrompter` (questionary)
differ only in four primitives: `say`, `choose`, `choose_many` and `text`.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from meldcode import engine
from meldcode.errors import MeldcodeError
from meldcode.model import (
    Antwoord,
    AnyVraag,
    Flow,
    JaNeeVraag,
    KeuzeVraag,
    MeerkeuzeVraag,
    Sector,
    State,
    TekstVraag,
    Uitkomst,
    Waarde,
    Wacht,
)
from meldcode.phrases import ACUUT, datum_nl, kort, parse_datum, uitkomst_naam, waarde_tekst
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

Soort = Literal["kop", "vraag", "info", "mededeling", "uitleg", "fout", "alarm"]


@dataclass(frozen=True)
class Cmd:
    """An action the user picked instead of answering (a menu entry or a typed command)."""

    naam: str


UITLEG, TERUG, OVERZICHT = Cmd("uitleg"), Cmd("terug"), Cmd("overzicht")
ACUUT_CMD, ADVIES, AFSLUITEN, PAUZE = Cmd("acuut"), Cmd("advies"), Cmd("afsluiten"), Cmd("pauze")

# Typed commands, accepted at text and date questions (and everywhere in the plain prompter).
COMMANDS: dict[str, Cmd] = {
    "?": UITLEG,
    ":uitleg": UITLEG,
    ":terug": TERUG,
    ":overzicht": OVERZICHT,
    ":acuut": ACUUT_CMD,
    ":advies": ADVIES,
    ":afsluiten": AFSLUITEN,
    ":pauze": PAUZE,
}
COMMANDS_HULP = (
    "Bij elke vraag: ? uitleg · :terug · :overzicht (antwoorden bekijken en wijzigen) · "
    ":acuut (acuut gevaar) · :advies (advies Veilig Thuis vastleggen) · :afsluiten · :pauze"
)

Keuze = tuple[str, object]  # (label, value)
ANNULEREN: Keuze = ("Annuleren, terug naar de vraag", None)


def command(text: str) -> Cmd | None:
    """The command typed as `text`, if it is one."""
    return COMMANDS.get(text.strip().lower())


def gevolgen(
    flow: Flow, state: State, antwoord: Antwoord
) -> tuple[list[AnyVraag], Uitkomst | None, Uitkomst | None]:
    """What changing an answer does: the answers that drop out, the outcome before and after."""
    oud = engine.walk(flow, state)
    nieuw = engine.walk(flow, engine.wijzig(flow, state, antwoord))
    blijft = {v.id for v, _ in nieuw.pad}
    vervalt = [v for v, _ in oud.pad if v.id not in blijft]
    return vervalt, oud.uitkomst, nieuw.uitkomst


class DialogPrompter(ABC):
    """The meldcode dialogue for a person at a screen; subclasses draw it."""

    # True for the plain prompter: output without boxes or tables, for screen readers.
    eenvoudig: ClassVar[bool] = False

    def __init__(self, flow: Flow | None = None, *, vandaag: dt.date | None = None) -> None:
        self._flow = flow
        self.vandaag = vandaag or dt.date.today()
        self.state: State | None = None
        self.bekend: dict[str, Waarde] = {}
        self._doorgaan: set[tuple[str, str | None]] = set()

    @property
    def flow(self) -> Flow:
        """The flow being walked; set once the sector is known."""
        if self._flow is None:
            msg = "the prompter has no flow yet"
            raise RuntimeError(msg)
        return self._flow

    @flow.setter
    def flow(self, flow: Flow) -> None:
        self._flow = flow

    # --- the primitives a subclass draws -------------------------------------------------

    @abstractmethod
    def say(self, text: str, soort: Soort = "info") -> None:
        """Show a line or paragraph."""

    @abstractmethod
    def choose(
        self,
        message: str,
        choices: Sequence[Keuze],
        default: object = None,
        *,
        acties: Sequence[Keuze] = (),
        zoeken: bool = False,
    ) -> object:
        """One value of `choices` or `acties` (a Cmd)."""

    @abstractmethod
    def choose_many(
        self,
        message: str,
        choices: Sequence[Keuze],
        default: Sequence[object],
        *,
        acties: Sequence[Keuze] = (),
    ) -> tuple[object, ...] | Cmd:
        """Any values of `choices`, or one action."""

    @abstractmethod
    def text(self, message: str, default: str = "", *, multiline: bool = False) -> str:
        """A line (or lines) of text; typed commands come back as typed."""

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
            toelichting = None
            if vraag.id.startswith("afweging-"):
                toelichting = self.text("Korte onderbouwing (optioneel; Enter slaat over):").strip()
            self.bekend[vraag.id] = result
            return Antwoord(vraag_id=vraag.id, waarde=result, toelichting=toelichting or None)

    def invalid(self, vraag: AnyVraag, melding: str) -> None:  # noqa: ARG002 - the protocol's
        """Show why the engine refused the answer; the question comes again."""
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
            keuzes = [("Nee, later (met meldcode hervat)", False), ("Ja, nu evalueren", True)]
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

    def waiting(self, wacht: Wacht) -> None:
        """Say why the case cannot go on yet."""
        self.say(wacht.tekst, "mededeling")

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

    # --- asking one value -------------------------------------------------------------------

    def value(
        self, vraag: AnyVraag, standaard: Waarde, *, acties: Sequence[Keuze] = ()
    ) -> Waarde | Cmd:
        """The raw answer to `vraag` (the engine checks it), or a Cmd."""
        if isinstance(vraag, JaNeeVraag | KeuzeVraag):
            keuzes = (
                [("ja", "ja"), ("nee", "nee")]
                if isinstance(vraag, JaNeeVraag)
                else [(o.label, o.id) for o in vraag.opties]
            )
            gekozen = self.choose(
                vraag.tekst, keuzes, standaard, acties=acties, zoeken=len(keuzes) > 7
            )
            return gekozen if isinstance(gekozen, Cmd) or gekozen is None else str(gekozen)
        if isinstance(vraag, MeerkeuzeVraag):
            keuzes = [(o.label, o.id) for o in vraag.opties]
            veel = self.choose_many(vraag.tekst, keuzes, standaard or (), acties=acties)
            return veel if isinstance(veel, Cmd) else tuple(str(g) for g in veel)
        default = standaard if isinstance(standaard, str) else ""
        if vraag.soort == "datum":
            typed = self.text(f"{vraag.tekst} (dd-mm-jjjj)", datum_nl(default) if default else "")
            return command(typed) or parse_datum(typed)
        multiline = isinstance(vraag, TekstVraag) and vraag.regels
        typed = self.text(vraag.tekst, default, multiline=multiline)
        return command(typed) or typed.strip()

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
            ("‖ Pauzeren (later verder met meldcode hervat)", PAUZE),
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
        wanneer = self.text(
            "Wanneer sprak u Veilig Thuis? (dd-mm-jjjj)", self.vandaag.strftime("%d-%m-%Y")
        )
        anoniem = self.choose(
            "Was het gesprek geanonimiseerd?", [("ja", "ja"), ("nee", "nee")], "ja"
        )
        advies = self.text("Wat adviseerde Veilig Thuis?", multiline=True).strip()
        if not advies:
            self.say("Geen advies ingevuld: er is niets vastgelegd.", "fout")
            return None
        datum = datum_nl(parse_datum(wanneer))
        return AdviesVeiligThuis(f"Datum: {datum}; geanonimiseerd: {anoniem}; advies: {advies}")

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
            if engine.check_antwoord(vraag, nieuw) == oud:
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
