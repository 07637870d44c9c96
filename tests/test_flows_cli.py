"""The commands about the flows themselves: --version, sectoren, schema."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from meldcode import __version__
from meldcode.cli import app
from meldcode.flows import flows_dir

CONTRACT_SECTOREN = [
    "basis", "artsen", "kinderopvang", "onderwijs", "jeugdhulp", "psychosociaal", "zorg", "wmo",
]


def test_version_prints_the_package_version() -> None:
    """`meldcode --version` prints the version and exits 0."""
    result = CliRunner().invoke(app, ["--version"])
    assert 0 == result.exit_code
    assert f"meldcode {__version__}\n" == result.output


def test_sectoren_json_lists_the_eight_contract_sectors() -> None:
    """`sectoren --json` gives every contract sector id, in order, with professions and laws."""
    result = CliRunner().invoke(app, ["sectoren", "--json"])
    assert 0 == result.exit_code
    data = json.loads(result.output)
    assert CONTRACT_SECTOREN == [s["id"] for s in data]
    for sector in data:
        assert sector["beroepen"], sector["id"]
        assert sector["wetten"], sector["id"]
        assert sector["afwegingen"], sector["id"]
    artsen = next(s for s in data if s["id"] == "artsen")
    assert "stap 5" in artsen["afwegingen"]


def test_sectoren_shows_each_sector_with_professions_laws_and_placement() -> None:
    """The human view shows every sector id, its professions, laws and afwegingen placement."""
    result = CliRunner().invoke(app, ["sectoren"], env={"COLUMNS": "200"})
    assert 0 == result.exit_code
    for sector_id in CONTRACT_SECTOREN:
        assert f"{sector_id} — " in result.output
    assert "Huisarts" in result.output
    assert "Wet kinderopvang" in result.output
    assert "kinderen-onderling" in result.output


def _definitie(pad: str) -> str:
    naam = pad.rsplit("/", 1)[-1]
    if pad.startswith("stappen/"):
        return "StapBestand"
    return {"basis.yaml": "KaderBestand", "sectoren.yaml": "SectorenBestand"}.get(
        naam, "SectorBestand"
    )


FLOWBESTANDEN = sorted(
    str(p.relative_to(flows_dir())) for p in flows_dir().glob("*/*.yaml")
    if p.parent.name in ("stappen", "afwegingskader")
)


@functools.cache
def printed_defs() -> dict[str, Any]:
    """The definitions `meldcode schema` prints, checked against JSON Schema's own metaschema:
    run and checked once for this file (same command, same output; the check alone took
    0.4 s, jsonschema.validate did it again for every file)."""
    result = CliRunner().invoke(app, ["schema"])
    assert 0 == result.exit_code
    defs: dict[str, Any] = json.loads(result.output)["$defs"]
    jsonschema.validators.validator_for({"$defs": defs}).check_schema({"$defs": defs})
    return defs


def validate(data: Any, definitie: str) -> None:
    """`jsonschema.validate` of `data` against one definition of the printed schema."""
    schema = {"$defs": printed_defs(), "$ref": f"#/$defs/{definitie}"}
    jsonschema.validators.validator_for(schema)(schema).validate(data)


@pytest.mark.parametrize("bestand", FLOWBESTANDEN)
def test_schema_accepts_the_shipped_flow_files(bestand: str) -> None:
    """`meldcode schema` prints a JSON Schema that every shipped flow file satisfies."""
    definitie = _definitie(bestand)
    data = yaml.safe_load((flows_dir() / bestand).read_text(encoding="utf-8"))
    validate(data, definitie)


def test_schema_refuses_a_misspelt_key() -> None:
    """The schema is closed: an unknown key in a step file does not validate."""
    data = yaml.safe_load((flows_dir() / "stappen/stap-2.yaml").read_text(encoding="utf-8"))
    data["vragen"][0]["kleur"] = "rood"
    with pytest.raises(jsonschema.ValidationError):
        validate(data, "StapBestand")
