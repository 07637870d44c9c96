"""The CSV export: one row per event, with a header row."""

from __future__ import annotations

import csv
import io
import json

from meldcode.dossier.build import Dossier
from meldcode.text.control_chars import ONZICHTBAAR

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


# A cell starting with one of these runs as a formula in Excel and LibreOffice (CSV injection),
# also after spaces (a no-break space too) and in their full-width and small forms (＝ ＋ － ＠).
_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20",
            "\ufe66", "\ufe62", "\ufe63", "\ufe6b", "\u2212")  # fmt: skip


def _cell(waarde: object) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, str):
        # Free text is quoted so a spreadsheet shows it as text instead of running it; bidi
        # and zero-width characters go, as everywhere text is shown (stuurtekens.py).
        tekst = ONZICHTBAAR.sub("", waarde)
        return "'" + tekst if _is_formula(tekst) else tekst
    # Lists (meerkeuze) and dicts (start, uitkomst) stay machine-readable.
    return json.dumps(waarde, ensure_ascii=False)


def _is_formula(tekst: str) -> bool:
    """Whether a spreadsheet could read `tekst` as a formula: its first character after any
    whitespace (str.isspace: also U+00A0 and U+3000), or the whitespace itself if a tab or
    line break, starts one."""
    return tekst.startswith(_FORMULE) or tekst.lstrip().startswith(_FORMULE)


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
