"""The decision log: events chained by SHA-256 (stdlib only, so the store loads fast)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from meldcode.errors import CasusNotFound
from meldcode.store.records import Event, EventSoort, NieuwEvent

# Event and NieuwEvent live in store/records.py (the values every backend returns); re-exported.
__all__ = [
    "GENESIS",
    "KOP_VELDEN",
    "CaseTail",
    "Event",
    "EventSoort",
    "NieuwEvent",
    "Tail",
    "chain",
    "chain_after",
    "event_hash",
    "kop_hash",
    "new_kop",
    "register_hash",
]

GENESIS = "0" * 64


def event_hash(casus_id: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an event's fields (everything but `hash`)."""
    canon = json.dumps(
        {"casus": casus_id, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class Tail(Protocol):
    """What the next event needs of the one before it."""

    @property
    def volgnummer(self) -> int: ...
    @property
    def hash(self) -> str: ...


def chain(
    casus_id: str,
    vorige: Tail | None,
    *,
    tijd: str,
    soort: EventSoort,
    stap: str | None = None,
    vraag: str | None = None,
    antwoord: Any = None,
    toelichting: str | None = None,
) -> Event:
    """The next event after `vorige` (None for the first), with its hash."""
    fields: dict[str, Any] = {
        "volgnummer": 1 if vorige is None else vorige.volgnummer + 1,
        "tijd": tijd,
        "soort": soort,
        "stap": stap,
        "vraag": vraag,
        "antwoord": list(antwoord) if isinstance(antwoord, tuple) else antwoord,
        "toelichting": toelichting,
        "vorige_hash": GENESIS if vorige is None else vorige.hash,
    }
    return Event(**fields, hash=event_hash(casus_id, fields))


@dataclass(frozen=True)
class CaseTail:
    """The last event of a case as its row keeps it (0 and the kop's link before any event)."""

    volgnummer: int
    hash: str


def chain_after(
    casus_id: str, head: Sequence[Any] | None, tijd: str, nieuw: Iterable[NieuwEvent]
) -> tuple[list[Event], Tail]:
    """The events `nieuw`, all at `tijd`, chained one after the other after the case's head as
    its row keeps it (laatste_hash, aantal_events; CasusNotFound when there is no row), and
    the new head: what every backend appends in one transaction."""
    if head is None:
        raise CasusNotFound(casus_id=casus_id)
    events: list[Event] = []
    vorige: Tail = CaseTail(volgnummer=head[1], hash=head[0])
    for n in nieuw:
        vorige = chain(
            casus_id,
            vorige,
            tijd=tijd,
            soort=n.soort,
            stap=n.stap,
            vraag=n.vraag,
            antwoord=n.antwoord,
            toelichting=n.toelichting,
        )
        events.append(vorige)
    return events, vorige


# The case particulars a kop covers, in the order of the casussen table.
KOP_VELDEN = ("sector", "label", "oefening", "aangemaakt", "flow_versie", "flow_hash")


def kop_hash(casus_id: str, velden: dict[str, Any]) -> str:
    """The hash event 1 links to: the case's particulars (KOP_VELDEN), so that a changed
    sector, label, oefening flag, creation time or flow breaks the chain at event 1."""
    kop = {k: velden[k] for k in KOP_VELDEN}
    kop["oefening"] = bool(kop["oefening"])
    return event_hash(casus_id, {"kop": kop})


def new_kop(casus_id: str, aangemaakt: str, nieuw: Mapping[str, Any]) -> str:
    """The kop of a case created now (`aangemaakt`) with the particulars `nieuw` gives (a
    missing label is None, a missing oefening flag False): what every backend's `create` links
    event 1 to."""
    return kop_hash(casus_id, {**{k: nieuw.get(k) for k in KOP_VELDEN}, "aangemaakt": aangemaakt})


def register_hash(
    volgnummer: int, casus_id: str, soort: str, kop: str, aantal: int, vorige_hash: str
) -> str:
    """The hash of one entry of the store-wide register (a chain over the case heads)."""
    canon = json.dumps(
        [volgnummer, casus_id, soort, kop, aantal, vorige_hash], separators=(",", ":")
    )
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()
