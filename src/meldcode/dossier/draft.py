"""The shared shape of a draft for Veilig Thuis (a melding or an adviesvraag), and what both
read from a dossier: the latest answer of each question with its date and reasoning."""

from __future__ import annotations

from dataclasses import dataclass, field

from meldcode.dossier.build import Dossier, Regel
from meldcode.text.formatting import datum_nl

IN_TE_VULLEN = "[in te vullen]"
VERSTUURT_NIETS = (
    "meldcode verstuurt niets: kopieer wat u nodig heeft naar het formulier of de e-mail van "
    "Veilig Thuis, en bewaar dit concept alleen in het cliëntdossier."
)
BELLEN = (
    "Acuut gevaar gaat altijd telefonisch: bel 112 bij direct (levens)gevaar, anders Veilig "
    "Thuis op 0800-2000 (dag en nacht)."
)


def in_te_vullen(wat: str) -> str:
    """A placeholder the professional fills in: `[in te vullen: wat]`."""
    return f"[in te vullen: {wat}]"


@dataclass(frozen=True)
class Onderdeel:
    """One labelled part of a section: a text, a list of points, or both."""

    kop: str
    tekst: str = ""
    punten: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sectie:
    """One section of the form, in its order."""

    titel: str
    onderdelen: tuple[Onderdeel, ...]
    uitleg: str = ""
    apart: bool = False  # the part not to be shown to the people involved


@dataclass(frozen=True)
class Concept:
    """A whole draft: title, marks and notes on top, then the sections in form order."""

    titel: str
    oefening: bool
    privacy: str
    notities: tuple[str, ...]
    secties: tuple[Sectie, ...]
    # Said on stderr too: free text that looks identifying (adviesvraag).
    waarschuwingen: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Antwoorden:
    """The case's answers on its path: the dossier's row, the raw value and the date."""

    regels: dict[str, Regel]
    waarden: dict[str, object]
    data: dict[str, str]  # vraag id -> dd-mm-jjjj of the latest answer

    @classmethod
    def van(cls, d: Dossier) -> Antwoorden:
        """The answers of dossier `d` (the active path, as the dossier shows it)."""
        regels = {r.vraag_id: r for s in d.stappen for r in s.regels}
        waarden: dict[str, object] = {}
        data: dict[str, str] = {}
        for e in d.events:
            if e.soort in ("antwoord", "wijziging") and e.vraag in regels:
                waarden[e.vraag] = e.antwoord
                data[e.vraag] = datum_nl(e.tijd)
        return cls(regels, waarden, data)

    def tekst(self, vraag_id: str) -> str:
        """A text answer (stripped), '' when absent or empty."""
        waarde = self.waarden.get(vraag_id)
        return waarde.strip() if isinstance(waarde, str) else ""

    def antwoord(self, vraag_id: str) -> str:
        """The answer as the dossier shows it (option labels), '' when absent."""
        r = self.regels.get(vraag_id)
        return r.antwoord if r is not None and r.antwoord != "(niet ingevuld)" else ""

    def datum(self, vraag_id: str) -> str:
        """` (vastgelegd dd-mm-jjjj)` for an answered question, else ''."""
        return f" (vastgelegd {self.data[vraag_id]})" if vraag_id in self.data else ""


def afweging_kop(r: Regel) -> str:
    """`Afweging 2 – Veiligheid` from the afweging's question text."""
    return r.tekst.split(":", 1)[0].strip()
