"""The flow files as written: a step, the afwegingskader, the sectors and a sector overlay."""

from __future__ import annotations

from pydantic import Field, field_validator

from meldcode.model.base import Bron, Frozen, Kebab, StapId
from meldcode.model.conditions import Voorwaarde
from meldcode.model.outcomes import Mededeling, UitkomstRegel
from meldcode.model.questions import Onzeker, Optie, Vraag


class StapBestand(Frozen):
    """One file of `stappen/`: a step with its questions."""

    stap: StapId
    naam: str = Field(min_length=1)
    uitleg: str | None = None
    bron: Bron
    vragen: tuple[Vraag, ...] = ()
    mededelingen: tuple[Mededeling, ...] = ()


class Sector(Frozen):
    """One entry of `afwegingskader/sectoren.yaml`."""

    id: Kebab
    naam: str = Field(min_length=1)
    beroepen: tuple[str, ...] = Field(min_length=1)
    wetten: tuple[str, ...] = Field(min_length=1)
    bron: Bron
    afwegingen: str = Field(min_length=1, description="where the afwegingen sit, in words")
    routes: tuple[Kebab, ...] = ("thuis",)
    trefwoorden: tuple[str, ...] = ()


class SectorenBestand(Frozen):
    """`afwegingskader/sectoren.yaml`: every sector the tool knows."""

    sectoren: tuple[Sector, ...] = Field(min_length=1)


class KaderBestand(Frozen):
    """`afwegingskader/basis.yaml`: the afwegingen, their outcomes and the version."""

    versie: str = Field(min_length=1)
    afsluitredenen: tuple[Optie, ...] = Field(min_length=1)
    afsluiten_tekst: str = Field(min_length=1, alias="afsluiten-tekst")
    vragen: tuple[Vraag, ...]
    uitkomsten: tuple[UitkomstRegel, ...] = Field(min_length=1)
    mededelingen: tuple[Mededeling, ...] = ()


class VraagWijziging(Frozen):
    """What a sector overlay may change of an existing question."""

    stap: StapId | None = None
    tekst: str | None = None
    uitleg: str | None = None
    bron: Bron | None = None
    verplicht: bool | None = None
    standaard: str | bool | None = None
    vereist: str | bool | None = None
    vereist_uitleg: str | None = Field(default=None, alias="vereist-uitleg")
    vereist_als: Voorwaarde | None = Field(default=None, alias="vereist-als")
    onzeker: Onzeker | None = None

    @field_validator("standaard", "vereist", mode="before")
    @classmethod
    def _bool_to_word(cls, value: object) -> object:
        return ("ja" if value else "nee") if isinstance(value, bool) else value


class Route(Frozen):
    """A route chosen at `route`: its own short flow with its own outcomes."""

    id: Kebab
    naam: str = Field(min_length=1)
    bron: Bron
    vragen: tuple[Vraag, ...] = ()
    uitkomsten: tuple[UitkomstRegel, ...] = ()
    # True: the ordinary steps and afwegingen follow the route's own questions.
    meldcode_volgt: bool = Field(default=False, alias="meldcode-volgt")


class Invoeging(Frozen):
    """A question a sector adds, right after an existing one."""

    na: Kebab
    vraag: Vraag


class SectorBestand(Frozen):
    """`afwegingskader/<sector>.yaml`: a sector as an overlay on the basis flow."""

    sector: Kebab
    bron: Bron
    vragen: dict[Kebab, VraagWijziging] = Field(default_factory=dict)
    toevoegen: tuple[Invoeging, ...] = ()
    routes: tuple[Route, ...] = ()
    mededelingen: tuple[Mededeling, ...] = ()
    uitkomsten: tuple[UitkomstRegel, ...] = ()
