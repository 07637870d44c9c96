"""Answers a scripted run must refuse, found by mutation testing (docs/mutatie.md).

Each answers file below differs from a valid one in one answer only; meldcode must stop with
exit 2, name the question and what it allows, and store nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from meldcode.cli import app

HULP_BIEDEN = {
    "acuut-gevaar": "nee",
    "signalen": ["psychisch-geweld"],
    "signalen-beschrijving": "Kind vertelt op 3/11 dat het 's nachts geschreeuw hoort.",
    "kindcheck": "ja",
    "collegiale-consultatie": "Aandachtsfunctionaris, 4/11.",
    "veilig-thuis-geraadpleegd": "nee",
    "gesprek-gevoerd": "ja",
    "afweging-1": "ja",
    "afweging-2": "nee",
    "afweging-3": "ja",
    "afweging-4": "ja",
    "evaluatiedatum": "2027-03-15",
}


def _start(tmp_path: Path, **wijziging: object) -> tuple[int, str, str]:
    """A scripted run of the hulp-bieden case with answers changed: exit code, stderr, and what
    `meldcode lijst --json` shows afterwards."""
    bestand = tmp_path / "casus.yaml"
    antwoorden = {**HULP_BIEDEN, **wijziging}
    bestand.write_text(yaml.safe_dump({"sector": "basis", "antwoorden": antwoorden}),
                       encoding="utf-8")
    home = tmp_path / "home"
    result = CliRunner().invoke(app, ["start", "--antwoorden", str(bestand), "--json"],
                                env={"MELDCODE_HOME": str(home)})
    lijst = CliRunner().invoke(app, ["lijst", "--json"], env={"MELDCODE_HOME": str(home)})
    return result.exit_code, " ".join(result.stderr.split()), lijst.stdout.strip()


def test_the_unchanged_case_is_accepted(tmp_path: Path) -> None:
    """The answers file the tests below change runs as it is (so each refusal is its change)."""
    code, stderr, lijst = _start(tmp_path)
    assert 0 == code, stderr
    assert '"status": "wacht-op-evaluatie"' in lijst


@pytest.mark.parametrize(
    ("vraag", "waarde", "melding"),
    [
        ("signalen", ["psychisch-geweld", "bestaat-niet"],
         "Ongeldig antwoord op vraag 'signalen': geef een lijst met een of meer van:"),
        ("evaluatiedatum", "20270315",
         "Ongeldig antwoord op vraag 'evaluatiedatum': verwacht een bestaande datum als "
         "JJJJ-MM-DD"),
        ("evaluatiedatum", "2027-02-30",
         "Ongeldig antwoord op vraag 'evaluatiedatum': verwacht een bestaande datum"),
        ("signalen-beschrijving", ["eerste", "tweede"],
         "Ongeldig antwoord op vraag 'signalen-beschrijving': verwacht een tekst."),
        ("kindcheck", "misschien",
         "Ongeldig antwoord op vraag 'kindcheck': toegestaan zijn 'ja' en 'nee'."),
    ],
    ids=["unknown-option-beside-a-known-one", "date-without-dashes", "date-that-does-not-exist",
         "list-for-a-text", "neither-ja-nor-nee"],
)
def test_an_invalid_answer_stops_the_run_with_exit_2(
    tmp_path: Path, vraag: str, waarde: object, melding: str
) -> None:
    """One invalid answer: exit 2, a message naming the question and what it allows, no case."""
    code, stderr, lijst = _start(tmp_path, **{vraag: waarde})
    assert 2 == code
    assert melding in stderr
    assert str(waarde) not in stderr  # the message never echoes the answer
    assert "[]" == lijst
