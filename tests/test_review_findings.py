"""REVIEW FINDINGS (acceptance review of issues 11, 12, 17 after the merge).

Every test in this file FAILS on the merged main on purpose: each one pins a defect found in the
acceptance review, as a user meets it. They are to be fixed in src/, not in these tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pexpect
import yaml
from typer.testing import CliRunner

from meldcode.cli import app
from test_pty import spawn


def _start(home: Path, doc: dict[str, Any], *opties: str) -> tuple[dict[str, Any], str]:
    """A scripted `start --json`; the JSON document and stderr."""
    bestand = home.parent / "antwoorden.yaml"
    bestand.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["start", "--antwoorden", str(bestand), "--json", *opties],
        env={"MELDCODE_HOME": str(home), "COLUMNS": "120"},
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def _run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"MELDCODE_HOME": str(home), "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.stdout


BASIS_MELDEN_MET_VERVOLG: dict[str, Any] = {
    "sector": "basis",
    "antwoorden": {
        "acuut-gevaar": "nee",
        "signalen": ["psychisch-geweld"],
        "signalen-beschrijving": "Kind vertelt op 3/11 dat er thuis geschreeuwd wordt.",
        "kindcheck": "nee",
        "collegiale-consultatie": "Aandachtsfunctionaris, 4/11.",
        "veilig-thuis-geraadpleegd": "nee",
        "gesprek-gevoerd": "ja",
        "afweging-1": "ja",
        "afweging-2": "ja",
        "terugkoppeling-veilig-thuis": "VT, 12/11: onderzoek loopt.",
        "vervolgafspraken": "Wekelijks huisbezoek.",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2027-03-15",
    },
}


def test_review_dossier_status_does_not_claim_a_recorded_terugkoppeling_is_missing(
    tmp_path: Path,
) -> None:
    """REVIEW FINDING 2: the status label in `toon` and the Markdown dossier is a fixed text.

    A `vervolg` case whose terugkoppeling and vervolgafspraken ARE recorded (it waits only for
    afweging 5) is described as "terugkoppeling en vervolgafspraken nog vast te leggen": a false
    statement in the client dossier. (src/meldcode/export/blocks.py, the "vervolg" label.)
    """
    home = tmp_path / "home"
    data, _ = _start(home, BASIS_MELDEN_MET_VERVOLG, "--standaard")
    assert data["casus"]["status"] == "vervolg"
    markdown = _run(home, "exporteer", data["casus"]["id"], "--formaat", "markdown")
    status = next(r for r in markdown.splitlines() if r.startswith("| Status"))
    assert "terugkoppeling" not in status, status


def test_review_an_unused_terugkoppeling_does_not_complete_a_staff_route(tmp_path: Path) -> None:
    """REVIEW FINDING 3: `terugkoppeling-veilig-thuis` is reported as unused on stderr, yet its
    mere presence in the file closes the staff route's follow-up: the case becomes `afgerond`
    with `houder-ingelicht` and `advies-inspectie` recorded empty. Without the key the same run
    ends in `vervolg`. (src/meldcode/prompts/scripted.py, plan(): `TERUGKOPPELING in antwoorden`
    is tested on the file, not on the path.)
    """
    doc: dict[str, Any] = {
        "sector": "kinderopvang",
        "antwoorden": {"acuut-gevaar": "nee", "route": "medewerker"},
    }
    zonder, _ = _start(tmp_path / "a", doc, "--standaard")
    doc["antwoorden"]["terugkoppeling-veilig-thuis"] = "VT belde terug."
    met, stderr = _start(tmp_path / "b", doc, "--standaard")
    assert zonder["casus"]["status"] == "vervolg"
    assert "terugkoppeling-veilig-thuis" in stderr  # reported as not used ...
    assert met["casus"]["status"] == zonder["casus"]["status"]  # ... so it must change nothing


def test_review_lijst_shows_dates_as_dd_mm_jjjj(tmp_path: Path) -> None:
    """REVIEW FINDING 4: issue 11 asks one date format on screen (dd-mm-jjjj); `lijst` prints the
    evaluation date and the creation date as ISO (2027-03-15), `toon` says "Antwoord:
    2027-03-15". (src/meldcode/views.py / the lijst table.)
    """
    home = tmp_path / "home"
    _start(home, BASIS_MELDEN_MET_VERVOLG, "--standaard")
    scherm = _run(home, "lijst")
    assert "15-03-2027" in scherm
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", scherm), scherm


def test_review_walk_shows_the_acute_advice_with_the_staff_duty_before_the_follow_up(
    tmp_path: Path,
) -> None:
    """REVIEW FINDING 1: in the interactive walk the outcome's advice is not shown when the
    outcome is reached. After acute danger in onderwijs the screen says only "Uitkomst: Melden bij
    Veilig Thuis." and goes on with the follow-up; the statutory duty ("licht daarna onverwijld
    het bevoegd gezag in", issue 12 critical 2) appears only in the summary after the whole
    follow-up. A user who pauses there (as one must: Veilig Thuis has not reported back yet) never
    sees it. The same holds for afweging 2 = ja (no meldnorm, no 'open melden, tenzij').
    (src/meldcode/prompts/dialog.py, walk_on: `self.say(f"Uitkomst: ...")`.)
    """
    child = spawn(tmp_path / "home", "start", "--sector", "onderwijs", "--eenvoudig")
    scherm = io.StringIO()
    child.logfile_read = scherm
    child.expect("Kies een nummer")
    child.sendline("1")  # ja: acuut gevaar
    child.expect("Acuut gevaar vastleggen")
    child.expect("Kies een nummer")
    child.sendline("1")  # Ja, acuut gevaar vastleggen
    child.expect("Doorgaan")
    child.expect("Kies een nummer")
    child.sendline("1")  # Ja, nu verder vastleggen
    child.expect("acuut gevaar")  # the first follow-up question
    child.sendline(":pauze")
    child.expect(pexpect.EOF)
    assert "bevoegd gezag" in scherm.getvalue(), "the staff duty was never shown"


def test_review_lijst_orders_newest_first_across_utc_offsets(tmp_path: Path) -> None:
    """REVIEW FINDING 5: times are stored as local ISO text with their offset, and `lijst` sorts
    that text (`ORDER BY aangemaakt DESC`, src/meldcode/store.py). A case started later under
    another offset (the autumn DST change, +02:00 -> +01:00; a laptop in another zone; a shared
    register) is listed as older. The same text comparison drives `opschonen` (maintenance.py).
    """
    import subprocess

    home = tmp_path / "home"
    doc = tmp_path / "a.yaml"
    doc.write_text("sector: basis\nantwoorden:\n  acuut-gevaar: ja\n", encoding="utf-8")
    ids = []
    for tz in ("Europe/Amsterdam", "UTC"):  # the UTC case is started second, so it is newer
        out = subprocess.run(
            [sys.executable, "-m", "meldcode", "start", "--antwoorden", str(doc), "--json"],
            env={**os.environ, "MELDCODE_HOME": str(home), "TZ": tz},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ids.append(json.loads(out)["casus"]["id"])
    lijst = _run(home, "lijst", "--json")  # in-process: the reader's time zone plays no part
    assert [c["id"] for c in json.loads(lijst)] == [ids[1], ids[0]]


def test_review_afsluiten_error_names_no_internal_ids(tmp_path: Path) -> None:
    """REVIEW FINDING 6: closing with reason "overgedragen" and an empty toelichting prints
    "Ongeldig antwoord op vraag 'afsluiten': bij de reden 'overgedragen' hoort een toelichting":
    an internal id where issue 11 item 7 asks for the question's text. (The engine's
    InvalidAntwoord for the close action, src/meldcode/engine.py / errors.py.)
    """
    child = spawn(tmp_path / "home", "start", "--sector", "basis", "--eenvoudig")
    scherm = io.StringIO()
    child.logfile_read = scherm
    child.expect("Kies een nummer")
    child.sendline(":afsluiten")
    child.expect("Kies een nummer")
    child.sendline("3")  # overgedragen
    child.expect("Toelichting")
    child.sendline("")
    child.expect("Kies een nummer")
    child.sendline(":pauze")
    child.expect(pexpect.EOF)
    assert "vraag 'afsluiten'" not in scherm.getvalue()
    assert "'overgedragen'" not in scherm.getvalue()


def test_review_annuleren_after_a_command_at_afweging_5_now_asks_that_question_again(
    tmp_path: Path,
) -> None:
    """REVIEW FINDING 7: at "Wilt u afweging 5 nu al beoordelen?" (default "Nee, later"),
    `:terug` and then Annuleren lands on afweging 5 itself: the command counted as "Ja, nu
    evalueren" and was done at the next question. Issue 11: cancelling asks the same question
    again. (src/meldcode/prompts/dialog.py, _ja_nee: a Cmd is deferred and returns True.)
    """
    home = tmp_path / "home"
    doc = dict(BASIS_MELDEN_MET_VERVOLG["antwoorden"])
    for weg in ("terugkoppeling-veilig-thuis", "vervolgafspraken"):
        del doc[weg]
    doc.update({"afweging-2": "nee", "evaluatiedatum": "2099-01-01"})
    data, _ = _start(home, {"sector": "basis", "antwoorden": doc}, "--standaard")
    assert data["casus"]["status"] == "wacht-op-evaluatie"
    child = spawn(home, "hervat", data["casus"]["id"], "--eenvoudig")
    scherm = io.StringIO()
    child.logfile_read = scherm
    child.expect("nu al beoordelen")
    child.expect("Kies een nummer")
    child.sendline(":terug")
    child.expect(r"(\d+)\. Annuleren")
    child.expect("Kies een nummer")
    child.sendline(_annuleren_nummer(scherm.getvalue()))
    child.expect("Kies een nummer")
    child.sendline(":pauze")
    child.expect(pexpect.EOF)
    na = scherm.getvalue().split("Annuleren, terug naar de vraag")[-1]
    assert "nu al beoordelen" in na, na


def _annuleren_nummer(scherm: str) -> str:
    return str(re.findall(r"(\d+)\. Annuleren", scherm)[-1])


def test_review_a_vervolg_case_with_its_terugkoppeling_recorded_is_not_due(
    tmp_path: Path,
) -> None:
    """REVIEW FINDING 8: `lijst --evaluatie-verlopen` shows every `vervolg` case 5 working days
    after the melding, also when the terugkoppeling of Veilig Thuis IS recorded and the case
    only waits for afweging 5 on a future date (design.md §4: "a vervolg case with no
    terugkoppeling 5 working days after the melding"). Staff-route cases, which have no
    terugkoppeling question at all, are flagged the same way. (src/meldcode/store.py, the
    `vervolg_voor` filter tests only status and uitkomst_tijd.)
    """
    import sqlite3

    home = tmp_path / "home"
    data, _ = _start(home, BASIS_MELDEN_MET_VERVOLG, "--standaard")
    casus_id = data["casus"]["id"]
    with sqlite3.connect(home / "meldcode.db") as c:  # the melding was made long ago
        c.execute(
            "UPDATE casussen SET uitkomst_tijd = '2020-01-01T10:00:00+01:00' WHERE id = ?",
            (casus_id,),
        )
    lijst = json.loads(_run(home, "lijst", "--json", "--evaluatie-verlopen"))
    assert casus_id not in [c["id"] for c in lijst]


def test_review_text_prompt_hint_keeps_acuut_at_60_columns(tmp_path: Path) -> None:
    """REVIEW FINDING 9: at 60 columns the hint under a text prompt is shortened to
    "? uitleg · :terug · :overzicht · :pauze · :afsluiten": it drops `:acuut` (design §4: acute
    danger can be declared at every question) but keeps `:afsluiten`. At 80 columns `:acuut` is
    shown. (src/meldcode/prompts/interactive.py, the shorter hint variants.)
    """
    from terminal import ENTER, Terminal

    t = Terminal(tmp_path / "home", "start", "--sector", "basis", cols=60, rows=30)
    t.wait_for("acuut gevaar")
    t.send(ENTER)  # nee
    t.wait_for("Welke soorten signalen")
    t.settle()
    t.send(" ")
    t.settle()
    t.send(ENTER)
    t.wait_for("Beschrijf de feiten")
    t.settle()
    assert ":acuut" in t.text(), "\n".join(t.lines())
    t.child.terminate(force=True)


def test_review_herbereken_shows_answers_in_dutch_not_as_python_tuples(tmp_path: Path) -> None:
    """REVIEW FINDING 10: `herbereken ID` prints a multiple-choice answer as a Python tuple of
    option ids: "('getuige-huiselijk-geweld', 'partnergeweld')". Issue 11: Dutch labels wherever
    a person reads."""
    home = tmp_path / "home"
    antwoorden: dict[str, object] = dict(BASIS_MELDEN_MET_VERVOLG["antwoorden"])
    antwoorden["signalen"] = ["getuige-huiselijk-geweld", "partnergeweld"]
    doc = {"sector": "basis", "antwoorden": antwoorden}
    data, _ = _start(home, doc, "--standaard")
    scherm = _run(home, "herbereken", data["casus"]["id"])
    assert "('" not in scherm, scherm


def test_review_a_scripted_run_must_answer_haags_protocol_when_reached(tmp_path: Path) -> None:
    """REVIEW FINDING 11 (contract letter): design.md §6 says the contract ids, `haags-protocol`
    among them, have no standaard: "a scripted run must give them when they are reached", else
    exit 2 naming them. `haags-protocol` is `verplicht: false` (stappen/stap-1.yaml), so a zorg
    or artsen run with kindcheck = ja that leaves it out passes silently and records it empty.
    """
    doc = {
        "sector": "zorg",
        "antwoorden": {
            "acuut-gevaar": "nee",
            "route": "thuis",
            "signalen": ["psychisch-geweld"],
            "signalen-beschrijving": "Feit.",
            "kindcheck": "ja",
            "collegiale-consultatie": "c",
            "veilig-thuis-geraadpleegd": "ja",
            "gesprek-gevoerd": "ja",
            "afweging-1": "ja",
            "afweging-2": "ja",
        },
    }
    bestand = tmp_path / "a.yaml"
    bestand.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["start", "--antwoorden", str(bestand), "--json"],
        env={"MELDCODE_HOME": str(tmp_path / "home")},
    )
    assert result.exit_code == 2, result.stdout[:200]
    assert "haags-protocol" in result.stderr
