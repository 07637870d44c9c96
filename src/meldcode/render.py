"""rich at the edge: tables and summaries for the terminal."""

from __future__ import annotations

import json
from collections.abc import Sequence

from meldcode.model import Sector


def sectoren(items: Sequence[Sector], *, as_json: bool) -> None:
    """Print the sectors as a rich table, or as JSON for scripts."""
    if as_json:
        data = [s.model_dump(mode="json") for s in items]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Sectoren", show_lines=True)
    for kolom in ("id", "naam", "beroepen", "wetten", "afwegingen", "routes"):
        table.add_column(kolom)
    for s in items:
        table.add_row(
            s.id,
            s.naam,
            ", ".join(s.beroepen),
            ", ".join(s.wetten),
            s.afwegingen,
            ", ".join(s.routes),
        )
    Console().print(table)
