"""The CSV export: one row per event, with a header row."""

from __future__ import annotations

import csv
import io
import json

from meldcode.export.dossier import Dossier

KOLOMMEN = (
    "casus",
    "oefening",
    "volgnummer",
    "tijd",
    "soort",
    "stap",
    "vraag",
    "antwoord",
    "toelichting",
    "vorige_hash",
    "hash",
)


# A cell starting with one of these runs as a formula in Excel and LibreOffice (CSV injection).
_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def _cell(waarde: object) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, str):
        # Free text is quoted so a spreadsheet shows it as text instead of running it.
        return "'" + waarde if waarde.startswith(_FORMULE) else waarde
    # Lists (meerkeuze) and dicts (start, uitkomst) stay machine-readable.
    return json.dumps(waarde, ensure_ascii=False)


def render(d: Dossier) -> str:
    """Every event of the case as a CSV row; practice cases say OEFENING in every row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(KOLOMMEN)
    oefening = "OEFENING" if d.casus.oefening else ""
    for e in d.events:
        writer.writerow(
            [
                d.casus.id,
                oefening,
                e.volgnummer,
                e.tijd,
                e.soort,
                _cell(e.stap),
                _cell(e.vraag),
                _cell(e.antwoord),
                _cell(e.toelichting),
                e.vorige_hash,
                e.hash,
            ]
        )
    return buf.getvalue()
