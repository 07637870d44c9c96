"""Frozen pydantic models of the flow files and of the answers the engine works with."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Kebab = Annotated[str, Field(pattern=KEBAB)]

# What a YAML author may write where the models normalise (one id or a list; ja/nee or a
# YAML boolean), so that `meldcode schema` accepts every file the loader accepts.
_IDS = {
    "anyOf": [
        {"type": "string", "pattern": KEBAB},
        {"type": "array", "items": {"type": "string", "pattern": KEBAB}},
        {"type": "null"},
    ]
}
_WAARDEN = {
    "anyOf": [
        {"type": "string"},
        {"type": "boolean"},
        {"type": "array", "items": {"type": ["string", "boolean"]}},
    ]
}
_ANTWOORD = {
    "anyOf": [
        {"type": "object", "propertyNames": {"pattern": KEBAB}, "additionalProperties": _WAARDEN},
        {"type": "null"},
    ]
}
_JA_NEE = {"anyOf": [{"enum": ["ja", "nee"]}, {"type": "boolean"}, {"type": "null"}]}
Bron = Annotated[str, Field(min_length=1)]

STAPPEN: tuple[str, ...] = ("stap-1", "stap-2", "stap-3", "stap-4", "stap-5")
StapId = Literal["stap-1", "stap-2", "stap-3", "stap-4", "stap-5"]
Soort = Literal["ja-nee", "keuze", "meerkeuze", "tekst", "datum"]
UitkomstId = Literal["afsluiten", "melden", "hulp-bieden", "hulp-afsluiten", "medewerkersroute"]
JA_NEE: tuple[str, str] = ("ja", "nee")

# An answer as the engine keeps it: "ja"/"nee", an option id, option ids, text, an ISO
# date, or None for an optional question left empty.
Waarde = str | tuple[str, ...] | None


class Frozen(BaseModel):
    """Base of every model: immutable, and a misspelt key fails the load."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# --- conditions -------------------------------------------------------------------------


class Voorwaarde(Frozen):
    """A structured condition (`als`); all keys given must hold at once."""

    sector: Annotated[tuple[Kebab, ...] | None, WithJsonSchema(_IDS)] = None
    antwoord: Annotated[dict[Kebab, tuple[str, ...]] | None, WithJsonSchema(_ANTWOORD)] = None
    beantwoord: Annotated[tuple[Kebab, ...] | None, WithJsonSchema(_IDS)] = None
    alle: tuple[Voorwaarde, ...] | None = None
    een_van: tuple[Voorwaarde, ...] | None = Field(default=None, alias="een-van")
    niet: Voorwaarde | None = None

    @field_validator("sector", "beantwoord", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("antwoord", mode="before")
    @classmethod
    def _ja_nee_words(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {k: _normalise(v) for k, v in value.items()}

    @model_validator(mode="after")
    def _not_empty(self) -> Voorwaarde:
        if not self.model_fields_set:
            raise ValueError("een lege voorwaarde zegt niets; laat 'als' weg of vul hem")
        return self

    def vraag_ids(self) -> set[str]:
        """Every question id this condition refers to."""
        ids = set(self.antwoord or {}) | set(self.beantwoord or ())
        for sub in (
            *(self.alle or ()),
            *(self.een_van or ()),
            *((self.niet,) if self.niet else ()),
        ):
            ids |= sub.vraag_ids()
        return ids


def _normalise(value: object) -> object:
    """YAML booleans become 'ja'/'nee'; one value becomes a list of one."""
    values = value if isinstance(value, list | tuple) else [value]
    return [("ja" if v else "nee") if isinstance(v, bool) else v for v in values]


# --- questions --------------------------------------------------------------------------


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


# --- outcomes and notices ---------------------------------------------------------------


class Uitkomst(Frozen):
    """An outcome of a case: what the professional decided, why, under which meldnorm."""

    id: UitkomstId
    reden: Kebab | None = None
    meldnorm: Literal[1, 2, 3] | None = None
    tekst: str = Field(min_length=1)
    # Short points the summary lists under the advice (e.g. after every melding).
    punten: tuple[str, ...] = ()
    # `wacht-op-evaluatie` pauses the case (hulp-bieden); `vervolg` keeps it in follow-up
    # (melden, medewerkersroute) until its follow-up questions are answered; `afgerond` ends it.
    status: Literal["afgerond", "wacht-op-evaluatie", "vervolg"] = "afgerond"


class UitkomstRegel(Frozen):
    """When `als` holds after an answer, the case reaches `uitkomst` (first rule wins)."""

    id: Kebab
    als: Voorwaarde
    uitkomst: Uitkomst
    bron: Bron
    # True: the questions still reachable after this outcome are walked on and recorded after
    # its follow-up questions (afwegingen 3-5 "samen met Veilig Thuis" after a melding); the
    # outcome stays.
    vervolg: bool = False


class Mededeling(Frozen):
    """A notice shown at the start of a step when `als` holds (e.g. special forms)."""

    id: Kebab
    stap: StapId
    als: Voorwaarde
    tekst: str = Field(min_length=1)
    bron: Bron


class Wacht(Frozen):
    """The case cannot go on yet: `vraag` was answered other than it `vereist`."""

    vraag_id: str
    tekst: str


# --- files ------------------------------------------------------------------------------


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


# --- the assembled flow -----------------------------------------------------------------


class Flow(Frozen):
    """The questions, outcome rules and notices of one sector, in asking order."""

    sector: Sector
    versie: str
    hash: str
    stap_namen: dict[str, str]
    vragen: tuple[Vraag, ...]
    uitkomsten: tuple[UitkomstRegel, ...]
    mededelingen: tuple[Mededeling, ...] = ()
    afsluitredenen: tuple[Optie, ...]
    afsluiten_tekst: str

    def vraag(self, vraag_id: str) -> AnyVraag:
        """The question with this id; KeyError if the flow has none."""
        for v in self.vragen:
            if v.id == vraag_id:
                return v
        raise KeyError(vraag_id)

    def has_vraag(self, vraag_id: str) -> bool:
        """Whether the flow has a question with this id."""
        return any(v.id == vraag_id for v in self.vragen)


class Antwoord(Frozen):
    """One answer given to one question."""

    vraag_id: str
    waarde: Waarde = None
    toelichting: str | None = None


class State(Frozen):
    """Where a case stands: its sector and the answers on the active path, in order."""

    sector: str
    antwoorden: tuple[Antwoord, ...] = ()
    # Closed early by the user (afsluiten at any step), with the reason given.
    afgesloten: str | None = None

    def waarde(self, vraag_id: str) -> Waarde:
        """The current answer to `vraag_id`, or None."""
        for a in self.antwoorden:
            if a.vraag_id == vraag_id:
                return a.waarde
        return None

    def heeft(self, vraag_id: str) -> bool:
        """Whether `vraag_id` has an answer."""
        return any(a.vraag_id == vraag_id for a in self.antwoorden)


def is_iso_date(text: str) -> bool:
    """Whether `text` looks like `JJJJ-MM-DD` (the calendar check is the engine's)."""
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
