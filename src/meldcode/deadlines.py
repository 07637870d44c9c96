"""The follow-up terms of a case in working days and days; stdlib only, so `lijst` stays light.

Veilig Thuis assesses safety within 5 working days after a melding and informs the melder
(design.md §4, domain.md §6); an open case nobody touched for 14 days is due for attention.
"""

from __future__ import annotations

import datetime as dt

TERUGKOPPELING_WERKDAGEN = 5
OPEN_DAGEN = 14


def werkdagen_na(dag: dt.date, n: int) -> dt.date:
    """The n-th working day (Monday to Friday) after `dag`."""
    for _ in range(n):
        dag += dt.timedelta(days=1)
        while dag.weekday() >= 5:  # Saturday and Sunday
            dag += dt.timedelta(days=1)
    return dag


def werkdagen_terug(vandaag: dt.date, n: int) -> str:
    """The latest melding date (ISO) whose n-th working day after it is today or earlier."""
    dag = vandaag
    while werkdagen_na(dag, n) > vandaag:
        dag -= dt.timedelta(days=1)
    return dag.isoformat()


def terugkoppeling_op(melding: str) -> str:
    """When Veilig Thuis' terugkoppeling is due (ISO) for a melding at time or date `melding`."""
    dag = dt.date.fromisoformat(melding[:10])
    return werkdagen_na(dag, TERUGKOPPELING_WERKDAGEN).isoformat()


def open_aandacht_op(bijgewerkt: str) -> str:
    """When an open case last changed at `bijgewerkt` asks for attention (ISO date)."""
    return (dt.date.fromisoformat(bijgewerkt[:10]) + dt.timedelta(days=OPEN_DAGEN)).isoformat()
