"""Store-wide figures for `meldcode statistiek`, from the store's aggregate counts only.

Safe to paste in a management report: counts and a median, never labels, free text or case
ids; practice cases are never counted (design.md §5). Counts under 5 are shown as "<5" unless
asked otherwise (`onderdruk`; docs/statistiek.md). The counting itself is the backend's
(CaseStore.counts; SQLite reads one index per figure, store/queries.py); what is made of the
counts (totals, the median, suppression) is the same on every backend.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from meldcode.store.interface import CaseStore

DREMPEL = 5  # counts from 1 to DREMPEL - 1 are shown as "<5"
VERBORGEN = f"<{DREMPEL}"


def statistiek(store: CaseStore, *, exact: bool = False) -> dict[str, Any]:
    """Counts per sector, status, outcome, reason and month; median days to an outcome.

    Unless `exact`, small counts are suppressed (see `onderdruk`).
    """
    cijfers = _exact(store)
    return cijfers if exact else onderdruk(cijfers)


def _exact(store: CaseStore) -> dict[str, Any]:
    counts = store.counts()
    sectoren: Counter[str] = Counter()
    statussen: Counter[str] = Counter()
    uitkomsten: Counter[str] = Counter()
    per_reden: dict[str, Counter[str]] = {}
    for sector, status, uitkomst, reden, n in counts.per_uitkomst:
        sectoren[sector] += n
        statussen[status] += n
        if uitkomst is not None:
            uitkomsten[uitkomst] += n
            per_reden.setdefault(uitkomst, Counter())[reden or "-"] += n
    per_maand: dict[str, dict[str, int]] = {}
    for maand, n in counts.gestart.items():
        per_maand.setdefault(maand, {"gestart": 0, "uitkomst": 0})["gestart"] += n
    for maand, n in counts.met_uitkomst.items():
        per_maand.setdefault(maand, {"gestart": 0, "uitkomst": 0})["uitkomst"] += n
    mediaan = _median(Counter(counts.tienden))
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


def onderdruk(s: dict[str, Any]) -> dict[str, Any]:
    """The figures with every count from 1 to 4 shown as "<5", as official statistics do.

    A total is the sum of its cells, so one hidden cell next to shown ones could be worked
    out: then the smallest other cell of that table is hidden too. The grand total and the
    median (of fewer than 5 cases) are hidden when small.
    """
    met_uitkomst = sum(s["per_uitkomst"].values())
    maanden = s["per_maand"]
    gestart = _groep({m: n["gestart"] for m, n in maanden.items()})
    uitkomst = _groep({m: n["uitkomst"] for m, n in maanden.items()})
    return {
        "casussen": _cel(s["casussen"]),
        "per_sector": _groep(s["per_sector"]),
        "per_status": _groep(s["per_status"]),
        "per_uitkomst": _groep(s["per_uitkomst"]),
        "per_reden": {u: _groep(r) for u, r in s["per_reden"].items()},
        "per_maand": {m: {"gestart": gestart[m], "uitkomst": uitkomst[m]} for m in maanden},
        "mediaan_dagen_tot_uitkomst": s["mediaan_dagen_tot_uitkomst"]
        if met_uitkomst >= DREMPEL or met_uitkomst == 0
        else VERBORGEN,
    }


def _cel(n: int) -> int | str:
    return VERBORGEN if 0 < n < DREMPEL else n


def _groep(cellen: dict[str, int]) -> dict[str, int | str]:
    """One table's cells with small counts hidden, and a second cell hidden when one alone
    would follow from the total."""
    verborgen = {k for k, n in cellen.items() if 0 < n < DREMPEL}
    zichtbaar = sorted((n, k) for k, n in cellen.items() if k not in verborgen and n > 0)
    if len(verborgen) == 1 and zichtbaar:
        verborgen.add(zichtbaar[0][1])
    return {k: VERBORGEN if k in verborgen else n for k, n in cellen.items()}
