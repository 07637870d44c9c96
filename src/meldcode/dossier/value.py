"""A case as a dossier value: what exporters, views and drafts read, and nothing that reads a
store or a flow file (the building is in build.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meldcode.model import AnyVraag, DatumVraag, Flow, KeuzeVraag, MeerkeuzeVraag, Uitkomst
from meldcode.text.formatting import datum_nl
from meldcode.text.phrases import UITKOMST_NAMEN, reden_naam, uitkomst_naam

if TYPE_CHECKING:
    from meldcode.store import Casus
    from meldcode.store.log import Event

PRIVACY = (
    "Vertrouwelijk. Dit document bevat bijzondere persoonsgegevens (AVG art. 9) over een "
    "vermoeden van huiselijk geweld of kindermishandeling. Bewaar het alleen in het "
    "cliëntdossier, deel het niet via e-mail of gedeelde mappen en verwijder losse kopieën "
    "zodra het in het dossier staat."
)
OEFENING = "OEFENING — dit is een oefencasus, geen echte casus."


@dataclass(frozen=True)
class Regel:
    """One answered question (or recorded advice) as the dossier shows it."""

    vraag_id: str
    tekst: str
    antwoord: str
    toelichting: str | None
    afweging: bool


@dataclass(frozen=True)
class Stap:
    """One step of the meldcode with what was recorded in it."""

    id: str
    naam: str
    regels: tuple[Regel, ...]


@dataclass(frozen=True)
class Dossier:
    """Everything an exporter needs about one case."""

    casus: Casus
    label: str | None  # None when exported --zonder-label
    sector_naam: str
    events: tuple[Event, ...]
    uitkomst: Uitkomst | None
    stappen: tuple[Stap, ...]
    gegenereerd: str
    flow_actueel: bool  # the case's flow hash equals the current flow's
    # Questions the meldcode asks to record that were left empty (their texts).
    nog_vast_te_leggen: tuple[str, ...] = ()
    # The head hash of the verified chain (None when it does not hold), and what does not.
    kop: str | None = None
    keten_fout: str | None = None
    # The flow the answers are read with (question texts, option labels); None when it broke.
    flow: Flow | None = None
    # For a case in `vervolg`: what is still open, in words (see vervolg_tekst).
    vervolg: str | None = None
    # The organisation's eindverantwoordelijke as the shared register records it per case.
    eindverantwoordelijke: str | None = None

    @property
    def uitkomst_naam(self) -> str:
        """The outcome in words."""
        return uitkomst_naam(self.uitkomst) if self.uitkomst else ""

    @property
    def afsluit_toelichting(self) -> str | None:
        """What the professional wrote when closing the case early (None otherwise)."""
        return afsluit_toelichting(self.events, self.uitkomst)

    def reden_naam(self, flow_redenen: dict[str, str] | None = None) -> str:
        """The reason of the outcome in words (the id when unknown)."""
        reden = self.uitkomst.reden if self.uitkomst else None
        if reden is None:
            return ""
        return reden_naam(reden, flow_redenen)


def afsluit_toelichting(events: Sequence[Event], uitkomst: Uitkomst | None) -> str | None:
    """The toelichting given when the case was closed early with `uitkomst`'s reason: of the
    last closing, and only if the case still ends there (a later `terug` reopens it)."""
    if uitkomst is None or uitkomst.id != "afsluiten" or uitkomst.reden is None:
        return None
    gesloten = [e for e in events if e.soort == "afsluiten"]
    if gesloten and gesloten[-1].antwoord == uitkomst.reden:
        return gesloten[-1].toelichting
    return None


def antwoord_nl(vraag: AnyVraag | None, waarde: object) -> str:
    """An answer as a person reads it: option labels for option ids, a date as dd-mm-jjjj."""
    if isinstance(vraag, KeuzeVraag | MeerkeuzeVraag) and waarde is not None:
        labels = {o.id: o.label for o in vraag.opties}
        gekozen = waarde if isinstance(waarde, list | tuple) else [waarde]
        return "; ".join(labels.get(str(g), str(g)) for g in gekozen if g is not None)
    if isinstance(vraag, DatumVraag) and isinstance(waarde, str):
        return datum_nl(waarde)
    return display(waarde)


def display(waarde: object) -> str:
    """A stored answer as plain text."""
    if waarde is None:
        return ""
    if isinstance(waarde, list | tuple):
        return "; ".join(str(w) for w in waarde)
    if isinstance(waarde, dict):
        return ", ".join(f"{k}: {v}" for k, v in waarde.items() if v is not None)
    return str(waarde)


def vraag_tekst(vraag_id: str | None, flow: Flow | None) -> str:
    """A question's text for its id, the id when the flow does not know it."""
    if vraag_id is None:
        return ""
    if flow is not None and flow.has_vraag(vraag_id):
        return flow.vraag(vraag_id).tekst
    return vraag_id


def antwoord_tekst(e: Event, flow: Flow | None = None) -> str:
    """What an event recorded, for a reader: an outcome and a closing reason in words, an
    answer with its option labels and dates as dd-mm-jjjj (when `flow` knows the question)."""
    if e.soort == "uitkomst" and isinstance(e.antwoord, dict):
        u = e.antwoord
        delen = [UITKOMST_NAMEN.get(str(u.get("id")), str(u.get("id")))]
        if u.get("reden"):
            delen.append(f"reden: {reden_naam(str(u['reden']))}")
        if u.get("meldnorm"):
            delen.append(f"meldnorm {u['meldnorm']}")
        return "; ".join(delen)
    if e.soort == "afsluiten" and isinstance(e.antwoord, str):
        return reden_naam(e.antwoord)
    if flow is not None and e.vraag is not None and flow.has_vraag(e.vraag):
        return antwoord_nl(flow.vraag(e.vraag), e.antwoord)
    return display(e.antwoord)
