"""`meldcode register importeer`: a professional's own SQLite cases copied into the register,
chains checked before and after, a broken one refused, a second run copies nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from casussen import MELDEN_MET_LABEL as ANTWOORDEN
from pgserver import Register
from test_register_cli import meldcode

pytest.importorskip("psycopg")


def local_cases(home: Path, n: int) -> list[str]:
    """`n` scripted cases in the SQLite store of `home`; their ids."""
    ids = []
    for _ in range(n):
        r = meldcode(
            "start", "--antwoorden", "-", "--standaard", "--json",
            url=None, home=home, stdin=ANTWOORDEN,
        )  # fmt: skip
        assert 0 == r.returncode, r.stderr
        ids.append(json.loads(r.stdout)["casus"]["id"])
    return ids


def test_import_copies_the_chains_byte_for_byte_once(pg_register: Register, tmp_path: Path) -> None:
    ids = local_cases(tmp_path, 2)
    anna = pg_register.dsn("anna")
    eerste = meldcode("register", "importeer", url=anna, home=tmp_path)
    assert (0, "") == (eerste.returncode, eerste.stderr)
    assert "2 casussen gekopieerd naar het register, 0 stonden er al in, 0 geweigerd." in (
        eerste.stdout
    )
    tweede = meldcode("register", "importeer", url=anna, home=tmp_path)
    assert "0 casussen gekopieerd naar het register, 2 stonden er al in, 0 geweigerd." in (
        tweede.stdout
    )
    for casus_id in ids:
        lokaal = meldcode("verifieer", casus_id, "--json", url=None, home=tmp_path)
        register = meldcode("verifieer", casus_id, "--json", url=anna, home=tmp_path)
        assert (0, 0) == (lokaal.returncode, register.returncode), register.stderr
        assert json.loads(lokaal.stdout)["kop"] == json.loads(register.stdout)["kop"]
        a = json.loads(meldcode("exporteer", casus_id, url=None, home=tmp_path).stdout)
        b = json.loads(meldcode("exporteer", casus_id, url=anna, home=tmp_path).stdout)
        assert a["log"] == b["log"]
    assert 2 == len(json.loads(meldcode("lijst", "--json", url=anna, home=tmp_path).stdout))
    # The cases are anna's: bert sees none of them.
    assert [] == json.loads(
        meldcode("lijst", "--json", url=pg_register.dsn("bert"), home=tmp_path).stdout
    )


def test_import_refuses_a_broken_chain_and_copies_the_rest(
    pg_register: Register, tmp_path: Path
) -> None:
    heel, kapot = local_cases(tmp_path, 2)
    with sqlite3.connect(tmp_path / "meldcode.db") as db:
        db.execute(
            "UPDATE events SET antwoord = '\"ja\"' WHERE casus_id = ? AND volgnummer = 1",
            (kapot,),
        )
    r = meldcode("register", "importeer", url=pg_register.dsn("anna"), home=tmp_path)
    assert 2 == r.returncode
    assert f"Casus {kapot} is niet gekopieerd: de keten klopt niet" in r.stderr
    assert "1 casussen gekopieerd naar het register, 0 stonden er al in, 1 geweigerd." in r.stdout
    lijst = meldcode("lijst", "--json", url=pg_register.dsn("anna"), home=tmp_path)
    assert [heel] == [c["id"] for c in json.loads(lijst.stdout)]


def test_import_of_a_missing_store_is_exit_2(pg_register: Register, tmp_path: Path) -> None:
    r = meldcode(
        "register", "importeer", str(tmp_path / "geen.db"),
        url=pg_register.dsn("anna"), home=tmp_path,
    )  # fmt: skip
    assert 2 == r.returncode
    assert r.stderr.startswith("Er is geen meldcode-opslag in")
    assert not (tmp_path / "geen.db").exists()
