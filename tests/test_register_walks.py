"""Whole commands on the shared register, as professionals and a coordinator would run them
(issue 15): each sees only their own cases through every command, a handover moves a case, 20
professionals write at once, and a second writer on one case gets SQLite's exit-3 message.

Commands run in-process (`meldcode`, tests/inprocess.py), except where processes contend: the
twenty writers at once, and the second writer while another process holds the case."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from casussen import MELDEN_MET_LABEL as ANTWOORDEN
from pgserver import Register, add_professionals
from test_register_cli import meldcode, meldcode_process

psycopg = pytest.importorskip("psycopg")


def start_case(register: Register, user: str, home: Path) -> str:
    """A scripted basis case ending in melden, recorded as `user`; its id."""
    r = meldcode(
        "start", "--antwoorden", "-", "--standaard", "--json",
        url=register.dsn(user), home=home, stdin=ANTWOORDEN,
    )  # fmt: skip
    assert (0, "") == (r.returncode, r.stderr)
    return str(json.loads(r.stdout)["casus"]["id"])


def test_a_scripted_run_on_the_register_ends_as_on_sqlite(
    pg_register: Register, tmp_path: Path
) -> None:
    r = meldcode(
        "start", "--antwoorden", "-", "--standaard", "--json",
        url=pg_register.dsn("anna"), home=tmp_path, stdin=ANTWOORDEN,
    )  # fmt: skip
    lokaal = meldcode(
        "start", "--antwoorden", "-", "--standaard", "--json",
        url=None, home=tmp_path / "lokaal", stdin=ANTWOORDEN,
    )  # fmt: skip
    assert (0, 0) == (r.returncode, lokaal.returncode)
    doc, ref = json.loads(r.stdout), json.loads(lokaal.stdout)
    assert ref["uitkomst"] == doc["uitkomst"]
    assert [e["vraag"] for e in ref["log"]] == [e["vraag"] for e in doc["log"]]
    assert not (tmp_path / "meldcode.db").exists()  # nothing went to a local file
    v = meldcode("verifieer", url=pg_register.dsn("anna"), home=tmp_path)
    assert 0 == v.returncode, v.stderr


@pytest.mark.parametrize(
    "opdracht",
    [["toon", "{id}"], ["exporteer", "{id}", "--formaat", "json"], ["verifieer", "{id}"],
     ["verwijder", "{id}", "--ja"], ["hervat", "{id}", "--antwoorden", "-"]],
)  # fmt: skip
def test_another_professional_cannot_reach_the_case_through_any_command(
    pg_register: Register, tmp_path: Path, opdracht: list[str]
) -> None:
    casus_id = start_case(pg_register, "anna", tmp_path)
    args = [a.format(id=casus_id) for a in opdracht]
    r = meldcode(*args, url=pg_register.dsn("bert"), home=tmp_path, stdin="antwoorden: {}\n")
    assert 2 == r.returncode, r.stderr
    assert casus_id in r.stderr
    assert "Traceback" not in r.stderr
    lijst = meldcode("lijst", "--json", url=pg_register.dsn("bert"), home=tmp_path)
    assert casus_id not in lijst.stdout
    toon = meldcode("toon", casus_id, url=pg_register.dsn("anna"), home=tmp_path)
    assert 0 == toon.returncode  # still there, unchanged, for its owner


def test_the_coordinator_gets_statistics_of_everyone_and_no_case(
    pg_register: Register, tmp_path: Path
) -> None:
    for _ in range(5):
        casus_id = start_case(pg_register, "anna", tmp_path)
    start_case(pg_register, "bert", tmp_path)

    def statistiek(user_url: str) -> dict[str, object]:
        r = meldcode("statistiek", "--json", url=user_url, home=tmp_path)
        assert 0 == r.returncode, r.stderr
        assert "dossier-4711" not in r.stdout
        return dict(json.loads(r.stdout))

    organisatie = statistiek(pg_register.dsn("cor"))
    assert 6 == organisatie["casussen"]
    assert statistiek(pg_register.admin_dsn) == organisatie  # the same figures as the owner's
    assert 5 == statistiek(pg_register.dsn("anna"))["casussen"]  # a professional: their own
    for args in (["toon", casus_id], ["lijst"], ["exporteer", casus_id]):
        r = meldcode(*args, url=pg_register.dsn("cor"), home=tmp_path)
        assert 3 == r.returncode
        assert "een coördinator alleen de overzichten" in r.stderr


def test_a_handover_moves_the_case_and_its_chain(pg_register: Register, tmp_path: Path) -> None:
    casus_id = start_case(pg_register, "anna", tmp_path)
    r = meldcode(
        "overdragen", casus_id, "--aan", "bert", "--reden", "Anna gaat met verlof.",
        url=pg_register.dsn("anna"), home=tmp_path,
    )  # fmt: skip
    assert (0, "") == (r.returncode, r.stderr)
    assert f"Casus {casus_id} is overgedragen aan bert" in r.stdout
    assert 2 == meldcode("toon", casus_id, url=pg_register.dsn("anna"), home=tmp_path).returncode
    export = meldcode(
        "exporteer", casus_id, "--formaat", "json", url=pg_register.dsn("bert"), home=tmp_path
    )
    assert 0 == export.returncode, export.stderr
    laatste = json.loads(export.stdout)["log"][-1]
    assert ("overdracht", {"aan": "bert", "medelezer": False}, "Anna gaat met verlof.") == (
        laatste["soort"], laatste["antwoord"], laatste["toelichting"]
    )  # fmt: skip
    v = meldcode("verifieer", casus_id, url=pg_register.dsn("bert"), home=tmp_path)
    assert 0 == v.returncode, v.stderr
    # Both whole registers still verify: anna's chain records the case she gave away.
    for wie in ("anna", "bert"):
        v = meldcode("verifieer", url=pg_register.dsn(wie), home=tmp_path)
        assert 0 == v.returncode, (wie, v.stdout, v.stderr)


def test_a_handover_to_no_professional_is_refused(pg_register: Register, tmp_path: Path) -> None:
    casus_id = start_case(pg_register, "anna", tmp_path)
    r = meldcode(
        "overdragen", casus_id, "--aan", "cor", "--reden", "x",
        url=pg_register.dsn("anna"), home=tmp_path,
    )  # fmt: skip
    assert 2 == r.returncode
    assert "'cor' is geen professional in het register" in r.stderr
    v = meldcode("verifieer", casus_id, url=pg_register.dsn("anna"), home=tmp_path)
    assert 0 == v.returncode  # no half handover in the chain


def test_twenty_professionals_write_at_once(pg_register: Register, tmp_path: Path) -> None:
    namen = add_professionals(pg_register, "prof")
    runs = [
        subprocess.Popen(
            [str(Path(sys.executable).parent / "meldcode"), "start", "--antwoorden", "-",
             "--standaard", "--json"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={"MELDCODE_DATABASE": pg_register.dsn(naam), "MELDCODE_HOME": str(tmp_path),
                 "PATH": "/usr/bin:/bin"},
        )
        for naam in namen
    ]  # fmt: skip
    uitkomsten = [p.communicate(ANTWOORDEN, timeout=120) for p in runs]
    assert [0] * 20 == [p.returncode for p in runs], [e for _, e in uitkomsten]
    logs = [json.loads(out)["log"] for out, _ in uitkomsten]
    assert 1 == len({len(log) for log in logs})  # every case has all its events
    for log in logs:
        assert list(range(1, len(log) + 1)) == [e["volgnummer"] for e in log]
    v = meldcode("verifieer", "--json", url=pg_register.admin_dsn, home=tmp_path)
    assert 0 == v.returncode, v.stderr
    assert 20 == json.loads(v.stdout)["casussen"]


def test_a_second_writer_on_one_case_gets_exit_3_as_on_sqlite(
    pg_register: Register, tmp_path: Path
) -> None:
    casus_id = start_case(pg_register, "anna", tmp_path)
    houder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom meldcode.store.postgres import PostgresStore\n"
         f"s = PostgresStore({pg_register.dsn('anna')!r})\ns.lock({casus_id!r})\n"
         "print('vast', flush=True)\nsys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert houder.stdout is not None
        assert "vast" == houder.stdout.readline().strip()
        r = meldcode_process(
            "hervat", casus_id, "--antwoorden", "-",
            url=pg_register.dsn("anna"), home=tmp_path, stdin="antwoorden: {}\n",
        )  # fmt: skip
    finally:
        houder.communicate("\n", timeout=30)
    from meldcode.errors import StoreLocked

    assert 3 == r.returncode
    assert str(StoreLocked(casus_id=casus_id)) in r.stderr


def test_the_coordinator_lists_due_follow_ups_by_case_id_and_date(
    pg_register: Register, tmp_path: Path
) -> None:
    casus_id = start_case(pg_register, "anna", tmp_path)  # melden: terugkoppeling open
    r = meldcode("register", "termijnen", "--json", url=pg_register.dsn("cor"), home=tmp_path)
    assert (0, "") == (r.returncode, r.stderr)
    (termijn,) = json.loads(r.stdout)
    assert (casus_id, "anna", "terugkoppeling") == (
        termijn["casus"], termijn["eigenaar"], termijn["soort"]
    )  # fmt: skip
    assert "dossier-4711" not in r.stdout
    eigen = meldcode("register", "termijnen", url=pg_register.dsn("anna"), home=tmp_path)
    assert 3 == eigen.returncode  # a professional has no right on the organisation's view
