"""Checking an answer against its question: the form it is kept in, or why it is refused."""

from __future__ import annotations

import contextlib
import datetime as dt

from meldcode.errors import InvalidAntwoord
from meldcode.model import (
    JA_NEE,
    AnyVraag,
    DatumVraag,
    JaNeeVraag,
    KeuzeVraag,
    MeerkeuzeVraag,
    TekstVraag,
    Waarde,
    is_iso_date,
)
from meldcode.text.control_chars import zonder_stuurtekens


def check_antwoord(vraag: AnyVraag, waarde: object) -> Waarde:
    """The answer in its kept form, or InvalidAntwoord saying what the question allows."""
    if waarde is None or waarde in ("", [], ()):
        if vraag.verplicht:
            raise InvalidAntwoord(vraag_id=vraag.id, reden="een antwoord is verplicht.")
        return None
    if isinstance(vraag, JaNeeVraag):
        return _ja_nee(vraag, waarde)
    if isinstance(vraag, KeuzeVraag):
        return _keuze(vraag, waarde)
    if isinstance(vraag, MeerkeuzeVraag):
        return _meerkeuze(vraag, waarde)
    if isinstance(vraag, DatumVraag):
        return _datum(vraag, waarde)
    assert isinstance(vraag, TekstVraag)  # noqa: S101 - the union is closed
    if not isinstance(waarde, str):
        raise InvalidAntwoord(vraag_id=vraag.id, reden="verwacht een tekst.")
    # NOTE: stripped, not refused: an escape sequence pasted along with a text is no reason to
    # stop a walk or a scripted run, but it must never reach a terminal (see stuurtekens.py).
    tekst = zonder_stuurtekens(waarde)
    return tekst if tekst else check_antwoord(vraag, None)


def _ja_nee(vraag: JaNeeVraag, waarde: object) -> str:
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, str) and waarde.strip().lower() in JA_NEE:
        return waarde.strip().lower()
    raise InvalidAntwoord(vraag_id=vraag.id, reden="toegestaan zijn 'ja' en 'nee'.")


def _keuze(vraag: KeuzeVraag, waarde: object) -> str:
    ids = [o.id for o in vraag.opties]
    if isinstance(waarde, str) and waarde in ids:
        return waarde
    raise InvalidAntwoord(vraag_id=vraag.id, reden=f"toegestaan zijn: {', '.join(ids)}.")


def _meerkeuze(vraag: MeerkeuzeVraag, waarde: object) -> tuple[str, ...]:
    ids = [o.id for o in vraag.opties]
    gekozen = (waarde,) if isinstance(waarde, str) else waarde
    if isinstance(gekozen, list | tuple) and all(isinstance(w, str) and w in ids for w in gekozen):
        # Keep the flow's order and drop repeats, so the same choice always looks the same.
        return tuple(i for i in ids if i in gekozen)
    raise InvalidAntwoord(
        vraag_id=vraag.id, reden=f"geef een lijst met een of meer van: {', '.join(ids)}."
    )


# Dates a case can sensibly carry (an evaluation, a conversation): no clock here (the engine is
# pure), so a fixed range that catches typos like 0001-01-01 or 9999-12-31.
DATUM_VAN, DATUM_TOT = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _datum(vraag: DatumVraag, waarde: object) -> str:
    datum: dt.date | None = None
    if isinstance(waarde, dt.date):
        datum = waarde
    elif isinstance(waarde, str) and is_iso_date(waarde.strip()):
        with contextlib.suppress(ValueError):  # e.g. 2027-02-30: refused below
            datum = dt.date.fromisoformat(waarde.strip())
    if datum is None:
        raise InvalidAntwoord(
            vraag_id=vraag.id,
            reden="verwacht een bestaande datum als JJJJ-MM-DD, bijv. 2027-03-15.",
        )
    if not DATUM_VAN <= datum <= DATUM_TOT:
        raise InvalidAntwoord(
            vraag_id=vraag.id,
            reden=f"verwacht een datum tussen {DATUM_VAN.isoformat()} en {DATUM_TOT.isoformat()}.",
        )
    return datum.isoformat()
