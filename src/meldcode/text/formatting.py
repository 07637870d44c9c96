"""Dates, times and numbers as a Dutch reader expects them; stdlib only, so views stay light.

Times are stored as ISO 8601 with the offset of the machine that recorded them. A person reads
them in local time (`dd-mm-jjjj uu:mm`); JSON gets ISO 8601 with the local offset.
"""

from __future__ import annotations

import datetime as dt

# English digit grouping and decimal point swapped: 1,965.5 becomes 1.965,5.
_SCHEIDINGSTEKENS = str.maketrans(",.", ".,")


def _moment(iso: str) -> dt.datetime | None:
    """A stored time as an aware datetime in local time; None when `iso` is no time."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    # A time without offset was written as local time; astimezone() reads it that way too.
    return moment.astimezone()


def datum_nl(iso: str) -> str:
    """`2027-03-15` (or a stored time) as `15-03-2027`, the local date; else unchanged."""
    if len(iso) == len("2027-03-15"):
        try:
            return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")
        except ValueError:
            return iso
    moment = _moment(iso)
    return iso if moment is None else moment.strftime("%d-%m-%Y")


def tijd_nl(iso: str) -> str:
    """A stored time as `15-03-2027 11:33` in local time; anything else unchanged."""
    if len(iso) == len("2027-03-15"):
        return datum_nl(iso)
    moment = _moment(iso)
    return iso if moment is None else moment.strftime("%d-%m-%Y %H:%M")


def iso_lokaal(iso: str) -> str:
    """A stored time as ISO 8601 with the local offset (the same moment); else unchanged."""
    moment = _moment(iso)
    return iso if moment is None else moment.isoformat()


def getal_nl(getal: float, decimalen: int = 0) -> str:
    """`1965.4` as `1.965` (or with `decimalen` as `1.965,4`): Dutch separators."""
    return f"{getal:,.{decimalen}f}".translate(_SCHEIDINGSTEKENS)
