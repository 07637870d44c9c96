"""What `lijst --evaluatie-verlopen` shows as due in `vervolg` (design.md §4, docs/melding.md):
a melding whose terugkoppeling is not recorded 5 working days after it, a staff route whose
houder / leiding is not yet told. The store keeps it in an indexed column that the Recorder
writes and `verifieer` replays."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from meldcode.cli import app

LANG_GELEDEN = "2020-01-01T10:00:00+01:00"


def _run(home: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env={"MELDCODE_HOME": str(home)})
    assert result.exit_code == code, result.output
    return result.stdout


def _start(home: Path, sector: str, antwoorden: dict[str, Any], *, oud: bool = True) -> str:
    bestand = home.parent / f"{sector}.yaml"
    doc = {"sector": sector, "antwoorden": antwoorden}
    bestand.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    data = json.loads(_run(home, "start", "--antwoorden", str(bestand), "--json", "--standaard"))
    if oud:  # the outcome was reached long ago (verifieer would see the row changed)
        with sqlite3.connect(home / "meldcode.db") as c:
            c.execute(
                "UPDATE casussen SET uitkomst_tijd = ? WHERE id = ?",
                (LANG_GELEDEN, data["casus"]["id"]),
            )
    return str(data["casus"]["id"])


def _due(home: Path) -> list[str]:
    return [c["id"] for c in json.loads(_run(home, "lijst", "--json", "--evaluatie-verlopen"))]


MELDING = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld"],
    "signalen-beschrijving": "Feit.",
    "kindcheck": "nee",
    "collegiale-consultatie": "c",
    "veilig-thuis-geraadpleegd": "nee",
    "gesprek-gevoerd": "ja",
    "afweging-1": "ja",
    "afweging-2": "ja",
}


def test_a_melding_without_terugkoppeling_is_due_and_a_staff_route_until_the_leiding_is_told(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    melding = _start(home, "basis", MELDING)
    staf = _start(home, "onderwijs", {"acuut-gevaar": "nee", "route": "medewerker"})
    gemeld = _start(home, "onderwijs", {
        "acuut-gevaar": "nee", "route": "medewerker", "leiding-ingelicht": "Directeur, 3/11 9:00."
    })  # fmt: skip
    due = _due(home)
    assert melding in due
    assert staf in due
    assert gemeld not in due


def test_verifieer_replays_the_open_follow_up(tmp_path: Path) -> None:
    """A row that claims the terugkoppeling is recorded (so the case is never due) while the
    log does not show it is found by `verifieer`."""
    home = tmp_path / "home"
    casus_id = _start(home, "basis", MELDING, oud=False)
    _run(home, "verifieer")
    with sqlite3.connect(home / "meldcode.db") as c:
        c.execute("UPDATE casussen SET vervolg_open = NULL WHERE id = ?", (casus_id,))
    assert "vervolg_open" in _run(home, "verifieer", code=2)


def test_a_version_3_store_gets_the_open_follow_up_of_its_cases(tmp_path: Path) -> None:
    """Migrating to version 4 fills the new column from each case's log."""
    home = tmp_path / "home"
    casus_id = _start(home, "basis", MELDING, oud=False)
    with sqlite3.connect(home / "meldcode.db") as c:
        c.execute("DROP INDEX casussen_vervolg_open")
        c.execute("DROP INDEX casussen_moment")
        c.execute("CREATE INDEX casussen_aangemaakt ON casussen(aangemaakt)")
        c.execute("ALTER TABLE casussen DROP COLUMN vervolg_open")
        c.execute("PRAGMA user_version = 3")
    _run(home, "verifieer")  # migrates: the column is filled as the log gives it
    with sqlite3.connect(home / "meldcode.db") as c:
        rij = c.execute("SELECT vervolg_open FROM casussen WHERE id = ?", (casus_id,)).fetchone()
    assert ("terugkoppeling",) == rij


def _status(home: Path, casus_id: str) -> str:
    markdown = _run(home, "exporteer", casus_id, "--formaat", "markdown")
    return next(r for r in markdown.splitlines() if r.startswith("| Status"))


def test_the_dossier_status_names_what_is_still_open(tmp_path: Path) -> None:
    """Derived from the case: the terugkoppeling and vervolgafspraken, the staff route's
    notification, or afweging 5 together with Veilig Thuis on its date."""
    home = tmp_path / "home"
    melding = _start(home, "basis", MELDING, oud=False)
    assert "terugkoppeling van Veilig Thuis en de vervolgafspraken" in _status(home, melding)
    staf = _start(home, "onderwijs", {"acuut-gevaar": "nee", "route": "medewerker"}, oud=False)
    assert "houder of de leiding" in _status(home, staf)
    met_vervolg = {
        **MELDING,
        "terugkoppeling-veilig-thuis": "VT: onderzoek loopt.",
        "vervolgafspraken": "Wekelijks huisbezoek.",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    }
    wacht = _start(home, "basis", met_vervolg, oud=False)
    assert "afweging 5, samen met Veilig Thuis op 15-03-2027" in _status(home, wacht)
