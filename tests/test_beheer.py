"""Case management: lijst, toon, verifieer, statistiek, verwijder, opschonen, herbereken."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from meldcode.store.sqlite import Store
from test_export import new_case
from test_scripted import meldcode


def lijst_ids(home: Path, *args: str) -> list[str]:
    """The ids `lijst --json` shows."""
    result = meldcode(home, "lijst", "--json", *args)
    assert 0 == result.exit_code, result.stderr
    return [c["id"] for c in json.loads(result.stdout)]


def test_lijst_shows_cases_newest_first(tmp_path: Path) -> None:
    """lijst shows every real case, in the table and as JSON."""
    ids = [new_case(tmp_path), new_case(tmp_path, "melden-acuut-gevaar")]
    assert set(ids) == set(lijst_ids(tmp_path))
    assert all(i in meldcode(tmp_path, "lijst").stdout for i in ids)


@pytest.mark.parametrize(
    ("args", "naam"),
    [
        (["--status", "wacht-op-evaluatie"], "hulp-bieden-wacht-op-evaluatie"),
        (["--status", "vervolg", "--sector", "basis"], "melden-acuut-gevaar"),
        (["--sector", "onderwijs"], "medewerkersroute-onderwijs"),
    ],
)
def test_lijst_filters(args: list[str], naam: str, tmp_path: Path) -> None:
    """--status and --sector leave only the matching cases."""
    ids = {n: new_case(tmp_path, n) for n in (
        "hulp-bieden-wacht-op-evaluatie", "melden-acuut-gevaar", "medewerkersroute-onderwijs"
    )}  # fmt: skip
    assert [ids[naam]] == lijst_ids(tmp_path, *args)


@pytest.mark.parametrize(
    ("vandaag", "melding", "aan_de_beurt"),
    [
        ("2026-12-11", "2026-12-04", True),  # Friday: five working days after last Friday
        ("2026-12-10", "2026-12-04", False),  # Thursday: four working days
        ("2026-12-14", "2026-12-07", True),  # Monday after Monday
        ("2026-12-14", "2026-12-08", False),
        ("2026-12-07", "2026-12-05", False),  # a melding on Saturday: due on Friday the 11th
        ("2026-12-11", "2026-12-05", True),
    ],
)
def test_a_melding_in_vervolg_is_due_five_working_days_later(
    vandaag: str, melding: str, aan_de_beurt: bool
) -> None:
    """`lijst --evaluatie-verlopen` shows a `vervolg` case 5 working days (Mon-Fri) after it."""
    import datetime as dt

    from meldcode.deadlines import werkdagen_terug

    assert aan_de_beurt == (melding <= werkdagen_terug(dt.date.fromisoformat(vandaag), 5))


def test_lijst_shows_a_vervolg_case_that_is_due(tmp_path: Path) -> None:
    """A melding in `vervolg` appears in `--evaluatie-verlopen` once its 5 working days passed."""
    recent = new_case(tmp_path, "melden-acuut-gevaar")
    oud = new_case(tmp_path, "melden-acuut-gevaar")
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        c.execute(
            "UPDATE casussen SET uitkomst_tijd = '2020-01-01T10:00:00+01:00' WHERE id = ?", (oud,)
        )
    assert [oud] == lijst_ids(tmp_path, "--evaluatie-verlopen")
    assert recent not in lijst_ids(tmp_path, "--evaluatie-verlopen")


def test_lijst_shows_due_evaluations(tmp_path: Path) -> None:
    """--evaluatie-verlopen lists only cases whose evaluation date has come."""
    later = new_case(tmp_path)
    nu = new_case(tmp_path)
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        c.execute("UPDATE casussen SET evaluatiedatum = '2020-01-01' WHERE id = ?", (nu,))
    assert [nu] == lijst_ids(tmp_path, "--evaluatie-verlopen")
    assert later not in meldcode(tmp_path, "lijst", "--evaluatie-verlopen").stdout
    assert "verlopen" in meldcode(tmp_path, "lijst").stdout


def test_lijst_unknown_sector(tmp_path: Path) -> None:
    """--sector with an unknown sector exits 2."""
    assert 2 == meldcode(tmp_path, "lijst", "--sector", "huisartsen").exit_code


def test_toon_shows_answers_and_log(tmp_path: Path) -> None:
    """toon shows the answers per step; --log adds every event of the log."""
    casus_id = new_case(tmp_path)
    gewoon = meldcode(tmp_path, "toon", casus_id)
    assert 0 == gewoon.exit_code, gewoon.stderr
    assert "Stap 4 – Wegen" in gewoon.stdout
    assert "Logboek (alle gebeurtenissen" not in gewoon.stdout
    assert "Logboek (alle gebeurtenissen" in meldcode(tmp_path, "toon", casus_id, "--log").stdout


def test_toon_unknown_case(tmp_path: Path) -> None:
    """toon with an unknown case id exits 2 and names the id."""
    result = meldcode(tmp_path, "toon", "mc-zzzz-zzzz")
    assert (2, True) == (result.exit_code, "'mc-zzzz-zzzz' bestaat niet" in result.stderr)


def test_verifieer_intact_store(tmp_path: Path) -> None:
    """verifieer exits 0 when every chain holds."""
    new_case(tmp_path)
    result = meldcode(tmp_path, "verifieer")
    assert 0 == result.exit_code, result.stdout
    assert "in orde" in result.stdout


@pytest.mark.parametrize("alleen_die", [False, True])
def test_verifieer_finds_the_edited_event(alleen_die: bool, tmp_path: Path) -> None:
    """After one event is edited in SQLite, verifieer names exactly that case and event."""
    heel, kapot = new_case(tmp_path), new_case(tmp_path)
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        c.execute(
            "UPDATE events SET antwoord = '\"ja\"' WHERE casus_id = ? AND volgnummer = 2", (kapot,)
        )
    result = meldcode(tmp_path, "verifieer", *([kapot] if alleen_die else []))
    assert 2 == result.exit_code
    assert [f"GEBROKEN: casus {kapot}, eerste gebroken gebeurtenis 2"] == re.findall(
        r"GEBROKEN: [^:]*", result.stdout
    )
    assert heel not in result.stdout


@pytest.mark.parametrize("alleen_die", [False, True])
def test_verifieer_reports_an_answer_that_no_longer_decodes(
    alleen_die: bool, tmp_path: Path
) -> None:
    """An answer edited into something that is not JSON is a broken event, not a crash."""
    heel, kapot = new_case(tmp_path), new_case(tmp_path)
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        c.execute(
            "UPDATE events SET antwoord = '[nee' WHERE casus_id = ? AND volgnummer = 2", (kapot,)
        )
    result = meldcode(tmp_path, "verifieer", *([kapot] if alleen_die else []))
    assert (2, [f"GEBROKEN: casus {kapot}, eerste gebroken gebeurtenis 2"], False) == (
        result.exit_code,
        re.findall(r"GEBROKEN: [^:]*", result.stdout),
        heel in result.stdout,
    ), result.output


@pytest.mark.parametrize("wat", ["alle", "laatste"])
def test_verifieer_json_names_removed_events(wat: str, tmp_path: Path) -> None:
    """Events deleted from a case (all of them, or the last) break its chain; --json says so."""
    heel, kapot = new_case(tmp_path), new_case(tmp_path)
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        if wat == "alle":
            c.execute("DELETE FROM events WHERE casus_id = ?", (kapot,))
        else:
            c.execute(
                "DELETE FROM events WHERE casus_id = ? AND volgnummer = "
                "(SELECT MAX(volgnummer) FROM events WHERE casus_id = ?)", (kapot, kapot),
            )
    result = meldcode(tmp_path, "verifieer", "--json")
    rapport = json.loads(result.stdout)
    assert 2 == result.exit_code
    assert (False, [kapot]) == (rapport["intact"], [b["casus"] for b in rapport["breuken"]])
    assert heel not in result.stdout


def test_statistiek_counts_without_ids_labels_or_practice(tmp_path: Path) -> None:
    """statistiek counts per sector, outcome and reason, and shows no ids, labels or practice."""
    ids = [new_case(tmp_path, "melden-acuut-gevaar"), new_case(tmp_path)]
    oefen = Store(tmp_path / "meldcode.db")
    oefen.create(sector="basis", flow_versie="x", flow_hash="y", oefening=True)
    result = meldcode(tmp_path, "statistiek", "--json", "--exacte-aantallen")
    s = json.loads(result.stdout)
    assert (2, {"basis": 2}) == (s["casussen"], s["per_sector"])
    assert {"melden": {"acuut-gevaar": 1}, "hulp-bieden": {"-": 1}} == s["per_reden"]
    assert s["mediaan_dagen_tot_uitkomst"] is not None
    for tekst in (result.stdout, meldcode(tmp_path, "statistiek").stdout):
        assert not any(geheim in tekst for geheim in (*ids, "dossier-4711", "mc-"))


def test_verwijder_removes_every_trace(tmp_path: Path) -> None:
    """verwijder --ja deletes the case and its events, also from the database file."""
    casus_id = new_case(tmp_path)
    result = meldcode(tmp_path, "verwijder", casus_id, "--ja")
    assert 0 == result.exit_code, result.stderr
    assert [] == lijst_ids(tmp_path)
    for suffix in ("", "-wal"):
        pad = tmp_path / f"meldcode.db{suffix}"
        assert not pad.exists() or b"dossier-4711" not in pad.read_bytes()


def test_verwijder_asks_first(tmp_path: Path) -> None:
    """Without --ja, verwijder deletes nothing unless the user types ja."""
    casus_id = new_case(tmp_path)
    assert 0 == meldcode(tmp_path, "verwijder", casus_id, input="nee\n").exit_code
    assert [casus_id] == lijst_ids(tmp_path)
    meldcode(tmp_path, "verwijder", casus_id, input="ja\n")
    assert [] == lijst_ids(tmp_path)


def test_verwijder_without_an_answer_deletes_nothing_and_exits_2(tmp_path: Path) -> None:
    """A closed input (a script that forgot --ja) is not a 'no' that succeeded: exit 2."""
    casus_id = new_case(tmp_path)
    result = meldcode(tmp_path, "verwijder", casus_id, input="")
    assert (2, True, [casus_id]) == (
        result.exit_code, "Gebruik '--ja'" in result.stderr, lijst_ids(tmp_path)
    )


def test_opschonen_is_a_dry_run_until_uitvoeren(tmp_path: Path) -> None:
    """opschonen lists old cases by id and date only, and deletes them with --uitvoeren."""
    store = Store(tmp_path / "meldcode.db", clock=lambda: "2001-02-03T10:00:00+01:00")
    oud = store.create(sector="basis", flow_versie="x", flow_hash="y", label="geheim").id
    nieuw = new_case(tmp_path)
    proef = meldcode(tmp_path, "opschonen", "--ouder-dan", "20j")
    assert (0, f"{oud}  03-02-2001\n") == (proef.exit_code, proef.stdout)
    assert {oud, nieuw} == set(lijst_ids(tmp_path))
    assert 0 == meldcode(tmp_path, "opschonen", "--ouder-dan", "20j", "--uitvoeren").exit_code
    assert [nieuw] == lijst_ids(tmp_path)


@pytest.mark.parametrize("duur", ["20", "twintig jaar", "0j", "5w"])
def test_opschonen_refuses_a_bad_term(duur: str, tmp_path: Path) -> None:
    """A term that is not like 20j or 6m exits 2."""
    assert 2 == meldcode(tmp_path, "opschonen", "--ouder-dan", duur).exit_code


def ask_new_question(flows: Path) -> None:
    """Other, valid flows: a new question before afweging 1, so a finished case stops there."""
    kader = flows / "afwegingskader" / "basis.yaml"
    nieuw = (
        "vragen:\n  - id: risicotaxatie\n    stap: stap-4\n    soort: ja-nee\n"
        '    tekst: "Heeft u een risicotaxatie gedaan?"\n    standaard: nee\n'
        '    bron: "domain.md §1.7"\n'
    )
    kader.write_text(kader.read_text(encoding="utf-8").replace("vragen:\n", nieuw, 1), "utf-8")


def test_herbereken_same_flows_changes_nothing(tmp_path: Path) -> None:
    """Against the current flows the path and the outcome stay the same."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    result = meldcode(tmp_path, "herbereken", casus_id)
    assert 0 == result.exit_code, result.stderr
    assert "Pad: blijft gelijk." in result.stdout
    assert "Uitkomst: blijft gelijk (melden / geen-effectieve-hulp / 2)." in result.stdout


def test_herbereken_reports_a_changed_outcome_and_keeps_the_case(
    tmp_path: Path, flows_copy: Path
) -> None:
    """With other flows herbereken says the outcome would change; the case stays as it was."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    ask_new_question(flows_copy)
    voor = json.loads(meldcode(tmp_path, "exporteer", casus_id).stdout)
    result = meldcode(tmp_path, "herbereken", casus_id, "--flows", str(flows_copy))
    assert 0 == result.exit_code, result.stderr
    assert "zou veranderen van melden / geen-effectieve-hulp / 2 naar" in result.stdout
    assert voor == json.loads(meldcode(tmp_path, "exporteer", casus_id).stdout)


def test_herbereken_json_for_scripts(tmp_path: Path, flows_copy: Path) -> None:
    """--json says whether path and outcome change, with ids and verdicts but no answers."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    zelfde = json.loads(meldcode(tmp_path, "herbereken", casus_id, "--json").stdout)
    assert (False, False) == (zelfde["pad_gewijzigd"], zelfde["uitkomst_gewijzigd"])
    ask_new_question(flows_copy)
    result = meldcode(tmp_path, "herbereken", casus_id, "--flows", str(flows_copy), "--json")
    rapport = json.loads(result.stdout)
    assert (True, True, 2, None, True) == (
        rapport["pad_gewijzigd"],
        rapport["uitkomst_gewijzigd"],
        rapport["oud"]["meldnorm"],
        rapport["nieuw"],
        {"vraag": "risicotaxatie", "oordeel": "nieuw"} in rapport["vragen"],
    )
    assert {"vraag", "oordeel"} == set(rapport["vragen"][0])


def test_lijst_aantal_limits_and_says_there_are_more(tmp_path: Path) -> None:
    """--aantal shows only the newest cases and says that there are more."""
    new_case(tmp_path)
    new_case(tmp_path)
    assert 1 == len(lijst_ids(tmp_path, "--aantal", "1"))
    assert "--aantal 0" in meldcode(tmp_path, "lijst", "--aantal", "1").stdout
    assert 2 == len(lijst_ids(tmp_path, "--aantal", "0"))


def test_herbereken_refuses_broken_other_flows(tmp_path: Path, flows_copy: Path) -> None:
    """Other flows are validated first, as `valideer` does: a broken set exits 2 with its code."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    kader = flows_copy / "afwegingskader" / "basis.yaml"
    tekst = kader.read_text(encoding="utf-8")
    dubbel = tekst.replace("  - id: afweging-4\n", "  - id: afweging-3\n")
    kader.write_text(dubbel, encoding="utf-8")
    result = meldcode(tmp_path, "herbereken", casus_id, "--flows", str(flows_copy))
    assert (2, True) == (result.exit_code, "MC105" in result.stderr), result.stderr


def _als_2026_2(tmp_path: Path, casus_id: str, **kolommen: object) -> None:
    """Make a stored case look as flows 2026.2 left it (the row only; its log stays)."""
    zet = ", ".join(f"{k} = ?" for k in ("flow_versie", *kolommen))
    with sqlite3.connect(tmp_path / "meldcode.db") as c:
        c.execute(
            f"UPDATE casussen SET {zet} WHERE id = ?", ("2026.2", *kolommen.values(), casus_id)
        )


def test_herbereken_of_a_2026_2_melding_says_what_2026_3_changes(tmp_path: Path) -> None:
    """A melding stored as `afgerond` under 2026.2 would be `vervolg` under 2026.3 (the
    terugkoppeling is asked next); herbereken says so and the stored case stays as it was."""
    casus_id = new_case(tmp_path, "melden-geen-effectieve-hulp")
    _als_2026_2(tmp_path, casus_id, status="afgerond")
    voor = json.loads(meldcode(tmp_path, "exporteer", casus_id).stdout)
    tekst = meldcode(tmp_path, "herbereken", casus_id).stdout
    assert "Flowversie: 2026.2 → 2026.3." in tekst
    assert "Status: zou veranderen van afgerond naar vervolg" in tekst
    assert "Uitkomst: blijft gelijk (melden / geen-effectieve-hulp / 2)." in tekst
    rapport = json.loads(meldcode(tmp_path, "herbereken", casus_id, "--json").stdout)
    assert ({"oud": "2026.2", "nieuw": "2026.3"}, {"oud": "afgerond", "nieuw": "vervolg"}) == (
        rapport["versie"],
        rapport["status"],
    )
    assert voor == json.loads(meldcode(tmp_path, "exporteer", casus_id).stdout)


def test_herbereken_of_a_2026_2_haags_protocol_case_names_its_new_reden(tmp_path: Path) -> None:
    """2026.2 recorded the Haags protocol as afweging-2-like melding (meldnorm 1); 2026.3 gives
    it its own reden without meldnorm, and herbereken says so."""
    casus_id = new_case(tmp_path, "melden-acuut-gevaar")  # any stored case, then made Haags
    bestand = tmp_path / "haags.yaml"
    bestand.write_text(
        "sector: zorg\nantwoorden:\n  acuut-gevaar: nee\n  route: thuis\n"
        "  signalen: [partnergeweld]\n  signalen-beschrijving: SEH, letsel.\n"
        "  kindcheck: ja\n  haags-protocol: ja\n",
        encoding="utf-8",
    )
    doc = json.loads(meldcode(tmp_path, "start", "--antwoorden", str(bestand), "--json").stdout)
    casus_id = doc["casus"]["id"]
    _als_2026_2(
        tmp_path,
        casus_id,
        status="afgerond",
        uitkomst_reden="acute-of-structurele-onveiligheid",
        meldnorm=1,
    )
    tekst = " ".join(meldcode(tmp_path, "herbereken", casus_id).stdout.split())
    assert (
        "zou veranderen van melden / acute-of-structurele-onveiligheid / 1 naar melden / "
        "haags-protocol" in tekst
    )
