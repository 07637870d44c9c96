"""What is due after a decision: working days, `lijst --te-doen` and `lijst --agenda` (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from typer.testing import CliRunner

from meldcode.cli import app
from meldcode.deadlines import terugkoppeling_op, werkdagen_na

SECTOREN = Path(__file__).parent / "scenarios" / "sectoren"
LABEL = "gezin-vdberg-4711"
BESCHRIJVING = "Geheim: moeder vertelt over schoppen"


def meldcode(home: Path, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"MELDCODE_HOME": str(home)})


def casus(home: Path, scenario: str, **extra: Any) -> str:
    """A case from a sector scenario, with a label and identifying free text."""
    antwoorden = yaml.safe_load((SECTOREN / f"{scenario}.yaml").read_text(encoding="utf-8"))[
        "antwoorden"
    ]
    antwoorden = {**antwoorden, "signalen-beschrijving": BESCHRIJVING, **extra}
    pad = home / f"{scenario}-{len(list(home.glob('*.yaml')))}.yaml"
    home.mkdir(exist_ok=True)
    doc = {"sector": scenario.split("-", maxsplit=1)[0], "label": LABEL, "antwoorden": antwoorden}
    pad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = meldcode(home, "start", "--antwoorden", str(pad), "--json", "--standaard")
    assert 0 == result.exit_code, result.stderr
    casus_id: str = json.loads(result.stdout)["casus"]["id"]
    return casus_id


def zet(home: Path, casus_id: str, **kolommen: str) -> None:
    """Move a case's dates back, as if time passed."""
    with sqlite3.connect(home / "meldcode.db") as c:
        for kolom, waarde in kolommen.items():
            c.execute(f"UPDATE casussen SET {kolom} = ? WHERE id = ?", (waarde, casus_id))


@pytest.mark.parametrize(
    ("melding", "verwacht"),
    [
        ("2026-12-07", "2026-12-14"),  # Monday: the next Monday
        ("2026-12-04", "2026-12-11"),  # Friday: over one weekend to Friday
        ("2026-12-05", "2026-12-11"),  # Saturday: Monday is the first working day
        ("2026-12-06", "2026-12-11"),  # Sunday
        ("2026-12-09", "2026-12-16"),  # Wednesday: over the weekend to Wednesday
    ],
)
def test_terugkoppeling_is_due_five_working_days_later(melding: str, verwacht: str) -> None:
    """5 working days count Monday to Friday, across weekends."""
    assert verwacht == terugkoppeling_op(f"{melding}T10:00:00+01:00")


def test_working_days_skip_two_weekends() -> None:
    """Ten working days from a Friday end two weeks later on a Friday."""
    assert dt.date(2026, 12, 18) == werkdagen_na(dt.date(2026, 12, 4), 10)


def test_te_doen_shows_what_is_due_in_one_view(tmp_path: Path) -> None:
    """--te-doen lists an overdue terugkoppeling, an evaluation past its date and an open case
    untouched for 14 days; not what is not due yet, nor a case with its terugkoppeling."""
    vervolg = casus(tmp_path, "basis-acuut-gevaar")
    recent = casus(tmp_path, "basis-acuut-gevaar")
    teruggekoppeld = casus(tmp_path, "basis-acuut-gevaar", **{"terugkoppeling-veilig-thuis": "x"})
    evaluatie = casus(tmp_path, "basis-hulp-bieden")
    open_oud = casus(tmp_path, "artsen-zonder-veilig-thuis")
    open_nieuw = casus(tmp_path, "artsen-zonder-veilig-thuis")
    for c in (vervolg, teruggekoppeld):
        zet(tmp_path, c, uitkomst_tijd="2020-01-01T10:00:00+01:00")
    zet(tmp_path, evaluatie, evaluatiedatum="2020-02-01")
    zet(tmp_path, open_oud, bijgewerkt="2020-03-01T10:00:00+01:00")
    result = meldcode(tmp_path, "lijst", "--te-doen", "--json")
    assert 0 == result.exit_code, result.stderr
    assert [
        {"id": vervolg, "wat": "terugkoppeling", "datum": "2020-01-08"},
        {"id": evaluatie, "wat": "evaluatie", "datum": "2020-02-01"},
        {"id": open_oud, "wat": "open", "datum": "2020-03-15"},
    ] == json.loads(result.stdout)
    scherm = meldcode(tmp_path, "lijst", "--te-doen").stdout
    assert "terugkoppeling van Veilig Thuis nagaan" in scherm
    assert "3 punt(en)" in scherm
    for niet in (recent, teruggekoppeld, open_nieuw, LABEL):
        assert niet not in scherm


def test_evaluatie_verlopen_still_works(tmp_path: Path) -> None:
    """--evaluatie-verlopen keeps its own list (the case table)."""
    evaluatie = casus(tmp_path, "basis-hulp-bieden")
    zet(tmp_path, evaluatie, evaluatiedatum="2020-02-01")
    result = meldcode(tmp_path, "lijst", "--evaluatie-verlopen", "--json")
    assert [evaluatie] == [c["id"] for c in json.loads(result.stdout)]


def test_agenda_is_icalendar_without_case_content(tmp_path: Path) -> None:
    """--agenda writes every follow-up date, upcoming and overdue, as iCalendar events that
    hold only the case id and what is due, in an owner-only file."""
    oud = casus(tmp_path, "basis-acuut-gevaar")
    nieuw = casus(tmp_path, "basis-acuut-gevaar")
    evaluatie = casus(tmp_path, "basis-hulp-bieden")
    zet(tmp_path, oud, uitkomst_tijd="2020-01-01T10:00:00+01:00")
    zet(tmp_path, nieuw, uitkomst_tijd="2026-12-04T10:00:00+01:00")
    zet(tmp_path, evaluatie, evaluatiedatum="2030-06-01")
    doel = tmp_path / "vervolg.ics"
    result = meldcode(tmp_path, "lijst", "--agenda", str(doel))
    assert 0 == result.exit_code, result.stderr
    assert 0o600 == stat.S_IMODE(doel.stat().st_mode)
    ruw = doel.read_bytes()
    kalender = icalendar.Calendar.from_ical(ruw)
    events = {
        (str(e["SUMMARY"]).split()[1].rstrip(":"), e.decoded("DTSTART"))
        for e in kalender.walk("VEVENT")
    }
    assert {
        (oud, dt.date(2020, 1, 8)),
        (nieuw, dt.date(2026, 12, 11)),
        (evaluatie, dt.date(2030, 6, 1)),
    } == events
    tekst = ruw.decode("utf-8")
    for geheim in (LABEL, "Geheim", "schoppen", "acuut"):
        assert geheim not in tekst
    assert all(len(r.encode()) <= 75 for r in tekst.split("\r\n"))
    weer = meldcode(tmp_path, "lijst", "--agenda", str(doel))
    assert 2 == weer.exit_code  # never overwritten without --overschrijf
    assert 0 == meldcode(tmp_path, "lijst", "--agenda", str(doel), "--overschrijf").exit_code


@pytest.mark.parametrize("filter_", [("--status", "open"), ("--evaluatie-verlopen",)])
def test_te_doen_takes_no_filters(tmp_path: Path, filter_: tuple[str, ...]) -> None:
    """--te-doen with a filter it does not apply exits 2 instead of ignoring it."""
    result = meldcode(tmp_path, "lijst", "--te-doen", *filter_)
    assert (2, True) == (result.exit_code, "gaan niet samen met" in result.stderr)
