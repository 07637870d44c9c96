"""The JSON Schema of the flow files, for `meldcode schema` and editors."""

from __future__ import annotations

import json

from meldcode.model import KaderBestand, SectorBestand, SectorenBestand, StapBestand


def flow_schema() -> dict[str, object]:
    """One schema document with a shared definition per kind of flow file."""
    from pydantic.json_schema import models_json_schema

    modellen = (StapBestand, KaderBestand, SectorenBestand, SectorBestand)
    _, schema = models_json_schema(
        [(m, "validation") for m in modellen], by_alias=True, ref_template="#/$defs/{model}"
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "meldcode flowbestanden",
        "oneOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in modellen],
        "$defs": schema["$defs"],
    }


def flow_schema_json() -> str:
    """The schema as indented JSON text."""
    return json.dumps(flow_schema(), ensure_ascii=False, indent=2)
