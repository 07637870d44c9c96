"""Questions, one class per soort, and their options."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, field_validator

from meldcode.model.base import Bron, Frozen, Kebab, StapId
from meldcode.model.conditions import Voorwaarde

_JA_NEE = {"anyOf": [{"enum": ["ja", "nee"]}, {"type": "boolean"}, {"type": "null"}]}


class Optie(Frozen):
    """One choice of a keuze or meerkeuze question."""

    id: Kebab
    label: str = Field(min_length=1)
    uitleg: str | None = None
    bron: Bron | None = None
    # A closing reason that needs a toelichting.
    toelichting_verplicht: bool = Field(default=False, alias="toelichting-verplicht")
    # A closing reason that hands the case over: it needs who took over (function and
    # organisation, no name) and the date the professional checks that the help started.
    overdracht: bool = False


class Onzeker(Frozen):
    """A point domain.md marks uncertain, with the safer reading taken."""

    notitie: str = Field(min_length=1)


class VraagBasis(Frozen):
    """What every question has, whatever its soort."""

    id: Kebab
    stap: StapId
    tekst: str = Field(min_length=1)
    uitleg: str | None = None
    bron: Bron
    verplicht: bool = True
    # The meldcode asks to record this (domain.md §4.1), but a case may go on without it:
    # left empty, the summary and the dossier list it under "Nog vast te leggen".
    vastleggen: bool = False
    als: Voorwaarde | None = None
    # The answer a case must have to go on (e.g. KNMG: Veilig Thuis consulted); any other
    # answer leaves the case open until it is changed.
    vereist: str | None = None
    vereist_uitleg: str | None = Field(default=None, alias="vereist-uitleg")
    # The case waits only when this holds too (e.g. a special form of violence); None: always.
    vereist_als: Voorwaarde | None = Field(default=None, alias="vereist-als")
    onzeker: Onzeker | None = None
    # A follow-up question (design.md §4 "Vervolg"): asked only after an outcome with status
    # `vervolg`; the case stays `vervolg` until every one on its path is answered.
    vervolg: bool = False
    # Also asked in the follow-up when it was not answered before the outcome (e.g. `route`
    # after acute danger, so that a statutory staff duty is never skipped).
    ook_in_vervolg: bool = Field(default=False, alias="ook-in-vervolg")


class JaNeeVraag(VraagBasis):
    """A yes/no question."""

    soort: Literal["ja-nee"]
    standaard: Annotated[Literal["ja", "nee"] | None, WithJsonSchema(_JA_NEE)] = None

    @field_validator("standaard", "vereist", mode="before")
    @classmethod
    def _bool_to_word(cls, value: object) -> object:
        return ("ja" if value else "nee") if isinstance(value, bool) else value


class KeuzeVraag(VraagBasis):
    """Pick one option."""

    soort: Literal["keuze"]
    opties: tuple[Optie, ...] = Field(min_length=2)
    standaard: Kebab | None = None


class MeerkeuzeVraag(VraagBasis):
    """Pick any number of options."""

    soort: Literal["meerkeuze"]
    opties: tuple[Optie, ...] = Field(min_length=2)
    standaard: tuple[Kebab, ...] | None = None


class TekstVraag(VraagBasis):
    """Free text; `regels` asks for a multi-line editor."""

    soort: Literal["tekst"]
    regels: bool = False
    standaard: str | None = None


class DatumVraag(VraagBasis):
    """A date, kept as ISO `JJJJ-MM-DD`."""

    soort: Literal["datum"]
    standaard: str | None = None


Vraag = Annotated[
    JaNeeVraag | KeuzeVraag | MeerkeuzeVraag | TekstVraag | DatumVraag,
    Field(discriminator="soort"),
]
AnyVraag = JaNeeVraag | KeuzeVraag | MeerkeuzeVraag | TekstVraag | DatumVraag
