"""The JSON export: the contract of design.md §6, keys and nulls exactly."""

from __future__ import annotations

import json
from typing import Any

from meldcode.dossier.build import Dossier
from meldcode.text.control_chars import ONZICHTBAAR
from meldcode.text.formatting import iso_lokaal

SCHEMA_VERSIE = 1


def document(d: Dossier) -> dict[str, Any]:
    """The export as a JSON-ready dict."""
    c = d.casus
    u = d.uitkomst
    return {
        "schema_versie": SCHEMA_VERSIE,
        "casus": {
            "id": c.id,
            "sector": c.sector,
            "status": c.status,
            "label": d.label,
            "oefening": c.oefening,
            # NOTE: the log's `tijd` stays as recorded (its hash covers it); these two are the
            # same moments with the offset of the reader's machine, as design.md §6 shows.
            "aangemaakt": iso_lokaal(c.aangemaakt),
            "bijgewerkt": iso_lokaal(c.bijgewerkt),
        },
        "uitkomst": None
        if u is None
        else {"id": u.id, "reden": u.reden, "meldnorm": u.meldnorm, "tekst": u.tekst},
        "log": [e.as_dict() for e in d.events],
        "flow": {"sector": c.sector, "versie": c.flow_versie, "hash": c.flow_hash},
    }


# Invisible characters that reorder or hide text in a viewer (stuurtekens.py): written as
# \uXXXX escapes, the same JSON value (the hashes still match), but visible as what they are.
def render(d: Dossier) -> str:
    """The export as indented JSON text."""
    tekst = json.dumps(document(d), ensure_ascii=False, indent=2) + "\n"
    return ONZICHTBAAR.sub(lambda m: f"\\u{ord(m[0]):04x}", tekst)
