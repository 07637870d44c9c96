"""The hash chain that `meldcode verifieer` recomputes, attacked the way a careful editor would.

Each test rewrites a chain so that all but one check still hold, and asserts that the event
`verifieer` names is the first one changed (docs/mutatie.md: these kill the log mutants).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from meldcode.store.integrity import first_broken
from meldcode.store.log import Event, chain, event_hash

CASUS = "mc-k7q3-x9p2"


def _keten(casus_id: str = CASUS) -> list[Event]:
    """Four events of one case, as the store appends them after case creation."""
    events: list[Event] = []
    vorige: Any = dataclasses.make_dataclass("Begin", ["volgnummer", "hash"])(0, "0" * 64)
    for i, (vraag, antwoord) in enumerate(
        [("acuut-gevaar", "nee"), ("afweging-1", "ja"), ("afweging-2", "ja"), (None, "melden")]
    ):
        vorige = chain(casus_id, vorige, tijd=f"2026-11-23T10:0{i}:00+01:00", soort="antwoord",
                       stap="stap-5", vraag=vraag, antwoord=antwoord)
        events.append(vorige)
    return events


def _herschreven(casus_id: str, e: Event, **wijziging: Any) -> Event:
    """`e` with fields changed and its own hash recomputed, as an editor who knows the format."""
    nieuw = dataclasses.replace(e, **wijziging)
    velden = nieuw.as_dict()
    del velden["hash"]
    return dataclasses.replace(nieuw, hash=event_hash(casus_id, velden))


def test_an_intact_chain_verifies() -> None:
    """A chain as the store writes it has no broken event."""
    assert first_broken(CASUS, _keten()) is None


def test_the_hash_of_an_event_is_the_same_as_in_earlier_versions() -> None:
    """A chain stored by an earlier version still verifies: the hash of a known event is fixed.

    Any change to what is hashed or how (key order, non-ASCII text, the case id) would make every
    existing store fail `verifieer`.
    """
    velden = {"volgnummer": 1, "tijd": "2026-11-23T10:00:00+01:00", "soort": "uitkomst",
              "stap": "stap-5", "vraag": None,
              "antwoord": {"meldnorm": 1, "reden": "acute-of-structurele-onveiligheid",
                           "id": "melden"},
              "toelichting": "één ouder, zorg blijft", "vorige_hash": "0" * 64}
    assert "4125f321b05a9070fe62b7d95a7722acb68f88004b7b6a907d9c975424607d48" == event_hash(
        CASUS, velden)


def test_an_event_rewritten_with_its_own_hash_is_caught_by_the_next_link() -> None:
    """Changing answer 2 and recomputing its hash breaks the link: event 3 is named."""
    events = _keten()
    events[1] = _herschreven(CASUS, events[1], antwoord="nee")
    broken = first_broken(CASUS, events)
    assert broken is not None
    assert 3 == broken.volgnummer


def test_an_event_moved_to_another_case_does_not_verify_there() -> None:
    """A chain copied under another case id is broken at its first event: the id is hashed."""
    broken = first_broken("mc-aaaa-bbbb", _keten())
    assert broken is not None
    assert 1 == broken.volgnummer


def test_an_event_removed_from_the_middle_and_relinked_is_caught_by_its_number() -> None:
    """Dropping event 2 and relinking event 3 to event 1 still leaves a gap: event 2 is named."""
    events = _keten()
    relinked = _herschreven(CASUS, events[2], vorige_hash=events[0].hash)
    broken = first_broken(CASUS, [events[0], relinked])
    assert broken is not None
    assert 2 == broken.volgnummer


def test_an_edited_time_is_caught_at_that_event() -> None:
    """Editing `tijd` of event 2 without its hash names event 2."""
    events = _keten()
    events[1] = dataclasses.replace(events[1], tijd="2026-11-24T09:00:00+01:00")
    broken = first_broken(CASUS, events)
    assert broken is not None
    assert 2 == broken.volgnummer
