"""The values that cross the store's boundary: cases, events, register entries and counts.

Stdlib only (no sqlite3, no driver): render, dossier, walk and the commands import these types
without loading a database module, and every backend (SQLite today, PostgreSQL later; see
store/interface.py) returns them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from meldcode.contract import Besluit

EventSoort = Literal[
    "antwoord",  # an answer to a question (a repeated one supersedes the earlier answer)
    "wijziging",  # an answer changed later; toelichting = the reason; the old one stays
    "onderbouwing",  # the reasoning behind the afweging `vraag`, recorded after its answer
    "terug",  # the user went back to `vraag`; later answers become pre-fills
    "advies-veilig-thuis",  # Veilig Thuis consulted at some step: when, anonymised, the advice
    "afsluiten",  # closed early; antwoord = reason id, toelichting = explanation
    "uitkomst",  # an outcome was reached: antwoord = {id, reden, meldnorm}
    "pauze",  # the user paused; hervat continues
    "hervat",  # the case was resumed
    "overdracht",  # shared register: handed over; antwoord = the new owner, toelichting = reason
]

# The case-row fields a replay of the log gives (history.case_fields), in the order `verifieer`
# names them when they differ.
DERIVED_FIELDS = (
    "status",
    "uitkomst_id",
    "uitkomst_reden",
    "meldnorm",
    "evaluatiedatum",
    "vervolg_open",
)
# The case-row fields `CaseStore.append` may set besides the chain's own (bijgewerkt,
# laatste_hash, aantal_events): those and the time of the outcome.
CASE_UPDATE_FIELDS = (*DERIVED_FIELDS, "uitkomst_tijd")


class NieuweCasus(TypedDict):
    """What `CaseStore.create` takes: a case's particulars (the kop covers all but the id)."""

    sector: str
    flow_versie: str
    flow_hash: str
    label: NotRequired[str | None]
    oefening: NotRequired[bool]  # a practice case (default False)
    casus_id: NotRequired[str | None]  # default: a new records.new_casus_id()


class CasusFilter(TypedDict, total=False):
    """The filters of `CaseStore.iter_casussen` (see there); a missing or empty one is off."""

    status: str | None
    sector: str | None
    evaluatie_voor: str | None
    vervolg_voor: str | None
    bijgewerkt_voor: str | None
    limit: int | None


ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud


def now_iso() -> str:
    """The local time with its UTC offset, to the second (every stored time has this form)."""
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def new_casus_id() -> str:
    """A pseudonymous case id such as `mc-k7q3-x9p2`: random, says nothing about the client."""
    chars = "".join(secrets.choice(ID_ALPHABET) for _ in range(8))
    return f"mc-{chars[:4]}-{chars[4:]}"


@dataclass(frozen=True)
class Casus:
    """One case as the store keeps it (its events are read separately)."""

    id: str
    sector: str
    status: str
    label: str | None
    oefening: bool
    aangemaakt: str
    bijgewerkt: str
    uitkomst_id: str | None
    uitkomst_reden: str | None
    meldnorm: int | None
    uitkomst_tijd: str | None
    evaluatiedatum: str | None
    flow_versie: str
    flow_hash: str
    laatste_hash: str
    aantal_events: int
    # In `vervolg`: the follow-up still open that makes the case due (history.case_fields).
    vervolg_open: str | None = None

    @property
    def besluit(self) -> Besluit | None:
        """The case's outcome (id, reden, meldnorm), or None while it has none."""
        if self.uitkomst_id is None:
            return None
        return Besluit(self.uitkomst_id, self.uitkomst_reden, self.meldnorm)


@dataclass(frozen=True)
class Event:
    """One entry of the decision log, as stored and exported (keys: design.md §6)."""

    volgnummer: int
    tijd: str
    soort: EventSoort
    stap: str | None
    vraag: str | None
    antwoord: Any
    toelichting: str | None
    vorige_hash: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        """The event as the JSON export's `log` entry."""
        return asdict(self)

    def hashed_fields(self) -> dict[str, Any]:
        """The fields its hash covers (all but `hash`); shallow, so checking a chain is fast."""
        return {
            "volgnummer": self.volgnummer,
            "tijd": self.tijd,
            "soort": self.soort,
            "stap": self.stap,
            "vraag": self.vraag,
            "antwoord": self.antwoord,
            "toelichting": self.toelichting,
            "vorige_hash": self.vorige_hash,
        }


@dataclass(frozen=True)
class NieuwEvent:
    """An event to append: what happened; the store adds number, time and hashes."""

    soort: EventSoort
    stap: str | None = None
    vraag: str | None = None
    antwoord: Any = None
    toelichting: str | None = None


@dataclass(frozen=True)
class RegisterEntry:
    """One entry of the store-wide register: a chain over the case heads (log.register_hash).

    `soort`: "nieuw" (created), "bij" (events appended), "verwijderd" (deleted) or "bestaand"
    (a case already there when the register was introduced).
    """

    volgnummer: int
    casus_id: str
    soort: str
    kop: str  # the case's head hash after this change
    aantal: int  # its number of events then
    vorige_hash: str
    hash: str


@dataclass(frozen=True)
class CaseChain:
    """Everything `verifieer` checks of one case id: its row (None once deleted), its events
    as stored and the register entries that name it, both in order."""

    casus_id: str
    casus: Casus | None
    events: list[Event] = field(default_factory=list)
    entries: list[RegisterEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Counts:
    """The raw figures behind `statistiek`, over the real cases only (never practice ones).

    Counts and groupings only: no id, label, answer or free text.
    """

    # (sector, status, uitkomst_id, uitkomst_reden, number of cases)
    per_uitkomst: list[tuple[str, str, str | None, str | None, int]]
    gestart: dict[str, int]  # "YYYY-MM" of `aangemaakt` -> cases started that month
    met_uitkomst: dict[str, int]  # "YYYY-MM" of `uitkomst_tijd` -> outcomes that month
    # Days from start to outcome in tenths (round((outcome - start) in days * 10), as
    # instants) -> number of cases; cases without an outcome are not counted.
    tienden: dict[int, int]
