"""Conditions (`als`, `vereist-als`): structured, on the sector and on earlier answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema, field_validator, model_validator

from meldcode.model.base import KEBAB, Frozen, Kebab

# What a YAML author may write where the models normalise (one id or a list; ja/nee or a
# YAML boolean), so that `meldcode schema` accepts every file the loader accepts.
_IDS = {
    "anyOf": [
        {"type": "string", "pattern": KEBAB},
        {"type": "array", "items": {"type": "string", "pattern": KEBAB}},
        {"type": "null"},
    ]
}
_WAARDEN = {
    "anyOf": [
        {"type": "string"},
        {"type": "boolean"},
        {"type": "array", "items": {"type": ["string", "boolean"]}},
    ]
}
_ANTWOORD = {
    "anyOf": [
        {"type": "object", "propertyNames": {"pattern": KEBAB}, "additionalProperties": _WAARDEN},
        {"type": "null"},
    ]
}


class Voorwaarde(Frozen):
    """A structured condition (`als`); all keys given must hold at once."""

    sector: Annotated[tuple[Kebab, ...] | None, WithJsonSchema(_IDS)] = None
    antwoord: Annotated[dict[Kebab, tuple[str, ...]] | None, WithJsonSchema(_ANTWOORD)] = None
    beantwoord: Annotated[tuple[Kebab, ...] | None, WithJsonSchema(_IDS)] = None
    alle: tuple[Voorwaarde, ...] | None = None
    een_van: tuple[Voorwaarde, ...] | None = Field(default=None, alias="een-van")
    niet: Voorwaarde | None = None

    @field_validator("sector", "beantwoord", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("antwoord", mode="before")
    @classmethod
    def _ja_nee_words(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {k: _normalise(v) for k, v in value.items()}

    @model_validator(mode="after")
    def _not_empty(self) -> Voorwaarde:
        if not self.model_fields_set:
            raise ValueError("een lege voorwaarde zegt niets; laat 'als' weg of vul hem")
        return self

    def vraag_ids(self) -> set[str]:
        """Every question id this condition refers to."""
        ids = set(self.antwoord or {}) | set(self.beantwoord or ())
        for sub in (
            *(self.alle or ()),
            *(self.een_van or ()),
            *((self.niet,) if self.niet else ()),
        ):
            ids |= sub.vraag_ids()
        return ids


def _normalise(value: object) -> object:
    """YAML booleans become 'ja'/'nee'; one value becomes a list of one."""
    values = value if isinstance(value, list | tuple) else [value]
    return [("ja" if v else "nee") if isinstance(v, bool) else v for v in values]
