"""Frozen pydantic models of the flow files and of the answers the engine works with.

One module per job: `base` (ids, steps, the frozen base), `conditions`, `questions`, `outcomes`,
`files` (the flow files as written) and `flow` (the assembled flow, answers, state). Import from
here: `from meldcode.model import Flow`.
"""

from meldcode.model.base import (
    JA_NEE,
    KEBAB,
    STAPPEN,
    Bron,
    Frozen,
    Kebab,
    Soort,
    StapId,
    UitkomstId,
    Waarde,
)
from meldcode.model.conditions import (
    Voorwaarde,
)
from meldcode.model.files import (
    Invoeging,
    KaderBestand,
    Route,
    Sector,
    SectorBestand,
    SectorenBestand,
    StapBestand,
    VraagWijziging,
)
from meldcode.model.flow import (
    Antwoord,
    Flow,
    State,
    is_iso_date,
)
from meldcode.model.outcomes import (
    Mededeling,
    Uitkomst,
    UitkomstRegel,
    Wacht,
)
from meldcode.model.questions import (
    AnyVraag,
    DatumVraag,
    JaNeeVraag,
    KeuzeVraag,
    MeerkeuzeVraag,
    Onzeker,
    Optie,
    TekstVraag,
    Vraag,
    VraagBasis,
)

__all__ = [
    "JA_NEE",
    "KEBAB",
    "STAPPEN",
    "Antwoord",
    "AnyVraag",
    "Bron",
    "DatumVraag",
    "Flow",
    "Frozen",
    "Invoeging",
    "JaNeeVraag",
    "KaderBestand",
    "Kebab",
    "KeuzeVraag",
    "Mededeling",
    "MeerkeuzeVraag",
    "Onzeker",
    "Optie",
    "Route",
    "Sector",
    "SectorBestand",
    "SectorenBestand",
    "Soort",
    "StapBestand",
    "StapId",
    "State",
    "TekstVraag",
    "Uitkomst",
    "UitkomstId",
    "UitkomstRegel",
    "Voorwaarde",
    "Vraag",
    "VraagBasis",
    "VraagWijziging",
    "Waarde",
    "Wacht",
    "is_iso_date",
]
