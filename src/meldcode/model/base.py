"""What every model shares: the frozen base, ids, steps and the shape of an answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Kebab = Annotated[str, Field(pattern=KEBAB)]
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
