"""The contract tables of design.md §6 in one place: sectors, question ids, outcomes, statuses.

Scripts, exports and training material depend on these strings; every module reads them here.
Pure data with only the standard library: `meldcode --help` imports it (`lijst --status`), so it
stays as light as `errors`, below every layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:
    from typing import Protocol

    class _HeeftBesluit(Protocol):
        """Anything that names an outcome: a flow's `Uitkomst`, a practice case's `Verwacht`."""

        @property
        def id(self) -> str: ...
        @property
        def reden(self) -> str | None: ...
        @property
        def meldnorm(self) -> int | None: ...


class Status(StrEnum):
    """A case status (design.md §6); its values are the strings in the store and the exports."""

    OPEN = "open"
    WACHT = "wacht-op-evaluatie"
    VERVOLG = "vervolg"
    AFGEROND = "afgerond"


# design.md §6 "Sector ids", in the order `meldcode sectoren` lists them.
SECTOREN: tuple[str, ...] = (
    "basis",
    "artsen",
    "kinderopvang",
    "onderwijs",
    "jeugdhulp",
    "psychosociaal",
    "zorg",
    "wmo",
)

# design.md §6 "Question ids": each contract id with its soort, and the step whose file holds
# it (`kader`: afwegingskader/basis.yaml).
VRAGEN: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "acuut-gevaar": ("ja-nee", "stap-1"),
        "route": ("keuze", "stap-1"),
        "signalen": ("meerkeuze", "stap-1"),
        "signalen-beschrijving": ("tekst", "stap-1"),
        "kindcheck": ("ja-nee", "stap-1"),
        "collegiale-consultatie": ("tekst", "stap-2"),
        "veilig-thuis-geraadpleegd": ("ja-nee", "stap-2"),
        "gesprek-gevoerd": ("ja-nee", "stap-3"),
        "gesprek-overgeslagen-reden": ("keuze", "stap-3"),
        "afweging-1": ("ja-nee", "kader"),
        "afweging-2": ("ja-nee", "kader"),
        "afweging-3": ("ja-nee", "kader"),
        "afweging-4": ("ja-nee", "kader"),
        "afweging-5": ("ja-nee", "kader"),
        "evaluatiedatum": ("datum", "kader"),
        "haags-protocol": ("ja-nee", "stap-1"),
        "terugkoppeling-veilig-thuis": ("tekst", "kader"),
    }
)


class Besluit(NamedTuple):
    """An outcome as the contract names it (design.md §6): id, reden and meldnorm.

    It never changes once reached (a `vervolg` keeps it); the advice text is not part of it.
    """

    id: str
    reden: str | None = None
    meldnorm: int | None = None

    @overload
    @classmethod
    def of(cls, uitkomst: _HeeftBesluit) -> Besluit: ...
    @overload
    @classmethod
    def of(cls, uitkomst: None) -> None: ...
    @overload
    @classmethod
    def of(cls, uitkomst: _HeeftBesluit | None) -> Besluit | None: ...
    @classmethod
    def of(cls, uitkomst: _HeeftBesluit | None) -> Besluit | None:
        """The decision an outcome stands for; None for none."""
        if uitkomst is None:
            return None
        return cls(uitkomst.id, uitkomst.reden, uitkomst.meldnorm)

    def as_json(self) -> dict[str, str | int | None]:
        """The `uitkomst` object of the decision log and the JSON export, without `tekst`."""
        return {"id": self.id, "reden": self.reden, "meldnorm": self.meldnorm}


# design.md §6 "Outcomes": the status a case gets with each outcome (before its follow-up).
STATUS_VAN_UITKOMST: Mapping[str, Status] = MappingProxyType(
    {
        "afsluiten": Status.AFGEROND,
        "melden": Status.VERVOLG,
        "hulp-bieden": Status.WACHT,
        "hulp-afsluiten": Status.AFGEROND,
        "medewerkersroute": Status.VERVOLG,
    }
)


class Beslissend(NamedTuple):
    """An answer that decides the outcome wherever it is the first of its kind on a path."""

    vraag_id: str
    waarde: str
    besluit: Besluit


# Answers that must lead to one outcome on every path (domain.md §2.2, §2.3; design.md §6): the
# first of these on a path decides the outcome's id, reden and meldnorm.
MELDNORM: tuple[Beslissend, ...] = (
    Beslissend("acuut-gevaar", "ja", Besluit("melden", "acuut-gevaar", 1)),
    Beslissend("haags-protocol", "ja", Besluit("melden", "haags-protocol", None)),
    Beslissend("afweging-1", "nee", Besluit("afsluiten", "geen-vermoeden", None)),
    Beslissend("afweging-2", "ja", Besluit("melden", "acute-of-structurele-onveiligheid", 1)),
    Beslissend("afweging-3", "nee", Besluit("melden", "geen-effectieve-hulp", 2)),
    Beslissend("afweging-4", "nee", Besluit("melden", "hulp-niet-aanvaard", 2)),
    Beslissend("afweging-5", "nee", Besluit("melden", "onvoldoende-resultaat", 3)),
)
# Each reden of `melden` with its meldnorm (None: a melding outside the afwegingen).
NORM_VAN_REDEN: Mapping[str | None, int | None] = {
    r.besluit.reden: r.besluit.meldnorm for r in MELDNORM if r.besluit.id == "melden"
}
