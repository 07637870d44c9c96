"""The JSON Schema of the flow files, for `meldcode schema` and editors."""

from __future__ import annotations

import json

from meldcode.model import KaderBestand, SectorBestand, SectorenBestand, StapBestand


def flow_schema() -> dict[str, object]:
    """One schema document with a definition per kind of flow file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "meldcode flowbestanden",
        "oneOf": [
            {"$ref": f"#/$defs/{naam}"}
            for naam in ("StapBestand", "KaderBestand", "SectorenBestand", "SectorBestand")
        ],
        "$defs": {
            model.__name__: model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
            for model in (StapBestand, KaderBestand, SectorenBestand, SectorBestand)
        },
    }


def flow_schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(flow_schema(), ensure_ascii=False, indent=2)
