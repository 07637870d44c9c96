"""Tampering like an attacker: edit the store behind meldcode's back, then `verifieer`.

Every attack here passed `verifieer` with exit 0 before the case row, the register and the
anchors were under the chain (issues 16 and 17). The attacker may use meldcode's own hash
functions: there is no secret, so only a link, the register or a kept anchor can catch a
consistent rewrite.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from meldcode.store.log import GENESIS, KOP_VELDEN, chain, kop_hash, register_hash
from test_export import export, new_case
from test_scripted import meldcode

COLUMNS = "volgnummer, tijd, soort, stap, vraag, antwoord, toelichting"


@pytest.fixture(scope="module")
def twee_mal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The home `twee` copies: its two cases made once for this file, by two scripted runs."""
    home = tmp_path_factory.mktemp("twee")
    melden = new_case(home, "melden-hulp-niet-aanvaard")
    wacht = new_case(home, "hulp-bieden-wacht-op-evaluatie", "--label", "dossier-2")
    return home, melden, wacht


@pytest.fixture
def twee(twee_mal: tuple[Path, str, str], tmp_path: Path) -> tuple[Path, str, str]:
    """A store with a `melden` case (meldnorm 2) and a waiting case; home and both ids. Each
    test gets its own copy of the folder, byte for byte (the store, its log and its locks)."""
    mal, melden, wacht = twee_mal
    shutil.copytree(mal, tmp_path, dirs_exist_ok=True)
    return tmp_path, melden, wacht


def db(home: Path) -> sqlite3.Connection:
    """The store as an attacker opens it: plain SQLite, autocommit."""
    return sqlite3.connect(home / "meldcode.db", isolation_level=None)


def sql(home: Path, statement: str, *args: Any) -> None:
    """Run one statement against the store."""
    with db(home) as c:
        c.execute(statement, args)


def verifieer(home: Path, *args: str) -> tuple[int, list[str], dict[str, Any]]:
    """Exit code, the GEBROKEN lines, and the --json document of `verifieer`."""
    tekst = meldcode(home, "verifieer", *args)
    doc = meldcode(home, "verifieer", "--json", *args)
    assert tekst.exit_code == doc.exit_code
    assert "Traceback" not in tekst.output + doc.output
    return tekst.exit_code, re.findall(r"GEBROKEN: .*", tekst.stdout), json.loads(doc.stdout)


def events(home: Path, casus_id: str) -> list[dict[str, Any]]:
    """The stored events of a case, as dicts (antwoord decoded)."""
    with db(home) as c:
        rows = c.execute(
            f"SELECT {COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer", (casus_id,)
        ).fetchall()
    keys = [k.strip() for k in COLUMNS.split(",")]
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for e in out:
        e["antwoord"] = None if e["antwoord"] is None else json.loads(e["antwoord"])
    return out


def kop_van(home: Path, casus_id: str) -> str:
    """The kop the case's particulars give, as stored now."""
    with db(home) as c:
        c.row_factory = sqlite3.Row
        row = c.execute("SELECT * FROM casussen WHERE id = ?", (casus_id,)).fetchone()
    return kop_hash(casus_id, {k: row[k] for k in KOP_VELDEN})


def herschrijf(
    home: Path,
    casus_id: str,
    wijzig: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    *,
    register: bool = False,
) -> None:
    """Rewrite a case's whole chain consistently (and its row); with `register`, the store's
    register too, from its first entry: only a root or head kept elsewhere can tell."""
    nieuw = wijzig(events(home, casus_id))
    kop = kop_van(home, casus_id)
    vorige: Any = type("Tail", (), {"volgnummer": 0, "hash": kop})()  # event 1 links to the kop
    keten = []
    for e in nieuw:
        velden = {k: e[k] for k in ("tijd", "soort", "stap", "vraag", "antwoord", "toelichting")}
        vorige = chain(casus_id, vorige, **velden)
        keten.append(vorige)
    with db(home) as c:
        c.execute("DELETE FROM events WHERE casus_id = ?", (casus_id,))
        for e in keten:
            c.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (casus_id, e.volgnummer, e.tijd, e.soort, e.stap, e.vraag,
                 None if e.antwoord is None else json.dumps(e.antwoord, ensure_ascii=False),
                 e.toelichting, e.vorige_hash, e.hash),
            )  # fmt: skip
        hoofd = keten[-1].hash if keten else kop
        c.execute(
            "UPDATE casussen SET laatste_hash = ?, aantal_events = ? WHERE id = ?",
            (hoofd, len(keten), casus_id),
        )
        if not register:
            return
        hashes = [kop, *(e.hash for e in keten)]
        rows = c.execute(
            "SELECT volgnummer, casus_id, soort, kop, aantal FROM register ORDER BY volgnummer"
        ).fetchall()
        c.execute("DELETE FROM register")
        vorige_hash = GENESIS
        for nummer, cid, soort, oud, oud_aantal in rows:
            aantal = min(oud_aantal, len(keten)) if cid == casus_id else oud_aantal
            kop_nu = hashes[aantal] if cid == casus_id else oud
            h = register_hash(nummer, cid, soort, kop_nu, aantal, vorige_hash)
            c.execute(
                "INSERT INTO register VALUES (?, ?, ?, ?, ?, ?, ?)",
                (nummer, cid, soort, kop_nu, aantal, vorige_hash, h),
            )
            vorige_hash = h


def wortel(home: Path) -> str:
    """The root verifieer prints now."""
    return str(verifieer(home)[2]["wortel"]["hash"])


def test_an_untouched_store_is_in_orde_and_prints_its_root(twee: tuple[Path, str, str]) -> None:
    """Without tampering: exit 0, nothing broken, a root and (per case) a head."""
    home, melden, _ = twee
    code, gebroken, doc = verifieer(home)
    assert (0, [], True) == (code, gebroken, doc["intact"])
    assert re.fullmatch(r"[0-9a-f]{64}", doc["wortel"]["hash"])
    assert events(home, melden)[-1]["volgnummer"] > 0
    assert verifieer(home, melden)[2]["kop"] == _hash_van_laatste(home, melden)


def _hash_van_laatste(home: Path, casus_id: str) -> str:
    with db(home) as c:
        row = c.execute(
            "SELECT hash FROM events WHERE casus_id = ? ORDER BY volgnummer DESC LIMIT 1",
            (casus_id,),
        ).fetchone()
    return str(row[0])


@pytest.mark.parametrize(
    ("kolom", "waarde"),
    [
        ("antwoord", '"ja"'),
        ("tijd", "2020-01-01T09:00:00+01:00"),
        ("toelichting", "achteraf toegevoegd"),
        ("stap", "stap-5"),
        ("vraag", "afweging-5"),
        ("soort", "wijziging"),
    ],
)
def test_an_edited_field_breaks_that_event(
    kolom: str, waarde: str, twee: tuple[Path, str, str]
) -> None:
    """Editing any field of event 3 (tijd, toelichting, stap, …) names event 3, that case."""
    home, melden, _ = twee
    sql(home, f"UPDATE events SET {kolom} = ? WHERE casus_id = ? AND volgnummer = 3",
        waarde, melden)  # fmt: skip
    code, gebroken, doc = verifieer(home)
    assert (2, 1) == (code, len(gebroken))
    assert gebroken[0].startswith(f"GEBROKEN: casus {melden}, eerste gebroken gebeurtenis 3:")
    assert [{"casus": melden, "volgnummer": 3}] == [
        {k: b[k] for k in ("casus", "volgnummer")} for b in doc["breuken"]
    ]


def test_a_rewritten_event_with_its_own_hash_is_caught_by_the_next_link(
    twee: tuple[Path, str, str],
) -> None:
    """Event 3 rewritten and re-hashed holds by itself: event 4's link names the break."""
    home, melden, _ = twee
    e = events(home, melden)
    vorige = type("Tail", (), {"volgnummer": 2, "hash": _hash(home, melden, 2)})()
    velden = {k: e[2][k] for k in ("tijd", "soort", "stap", "vraag", "toelichting")}
    nieuw = chain(melden, vorige, antwoord="ja", **velden)
    sql(home, "UPDATE events SET antwoord = ?, hash = ? WHERE casus_id = ? AND volgnummer = 3",
        json.dumps("ja"), nieuw.hash, melden)  # fmt: skip
    code, gebroken, _ = verifieer(home, melden)
    assert 2 == code
    assert [f"GEBROKEN: casus {melden}, eerste gebroken gebeurtenis 4"] == [
        g.split(":")[0] + ":" + g.split(":")[1] for g in gebroken
    ]
    assert "verwijzing" in gebroken[0]


def _hash(home: Path, casus_id: str, volgnummer: int) -> str:
    with db(home) as c:
        row = c.execute(
            "SELECT hash FROM events WHERE casus_id = ? AND volgnummer = ?", (casus_id, volgnummer)
        ).fetchone()
    return str(row[0])


def test_an_event_moved_to_another_case_breaks_both(twee: tuple[Path, str, str]) -> None:
    """The case id is in every hash: a moved event is broken where it lands, and missing where
    it was."""
    home, melden, wacht = twee
    n_melden, n_wacht = len(events(home, melden)), len(events(home, wacht))
    sql(home, "UPDATE events SET casus_id = ?, volgnummer = ?"
        " WHERE casus_id = ? AND volgnummer = ?", wacht, n_wacht + 1, melden, n_melden)  # fmt: skip
    code, _, doc = verifieer(home)
    assert 2 == code
    assert {(melden, n_melden), (wacht, n_wacht + 1)} == {
        (b["casus"], b["volgnummer"]) for b in doc["breuken"]
    }


@pytest.mark.parametrize("rij_terug", [False, True])
def test_deleting_the_last_events_is_caught(rij_terug: bool, twee: tuple[Path, str, str]) -> None:
    """The last events (the melden decision included) deleted, even with the row set back to
    match: the register still knows them."""
    home, melden, _ = twee
    e = events(home, melden)
    uitkomst = max(x["volgnummer"] for x in e if x["soort"] == "uitkomst")
    sql(home, "DELETE FROM events WHERE casus_id = ? AND volgnummer >= ?", melden, uitkomst)
    if rij_terug:
        sql(home, "UPDATE casussen SET laatste_hash = ?, aantal_events = ?, bijgewerkt = ?,"
            " status = 'open', uitkomst_id = NULL, uitkomst_reden = NULL, meldnorm = NULL,"
            " uitkomst_tijd = NULL WHERE id = ?",
            _hash(home, melden, uitkomst - 1), uitkomst - 1, e[uitkomst - 2]["tijd"],
            melden)  # fmt: skip
    code, gebroken, doc = verifieer(home)
    assert 2 == code
    assert [(melden, uitkomst)] == [(b["casus"], b["volgnummer"]) for b in doc["breuken"]]
    assert "ontbreken" in gebroken[0]


def test_a_forged_event_appended_with_a_valid_hash_is_caught(twee: tuple[Path, str, str]) -> None:
    """An extra event chained correctly, row updated: not in the register."""
    home, melden, _ = twee
    e = events(home, melden)
    n = len(e)
    vorige = type("Tail", (), {"volgnummer": n, "hash": _hash(home, melden, n)})()
    nep = chain(melden, vorige, tijd=e[-1]["tijd"], soort="afsluiten", antwoord="geen-vermoeden")
    sql(home, "INSERT INTO events VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?)",
        melden, nep.volgnummer, nep.tijd, nep.soort, json.dumps(nep.antwoord), nep.vorige_hash,
        nep.hash)  # fmt: skip
    sql(home, "UPDATE casussen SET laatste_hash = ?, aantal_events = ? WHERE id = ?",
        nep.hash, n + 1, melden)  # fmt: skip
    code, _, doc = verifieer(home)
    assert (2, [(melden, n + 1)]) == (
        code, [(b["casus"], b["volgnummer"]) for b in doc["breuken"]]
    )


@pytest.mark.parametrize("hoe", ["verwijderd", "leeggemaakt"])
def test_a_case_deleted_or_reset_behind_meldcodes_back_is_caught(
    hoe: str, twee: tuple[Path, str, str]
) -> None:
    """A case removed (or emptied to a fresh-looking case) without `verwijder`."""
    home, melden, wacht = twee
    sql(home, "DELETE FROM events WHERE casus_id = ?", melden)
    if hoe == "verwijderd":
        sql(home, "DELETE FROM casussen WHERE id = ?", melden)
    else:
        sql(home, "UPDATE casussen SET laatste_hash = ?, aantal_events = 0,"
            " bijgewerkt = aangemaakt, status = 'open', uitkomst_id = NULL,"
            " uitkomst_reden = NULL, meldnorm = NULL, uitkomst_tijd = NULL WHERE id = ?",
            kop_van(home, melden), melden)  # fmt: skip
    code, gebroken, doc = verifieer(home)
    assert (2, [melden]) == (code, [b["casus"] for b in doc["breuken"]])
    assert wacht not in " ".join(gebroken)


def test_verwijder_is_recorded_and_stays_in_orde(twee: tuple[Path, str, str]) -> None:
    """A case deleted with `verwijder` is in orde: the register records the deletion."""
    home, melden, _ = twee
    assert 0 == meldcode(home, "verwijder", melden, "--ja").exit_code
    assert (0, []) == verifieer(home)[:2]


# --- the case row (issue 17 item 2) ------------------------------------------------------------

RIJ = {
    "uitkomst": "uitkomst_id = 'afsluiten', uitkomst_reden = 'geen-vermoeden', meldnorm = NULL",
    "meldnorm": "meldnorm = 1",
    "sector": "sector = 'artsen'",
    "label": "label = 'iemand-anders'",
    "status": "status = 'afgerond'",
    "evaluatiedatum": "evaluatiedatum = '2031-01-01'",
    "aangemaakt": "aangemaakt = '2001-01-01T10:00:00+01:00'",
    "bijgewerkt": "bijgewerkt = '2001-01-01T10:00:00+01:00'",
    "oefening": "oefening = 1",
    "uitkomst_tijd": "uitkomst_tijd = '2001-01-01T10:00:00+01:00'",
    "flow": "flow_versie = '0.0'",
}


@pytest.mark.parametrize("veld", sorted(RIJ))
def test_every_case_row_field_is_checked_against_the_log(
    veld: str, twee: tuple[Path, str, str]
) -> None:
    """A case-row field edited in SQLite: verifieer exits 2 and names that case, and only it."""
    home, melden, wacht = twee
    casus = wacht if veld in ("status", "evaluatiedatum") else melden
    sql(home, f"UPDATE casussen SET {RIJ[veld]} WHERE id = ?", casus)
    code, gebroken, doc = verifieer(home)
    assert (2, [casus]) == (code, [b["casus"] for b in doc["breuken"]]), gebroken
    afgeleid = {"uitkomst": "uitkomst_id", "meldnorm": "meldnorm", "status": "status",
                "evaluatiedatum": "evaluatiedatum", "bijgewerkt": "bijgewerkt",
                "uitkomst_tijd": "uitkomst_tijd"}  # fmt: skip
    assert (afgeleid.get(veld) or "gegevens van de casus") in doc["breuken"][0]["wat"]


def test_swapping_two_labels_breaks_both_cases(twee: tuple[Path, str, str]) -> None:
    """Labels swapped between two cases: each case's kop no longer holds."""
    home, melden, wacht = twee
    sql(home, "UPDATE casussen SET label = CASE id WHEN ? THEN 'dossier-2' ELSE 'dossier-4711'"
        " END WHERE id IN (?, ?)", melden, melden, wacht)  # fmt: skip
    code, _, doc = verifieer(home)
    assert (2, {melden, wacht}) == (code, {b["casus"] for b in doc["breuken"]})


# --- consistent rewrites: only what the user kept elsewhere catches them -----------------------


def _als_afgesloten(e: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The log of the melden case with its decision turned into a quiet close."""
    for x in e:
        if x["soort"] == "uitkomst":
            x["antwoord"] = {"id": "afsluiten", "reden": "geen-vermoeden", "meldnorm": None}
    return e


def test_a_whole_chain_rewritten_consistently_is_caught_by_the_register(
    twee: tuple[Path, str, str],
) -> None:
    """Every hash recomputed and the row set to match: the register's heads differ."""
    home, melden, _ = twee
    herschrijf(home, melden, _als_afgesloten)
    code, _, doc = verifieer(home)
    assert (2, [melden]) == (code, [b["casus"] for b in doc["breuken"]])


def test_a_rewrite_of_chain_and_register_is_caught_by_the_kept_root(
    twee: tuple[Path, str, str],
) -> None:
    """The register rewritten too: verifieer alone cannot tell, the root kept before can."""
    home, melden, _ = twee
    bewaard = wortel(home)
    herschrijf(home, melden, _als_afgesloten, register=True)
    assert 0 == verifieer(home)[0]  # what no anchor can catch: documented in docs/integriteit.md
    code, gebroken, doc = verifieer(home, "--anker", bewaard)
    assert (2, False) == (code, doc["anker"])
    assert "anker" in gebroken[0]


def test_the_kept_root_still_holds_after_new_work(twee: tuple[Path, str, str]) -> None:
    """A root kept yesterday stays valid while meldcode appends: the register only grows."""
    home, _, _ = twee
    bewaard = wortel(home)
    new_case(home, "afsluiten-geen-vermoeden")
    code, _, doc = verifieer(home, "--anker", bewaard)
    assert (0, True) == (code, doc["anker"])
    assert doc["wortel"]["hash"] != bewaard


def test_a_kept_head_catches_a_rewritten_case(twee: tuple[Path, str, str]) -> None:
    """`verifieer ID --kop HASH`: the head kept from an export must be in the case's chain."""
    home, melden, _ = twee
    kop = _hash_van_laatste(home, melden)
    assert 0 == verifieer(home, melden, "--kop", kop)[0]
    herschrijf(home, melden, _als_afgesloten, register=True)
    code, gebroken, doc = verifieer(home, melden, "--kop", kop)
    assert (2, False) == (code, doc["kop_bewaard"])
    assert "bewaarde kop" in gebroken[0]


@pytest.mark.parametrize("args", [["--kop", "abc"], ["--anker", "x" * 64], ["--kop", "a" * 64]])
def test_a_malformed_or_caseless_head_is_a_usage_error(
    args: list[str], twee: tuple[Path, str, str]
) -> None:
    """A head that is no hash, or --kop without an id: exit 2 with a Dutch message."""
    result = meldcode(twee[0], "verifieer", *args)
    assert 2 == result.exit_code
    assert "Traceback" not in result.output
    assert re.search(r"HASH|kop|anker", result.output)


def test_the_markdown_export_prints_the_verified_head_not_the_row(
    twee: tuple[Path, str, str],
) -> None:
    """The dossier's head hash comes from the verified events; a row edit shows a warning."""
    home, melden, _ = twee
    echt = _hash_van_laatste(home, melden)
    assert echt in export(home, melden, "-f", "markdown")
    sql(home, "UPDATE casussen SET laatste_hash = ? WHERE id = ?", "f" * 64, melden)
    tekst = export(home, melden, "-f", "markdown")
    assert "f" * 64 not in tekst
    assert "meldcode verifieer" in tekst


@pytest.mark.parametrize("formaat", ["markdown", "html"])
def test_a_dossier_with_an_edited_outcome_warns_at_its_top(
    formaat: str, twee: tuple[Path, str, str]
) -> None:
    """The issue's case: the row says afsluiten, the chain melden. The dossier says at its top
    not to trust it, before any Besluit; toon does too, and exporteer warns on stderr."""
    home, melden, _ = twee
    sql(home, f"UPDATE casussen SET {RIJ['uitkomst']} WHERE id = ?", melden)
    result = meldcode(home, "exporteer", melden, "-f", formaat)
    assert 0 == result.exit_code
    assert "klopt niet" in result.stderr
    tekst = result.stdout
    assert -1 < tekst.find("LET OP: dit dossier klopt niet") < tekst.find("Besluit")
    assert "LET OP: dit dossier klopt niet" in meldcode(home, "toon", melden).stdout


def test_a_store_from_before_the_register_is_taken_over_as_it_is(tmp_path: Path) -> None:
    """A schema-2 store whose chains start at GENESIS: after the migration it verifies, those
    cases are counted as made without a kop, and from then on the register covers them."""
    from meldcode.store.tables import migration_statements

    path = tmp_path / "meldcode.db"
    c = sqlite3.connect(path)
    for versie in (1, 2):
        for statement in migration_statements(versie):
            c.execute(statement)
    tijd = "2026-01-05T10:00:00+01:00"
    eerste = chain("mc-oud1-oud1", None, tijd=tijd, soort="antwoord", stap="stap-1",
                   vraag="acuut-gevaar", antwoord="nee")  # fmt: skip
    c.execute(
        "INSERT INTO casussen (id, sector, status, aangemaakt, bijgewerkt, flow_versie,"
        " flow_hash, laatste_hash, aantal_events) VALUES ('mc-oud1-oud1', 'basis', 'open', ?, ?,"
        " 'oud', 'sha256:oud', ?, 1)",
        (tijd, tijd, eerste.hash),
    )
    c.execute(
        "INSERT INTO events VALUES ('mc-oud1-oud1', 1, ?, 'antwoord', 'stap-1', 'acuut-gevaar',"
        " '\"nee\"', NULL, ?, ?)",
        (tijd, GENESIS, eerste.hash),
    )
    c.execute("PRAGMA user_version = 2")
    c.commit()
    c.close()
    code, gebroken, doc = verifieer(tmp_path)
    assert (0, [], 1) == (code, gebroken, doc["zonder_kop"])
    sql(tmp_path, "DELETE FROM events WHERE casus_id = 'mc-oud1-oud1'")
    assert 2 == verifieer(tmp_path)[0]
