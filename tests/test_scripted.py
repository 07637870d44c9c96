"""Scripted runs: `meldcode start --antwoorden` over every scenario answers file, and hervat."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from meldcode.cli import app

SCENARIOS = Path(__file__).parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.yaml"))
UITKOMSTEN = [p for p in FILES if not p.stem.startswith(("fout-", "waarschuwing-"))]


def meldcode(home: Path, *args: str, input: str | None = None) -> Result:
    """Run the CLI with its store in `home`."""
    return CliRunner().invoke(app, list(args), input=input, env={"MELDCODE_HOME": str(home)})


def scenario(path: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The answers file of a scenario (its `verwacht:` block stripped) and that block."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    verwacht = data.pop("verwacht")
    bestand = tmp_path / f"{path.stem}.antwoorden.yaml"
    tekst = (
        data["tekst"]
        if "tekst" in data
        else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    bestand.write_text(tekst, encoding="utf-8")
    return bestand, verwacht


def start(home: Path, bestand: Path, *opties: str) -> Result:
    """`meldcode start --antwoorden FILE --json` with extra options."""
    return meldcode(home, "start", "--antwoorden", str(bestand), "--json", *opties)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_ends_as_expected(path: Path, tmp_path: Path) -> None:
    """Each scenario exits with its code, says its message and ends in its outcome."""
    bestand, verwacht = scenario(path, tmp_path)
    result = start(tmp_path / "home", bestand, *verwacht.get("opties", []))
    assert verwacht.get("exitcode", 0) == result.exit_code, result.stderr
    if "melding" in verwacht:
        assert verwacht["melding"] in " ".join(result.stderr.split())
    if result.exit_code != 0:
        assert "" == result.stdout
        return
    doc = json.loads(result.stdout)  # with --json stdout holds the document and nothing else
    uitkomst = doc["uitkomst"]
    assert verwacht["status"] == doc["casus"]["status"]
    if "label" in verwacht:
        assert verwacht["label"] == doc["casus"]["label"]
    if verwacht["uitkomst"] is None:
        assert uitkomst is None
    else:
        gekregen = (uitkomst["id"], uitkomst["reden"], uitkomst["meldnorm"])
        assert (verwacht["uitkomst"], verwacht["reden"], verwacht["meldnorm"]) == gekregen


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.stem.startswith("fout-")], ids=lambda p: p.stem
)
def test_refused_answers_file_stores_nothing(path: Path, tmp_path: Path) -> None:
    """An answers file that is refused leaves no (half) case behind."""
    bestand, verwacht = scenario(path, tmp_path)
    start(tmp_path / "home", bestand, *verwacht.get("opties", []))
    assert [] == json.loads(meldcode(tmp_path / "home", "lijst", "--json").stdout)


def test_stdin_answers_file(tmp_path: Path) -> None:
    """`--antwoorden -` reads the answers file from standard input."""
    bestand, _ = scenario(SCENARIOS / "melden-acuut-gevaar.yaml", tmp_path)
    result = meldcode(
        tmp_path, "start", "--antwoorden", "-", "--standaard", "--json", input=bestand.read_text()
    )
    assert 0 == result.exit_code, result.stderr
    assert "acuut-gevaar" == json.loads(result.stdout)["uitkomst"]["reden"]


def test_unquoted_yaml_date_is_stored_as_iso_text(tmp_path: Path) -> None:
    """An unquoted YAML date is recorded as the ISO date the user wrote."""
    bestand, _ = scenario(SCENARIOS / "hulp-bieden-wacht-op-evaluatie.yaml", tmp_path)
    bestand.write_text(bestand.read_text().replace("'2027-03-15'", "2027-03-15"))
    doc = json.loads(start(tmp_path, bestand, "--standaard").stdout)
    datums = [e["antwoord"] for e in doc["log"] if e["vraag"] == "evaluatiedatum"]
    assert ["2027-03-15"] == datums


def test_label_option_overrides_file_and_summary_without_json(tmp_path: Path) -> None:
    """--label replaces the file's label; without --json a short summary names the case."""
    bestand, _ = scenario(SCENARIOS / "melden-acuut-gevaar.yaml", tmp_path)
    result = meldcode(
        tmp_path, "start", "--antwoorden", str(bestand), "--standaard", "--label", "K-1"
    )
    assert 0 == result.exit_code, result.stderr
    assert "Uitkomst: Melden bij Veilig Thuis; reden: er is acuut gevaar; meldnorm 1." in (
        result.stdout
    )
    assert "K-1" == json.loads(meldcode(tmp_path, "lijst", "--json").stdout)[0]["label"]


@pytest.mark.parametrize(("afweging_5", "uitkomst"), [("ja", "hulp-afsluiten"), ("nee", "melden")])
def test_hervat_answers_afweging_5(tmp_path: Path, afweging_5: str, uitkomst: str) -> None:
    """`hervat ID --antwoorden` finishes a case that waits for its evaluation."""
    bestand, _ = scenario(SCENARIOS / "hulp-bieden-wacht-op-evaluatie.yaml", tmp_path)
    casus_id = json.loads(start(tmp_path, bestand, "--standaard").stdout)["casus"]["id"]
    vervolg = tmp_path / "evaluatie.yaml"
    vervolg.write_text(f"antwoorden:\n  afweging-5: {afweging_5}\n")
    result = meldcode(tmp_path, "hervat", casus_id, "--antwoorden", str(vervolg), "--json")
    assert 0 == result.exit_code, result.stderr
    doc = json.loads(result.stdout)
    # A melding on afweging 5 stays in `vervolg` until its follow-up is recorded (contract 2).
    status = "vervolg" if uitkomst == "melden" else "afgerond"
    assert (casus_id, status, uitkomst) == (
        doc["casus"]["id"],
        doc["casus"]["status"],
        doc["uitkomst"]["id"],
    )


def test_hervat_of_a_finished_case_says_so_and_writes_nothing(tmp_path: Path) -> None:
    """A finished case has nothing left to answer: hervat says so, records nothing, and
    with --json still prints the case's document (and nothing else) on stdout."""
    bestand, _ = scenario(SCENARIOS / "afsluiten-geen-vermoeden.yaml", tmp_path)
    voor = json.loads(start(tmp_path, bestand, "--standaard").stdout)
    vervolg = tmp_path / "evaluatie.yaml"
    vervolg.write_text("antwoorden:\n  afweging-5: ja\n")
    casus_id = voor["casus"]["id"]
    result = meldcode(tmp_path, "hervat", casus_id, "--antwoorden", str(vervolg), "--json")
    assert (0, True, voor) == (
        result.exit_code,
        f"Casus {casus_id} is afgerond; er valt niets meer te beantwoorden" in result.stderr,
        json.loads(result.stdout),
    )


def test_hervat_unknown_case(tmp_path: Path) -> None:
    """hervat with an unknown case id exits 2 and names the id."""
    vervolg = tmp_path / "evaluatie.yaml"
    vervolg.write_text("antwoorden:\n  afweging-5: ja\n")
    result = meldcode(tmp_path, "hervat", "mc-zzzz-zzzz", "--antwoorden", str(vervolg))
    assert 2 == result.exit_code
    assert "Casus 'mc-zzzz-zzzz' bestaat niet" in result.stderr


@pytest.mark.parametrize("path", UITKOMSTEN, ids=lambda p: p.stem)
def test_json_export_round_trip(path: Path, tmp_path: Path) -> None:
    """A case's JSON export, fed back as answers file, reproduces the same outcome."""
    bestand, verwacht = scenario(path, tmp_path)
    eerste = json.loads(start(tmp_path, bestand, *verwacht.get("opties", [])).stdout)
    export = tmp_path / "export.json"
    result = meldcode(tmp_path, "exporteer", eerste["casus"]["id"], "--uitvoer", str(export))
    assert 0 == result.exit_code, result.stderr
    tweede = json.loads(start(tmp_path, export).stdout)
    assert (eerste["uitkomst"], eerste["casus"]["status"]) == (
        tweede["uitkomst"],
        tweede["casus"]["status"],
    )
    assert eerste["casus"]["id"] != tweede["casus"]["id"]


SECTIE = (Path(__file__).parents[1] / "docs" / "antwoorden.md").read_text(encoding="utf-8")
VOORBEELDEN = re.findall(r"```yaml\n(# uitkomst: ([a-z-]+)[^\n]*\n.*?)```", SECTIE, flags=re.S)


def test_docs_have_an_example_per_outcome() -> None:
    """docs/antwoorden.md shows a complete answers file for every outcome id."""
    assert {"afsluiten", "melden", "hulp-bieden", "hulp-afsluiten", "medewerkersroute"} == {
        u for _, u in VOORBEELDEN
    }


@pytest.mark.parametrize(("tekst", "uitkomst"), VOORBEELDEN, ids=[u for _, u in VOORBEELDEN])
def test_docs_answers_example_runs(tekst: str, uitkomst: str, tmp_path: Path) -> None:
    """Each answers file in docs/antwoorden.md runs with --standaard and ends in the outcome it
    names."""
    bestand = tmp_path / "casus.yaml"
    bestand.write_text(tekst, encoding="utf-8")
    result = start(tmp_path, bestand, "--standaard")
    assert 0 == result.exit_code, result.stderr
    assert uitkomst == json.loads(result.stdout)["uitkomst"]["id"]
    assert "" == result.stderr  # every answer in the example is used


def test_docs_shell_loop_collects_json(tmp_path: Path) -> None:
    """The shell loop in docs/antwoorden.md runs a folder of answers files and keeps one JSON per
    file."""
    lus = re.search(r"```sh\n(.*?)```", SECTIE, flags=re.S)
    assert lus is not None
    (tmp_path / "antwoorden").mkdir()
    for i, (tekst, _) in enumerate(VOORBEELDEN):
        (tmp_path / "antwoorden" / f"{i}.yaml").write_text(tekst, encoding="utf-8")
    (tmp_path / "antwoorden" / "kapot.yaml").write_text("sector: [", encoding="utf-8")
    env = {
        **os.environ,
        "MELDCODE_HOME": str(tmp_path / "home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    subprocess.run(["bash", "-c", lus.group(1)], cwd=tmp_path, env=env, check=True)
    exports = sorted((tmp_path / "exports").glob("*.json"))
    assert len(VOORBEELDEN) == len(exports)
    assert all(json.loads(p.read_text())["schema_versie"] == 1 for p in exports)


def test_a_sector_option_that_differs_from_the_file_is_said(tmp_path: Path) -> None:
    """--sector wins over the file's sector, and stderr says so (the run itself goes on)."""
    bestand, _ = scenario(SCENARIOS / "afsluiten-geen-vermoeden.yaml", tmp_path)
    result = start(tmp_path / "home", bestand, "--standaard", "--sector", "psychosociaal")
    assert 0 == result.exit_code, result.stderr
    assert "psychosociaal" == json.loads(result.stdout)["casus"]["sector"]
    assert "noemt sector 'basis'" in result.stderr


def test_the_summary_without_json_gives_the_advice_and_what_is_still_open(tmp_path: Path) -> None:
    """Without --json a scripted run ends with the outcome's advice (what to do next, which
    number to call) and, in vervolg, what is still to be recorded."""
    bestand, _ = scenario(SCENARIOS / "melden-acuut-gevaar.yaml", tmp_path)
    result = meldcode(tmp_path / "home", "start", "--antwoorden", str(bestand), "--standaard")
    assert 0 == result.exit_code, result.stderr
    tekst = " ".join(result.stdout.split())
    assert "Wat u nu doet:" in tekst
    assert "0800-2000" in tekst
    assert "Vervolg:" in tekst
