"""Store-wide figures for `meldcode statistiek`: SQL aggregates on the casussen table only.

Safe to paste in a management report: counts and a median, never labels, free text or case
ids; practice cases are never counted (design.md §5). Each query reads one index in order (the
covering `casussen_statistiek` or an expression index), so 100,000 cases take about 40 ms.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from meldcode.store import Store

_PER_UITKOMST = (
    "SELECT sector, status, uitkomst_id, uitkomst_reden, COUNT(*) FROM casussen"
    " WHERE oefening = 0 GROUP BY 1, 2, 3, 4"
)
# Each of these reads one expression index of schema version 2 in order (no sort).
_GESTART = "SELECT substr(aangemaakt, 1, 7), COUNT(*) FROM casussen WHERE oefening = 0 GROUP BY 1"
_MET_UITKOMST = (
    "SELECT substr(uitkomst_tijd, 1, 7), COUNT(*) FROM casussen"
    " WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL GROUP BY 1"
)
# Days from start to outcome in tenths, so the median needs no row per case.
_TIENDEN = (
    "SELECT CAST(round((julianday(uitkomst_tijd) - julianday(aangemaakt)) * 10) AS INTEGER),"
    " COUNT(*) FROM casussen WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL GROUP BY 1"
)


def statistiek(store: Store) -> dict[str, Any]:
    """Counts per sector, status, outcome, reason and month; median days to an outcome."""
    sectoren: Counter[str] = Counter()
    statussen: Counter[str] = Counter()
    uitkomsten: Counter[str] = Counter()
    per_reden: dict[str, Counter[str]] = {}
    for sector, status, uitkomst, reden, n in store.rows(_PER_UITKOMST):
        sectoren[sector] += n
        statussen[status] += n
        if uitkomst is not None:
            uitkomsten[uitkomst] += n
            per_reden.setdefault(uitkomst, Counter())[reden or "-"] += n
    per_maand: dict[str, dict[str, int]] = {}
    for maand, n in store.rows(_GESTART):
        per_maand.setdefault(maand, {"gestart": 0, "uitkomst": 0})["gestart"] += n
    for maand, n in store.rows(_MET_UITKOMST):
        per_maand.setdefault(maand, {"gestart": 0, "uitkomst": 0})["uitkomst"] += n
    tienden: Counter[int] = Counter(dict(store.rows(_TIENDEN)))
    mediaan = _median(tienden)
    return {
        "casussen": sum(sectoren.values()),
        "per_sector": dict(sorted(sectoren.items())),
        "per_status": dict(sorted(statussen.items())),
        "per_uitkomst": dict(sorted(uitkomsten.items())),
        "per_reden": {u: dict(sorted(r.items())) for u, r in sorted(per_reden.items())},
        "per_maand": dict(sorted(per_maand.items())),
        "mediaan_dagen_tot_uitkomst": None if mediaan is None else round(mediaan / 10, 1),
    }


def _median(aantallen: Counter[int]) -> float | None:
    """The median of values given with their counts (the mean of the middle two if even)."""
    totaal = sum(aantallen.values())
    if totaal == 0:
        return None
    midden = ((totaal - 1) // 2, totaal // 2)
    gevonden: list[int] = []
    gezien = 0
    for waarde in sorted(aantallen):
        gezien += aantallen[waarde]
        while len(gevonden) < 2 and midden[len(gevonden)] < gezien:
            gevonden.append(waarde)
        if len(gevonden) == 2:
            break
    return sum(gevonden) / 2
