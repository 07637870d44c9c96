"""Retention, lists and figures at scale: many cases, a low open-file limit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from meldcode.cli import app
from meldcode.store.sqlite import Store

OUD = "2001-02-03T10:00:00+01:00"


def old_cases(home: Path, n: int) -> None:
    """`n` empty cases last changed in 2001, made the way meldcode makes them."""
    store = Store(home / "meldcode.db", clock=lambda: OUD)
    for _ in range(n):
        store.create(sector="basis", flow_versie="v", flow_hash="sha256:x")
    store.close()


def run_python(home: Path, voorbereiding: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`meldcode ARGS` in a fresh interpreter that first runs `voorbereiding`."""
    code = textwrap.dedent(voorbereiding) + textwrap.dedent(
        f"""
        import sys
        from meldcode.cli import app
        sys.argv = ["meldcode", *{list(args)!r}]
        app()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"MELDCODE_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_limited(home: Path, nofile: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`meldcode ARGS` in a fresh interpreter whose open-file limit is `nofile`."""
    limiet = f"import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, ({nofile}, {nofile}))\n"
    return run_python(home, limiet, *args)


def test_opschonen_deletes_more_cases_than_the_open_file_limit(tmp_path: Path) -> None:
    """1,251 expired cases under `ulimit -n 256`: all deleted, the message says so, no stray
    lock files, and the store verifies."""
    old_cases(tmp_path, 1251)
    result = run_limited(tmp_path, 256, "opschonen", "--ouder-dan", "1j", "--uitvoeren")
    assert 0 == result.returncode, result.stderr
    assert "1251 casus(sen) laatst gewijzigd vóór" in result.stderr
    assert "Traceback" not in result.stderr
    store = Store(tmp_path / "meldcode.db")
    assert [] == store.casussen()
    store.close()
    assert [] == list((tmp_path / "locks").glob("*.lock"))
    assert 0 == run_limited(tmp_path, 256, "verifieer").returncode


def many_cases(home: Path, n: int) -> None:
    """`n` case rows written straight into a store (lijst reads only the casussen table)."""
    store = Store(home / "meldcode.db")
    rows = [
        (f"mc-{i:04d}-{i % 9999:04d}"[:12], "basis", "wacht-op-evaluatie", f"dossier-{i}",
         f"2026-01-{1 + i % 28:02d}T10:00:00+01:00", "2027-03-15", "kop")
        for i in range(n)
    ]  # fmt: skip
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO casussen (id, sector, status, label, aangemaakt, bijgewerkt,"
            " evaluatiedatum, flow_versie, flow_hash, laatste_hash)"
            " VALUES (?, ?, ?, ?, ?, ?5, ?6, 'v', 'sha256:x', ?7)",
            rows,
        )
    store.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_lijst_json_of_every_case_streams_in_little_memory(tmp_path: Path) -> None:
    """`lijst --aantal 0 --json` over 30,000 cases peaks far below the 100 MB budget (it held
    every row and the whole text: ~930 MB for 100,000), and is all there."""
    many_cases(tmp_path, 30_000)
    # VmHWM: the peak of this program's own memory (ru_maxrss would count the parent's memory
    # at the fork too).
    piek = """
        import atexit, re, sys
        atexit.register(lambda: sys.stderr.write("RSS " + re.search(
            r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read())[1] + "\\n"))
        """
    result = run_python(tmp_path, piek, "lijst", "--aantal", "0", "--json")
    assert 0 == result.returncode, result.stderr
    assert 30_000 == len(json.loads(result.stdout))
    rss_kb = int(result.stderr.split("RSS ")[-1])
    assert rss_kb < 80_000


@pytest.mark.parametrize("breedte", [60, 72, 80, 100, 140])
def test_lijst_fits_the_terminal_and_never_splits_an_id_or_a_date(
    breedte: int, tmp_path: Path
) -> None:
    """At 60 columns and up, no line is wider than the terminal, and every id (and every date
    that is shown) is whole on one line."""
    many_cases(tmp_path, 3)
    result = CliRunner().invoke(
        app, ["lijst"], env={"MELDCODE_HOME": str(tmp_path), "COLUMNS": str(breedte)}
    )
    assert 0 == result.exit_code, result.output
    regels = result.stdout.splitlines()
    assert max(len(r) for r in regels) <= breedte
    tabel = "\n".join(regels)
    assert all(f"mc-{i:04d}-{i:04d}" in tabel for i in range(3))
    assert 3 == tabel.count("15-03-2027")
    if breedte >= 100:
        assert "01-01-2026" in tabel
        assert "dossier-2" in tabel


def test_lijst_table_of_every_case_pages(tmp_path: Path) -> None:
    """`lijst --aantal 0` prints every case, page after page, with one header."""
    many_cases(tmp_path, 250)
    result = CliRunner().invoke(
        app, ["lijst", "--aantal", "0"], env={"MELDCODE_HOME": str(tmp_path), "COLUMNS": "80"}
    )
    assert 0 == result.exit_code, result.output
    assert 250 == len(re.findall(r"^mc-\d{4}-\d{4} ", result.stdout, flags=re.M))
    assert 1 == len(re.findall(r"^id ", result.stdout, flags=re.M))
    assert "250 casus(sen) getoond" in result.stdout
